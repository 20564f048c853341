// RUN: wafer-opt %s | FileCheck %s
// RUN: wafer-opt %s --mlir-print-op-generic | wafer-opt | FileCheck %s
// RUN: wafer-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// CHECK-LABEL: func.func @binary
// GENERIC-LABEL: "func.func"
func.func @binary(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %i: tensor<4xi64>,
                  %j: tensor<1xi64>, %p: tensor<4xi1>, %q: tensor<1xi1>) {
  // CHECK: onnx.add %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // GENERIC: "onnx.add"(%{{.*}}, %{{.*}}) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %0 = onnx.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: onnx.sub
  %1 = onnx.sub %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: onnx.mul
  %2 = onnx.mul %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: onnx.div %{{.*}}, %{{.*}} : (tensor<4xi64>, tensor<1xi64>) -> tensor<4xi64>
  %3 = onnx.div %i, %j : (tensor<4xi64>, tensor<1xi64>) -> tensor<4xi64>
  // CHECK: onnx.pow
  %4 = onnx.pow %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: onnx.min
  %5 = onnx.min %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: onnx.max
  %6 = onnx.max %i, %j : (tensor<4xi64>, tensor<1xi64>) -> tensor<4xi64>
  // CHECK: onnx.equal %{{.*}}, %{{.*}} : (tensor<4xi64>, tensor<1xi64>) -> tensor<4xi1>
  %7 = onnx.equal %i, %j : (tensor<4xi64>, tensor<1xi64>) -> tensor<4xi1>
  // CHECK: onnx.less
  %8 = onnx.less %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: onnx.greater
  %9 = onnx.greater %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: onnx.and %{{.*}}, %{{.*}} : (tensor<4xi1>, tensor<1xi1>) -> tensor<4xi1>
  %10 = onnx.and %p, %q : (tensor<4xi1>, tensor<1xi1>) -> tensor<4xi1>
  // CHECK: onnx.or
  %11 = onnx.or %p, %q : (tensor<4xi1>, tensor<1xi1>) -> tensor<4xi1>
  // CHECK: onnx.where %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %12 = onnx.where %8, %a, %b : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// CHECK-LABEL: func.func @unary
func.func @unary(%x: tensor<2x3xf32>, %i: tensor<4xi64>, %p: tensor<4xi1>) {
  // CHECK: onnx.sqrt %{{.*}} : tensor<2x3xf32>
  // GENERIC: "onnx.sqrt"(%{{.*}}) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %0 = onnx.sqrt %x : tensor<2x3xf32>
  // CHECK: onnx.reciprocal
  %1 = onnx.reciprocal %x : tensor<2x3xf32>
  // CHECK: onnx.neg %{{.*}} : tensor<4xi64>
  %2 = onnx.neg %i : tensor<4xi64>
  // CHECK: onnx.exp
  %3 = onnx.exp %x : tensor<2x3xf32>
  // CHECK: onnx.log
  %4 = onnx.log %x : tensor<2x3xf32>
  // CHECK: onnx.tanh
  %5 = onnx.tanh %x : tensor<2x3xf32>
  // CHECK: onnx.erf
  %6 = onnx.erf %x : tensor<2x3xf32>
  // CHECK: onnx.relu
  %7 = onnx.relu %x : tensor<2x3xf32>
  // CHECK: onnx.sigmoid
  %8 = onnx.sigmoid %x : tensor<2x3xf32>
  // CHECK: onnx.abs
  %9 = onnx.abs %i : tensor<4xi64>
  // CHECK: onnx.not %{{.*}} : tensor<4xi1>
  %10 = onnx.not %p : tensor<4xi1>
  // CHECK: onnx.cast %{{.*}} to i64 : tensor<2x3xf32> -> tensor<2x3xi64>
  // GENERIC: "onnx.cast"(%{{.*}}) <{to = i64}> : (tensor<2x3xf32>) -> tensor<2x3xi64>
  %11 = onnx.cast %x to i64 : tensor<2x3xf32> -> tensor<2x3xi64>
  // CHECK: onnx.clip %{{.*}} {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32} : tensor<2x3xf32>
  %12 = onnx.clip %x {min = 0.0 : f32, max = 6.0 : f32} : tensor<2x3xf32>
  // CHECK: onnx.clip %{{.*}} {max = 1.000000e+00 : f32} : tensor<2x3xf32>
  %13 = onnx.clip %x {max = 1.0 : f32} : tensor<2x3xf32>
  // CHECK: onnx.gelu %{{.*}} {approximate = "tanh"} : tensor<2x3xf32>
  %14 = onnx.gelu %x {approximate = "tanh"} : tensor<2x3xf32>
  // CHECK: onnx.gelu %{{.*}} : tensor<2x3xf32>
  %15 = onnx.gelu %x : tensor<2x3xf32>
  return
}

// CHECK-LABEL: func.func @contractions
func.func @contractions(%a: tensor<2x8x16xf32>, %w: tensor<16x32xf32>,
                        %v: tensor<16xf32>, %g: tensor<4x8xf32>,
                        %h: tensor<16x8xf32>, %c: tensor<16xf32>,
                        %k: tensor<8x16xf32>) {
  // CHECK: onnx.matmul %{{.*}}, %{{.*}} : (tensor<2x8x16xf32>, tensor<16x32xf32>) -> tensor<2x8x32xf32>
  %0 = onnx.matmul %a, %w : (tensor<2x8x16xf32>, tensor<16x32xf32>) -> tensor<2x8x32xf32>
  // CHECK: onnx.matmul %{{.*}}, %{{.*}} : (tensor<2x8x16xf32>, tensor<16xf32>) -> tensor<2x8xf32>
  %1 = onnx.matmul %a, %v : (tensor<2x8x16xf32>, tensor<16xf32>) -> tensor<2x8xf32>
  // CHECK: onnx.matmul %{{.*}}, %{{.*}} : (tensor<16xf32>, tensor<16x32xf32>) -> tensor<32xf32>
  %2 = onnx.matmul %v, %w : (tensor<16xf32>, tensor<16x32xf32>) -> tensor<32xf32>
  // CHECK: onnx.gemm %{{.*}}, %{{.*}}, %{{.*}} {alpha = 5.000000e-01 : f32, trans_b = true} : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  // GENERIC: "onnx.gemm"(%{{.*}}, %{{.*}}, %{{.*}}) <{alpha = 5.000000e-01 : f32, beta = 1.000000e+00 : f32, trans_a = false, trans_b = true}>
  %3 = onnx.gemm %g, %h, %c {trans_b = true, alpha = 0.5 : f32} : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  // CHECK: onnx.gemm %{{.*}}, %{{.*}} : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %4 = onnx.gemm %g, %k {trans_b = false} : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  return
}

// CHECK-LABEL: func.func @normalisations
func.func @normalisations(%x: tensor<2x4x8xf32>, %s: tensor<8xf32>) {
  // CHECK: onnx.softmax %{{.*}} {axis = 2 : i64} : tensor<2x4x8xf32>
  %0 = onnx.softmax %x {axis = 2 : i64} : tensor<2x4x8xf32>
  // CHECK: onnx.log_softmax %{{.*}} {axis = 1 : i64} : tensor<2x4x8xf32>
  %1 = onnx.log_softmax %x {axis = 1 : i64} : tensor<2x4x8xf32>
  // CHECK: onnx.layer_normalization %{{.*}}, %{{.*}}, %{{.*}} {axis = 2 : i64, epsilon = 1.250000e-01 : f32} : (tensor<2x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x4x8xf32>
  %2 = onnx.layer_normalization %x, %s, %s {axis = 2 : i64, epsilon = 0.125 : f32} : (tensor<2x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x4x8xf32>
  // CHECK: onnx.layer_normalization %{{.*}}, %{{.*}} {axis = 2 : i64} : (tensor<2x4x8xf32>, tensor<8xf32>) -> tensor<2x4x8xf32>
  %3 = onnx.layer_normalization %x, %s {axis = 2 : i64} : (tensor<2x4x8xf32>, tensor<8xf32>) -> tensor<2x4x8xf32>
  return
}

// CHECK-LABEL: func.func @reductions
func.func @reductions(%x: tensor<2x4x8xf32>, %i: tensor<2x3xi64>) {
  // CHECK: onnx.reduce_mean %{{.*}} {axes = array<i64: 2>} : (tensor<2x4x8xf32>) -> tensor<2x4x1xf32>
  %0 = onnx.reduce_mean %x {axes = array<i64: 2>, keepdims = true} : (tensor<2x4x8xf32>) -> tensor<2x4x1xf32>
  // CHECK: onnx.reduce_sum %{{.*}} {axes = array<i64: 0, 2>, keepdims = false} : (tensor<2x4x8xf32>) -> tensor<4xf32>
  %1 = onnx.reduce_sum %x {axes = array<i64: 0, 2>, keepdims = false} : (tensor<2x4x8xf32>) -> tensor<4xf32>
  // CHECK: onnx.reduce_max %{{.*}} {axes = array<i64: 0, 1>, keepdims = false} : (tensor<2x3xi64>) -> tensor<i64>
  %2 = onnx.reduce_max %i {axes = array<i64: 0, 1>, keepdims = false} : (tensor<2x3xi64>) -> tensor<i64>
  return
}

// CHECK-LABEL: func.func @movement
func.func @movement(%x: tensor<2x3x4xf32>, %y: tensor<3x1xf32>,
                    %a: tensor<2x3xf32>, %b: tensor<2x5xf32>,
                    %emb: tensor<100x16xf32>, %ids: tensor<1x8xi64>,
                    %m: tensor<8x8xf32>) {
  // CHECK: onnx.transpose %{{.*}} {perm = array<i64: 0, 2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
  %0 = onnx.transpose %x {perm = array<i64: 0, 2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
  // CHECK: onnx.reshape %{{.*}} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %1 = onnx.reshape %x : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  // CHECK: onnx.expand %{{.*}} : (tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %2 = onnx.expand %y : (tensor<3x1xf32>) -> tensor<2x3x4xf32>
  // CHECK: onnx.concat %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  %3 = onnx.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  // CHECK: onnx.split %{{.*}} {axis = 1 : i64} : (tensor<2x8xf32>) -> (tensor<2x3xf32>, tensor<2x5xf32>)
  // GENERIC: "onnx.split"(%{{.*}}) <{axis = 1 : i64}> : (tensor<2x8xf32>) -> (tensor<2x3xf32>, tensor<2x5xf32>)
  %4:2 = onnx.split %3 {axis = 1 : i64} : (tensor<2x8xf32>) -> (tensor<2x3xf32>, tensor<2x5xf32>)
  // CHECK: onnx.slice %{{.*}} {starts = array<i64: 0, 7>, steps = array<i64: 1, -2>} : (tensor<2x8xf32>) -> tensor<2x4xf32>
  %5 = onnx.slice %3 {starts = array<i64: 0, 7>, steps = array<i64: 1, -2>} : (tensor<2x8xf32>) -> tensor<2x4xf32>
  // CHECK: onnx.gather %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<100x16xf32>, tensor<1x8xi64>) -> tensor<1x8x16xf32>
  %6 = onnx.gather %emb, %ids {axis = 0 : i64} : (tensor<100x16xf32>, tensor<1x8xi64>) -> tensor<1x8x16xf32>
  // CHECK: onnx.trilu %{{.*}} {k = 1 : i64, upper = false} : tensor<8x8xf32>
  %7 = onnx.trilu %m {upper = false, k = 1 : i64} : tensor<8x8xf32>
  return
}

// The ops added for LLaMA-style and Einsum exports.
// CHECK-LABEL: func.func @added
func.func @added(%x: tensor<2x8xf32>, %i: tensor<2x8xi64>, %q: tensor<2x4x8xf32>, %k: tensor<2x5x8xf32>) {
  // CHECK: onnx.sign %{{.*}} : tensor<2x8xi64>
  %0 = onnx.sign %i : tensor<2x8xi64>
  // CHECK: onnx.sin %{{.*}} : tensor<2x8xf32>
  %1 = onnx.sin %x : tensor<2x8xf32>
  // CHECK: onnx.floor %{{.*}} : tensor<2x8xf32>
  %2 = onnx.floor %x : tensor<2x8xf32>
  // CHECK: onnx.mod %{{.*}}, %{{.*}} {fmod = true} : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %3 = onnx.mod %x, %x {fmod = true} : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: onnx.arg_max %{{.*}} {axis = 1 : i64, keepdims = false} : (tensor<2x8xf32>) -> tensor<2xi64>
  %4 = onnx.arg_max %x {axis = 1 : i64, keepdims = false} : (tensor<2x8xf32>) -> tensor<2xi64>
  // CHECK: onnx.reduce_prod %{{.*}} {axes = array<i64: 1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %5 = onnx.reduce_prod %x {axes = array<i64: 1>, keepdims = true} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  // CHECK: onnx.cum_sum %{{.*}} {axis = 1 : i64, reverse = true} : tensor<2x8xi64>
  %6 = onnx.cum_sum %i {axis = 1 : i64, reverse = true} : tensor<2x8xi64>
  // CHECK: onnx.einsum %{{.*}}, %{{.*}} {equation = "bid,bjd->bij"} : (tensor<2x4x8xf32>, tensor<2x5x8xf32>) -> tensor<2x4x5xf32>
  %7 = onnx.einsum %q, %k {equation = "bid,bjd->bij"} : (tensor<2x4x8xf32>, tensor<2x5x8xf32>) -> tensor<2x4x5xf32>
  return
}
