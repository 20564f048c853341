//===- Place.cpp - place kernel rectangles on the mesh ----------*- C++ -*-===//
//
// A thin adapter over wafer::place: builds the problem from a program's
// kernels (pipeline order) and streams (traffic), runs the serpentine
// solver, writes origins back.
//
//===----------------------------------------------------------------------===//
#include "wafer/Dialect/Wafer/Passes.h"
#include "wafer/Dialect/Wafer/WaferOps.h"
#include "wafer/Dialect/Wafer/WaferRoutes.h"
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
    // Streams to the host (host_out) have no consumer rectangle.
    auto consumer = dyn_cast<KernelOp>(*s.getResult().getUsers().begin());
    if (!consumer)
      continue;
    for (Value in : s.getInputs())
      if (auto producer = in.getDefiningOp<KernelOp>())
        problem.edges.push_back({index[producer], index[consumer],
                                 static_cast<int64_t>(s.getBytes())});
  }
  return problem;
}

namespace {
struct PlacePass : public wafer::impl::WaferPlaceBase<PlacePass> {
  using WaferPlaceBase::WaferPlaceBase;

  void runOnOperation() override {
    WalkResult r = getOperation().walk([&](ProgramOp program) {
      return succeeded(placeProgram(program)) ? WalkResult::advance()
                                              : WalkResult::interrupt();
    });
    if (r.wasInterrupted())
      signalPassFailure();
  }

  LogicalResult placeProgram(ProgramOp program) {
    // Routes follow the placement: re-placing drops them (and the figures
    // derived from them); run --wafer-route again.
    for (Operation &op : program.getBodyBlock())
      op.removeAttr("routes");
    for (StringRef a :
         {"wafer.colors_max", "wafer.colors_max_at", "wafer.max_link_bytes",
          "wafer.max_link_at", "wafer.max_link_dir", "wafer.route_phases"})
      program->removeAttr(a);
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
    auto write = [&](const place::Placement &p) {
      for (auto [k, origin] : llvm::zip(kernels, p.origins))
        k.setOriginAttr(b.getDenseI64ArrayAttr({origin.first, origin.second}));
    };
    write(result.placement);
    if (refine != "none") {
      if (refine != "hops" && refine != "links")
        return program.emitError("wafer-place: refine must be none, hops or "
                                 "links, got '")
               << refine << "'";
      place::RefineOptions options;
      options.seed = seed;
      options.iterations = iterations;
      // The router's figures for a candidate placement: the busiest link
      // dominates, the bytes on all links break ties.
      std::optional<route::PlacedTraffic> traffic;
      if (refine == "links") {
        auto t = getPlacedTraffic(program);
        if (!t)
          return program.emitError("wafer-place: ")
                 << llvm::toString(t.takeError());
        traffic = std::move(*t);
        options.score = [&](const place::Placement &p) {
          route::LinkLoad load = route::linkLoad(traffic->patterns(p.origins));
          return double(load.busiest.value) * 1e6 + double(load.totalLinkBytes);
        };
      }
      double before = options.score ? options.score(result.placement) : 0;
      int64_t hopsBefore = place::cost(problem, result.placement).total;
      place::PlaceResult refined =
          place::refineLocalSearch(problem, result.placement, options);
      if (!refined.succeeded())
        return fail(*refined.failure);
      if (auto failure = problem.verify(refined.placement))
        return fail(*failure);
      bool better =
          options.score
              ? options.score(refined.placement) < before
              : place::cost(problem, refined.placement).total < hopsBefore;
      if (better) {
        ++numImproved;
        result = std::move(refined);
        write(result.placement);
      }
    }
    place::CostReport cost = place::cost(problem, result.placement);
    program->setAttr("wafer.traffic_hops", b.getI64IntegerAttr(cost.total));
    LLVM_DEBUG(llvm::dbgs()
               << "placed " << kernels.size() << " kernels, traffic x hops "
               << cost.total << "\n");
    return success();
  }
};
} // namespace
