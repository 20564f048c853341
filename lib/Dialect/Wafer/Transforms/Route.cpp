//===- Route.cpp - route the streams of a placed program ------------------===//
//
// A thin adapter: the flows come from interp::analyzeStream (the same
// derivation the interpreter checks deliveries against), are compressed into
// replicated flow families, routed by route::routeDimensionOrdered and
// written back as `color` / `routes` attributes (format in Passes.td).
//
// Flow construction per source PE: when the consumer PEs it feeds fill
// their bounding rectangle, one multicast tree covers them; otherwise one
// tree per contiguous run of a row. A tree carries the data once when all
// its destinations need the same elements (multicast), else the sum of what
// they need (the destinations filter their part). Trees with the same shape,
// offset and bytes whose sources form an arithmetic grid merge into one
// family with replicas.
//
//===----------------------------------------------------------------------===//

#include "wafer/Dialect/Wafer/Passes.h"
#include "wafer/Dialect/Wafer/WaferOps.h"
#include "wafer/Interpreter/PEInterpreter.h"
#include "wafer/Route/Routing.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/Support/Debug.h"

#include <map>
#include <tuple>

#define DEBUG_TYPE "wafer-route"

namespace wafer {
#define GEN_PASS_DEF_WAFERROUTE
#include "wafer/Dialect/Wafer/Passes.h.inc"
} // namespace wafer

using namespace mlir;
using namespace wafer;

