//===- Passes.td - onnx -> tensor-level lowering -----------*- tablegen -*-===//
#ifndef WAFER_CONVERSION_ONNXTOLINALG_PASSES_TD
#define WAFER_CONVERSION_ONNXTOLINALG_PASSES_TD

include "mlir/Pass/PassBase.td"

def LowerONNXPass : Pass<"wafer-lower-onnx", "::mlir::ModuleOp"> {
  let summary = "Lower the onnx frontend dialect to linalg/tensor/arith/math";
  let description = [{
    Rewrites every `onnx` op into the upstream subset of
    docs/tensor-level.md: elementwise ops (with numpy broadcasting) become one
    `linalg.generic` each, contractions `linalg.matmul` /
    `linalg.batch_matmul` on a `linalg.fill` init, reductions and the
    softmax / layer-norm chains `linalg.generic` with reduction iterators,
    data movement `linalg.transpose` and `tensor` reshapes and slices.
    Created ops keep the ONNX node's location. An op the lowering does not
    support (e.g. `onnx.pow` on i64) is a located error naming the op.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def FuseElementwisePass : Pass<"wafer-fuse-elementwise", "::mlir::ModuleOp"> {
  let summary = "Fuse elementwise linalg.generic producers into their consumers";
  let description = [{
    Upstream's elementwise fusion patterns (the ones behind
    `linalg-fuse-elementwise-ops`) under a control that fuses only an
    all-parallel `linalg.generic` with a single use into a consumer that is
    itself a `linalg.generic`. Unlike the upstream pass it does not
    propagate reshapes by expansion: that turns `linalg.matmul` into a
    4-D `linalg.generic` and fuses activations (even a gather) into the
    contraction, which hides weight matmuls from the mapper.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
  let statistics = [
    Statistic<"numGenerics", "generics", "linalg.generic ops left after fusion">
  ];
}

#endif // WAFER_CONVERSION_ONNXTOLINALG_PASSES_TD
