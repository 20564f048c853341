// RUN: wafer-opt %s --wafer-lower-onnx --split-input-file --verify-diagnostics
// RUN: not wafer-opt %S/Inputs/pow-i64-named.mlir --wafer-lower-onnx 2>&1 | FileCheck %s

// Ops the lowering does not support are one located error each, before any
// rewriting; with the importer's locations the error names the ONNX node.
// CHECK: error: loc("Pow_3"): 'onnx.pow' op cannot be lowered: element type 'i64' is not supported (expected f32)

func.func @pow_i64(%a: tensor<4xi64>) -> tensor<4xi64> {
  // expected-error @below {{'onnx.pow' op cannot be lowered: element type 'i64' is not supported (expected f32)}}
  %0 = onnx.pow %a, %a : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

func.func @add_bool(%a: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @below {{'onnx.add' op cannot be lowered: element type 'i1' is not supported (expected f32 or i64)}}
  %0 = onnx.add %a, %a : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @mean_i64(%a: tensor<2x4xi64>) -> tensor<2xi64> {
  // expected-error @below {{'onnx.reduce_mean' op cannot be lowered: element type 'i64' is not supported (expected f32)}}
  %0 = onnx.reduce_mean %a {axes = array<i64: 1>, keepdims = false} : (tensor<2x4xi64>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}
