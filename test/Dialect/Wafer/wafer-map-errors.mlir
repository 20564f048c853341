// RUN: wafer-opt %s --split-input-file --wafer-map="target=4x4" --verify-diagnostics

// The weights (4 MiB) cannot fit the SRAM of a 2x2 mesh.
func.func @too_big(%x: tensor<4x1024xf32>) -> tensor<4x1024xf32> {
  %w = arith.constant dense<0.5> : tensor<1024x1024xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x1024xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x1024xf32>) -> tensor<4x1024xf32>
  // expected-error @unknown {{kernel @big_MatMul (ONNX node 'big/MatMul') does not fit the 4x4 mesh: needs 268288 B of SRAM per PE at best, the budget is 45056 B}}
  %mm = linalg.matmul ins(%x, %w : tensor<4x1024xf32>, tensor<1024x1024xf32>) outs(%f : tensor<4x1024xf32>) -> tensor<4x1024xf32> loc("big/MatMul")
  return %mm : tensor<4x1024xf32>
}

// -----

// An op the mapping does not know is named with its ONNX node.
func.func @unknown(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @unknown {{wafer-map: unsupported op 'math.exp' at the tensor level (ONNX node 'odd')}}
  %y = math.exp %x : tensor<4xf32> loc("odd")
  return %y : tensor<4xf32>
}

// -----

// expected-error @below {{wafer-map: no function to map}}
module {
  func.func private @decl(%x: tensor<4xf32>) -> tensor<4xf32>
}
