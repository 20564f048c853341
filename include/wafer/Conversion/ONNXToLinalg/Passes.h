//===- Passes.h - onnx -> tensor-level lowering -----------------*- C++ -*-===//
#ifndef WAFER_CONVERSION_ONNXTOLINALG_PASSES_H
#define WAFER_CONVERSION_ONNXTOLINALG_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace wafer {

#define GEN_PASS_DECL
#include "wafer/Conversion/ONNXToLinalg/Passes.h.inc"

/// Adds the onnx -> linalg/tensor/arith/math conversion patterns (one per
/// onnx op). They assume `checkONNXLowerable` succeeded on the op.
void populateONNXToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// Checks that the lowering supports `op` (an onnx op): emits an error on
/// the op naming the reason and fails otherwise.
llvm::LogicalResult checkONNXLowerable(mlir::Operation *op);

/// wafer-lower-onnx, canonicalize, wafer-fuse-elementwise (upstream
/// elementwise fusion patterns without reshape propagation), canonicalize,
/// cse.
void buildTensorPipeline(mlir::OpPassManager &pm);

/// Registers `--wafer-tensor-pipeline` (the passes register through
/// registerONNXToLinalgPasses()).
void registerTensorPipeline();

#define GEN_PASS_REGISTRATION
#include "wafer/Conversion/ONNXToLinalg/Passes.h.inc"

} // namespace wafer

#endif // WAFER_CONVERSION_ONNXTOLINALG_PASSES_H
