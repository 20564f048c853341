//===- PEInterpreter.h - execute a placed, routed program PE by PE -*- C++
//-*-=//
//
// The reference interpreter of a routed `wafer.program`: every kernel runs
// PE by PE on its own tiles, and a stream's data reaches a consumer PE only
// if the routes written by --wafer-route deliver it from the producing PE.
//
// Routes (written by --wafer-route, read here through WaferRoutes.h): each
// stream carries its pattern chain as typed `#wafer.pattern` attributes
// (docs/routing.md). The interpreter re-checks the program's routes (no two
// patterns of a phase on one color at one router), then for every element
// a consumer PE reads it traces the producer PE that owns it and requires
// that the stream's chain starts on that PE and delivers to the consumer
// PE (route::checkChain).
//
// Host convention: a program input enters the mesh at the west edge; the
// data a consumer PE in mesh row y needs is written into PE (0, y) and
// carried east by the stream's patterns.
//
// Memory: buffers exist only for the PEs of the kernel being run, the
// partial sums in flight along a reduction chain, and the whole tensors
// that are live between kernels (the "assembled" data a stream carries).
//
//===----------------------------------------------------------------------===//
#ifndef WAFER_INTERPRETER_PEINTERPRETER_H
#define WAFER_INTERPRETER_PEINTERPRETER_H

#include "wafer/Interpreter/Tensor.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wafer {
class ProgramOp;
class StreamOp;
} // namespace wafer

namespace wafer::interp {

/// One (source PE, destination PE) pair a stream must serve. Coordinates
/// are absolute mesh positions. `elements` counts the stream elements the
/// destination needs from the source; `signature` identifies that set of
/// elements (equal signatures: the same data, so a multicast carries it
/// once).
struct StreamPair {
  int64_t srcX = 0, srcY = 0, dstX = 0, dstY = 0;
  int64_t elements = 0;
  uint64_t signature = 0;
};

struct StreamNeeds {
  /// Grouped by destination (row-major over the consumer's rectangle),
  /// sources in ascending PE order within a destination.
  std::vector<StreamPair> pairs;
  int64_t elementBytes = 4;
  bool fromHost = false;
};

/// Which producer PE (or host injection PE) must send data to which PE of
/// the consumer kernel, derived from the producers' output distribution, the
/// stream's movement body and the consumer's input indexing maps and tile.
/// Requires placed kernels (an `origin` on each).
llvm::Expected<StreamNeeds> analyzeStream(StreamOp stream);

struct ExecOptions {
  /// Check every element's (source PE, destination PE) against the routes.
  bool checkRoutes = true;
  /// Check every PE's buffers against its kernel's `sram` bytes.
  bool checkSram = true;
  /// Also evaluate every kernel on whole tensors with the golden evaluator,
  /// from golden inputs, and report the first kernel (program order) whose
  /// PE-by-PE result differs beyond atol + rtol * |golden|.
  bool compareKernels = false;
  double atol = 1e-4, rtol = 1e-3;
  /// Testing only: adds 1 to the first element of this kernel's first
  /// result after it ran, so tests can exercise the divergence report.
  std::string perturbKernel;
};

/// The first kernel whose interpreted result left the golden value.
struct KernelDivergence {
  std::string kernel; // symbol name
  std::string nodes;  // the ONNX nodes it came from (`node` attribute)
  unsigned result = 0;
  std::string index; // "[i, j, ...]" of the worst element
  double got = 0, want = 0, maxAbsErr = 0;
};

/// One timed task: a kernel's compute, its reduction chain, or a stream.
struct PhaseTime {
  std::string name;
  std::string kind; // "compute", "reduce", "transfer"
  int64_t start = 0, end = 0;
};

struct ExecutionResult {
  /// One tensor per `wafer.output` operand.
  std::vector<Tensor> outputs;
  /// Simulated cycles of the whole program (event-driven timing model).
  int64_t cycles = 0;
  double microseconds = 0;
  /// Lower bounds (DESIGN.md): total MACs / (PEs used * MACs per cycle);
  /// the busiest link's bytes / link bytes per cycle; the longest route's
  /// hop + ramp latency; the dependency chain of task durations.
  double computeBoundCycles = 0;
  double commBoundCycles = 0;
  int64_t latencyBoundCycles = 0;
  int64_t criticalPathCycles = 0;
  int64_t totalMacs = 0;
  int64_t pesUsed = 0;
  /// From the routes in the IR.
  uint64_t maxLinkLoad = 0;
  int maxColorsPerRouter = 0;
  /// Routing phases; `cycles` includes the reconfiguration between them.
  int routePhases = 1;
  int64_t reconfigurationCycles = 0;
  /// Largest buffer footprint of one PE and where it was.
  int64_t peakPEBytes = 0;
  int64_t peakPEX = -1, peakPEY = -1;
  /// Element pairs checked against the routes.
  int64_t checkedPairs = 0;
  /// Level 6: routers the wavelet traces passed through (0 when the program
  /// is not lowered).
  int64_t routersVisited = 0;
  std::vector<PhaseTime> phases;
  /// Indices into `phases` of the chain of tasks that fixes `cycles`, first
  /// to last (each waited for the previous one's end or resource).
  std::vector<int> criticalPath;
  /// With ExecOptions::compareKernels: the first diverging kernel, if any.
  std::optional<KernelDivergence> divergence;
};

/// Executes `program` on `inputs` (one per block argument, matching its
/// type). Errors name the stream, color, PE and kernel concerned.
llvm::Expected<ExecutionResult> executeProgram(ProgramOp program,
                                               llvm::ArrayRef<Tensor> inputs,
                                               const ExecOptions &options = {});

/// The cycles and bounds executeProgram reports for a routed `program`,
/// from its routes and the timing model alone, without running a kernel
/// (the model does not depend on the data): what a driver compares mapping
/// alternatives with. `outputs`, the buffer peak and the pair count stay
/// empty.
llvm::Expected<ExecutionResult> estimateProgram(ProgramOp program);

} // namespace wafer::interp

#endif // WAFER_INTERPRETER_PEINTERPRETER_H
