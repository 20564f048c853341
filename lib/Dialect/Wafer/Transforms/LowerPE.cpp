//===- LowerPE.cpp - routed program -> PE programs + router configs -------===//
//
// Level 6 (DESIGN.md): see the pass description in Passes.td. The PE
// programs come from each kernel's distribution (getPEBuffers) and the
// colors its streams' routes start and end on; the router configurations
// are the closed-form roles of every routed pattern (route::Pattern::roles),
// one wafer.router per color slot.
//
//===----------------------------------------------------------------------===//
#include "wafer/Dialect/Wafer/KernelStages.h"
#include "wafer/Dialect/Wafer/Passes.h"
#include "wafer/Dialect/Wafer/WaferLowered.h"
#include "wafer/Dialect/Wafer/WaferRoutes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

namespace wafer {
#define GEN_PASS_DEF_WAFERLOWERPE
#include "wafer/Dialect/Wafer/Passes.h.inc"
} // namespace wafer

using namespace mlir;
using namespace wafer;

namespace {

/// The colors a chain's first pattern starts on and its last one delivers
/// on: every slot of a chain reduce or all-to-all, the delivering leg of a
/// store-and-forward, the one color of the others.
SmallVector<int64_t> startColors(const RoutedPattern &r) {
  if (r.pattern.kind == route::PatternKind::StoreForward)
    return {r.colors.front()};
  return SmallVector<int64_t>(r.colors.begin(), r.colors.end());
}
SmallVector<int64_t> endColors(const RoutedPattern &r) {
  if (r.pattern.kind == route::PatternKind::StoreForward)
    return {r.colors.back()};
  return SmallVector<int64_t>(r.colors.begin(), r.colors.end());
}

struct LowerPEPass : public wafer::impl::WaferLowerPEBase<LowerPEPass> {
  void runOnOperation() override {
    getOperation().walk([&](ProgramOp program) {
      if (failed(lower(program)))
        signalPassFailure();
    });
  }

  void addRouters(OpBuilder &b, Location loc, StringRef owner,
                  ArrayAttr routes) {
    MLIRContext *ctx = b.getContext();
    for (auto [step, r] : llvm::enumerate(decodeRoutes(routes))) {
      auto patternAttr = PatternAttr::get(ctx, r.pattern, r.colors, r.phase);
      std::vector<route::Role> roles = r.pattern.roles();
      for (int slot = 0, n = r.pattern.numColors(); slot < n; ++slot) {
        SmallVector<Attribute> attrs;
        for (const route::Role &role : roles)
          if (role.slot == slot)
            attrs.push_back(RoleAttr::get(ctx, role));
        if (attrs.empty())
          continue;
        RouterOp::create(b, loc, owner, step, slot, patternAttr,
                         b.getArrayAttr(attrs));
        ++numRouters;
        numRoles += attrs.size();
      }
    }
  }

