// RUN: not wafer-opt %s --split-input-file --wafer-map="target=16x16" --wafer-place --wafer-route --mlir-print-local-scope 2>/dev/null | FileCheck %s
// RUN: not wafer-opt %s --split-input-file --wafer-map="target=16x16" --wafer-place --wafer-route 2>&1 >/dev/null | FileCheck %s --check-prefix=ERR
// RUN: not wafer-opt %s --split-input-file --wafer-map="target=16x16" --wafer-route -o /dev/null 2>&1 | FileCheck %s --check-prefix=UNPLACED

// The fc example of test/Dialect/Wafer/wafer-map.mlir, routed. The host
// input enters at the west edge: every matmul row j gets its k chunk from
// PE (0, j), multicast east along the row (one family, 10 replicas, plus
// the shorter last chunk). The matmul's results leave from the end of its
// k-reduction chains (row 10) towards the relu's column: 16 point-to-point
// flows that converge there, each on its own color.

// CHECK-LABEL: wafer.program @main
// CHECK-SAME: wafer.max_colors_per_router = 17 : i64, wafer.max_link_load = 2048 : i64
// CHECK: stream @s0 host_in(%{{.+}}) bytes 2048 {color = 0 : i64, routes = [
// CHECK-SAME: array<i64: 0, 10, 0, 10, 16, 1, 1, 1, 0, 0, 128, 0>,
// CHECK-SAME: array<i64: 0, 0, 0, 0, 16, 1, 1, 10, 0, 1, 192, 0>]}
// CHECK: stream @s1 p2p(%{{.+}}) bytes 2048 {color = 1 : i64, routes = [
// CHECK-SAME: array<i64: 15, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 1>,
// CHECK-SAME: array<i64: 5, 10, 15, 11, 1, 2, 1, 1, 0, 0, 128, 16>]}
// UNPLACED: error: {{.*}}wafer-route: kernel @fc_MatMul is not placed (no origin); run --wafer-place

// A weight-stationary contraction followed by an elementwise op: the matmul
// splits the weight's dims (n along x, k along y) and gets PEs in
// proportion to its work; the relu streams from it point to point.



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


// -----

// The reshape example: the 13 producer chunks of 5 columns feed 8 consumer
// rows of 8; the point-to-point trees pile up in the consumer's columns and
// the greedy dimension-ordered router runs out of colors. The error names
// the PE and the stream.

// ERR: error: {{.*}}wafer-route: out of colors at PE (9,7): streams s1 need 10, 21 usable
func.func @reshape(%x: tensor<8x64xf32>) -> tensor<8x8xf32> {
  %e = tensor.empty() : tensor<8x64xf32>
  %c2 = arith.constant 2.0 : f32
  %s = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
  ^bb0(%a: f32, %b: f32):
    %m = arith.mulf %a, %c2 : f32
    linalg.yield %m : f32
  } -> tensor<8x64xf32> loc("scale")
  %r = tensor.expand_shape %s [[0], [1, 2]] output_shape [8, 8, 8] : tensor<8x64xf32> into tensor<8x8x8xf32>
  %zero = arith.constant 0.0 : f32
  %e2 = tensor.empty() : tensor<8x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e2 : tensor<8x8xf32>) -> tensor<8x8xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%r : tensor<8x8x8xf32>) outs(%f : tensor<8x8xf32>) {
  ^bb0(%a: f32, %b: f32):
    %m = arith.addf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<8x8xf32> loc("sum")
  return %sum : tensor<8x8xf32>
}
