// RUN: wafer-opt %s --split-input-file --wafer-map="target=16x16" --wafer-place --wafer-route --mlir-print-local-scope | FileCheck %s
// RUN: wafer-opt %s --split-input-file --wafer-map="target=16x16" --wafer-place --wafer-route --wafer-print-routes -o /dev/null | FileCheck %s --check-prefix=CFG
// RUN: wafer-opt %s --split-input-file --wafer-map="target=16x16" --wafer-place --wafer-route | wafer-opt --split-input-file | FileCheck %s --check-prefix=ROUNDTRIP
// RUN: not wafer-opt %s --split-input-file --wafer-map="target=16x16" --wafer-route -o /dev/null 2>&1 | FileCheck %s --check-prefix=UNPLACED

// The fc example of test/Dialect/Wafer/wafer-map.mlir, routed as patterns.
// The host input enters at column 0 and is multicast east along every row
// of the matmul (its k chunk; 2048 B over 11 rows). The matmul's partial
// sums chain-reduce down its columns (two colors alternating by row
// parity) and end on row 10. The relu sits under the matmul's last column
// (rows 11-13): rather than gathering the whole row onto one PE and
// funnelling it down (store-and-forward, 2235 B on the busiest link), the
// row multicasts down the matmul's columns over the relu's rows and a
// gather along each of those rows brings that row's share (683 B) into
// the relu. The relu's result leaves west to the host.

// CHECK-LABEL: wafer.program @main
// CHECK-SAME: wafer.colors_max = 4 : i64, wafer.colors_max_at = array<i64: 0, 10>
// CHECK-SAME: wafer.max_link_at = array<i64: 0, 11>, wafer.max_link_bytes = 683 : i64, wafer.max_link_dir = "east", wafer.route_phases = 1 : i64
// CHECK: stream @s0 host_in(%{{.+}}) bytes 2048 {routes = [#wafer.pattern<multicast east[0, 0, 16, 11] turn east bytes 187 colors[0] phase 0>]}
// CHECK: kernel @fc_MatMul
// CHECK-SAME: routes = [#wafer.pattern<chain_reduce south[0, 0, 16, 11] turn south bytes 128 colors[1, 2] phase 0>]
// CHECK: stream @s1 p2p(%{{.+}}) bytes 2048 {routes = [
// CHECK-SAME: #wafer.pattern<multicast south[0, 10, 16, 4] turn south bytes 128 colors[3] phase 0>,
// CHECK-SAME: #wafer.pattern<gather east[0, 11, 16, 3] turn east bytes 683 colors[0] phase 0>]}
// CHECK: kernel @fc_Relu
// CHECK-SAME: origin [15, 11]
// CHECK-SAME: routes = []
// CHECK: output {routes = {{\[\[}}#wafer.pattern<edge_shift west[0, 11, 16, 3] turn west bytes 683 colors[1] phase 0>]]}

// CFG-LABEL: program @main
// CFG: stream @s0 #0 multicast east [0,0 16x11] 187 B phase 0
// CFG-NEXT:   color 0  source   [0,0 1x11] R->E
// CFG-NEXT:   color 0  interior [1,0 14x11] W->E,R
// CFG-NEXT:   color 0  sink     [15,0 1x11] W->R
// CFG: kernel @fc_MatMul #0 chain_reduce south [0,0 16x11] 128 B phase 0
// CFG-NEXT:   color 1  send     [0,0 16x10] even R->S
// CFG-NEXT:   color 1  receive  [0,1 16x10] odd N->R
// CFG-NEXT:   color 2  send     [0,1 16x9] odd R->S
// CFG-NEXT:   color 2  receive  [0,2 16x9] even N->R
// CFG: stream @s1 #0 multicast south [0,10 16x4] 128 B phase 0
// CFG-NEXT:   color 3  source   [0,10 16x1] R->S
// CFG-NEXT:   color 3  interior [0,11 16x2] N->S,R
// CFG-NEXT:   color 3  sink     [0,13 16x1] N->R
// CFG-NEXT: stream @s1 #1 gather east [0,11 16x3] 683 B phase 0
// CFG-NEXT:   color 0  source   [0,11 1x3] R->E
// CFG-NEXT:   color 0  interior [1,11 14x3] W->E switches 2
// CFG-NEXT:   color 0  sink     [15,11 1x3] W->R
// CFG-NEXT: output #0 #0 edge_shift west [0,11 16x3] 683 B phase 0
// CFG-NEXT:   color 1  source   [15,11 1x3] R->W
// CFG-NEXT:   color 1  interior [1,11 14x3] E->W
// CFG-NEXT:   color 1  sink     [0,11 1x3] E->R
// CFG-NEXT: instances 5, phases 1, colors max 4 at PE (0,10), busiest link 683 B from PE (0,11) east

// ROUNDTRIP-LABEL: wafer.program @main
// ROUNDTRIP: #wafer.pattern<multicast south[0, 10, 16, 4] turn south bytes 128 colors[3] phase 0>

// UNPLACED: error: {{.*}}wafer-route: kernel @fc_MatMul is not placed (no origin); run --wafer-place

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

// The reshape example: 13 producer rows of 8 columns feed 8 consumer rows
// of 8 through an expand_shape. Point-to-point trees ran out of colors
// here; as patterns, the layouts do not line up (the body reshapes), so
// the stream spreads: each producer column gathers onto its top row (the
// one nearer the consumer's rows) and multicasts back down over the
// consumer's 8 rows, each of those rows gathers its piece of every column
// onto the producer's east column, lanes cross, and a scatter leaves each
// consumer PE its pieces. Every step carries 256 B per line, where
// all-to-alls on both edge lines carried all 2048 B; no all-to-all is
// needed, so no router arms more filters than it has.

// CHECK-LABEL: wafer.program @reshape
// CHECK-SAME: wafer.colors_max = 6 : i64
// CHECK-SAME: wafer.route_phases = 1 : i64
// CHECK: stream @s1 p2p(%{{.+}}) bytes 2048 {routes = [
// CHECK-SAME: #wafer.pattern<gather north[0, 0, 8, 13] turn north bytes 256 colors[1] phase 0>,
// CHECK-SAME: #wafer.pattern<multicast south[0, 0, 8, 8] turn south bytes 256 colors[2] phase 0>,
// CHECK-SAME: #wafer.pattern<gather east[0, 0, 8, 8] turn east bytes 256 colors[3] phase 0>,
// CHECK-SAME: #wafer.pattern<edge_shift east[7, 0, 2, 8] turn east bytes 256 colors[4] phase 0>,
// CHECK-SAME: #wafer.pattern<scatter east[8, 0, 8, 8] turn east bytes 256 colors[0] phase 0>]}

// CFG-LABEL: program @reshape
// CFG: stream @s1 #0 gather north [0,0 8x13] 256 B phase 0
// CFG-NEXT:   color 1  source   [0,12 8x1] R->N
// CFG-NEXT:   color 1  interior [0,1 8x11] S->N switches 2
// CFG-NEXT:   color 1  sink     [0,0 8x1] S->R
// CFG-NEXT: stream @s1 #1 multicast south [0,0 8x8] 256 B phase 0
// CFG-NEXT:   color 2  source   [0,0 8x1] R->S
// CFG-NEXT:   color 2  interior [0,1 8x6] N->S,R
// CFG-NEXT:   color 2  sink     [0,7 8x1] N->R
// CFG: instances 8, phases 1, colors max 6 at PE (7,0), busiest link 414 B from PE (0,0) east

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
