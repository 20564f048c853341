// RUN: wafer-opt %s --wafer-tensor-pipeline | FileCheck %s

// The exported GELU chain (Div, Erf, Add, Mul, Mul) after a weight matmul
// with bias: the matmul stays a named 2-D contraction and the bias add and
// the whole GELU fuse into one generic.
// CHECK-LABEL: func.func @matmul_bias_gelu
// CHECK: linalg.fill
// CHECK: %[[MM:.+]] = linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<16x16xf32>, tensor<16x32xf32>)
// CHECK: %[[E:.+]] = tensor.expand_shape %[[MM]]
// CHECK: %[[G:.+]] = linalg.generic
// CHECK-SAME: ins(%[[E]], %{{.*}} : tensor<2x8x32xf32>, tensor<32xf32>)
// CHECK:   arith.addf
// CHECK:   arith.divf
// CHECK:   math.erf
// CHECK:   arith.addf
// CHECK:   arith.mulf
// CHECK:   arith.mulf
// CHECK:   linalg.yield
// CHECK-NOT: linalg.generic
// CHECK: return %[[G]]
func.func @matmul_bias_gelu(%x: tensor<2x8x16xf32>, %w: tensor<16x32xf32>, %b: tensor<32xf32>) -> tensor<2x8x32xf32> {
  %sqrt2 = arith.constant dense<1.41421354> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %half = arith.constant dense<0.5> : tensor<f32>
  %0 = onnx.matmul %x, %w : (tensor<2x8x16xf32>, tensor<16x32xf32>) -> tensor<2x8x32xf32>
  %1 = onnx.add %0, %b : (tensor<2x8x32xf32>, tensor<32xf32>) -> tensor<2x8x32xf32>
  %2 = onnx.div %1, %sqrt2 : (tensor<2x8x32xf32>, tensor<f32>) -> tensor<2x8x32xf32>
  %3 = onnx.erf %2 : tensor<2x8x32xf32>
  %4 = onnx.add %3, %one : (tensor<2x8x32xf32>, tensor<f32>) -> tensor<2x8x32xf32>
  %5 = onnx.mul %1, %4 : (tensor<2x8x32xf32>, tensor<2x8x32xf32>) -> tensor<2x8x32xf32>
  %6 = onnx.mul %5, %half : (tensor<2x8x32xf32>, tensor<f32>) -> tensor<2x8x32xf32>
  return %6 : tensor<2x8x32xf32>
}

// Values with several uses are not fused (that would recompute them): the
// scaled scores feed both the max and the exp, and the exp both the sum and
// the divide, so softmax stays scale, max, exp, sum, divide.
// CHECK-LABEL: func.func @scaled_softmax
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
// CHECK:   arith.mulf
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK:   arith.maximumf
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
// CHECK:   math.exp
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK:   arith.addf
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
// CHECK:   arith.divf
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @scaled_softmax(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %s = arith.constant dense<0.125> : tensor<f32>
  %0 = onnx.mul %x, %s : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %1 = onnx.softmax %0 {axis = 1 : i64} : tensor<4x8xf32>
  return %1 : tensor<4x8xf32>
}
