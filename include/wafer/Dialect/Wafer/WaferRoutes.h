//===- WaferRoutes.h - routes in the IR <-> the pattern library -*- C++ -*-===//
//
// The analysis that turns placed kernels and streams into the IR-free
// problems of include/wafer/Route/Streams.h, and the decoding of routed
// `#wafer.pattern` attributes back into route::Pattern. The route pass, the
// program verifier and the PE interpreter all go through these functions,
// so they cannot disagree on what a stream needs or what a route says.
//
//===----------------------------------------------------------------------===//
#ifndef WAFER_DIALECT_WAFER_WAFERROUTES_H
#define WAFER_DIALECT_WAFER_WAFERROUTES_H

#include "wafer/Dialect/Wafer/WaferOps.h"
#include "wafer/Route/PatternRouter.h"
#include "wafer/Route/Streams.h"

#include "llvm/Support/Error.h"

namespace wafer {

/// An indexing map as the iteration dim of each tensor axis (-1 - c for a
/// constant c); nullopt when the map is not a projection.
std::optional<llvm::SmallVector<int64_t>> getProjection(mlir::AffineMap map);

/// The iteration dim behind each axis of a kernel's result `result`.
llvm::Expected<llvm::SmallVector<int64_t>> getResultProjection(KernelOp kernel,
                                                               unsigned result);

/// Where result `result` of a placed kernel lives on its rectangle.
llvm::Expected<route::Layout> getResultLayout(KernelOp kernel, unsigned result);
/// Which PEs of a placed kernel need its input `input`, and how.
llvm::Expected<route::Layout> getInputLayout(KernelOp kernel, unsigned input);
/// When the stream's body keeps the data's order (identity, or reshapes
/// that only add or drop unit dims): the consumer tensor axis of each
/// producer tensor axis (-1: a dropped unit axis). Empty otherwise.
std::vector<int64_t> getOrderKeepingAxisMap(StreamOp stream);
/// Where each producer tensor axis ends up in the consumer's tensor when the
/// stream's body is a chain of slices, reshapes and transposes: the consumer
/// axis that holds it whole and in the same order (index i of one is index i
/// of the other), or -1 where the body slices it, merges it with another
/// non-unit axis, splits it, or it is a unit axis. Other axes may be
/// reordered, so a partition along a mapped axis still puts the same
/// elements on the same lines. Empty when the body does anything else.
std::vector<int64_t> getAxisCorrespondence(StreamOp stream);

/// The stream between placed kernels as the IR-free problem.
llvm::Expected<route::StreamSpec> getStreamSpec(StreamOp stream);

/// Whether a kernel of several stages allreduces along x and along y: a
/// stage reduces a dim split over more than one line of that axis.
llvm::Expected<std::pair<bool, bool>> getAllreduceAxes(KernelOp kernel);

/// The program's traffic (streams, split reductions, outputs) with the
/// kernel (by program order) each layout sits on. Requires placed kernels.
llvm::Expected<route::PlacedTraffic> getPlacedTraffic(ProgramOp program);

/// What data a stream, a kernel's partial sums or a model output carries
/// (route::PatternProblem::dataKeys): a stream's producers and the movement
/// its body applies, so two streams with equal keys may share patterns.
std::string getDataKey(StreamOp stream);
std::string getDataKey(KernelOp kernel);
std::string getOutputDataKey(mlir::Value output);

/// One routed pattern with its physical colors and phase.
struct RoutedPattern {
  route::Pattern pattern;
  llvm::SmallVector<int64_t> colors;
  int64_t phase = 0;
};
llvm::SmallVector<RoutedPattern> decodeRoutes(mlir::ArrayAttr routes);
mlir::ArrayAttr encodeRoutes(mlir::MLIRContext *ctx,
                             llvm::ArrayRef<RoutedPattern> routes);

/// Every routed pattern of a program (kernels' reductions, streams, model
/// outputs) as a problem with its solution, owners named "kernel @k",
/// "stream @s" or "output #i".
struct ProgramRoutes {
  route::PatternProblem problem;
  route::PatternSolution solution;
};
ProgramRoutes collectRoutes(ProgramOp program);

/// Whether any op of the program carries routes.
bool isRouted(ProgramOp program);

/// The routed program's invariants: every stream, reduction and output is
/// routed, every chain serves its consumer's PEs from where its data is,
/// and no two patterns of one phase share a router on a color. Emits the
/// error on the op concerned.
mlir::LogicalResult verifyRoutes(ProgramOp program);

} // namespace wafer

#endif // WAFER_DIALECT_WAFER_WAFERROUTES_H
