//===- PrintRoutes.cpp - list routed patterns and their routers -----------===//
#include "wafer/Dialect/Wafer/Passes.h"
#include "wafer/Dialect/Wafer/WaferRoutes.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

namespace wafer {
#define GEN_PASS_DEF_WAFERPRINTROUTES
#include "wafer/Dialect/Wafer/Passes.h.inc"
} // namespace wafer

using namespace mlir;
using namespace wafer;

namespace {

void printChain(llvm::raw_ostream &os, StringRef owner, ArrayAttr routes) {
  for (auto [i, r] : llvm::enumerate(decodeRoutes(routes))) {
    const route::Pattern &p = r.pattern;
    os << owner << " #" << i << " " << p.str() << " phase " << r.phase << "\n";
    for (const route::Role &role : p.roles()) {
      const route::Rect &q = role.routers;
      os << llvm::formatv("  color {0,-2} {1,-9}[{2},{3} {4}x{5}]",
                          r.colors[role.slot], role.what, q.x, q.y, q.w, q.h);
      if (role.parity != route::Parity::All)
        os << (role.parity == route::Parity::Even ? " even" : " odd");
      os << " " << role.config.str();
      if (role.switchPositions > 1)
        os << " switches " << role.switchPositions;
      if (role.filter)
        os << " filter";
      os << "\n";
    }
  }
}

struct PrintRoutesPass
    : public wafer::impl::WaferPrintRoutesBase<PrintRoutesPass> {
  void runOnOperation() override {
    llvm::raw_ostream &os = llvm::outs();
    getOperation().walk([&](ProgramOp program) {
      os << "program @" << program.getSymName() << "\n";
      if (!isRouted(program)) {
        os << "  not routed\n";
        return;
      }
      for (Operation &op : program.getBodyBlock()) {
        if (auto k = dyn_cast<KernelOp>(op))
          printChain(os, ("kernel @" + k.getSymName()).str(),
                     k.getRoutesAttr());
        else if (auto s = dyn_cast<StreamOp>(op))
          printChain(os, ("stream @" + s.getSymName()).str(),
                     s.getRoutesAttr());
        else if (auto o = dyn_cast<OutputOp>(op))
          if (ArrayAttr chains = o.getRoutesAttr())
            for (auto [i, c] : llvm::enumerate(chains))
              printChain(os, "output #" + std::to_string(i),
                         cast<ArrayAttr>(c));
      }
      ProgramRoutes pr = collectRoutes(program);
      const route::PatternSolution &s = pr.solution;
      os << llvm::formatv(
          "instances {0}, phases {1}, colors max {2} at PE ({3},{4}), "
          "busiest link {5} B from PE ({6},{7}) {8}\n",
          s.numInstances, s.numPhases, s.colorsMax.value, s.colorsMax.x,
          s.colorsMax.y, s.maxLink.value, s.maxLink.x, s.maxLink.y,
          route::dirName(s.maxLinkDir));
    });
  }
};
} // namespace