namespace {

/// One tree before replication.
struct RawFlow {
  int64_t sx, sy, dx, dy, dw, dh, bytes;
};

std::vector<RawFlow> buildTrees(const interp::StreamNeeds &needs) {
  std::vector<RawFlow> flows;
  const auto &pairs = needs.pairs;
  int64_t eb = needs.elementBytes;
  for (size_t b = 0; b < pairs.size();) {
    size_t e = b;
    while (e < pairs.size() && pairs[e].srcX == pairs[b].srcX &&
           pairs[e].srcY == pairs[b].srcY)
      ++e;
    // Destinations of this source, in row-major order.
    auto tree = [&](size_t lo, size_t hi, int64_t dx, int64_t dy, int64_t dw,
                    int64_t dh) {
      bool same = true;
      int64_t sum = 0;
      for (size_t k = lo; k < hi; ++k) {
        sum += pairs[k].elements;
        same &= pairs[k].signature == pairs[lo].signature &&
                pairs[k].elements == pairs[lo].elements;
      }
      int64_t elems = same ? pairs[lo].elements : sum;
      flows.push_back(
          {pairs[b].srcX, pairs[b].srcY, dx, dy, dw, dh, elems * eb});
    };
    int64_t x0 = INT64_MAX, y0 = INT64_MAX, x1 = INT64_MIN, y1 = INT64_MIN;
    for (size_t k = b; k < e; ++k) {
      x0 = std::min(x0, pairs[k].dstX);
      x1 = std::max(x1, pairs[k].dstX);
      y0 = std::min(y0, pairs[k].dstY);
      y1 = std::max(y1, pairs[k].dstY);
    }
    // Pairs are unique per destination, so a full count fills the box.
    if (int64_t(e - b) == (x1 - x0 + 1) * (y1 - y0 + 1)) {
      tree(b, e, x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    } else {
      for (size_t k = b; k < e;) {
        size_t r = k + 1;
        while (r < e && pairs[r].dstY == pairs[k].dstY &&
               pairs[r].dstX == pairs[r - 1].dstX + 1)
          ++r;
        tree(k, r, pairs[k].dstX, pairs[k].dstY,
             pairs[r - 1].dstX - pairs[k].dstX + 1, 1);
        k = r;
      }
    }
    b = e;
  }
  return flows;
}

/// Merges trees that are translates of each other on an arithmetic grid of
/// sources into replicated families. Deterministic (sorted keys).
std::vector<route::FlowFamily> compress(std::vector<RawFlow> flows) {
  using Key = std::tuple<int64_t, int64_t, int64_t, int64_t, int64_t>;
  std::map<Key, std::vector<RawFlow>> groups;
  for (const RawFlow &f : flows)
    groups[{f.dw, f.dh, f.bytes, f.dx - f.sx, f.dy - f.sy}].push_back(f);
  std::vector<route::FlowFamily> out;
  for (auto &[key, group] : groups) {
    llvm::sort(group, [](const RawFlow &a, const RawFlow &b) {
      return std::tie(a.sy, a.sx) < std::tie(b.sy, b.sx);
    });
    // Runs along x: (first flow, count, stride).
    struct Run {
      RawFlow f;
      int64_t n, s;
    };
    std::vector<Run> runs;
    for (const RawFlow &f : group) {
      if (!runs.empty()) {
        Run &r = runs.back();
        int64_t lastX = r.f.sx + (r.n - 1) * r.s;
        if (r.f.sy == f.sy && f.sx > lastX &&
            (r.n == 1 || f.sx - lastX == r.s)) {
          if (r.n == 1)
            r.s = f.sx - lastX;
          ++r.n;
          continue;
        }
      }
      runs.push_back({f, 1, 0});
    }
    // Stack equal runs along y.
    std::map<std::tuple<int64_t, int64_t, int64_t>, std::vector<Run>> cols;
    for (const Run &r : runs)
      cols[{r.f.sx, r.n, r.s}].push_back(r);
    for (auto &[ck, rs] : cols) {
      for (size_t b = 0; b < rs.size();) {
        size_t e = b + 1;
        int64_t sj = 0;
        while (e < rs.size()) {
          int64_t d = rs[e].f.sy - rs[e - 1].f.sy;
          if (e == b + 1)
            sj = d;
          else if (d != sj)
            break;
          ++e;
        }
        const RawFlow &f = rs[b].f;
        route::FlowFamily fam;
        fam.sx = f.sx;
        fam.sy = f.sy;
        fam.dx = f.dx;
        fam.dy = f.dy;
        fam.dw = f.dw;
        fam.dh = f.dh;
        fam.ni = rs[b].n;
        fam.si = rs[b].s;
        fam.nj = e - b;
        fam.sj = sj;
        fam.bytes = f.bytes;
        out.push_back(fam);
        b = e;
      }
    }
  }
  return out;
}

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
    route::RoutingProblem problem = route::RoutingProblem::forTarget(target);
    SmallVector<StreamOp> streams(program.getBodyBlock().getOps<StreamOp>());
    SmallVector<int> problemIndex; // stream -> problem stream id, -1 if none
    SmallVector<StreamOp> routed;
    for (StreamOp s : streams) {
      auto needs = interp::analyzeStream(s);
      if (!needs)
        return s.emitError("wafer-route: ")
               << llvm::toString(needs.takeError());
      std::vector<route::FlowFamily> families = compress(buildTrees(*needs));
      if (families.empty()) {
        problemIndex.push_back(-1);
        continue;
      }
      numFamilies += families.size();
      problemIndex.push_back(problem.streams.size());
      problem.streams.push_back({s.getSymName().str(), std::move(families)});
      routed.push_back(s);
    }
    auto fail = [&](const route::RouteFailure &f) {
      if (!f.streams.empty()) {
        InFlightDiagnostic d =
            routed[f.streams.front()].emitError("wafer-route: ") << f.message;
        for (int id : ArrayRef<int>(f.streams).drop_front())
          d.attachNote(routed[id].getLoc())
              << "stream @" << routed[id].getSymName();
        return d;
      }
      return program.emitError("wafer-route: ") << f.message;
    };
    if (auto f = problem.check())
      return fail(*f);
    route::RoutingSolution sol = route::routeDimensionOrdered(problem);
    if (!sol.succeeded())
      return fail(sol.failures.front());
    if (auto f = problem.verify(sol))
      return program.emitError("wafer-route: internal error, the solution "
                               "does not verify: ")
             << f->message;
    Builder b(program.getContext());
    for (auto [s, idx] : llvm::zip(streams, problemIndex)) {
      SmallVector<Attribute> routes;
      if (idx >= 0) {
        const route::Stream &ps = problem.streams[idx];
        const route::StreamRoute &sr = sol.streams[idx];
        s->setAttr("color", b.getI64IntegerAttr(sr.colors.front()));
        for (auto [fam, colors] : llvm::zip(ps.families, sr.replicaColors)) {
          SmallVector<int64_t> v = {fam.sx, fam.sy, fam.dx,   fam.dy,
                                    fam.dw, fam.dh, fam.ni,   fam.nj,
                                    fam.si, fam.sj, fam.bytes};
          bool uniform = llvm::all_equal(colors);
          if (uniform)
            v.push_back(colors.front());
          else
            v.append(colors.begin(), colors.end());
          routes.push_back(b.getDenseI64ArrayAttr(v));
        }
      }
      s->setAttr("routes", b.getArrayAttr(routes));
    }
    program->setAttr("wafer.max_link_load",
                     b.getI64IntegerAttr(int64_t(sol.maxLinkBytes)));
    program->setAttr("wafer.max_colors_per_router",
                     b.getI64IntegerAttr(sol.maxColors));
    LLVM_DEBUG(llvm::dbgs() << "routed " << routed.size() << " streams, max "
                            << sol.maxColors << " colors per router\n");
    return success();
  }
};
} // namespace
