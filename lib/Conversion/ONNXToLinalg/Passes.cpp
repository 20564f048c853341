//===- Passes.cpp - wafer-lower-onnx and wafer-tensor-pipeline --*- C++ -*-===//
#include "wafer/Conversion/ONNXToLinalg/Passes.h"
#include "wafer/Dialect/ONNX/ONNXOps.h"

#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/DialectConversion.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/Passes.h"

#define DEBUG_TYPE "wafer-lower-onnx"

namespace wafer {
#define GEN_PASS_DEF_LOWERONNXPASS
#define GEN_PASS_DEF_FUSEELEMENTWISEPASS
#include "wafer/Conversion/ONNXToLinalg/Passes.h.inc"
} // namespace wafer

using namespace mlir;

namespace {
struct LowerONNXPass : wafer::impl::LowerONNXPassBase<LowerONNXPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    // Unsupported ops get one precise error each before conversion starts,
    // rather than the generic "failed to legalize" from the driver.
    bool supported = true;
    module.walk([&](Operation *op) {
      if (isa<wafer::onnx_fe::ONNXDialect>(op->getDialect()) &&
          failed(wafer::checkONNXLowerable(op)))
        supported = false;
    });
    if (!supported)
      return signalPassFailure();

    ConversionTarget target(*ctx);
    target.addIllegalDialect<wafer::onnx_fe::ONNXDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect>();
    RewritePatternSet patterns(ctx);
    wafer::populateONNXToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      signalPassFailure();
  }
};

struct FuseElementwisePass
    : wafer::impl::FuseElementwisePassBase<FuseElementwisePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::populateElementwiseOpsFusionPatterns(
        patterns, [](OpOperand *operand) {
          auto producer = operand->get().getDefiningOp<linalg::GenericOp>();
          auto consumer = dyn_cast<linalg::GenericOp>(operand->getOwner());
          // Each fusion clones the producer's body into the consumer: with
          // no bound a chain of N elementwise ops costs O(N^2) (50 s at
          // N = 10,000). Bodies stay at most kMaxFusedOps ops, which keeps
          // the pass linear and a kernel's per-PE program small.
          constexpr size_t kMaxFusedOps = 256;
          return producer && consumer && producer->hasOneUse() &&
                 producer.getNumReductionLoops() == 0 &&
                 producer.getBody()->getOperations().size() +
                         consumer.getBody()->getOperations().size() <=
                     kMaxFusedOps;
        });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    getOperation().walk([&](linalg::GenericOp) { ++numGenerics; });
  }
};
} // namespace

void wafer::buildTensorPipeline(OpPassManager &pm) {
  pm.addPass(createLowerONNXPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createFuseElementwisePass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void wafer::registerTensorPipeline() {
  PassPipelineRegistration<>(
      "wafer-tensor-pipeline",
      "Lower onnx to the tensor level and fuse elementwise linalg ops "
      "(wafer-lower-onnx, canonicalize, wafer-fuse-elementwise, "
      "canonicalize, cse)",
      [](OpPassManager &pm) { buildTensorPipeline(pm); });
}
