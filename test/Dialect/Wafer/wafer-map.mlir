// RUN: wafer-opt %s --split-input-file --wafer-map="target=16x16" | FileCheck %s
// RUN: wafer-opt %s --split-input-file --wafer-map="target=16x16" --wafer-place | FileCheck %s --check-prefix=PLACE
// RUN: wafer-opt %s --split-input-file --wafer-map="target=16x16" --wafer-place --wafer-report-usage --verify-diagnostics -o /dev/null

// A weight-stationary contraction followed by an elementwise op: the matmul
// splits the weight's dims (n along x, k along y) and gets PEs in
// proportion to its work; the relu streams from it point to point. The 8
// tokens stream through both in time (stream_dim 0): a PE double-buffers
// one token's slices (the matmul: 4x6 weights + 2x(6 + 4 + 4) floats of x,
// output and partial sums = 208 B) rather than all 8 tokens' tiles.

// CHECK-LABEL: wafer.program @main
// CHECK-SAME: args ["x"] results ["y"]
// CHECK: %[[S0:.+]] = stream @s0 host_in(%{{.+}}) bytes 2048
// CHECK: %[[MM:.+]] = kernel @fc_MatMul(%[[S0]]) shape [16, 11] sram 208
// CHECK-SAME: dims = array<i64: 8, 64, 64>, macs = 32768 : i64, node = "fc/MatMul"
// CHECK-SAME: split = array<i64: 1, 2>, stream_dim = 0 : i64, tile = array<i64: 8, 4, 6>
// CHECK: arith.constant dense<5.000000e-01> : tensor<64x64xf32>
// CHECK: linalg.fill
// CHECK: linalg.matmul
// CHECK: %[[S1:.+]] = stream @s1 p2p(%[[MM]]) bytes 2048
// CHECK: %[[R:.+]] = kernel @fc_Relu(%[[S1]]) shape [1, 3]
// CHECK: output %[[R]]
// CHECK-NOT: func.func

// PLACE-LABEL: wafer.program @main
// PLACE-SAME: wafer.traffic_hops = 2048
// PLACE: kernel @fc_MatMul(%{{.+}}) shape [16, 11] origin [0, 0]
// PLACE: kernel @fc_Relu(%{{.+}}) shape [1, 3] origin [15, 11]

// expected-remark @below {{uses 179 of 256 PEs, peak SRAM 352 B per PE}}
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

// Data movement between kernels (a reshape) goes into the stream's body,
// and an operand the consumer's x split does not index is multicast along
// rows.

// CHECK-LABEL: wafer.program @reshape
// CHECK: kernel @scale
// CHECK: stream @s1 {{.*}}(%{{.+}}) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x8x8xf32>
// CHECK-NEXT: ^bb0(%[[A:.+]]: tensor<8x64xf32>):
// CHECK-NEXT: tensor.expand_shape %[[A]]
// CHECK: kernel @sum
// expected-remark @below {{uses}}
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

// -----

// A transpose only permutes data: it folds into the stream between the two
// kernels instead of becoming a kernel that copies.

// CHECK-LABEL: wafer.program @transpose
// CHECK: kernel @scale
// CHECK: stream @s1 {{.*}}(%{{.+}}) bytes 2048 : (tensor<8x64xf32>) -> tensor<64x8xf32>
// CHECK-NEXT: ^bb0(%[[A:.+]]: tensor<8x64xf32>):
// CHECK: linalg.transpose ins(%[[A]]
// CHECK: kernel @relu
// CHECK-NOT: kernel
// expected-remark @below {{uses}}
func.func @transpose(%x: tensor<8x64xf32>) -> tensor<64x8xf32> {
  %e = tensor.empty() : tensor<8x64xf32>
  %c2 = arith.constant 2.0 : f32
  %zero = arith.constant 0.0 : f32
  %s = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
  ^bb0(%a: f32, %b: f32):
    %m = arith.mulf %a, %c2 : f32
    linalg.yield %m : f32
  } -> tensor<8x64xf32> loc("scale")
  %et = tensor.empty() : tensor<64x8xf32>
  %t = linalg.transpose ins(%s : tensor<8x64xf32>) outs(%et : tensor<64x8xf32>) permutation = [1, 0] loc("t")
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%t : tensor<64x8xf32>) outs(%et : tensor<64x8xf32>) {
  ^bb0(%a: f32, %b: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<64x8xf32> loc("relu")
  return %r : tensor<64x8xf32>
}
