//===- Place.cpp - place kernel rectangles on the mesh ----------*- C++ -*-===//
//
// A thin adapter over wafer::place: builds the problem from a program's
// kernels (pipeline order) and streams (traffic), runs the serpentine
// solver, writes origins back.
//
//===----------------------------------------------------------------------===//
#include "wafer/Dialect/Wafer/Passes.h"
#include "wafer/Dialect/Wafer/WaferOps.h"
#include "wafer/Place/Placement.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "wafer-place"

namespace wafer {
#define GEN_PASS_DEF_WAFERPLACE
#include "wafer/Dialect/Wafer/Passes.h.inc"
} // namespace wafer

using namespace mlir;
using namespace wafer;

place::PlacementProblem wafer::buildPlacementProblem(ProgramOp program) {
  TargetModel target = program.getTarget().getModel();
  place::PlacementProblem problem;
  problem.meshWidth = target.width;
  problem.meshHeight = target.height;
  DenseMap<Operation *, int> index;
  for (KernelOp k : program.getBody().getOps<KernelOp>()) {
    index[k] = problem.blocks.size();
    problem.blocks.push_back(
        {k.getSymName().str(), k.getWidth(), k.getHeight()});
  }
  for (StreamOp s : program.getBody().getOps<StreamOp>()) {
    auto consumer = cast<KernelOp>(*s.getResult().getUsers().begin());
    for (Value in : s.getInputs())
      if (auto producer = in.getDefiningOp<KernelOp>())
        problem.edges.push_back(
            {index[producer], index[consumer], s.getBytes()});
  }
  return problem;
}

namespace {
struct PlacePass : public wafer::impl::WaferPlaceBase<PlacePass> {
  void runOnOperation() override {
    WalkResult r = getOperation().walk([&](ProgramOp program) {
      return succeeded(placeProgram(program)) ? WalkResult::advance()
                                              : WalkResult::interrupt();
    });
    if (r.wasInterrupted())
      signalPassFailure();
  }

  LogicalResult placeProgram(ProgramOp program) {
    place::PlacementProblem problem = buildPlacementProblem(program);
    SmallVector<KernelOp> kernels(program.getBody().getOps<KernelOp>());
    auto fail = [&](const place::PlaceFailure &f) {
      if (!f.blocks.empty())
        return kernels[f.blocks.front()].emitError("wafer-place: ")
               << f.message;
      return program.emitError("wafer-place: ") << f.message;
    };
    if (auto failure = problem.check())
      return fail(*failure);
    place::PlaceResult result = place::placeSerpentine(problem);
    if (!result.succeeded())
      return fail(*result.failure);
    if (auto failure = problem.verify(result.placement))
      return fail(*failure);
    Builder b(program.getContext());
    for (auto [k, origin] : llvm::zip(kernels, result.placement.origins))
      k.setOriginAttr(b.getDenseI64ArrayAttr({origin.first, origin.second}));
    place::CostReport cost = place::cost(problem, result.placement);
    program->setAttr("wafer.traffic_hops", b.getI64IntegerAttr(cost.total));
    LLVM_DEBUG(llvm::dbgs()
               << "placed " << kernels.size() << " kernels, traffic x hops "
               << cost.total << "\n");
    return success();
  }
};
} // namespace
