//===- Route.cpp - route the streams of a placed program ------------------===//
//
// A thin adapter over the pattern library: the analysis of WaferRoutes.h
// turns every stream, split reduction and model output into an IR-free
// pattern chain (include/wafer/Route/Streams.h), route::colorPatterns gives
// each pattern its physical colors and phase, route::verify re-checks the
// solution, and the pass writes it back as typed `#wafer.pattern`
// attributes plus the program's routing figures.
//
//===----------------------------------------------------------------------===//

#include "wafer/Dialect/Wafer/Passes.h"
#include "wafer/Dialect/Wafer/WaferOps.h"
#include "wafer/Dialect/Wafer/WaferRoutes.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "wafer-route"

namespace wafer {
#define GEN_PASS_DEF_WAFERROUTE
#include "wafer/Dialect/Wafer/Passes.h.inc"
} // namespace wafer

using namespace mlir;
using namespace wafer;

namespace {

struct RoutePass : public wafer::impl::WaferRouteBase<RoutePass> {
  void runOnOperation() override {
    WalkResult r = getOperation().walk([&](ProgramOp program) {
      return succeeded(routeProgram(program)) ? WalkResult::advance()
                                              : WalkResult::interrupt();
    });
    if (r.wasInterrupted())
      signalPassFailure();
  }

  LogicalResult routeProgram(ProgramOp program) {
    TargetModel target = program.getTarget().getModel();
    route::PatternProblem problem = route::PatternProblem::forTarget(target);
    // Which ops own which patterns: (op, output index or -1, count).
    struct Owner {
      Operation *op;
      int output;
      size_t first, count;
    };
    SmallVector<Owner> owners;
    auto add = [&](Operation *op, int output, const std::string &name,
                   const std::vector<route::Pattern> &chain,
                   const std::string &dataKey) {
      owners.push_back({op, output, problem.patterns.size(), chain.size()});
      for (const route::Pattern &p : chain) {
        problem.patterns.push_back(p);
        problem.owners.push_back(name);
        problem.dataKeys.push_back(dataKey);
      }
    };
    // One item of the program's traffic per kernel, stream and
    // kernel-computed output, in program order (getPlacedTraffic).
    auto traffic = getPlacedTraffic(program);
    if (!traffic)
      return program.emitError("wafer-route: ")
             << llvm::toString(traffic.takeError());
    std::vector<std::pair<int64_t, int64_t>> origins;
    for (KernelOp k : program.getBody().getOps<KernelOp>())
      origins.push_back({(*k.getOrigin())[0], (*k.getOrigin())[1]});
    size_t item = 0;
    for (Operation &op : program.getBodyBlock()) {
      if (auto k = dyn_cast<KernelOp>(op)) {
        add(k, -1, "kernel @" + k.getSymName().str(),
            traffic->chain(item++, origins), getDataKey(k));
      } else if (auto s = dyn_cast<StreamOp>(op)) {
        add(s, -1, "stream @" + s.getSymName().str(),
            traffic->chain(item++, origins), getDataKey(s));
      } else if (auto out = dyn_cast<OutputOp>(op)) {
        for (auto [i, v] : llvm::enumerate(out.getValues())) {
          auto k = v.getDefiningOp<KernelOp>();
          add(out, int(i), "output #" + std::to_string(i),
              k ? traffic->chain(item++, origins)
                : std::vector<route::Pattern>(),
              getOutputDataKey(v));
        }
      }
    }
    if (auto why = problem.check())
      return program.emitError("wafer-route: cannot route on this target: ")
             << *why;
    route::PatternSolution sol = route::colorPatterns(problem);
    if (auto why = route::verify(problem, sol))
      return program.emitError("wafer-route: internal error, the solution "
                               "does not verify: ")
             << *why;

    MLIRContext *ctx = program.getContext();
    auto routed = [&](const Owner &o) {
      SmallVector<RoutedPattern> rs;
      for (size_t i = o.first; i < o.first + o.count; ++i)
        rs.push_back(
            {problem.patterns[i],
             SmallVector<int64_t>(sol.colors[i].begin(), sol.colors[i].end()),
             sol.phase[i]});
      return encodeRoutes(ctx, rs);
    };
    SmallVector<Attribute> outputChains;
    OutputOp output;
    for (const Owner &o : owners) {
      if (auto k = dyn_cast<KernelOp>(o.op)) {
        k.setRoutesAttr(routed(o));
      } else if (auto s = dyn_cast<StreamOp>(o.op)) {
        s.setRoutesAttr(routed(o));
      } else {
        output = cast<OutputOp>(o.op);
        outputChains.push_back(routed(o));
      }
    }
    if (output)
      output.setRoutesAttr(ArrayAttr::get(ctx, outputChains));

    Builder b(ctx);
    program->setAttr("wafer.colors_max",
                     b.getI64IntegerAttr(sol.colorsMax.value));
    program->setAttr(
        "wafer.colors_max_at",
        b.getDenseI64ArrayAttr({sol.colorsMax.x, sol.colorsMax.y}));
    program->setAttr("wafer.max_link_bytes",
                     b.getI64IntegerAttr(sol.maxLink.value));
    program->setAttr("wafer.max_link_at",
                     b.getDenseI64ArrayAttr({sol.maxLink.x, sol.maxLink.y}));
    program->setAttr("wafer.max_link_dir",
                     b.getStringAttr(route::dirName(sol.maxLinkDir)));
    program->setAttr("wafer.route_phases", b.getI64IntegerAttr(sol.numPhases));
    numPatterns += problem.patterns.size();
    numInstances += sol.numInstances;
    numPhases += sol.numPhases;
    LLVM_DEBUG(llvm::dbgs()
               << "routed " << problem.patterns.size() << " patterns ("
               << sol.numInstances << " instances) in " << sol.numPhases
               << " phases, max " << sol.colorsMax.value
               << " colors per router\n");
    return success();
  }
};
} // namespace
