// RUN: wafer-opt %s --wafer-map="target=16x16" --wafer-place="refine=links seed=7" --wafer-route | FileCheck %s
// RUN: wafer-opt %s --wafer-map="target=16x16" --wafer-place="refine=hops" --wafer-route | FileCheck %s
// RUN: not wafer-opt %s --wafer-map="target=16x16" --wafer-place="refine=anneal" -o /dev/null 2>&1 | FileCheck %s --check-prefix=BAD

// Refinement keeps a legal, routable placement (the program verifier
// re-checks the rectangles and the routes after each pass).
// CHECK-LABEL: wafer.program @main
// CHECK: kernel @fc_MatMul
// CHECK-SAME: origin
// CHECK: kernel @fc_Relu
// CHECK-SAME: origin
// BAD: error: wafer-place: refine must be none, hops or links, got 'anneal'

func.func @main(%x: tensor<8x64xf32> {onnx.name = "x"}) -> (tensor<8x64xf32> {onnx.name = "y"}) {
  %w = arith.constant dense<0.5> : tensor<64x64xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x64xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<8x64xf32>) -> tensor<8x64xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<8x64xf32>, tensor<64x64xf32>) outs(%f : tensor<8x64xf32>) -> tensor<8x64xf32> loc("fc/MatMul")
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
  ^bb0(%a: f32, %b: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<8x64xf32> loc("fc/Relu")
  return %r : tensor<8x64xf32>
}