  LogicalResult lower(ProgramOp program) {
    if (!isRouted(program))
      return program.emitOpError(
          "is not routed; run --wafer-route before --wafer-lower-pe");
    Block &block = program.getBodyBlock();
    // Replace any previous lowering.
    for (Operation &op : llvm::make_early_inc_range(block))
      if (isa<PECodeOp, RouterOp>(op))
        op.erase();
    auto output = cast<OutputOp>(block.getTerminator());
    OpBuilder b(output);
    for (KernelOp k : llvm::to_vector(block.getOps<KernelOp>())) {
      auto buffers = getPEBuffers(k);
      if (!buffers) {
        k.emitOpError(llvm::toString(buffers.takeError()));
        return failure();
      }
      int64_t sram = 0;
      for (const PEBufferSpec &s : *buffers)
        sram += s.bytes;
      SmallVector<int64_t> rect{(*k.getOrigin())[0], (*k.getOrigin())[1],
                                k.getWidth(), k.getHeight()};
      auto code = PECodeOp::create(b, k.getLoc(), k.getSymName(), rect, sram);
      ++numPECode;
      OpBuilder in = OpBuilder::atBlockEnd(&code.getBody().emplaceBlock());
      for (const PEBufferSpec &s : *buffers)
        BufferOp::create(in, k.getLoc(), s.name, s.kind, s.operand, s.bytes);
      // Receive every input stream into the buffer of the operand it feeds.
      auto stages = analyzeKernel(k);
      if (!stages) {
        k.emitOpError(llvm::toString(stages.takeError()));
        return failure();
      }
      Block &body = k.getBody().front();
      for (auto [argNo, input] : llvm::enumerate(k.getInputs())) {
        auto s = input.getDefiningOp<StreamOp>();
        if (!s)
          continue;
        SmallVector<RoutedPattern> chain = decodeRoutes(s.getRoutesAttr());
        if (chain.empty())
          continue;
        // The colors of every step that delivers into the rectangle (a
        // port PE keeps what the edge shift brought before scattering it).
        route::Rect mine{rect[0], rect[1], rect[2], rect[3]};
        SmallVector<int64_t> colors;
        for (const RoutedPattern &r : chain)
          if (r.pattern.sinks().intersects(mine))
            for (int64_t c : endColors(r))
              if (!llvm::is_contained(colors, c))
                colors.push_back(c);
        // Buffers follow the tensors (getPEBuffers).
        for (auto [t, kt] : llvm::enumerate(stages->tensors))
          if (kt.value == body.getArgument(argNo) ||
              kt.init == body.getArgument(argNo))
            RecvOp::create(in, k.getLoc(), s.getSymName(), colors,
                           (*buffers)[t].name);
      }
      ComputeOp::create(in, k.getLoc(), int64_t(k.getMacs()));
      // Each split reduction's steps on the patterns along the axes that
      // split what it reduces (a chain, or in a kernel of several stages
      // one allreduce per reducing stage).
      if (ArrayAttr routes = k.getRoutesAttr())
        for (const RoutedPattern &r : decodeRoutes(routes))
          for (const PEBufferSpec &s : *buffers) {
            if (s.kind != BufferKind::Partial)
              continue;
            auto t =
                llvm::find_if(stages->tensors, [&](const KernelTensor &kt) {
                  return kt.operand == s.operand;
                });
            if (t == stages->tensors.end())
              continue;
            auto [x, y] = getReducedAxes(k, *t);
            if (!(route::isHorizontal(r.pattern.dir) ? x : y))
              continue;
            ReduceStepOp::create(in, k.getLoc(), s.name, r.colors,
                                 static_cast<FlowDir>(r.pattern.dir));
          }
      // Send every result into the streams that read it.
      for (auto [n, result] : llvm::enumerate(k.getResults()))
        for (Operation *user : result.getUsers())
          if (auto s = dyn_cast<StreamOp>(user)) {
            SmallVector<RoutedPattern> chain = decodeRoutes(s.getRoutesAttr());
            if (chain.empty())
              continue;
            Value produced = stages->ops.back()->getResult(n);
            auto t =
                llvm::find_if(stages->tensors, [&](const KernelTensor &kt) {
                  return kt.value == produced;
                });
            if (t == stages->tensors.end()) {
              k.emitOpError("result #") << n << " has no buffer";
              return failure();
            }
            SendOp::create(in, k.getLoc(),
                           (*buffers)[t - stages->tensors.begin()].name,
                           s.getSymName(), startColors(chain.front()));
          }
    }
    SmallVector<Operation *> ops;
    for (Operation &op : block.without_terminator())
      if (isa<KernelOp, StreamOp>(op))
        ops.push_back(&op);
    for (Operation *op : ops) {
      if (auto k = dyn_cast<KernelOp>(op); k && k.getRoutesAttr())
        addRouters(b, k.getLoc(),
                   ("kernel @" + k.getSymName() + " reduce").str(),
                   k.getRoutesAttr());
      else if (auto s = dyn_cast<StreamOp>(op); s && s.getRoutesAttr())
        addRouters(b, s.getLoc(), ("stream @" + s.getSymName()).str(),
                   s.getRoutesAttr());
    }
    if (ArrayAttr chains = output.getRoutesAttr())
      for (auto [i, chain] : llvm::enumerate(chains))
        addRouters(b, output.getLoc(), ("output #" + Twine(i)).str(),
                   cast<ArrayAttr>(chain));
    return success();
  }
};

} // namespace
