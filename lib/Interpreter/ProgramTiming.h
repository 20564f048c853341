//===- ProgramTiming.h - cycles of an executed program ----------*- C++ -*-===//
//
// The timing half of the PE interpreter (PEInterpreter.cpp runs the
// program, Fabric.cpp its routers): the executed program as a task graph
// for the event-driven model of lib/Timing, and the lower bounds.
//
//===----------------------------------------------------------------------===//
#ifndef WAFER_LIB_INTERPRETER_PROGRAMTIMING_H
#define WAFER_LIB_INTERPRETER_PROGRAMTIMING_H

#include "wafer/Interpreter/PEInterpreter.h"
#include "wafer/Route/Patterns.h"

#include <optional>
#include <vector>

namespace wafer::interp {

/// What the routes say about one stream, in program order.
struct StreamTiming {
  /// Bytes on the chain's busiest link and hops along the whole chain.
  int64_t maxLinkBytes = 0, hops = 0;
  /// The pattern with the busiest link (a contended resource).
  std::optional<route::Pattern> busiest;
};

/// Tasks (DESIGN.md, docs/lowering.md):
/// - per kernel, its compute at the target's MAC rate on its PEs, then its
///   split reduction's chain (the chain_reduce route's closed form);
/// - per stream, one transfer over its busiest link plus every hop;
/// - tokens stream in time: when a producer streams the dim (stream_dim)
///   that the stream carries in order to the consumer's streamed dim, the
///   transfer and the consumer start after the first token slice
///   (timing::DepKind::AfterFirstChunk) instead of after the whole tensor.
/// Kernels hold their rectangle, transfers and chains their busiest link.
/// Without
/// routes (`streams` empty) a stream costs its bytes over one link.
/// Fills res.cycles, microseconds, the bounds and phases.
llvm::Error timeProgram(ProgramOp program, llvm::ArrayRef<StreamTiming> streams,
                        ExecutionResult &res);

} // namespace wafer::interp

#endif // WAFER_LIB_INTERPRETER_PROGRAMTIMING_H
