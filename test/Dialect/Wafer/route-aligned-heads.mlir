// RUN: wafer-opt %s --wafer-place --wafer-route --mlir-print-local-scope | FileCheck %s
// RUN: wafer-opt %s --wafer-place --wafer-route | wafer-opt --wafer-test-execute -o /dev/null 2>&1 | FileCheck %s --check-prefix=EXEC

// Attention's head split: a stream whose body expands the feature axis into
// (heads, head dim) and moves heads first keeps the token axis whole and in
// order (getAxisCorrespondence). Producer and consumer both put 8 tokens on
// each of 8 rows, so the stream is lined up: a gather, lanes and a scatter,
// no all-to-all. The interpreter checks every (source, destination) pair
// stays on its row, which holds only if the correspondence is right.
// (Hand-mapped: wafer-map picks other splits for this small example.)

// EXEC: remark: executed: {{.*}}, 64 pairs checked

// CHECK: stream @s1 p2p(%{{.+}}) bytes 4096 {routes = [
// CHECK-SAME: #wafer.pattern<gather east[0, 0, 4, 8] turn east bytes 512 colors[1] phase 0>,
// CHECK-SAME: #wafer.pattern<edge_shift east[3, 0, 2, 8] turn east bytes 512 colors[2] phase 0>,
// CHECK-SAME: #wafer.pattern<scatter east[4, 0, 4, 8] turn east bytes 512 colors[0] phase 0>]}

module {
  wafer.program @heads target(<name = "16x16", width = 16, height = 16, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["arg0"] results ["out0"] {
  ^bb0(%arg0: tensor<64x16xf32>):
    %0 = stream @s0 host_in(%arg0) bytes 4096 : (tensor<64x16xf32>) -> tensor<64x16xf32> {
    ^bb0(%arg1: tensor<64x16xf32>):
      wafer.yield %arg1 : tensor<64x16xf32>
    }
    %1 = kernel @scale(%0) shape [4, 8] sram 256 {dims = array<i64: 64, 16>, macs = 1024 : i64, node = "scale", reduce_bytes = 0 : i64, split = array<i64: 1, 0>, tile = array<i64: 8, 4>} : (tensor<64x16xf32>) -> tensor<64x16xf32> {
    ^bb0(%arg1: tensor<64x16xf32>):
      %4 = tensor.empty() : tensor<64x16xf32>
      %cst = arith.constant 2.000000e+00 : f32
      %5 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%arg1 : tensor<64x16xf32>) outs(%4 : tensor<64x16xf32>) {
      ^bb0(%in: f32, %out: f32):
        %6 = arith.mulf %in, %cst : f32
        linalg.yield %6 : f32
      } -> tensor<64x16xf32>
      wafer.yield %5 : tensor<64x16xf32>
    }
    %2 = stream @s1 p2p(%1) bytes 4096 : (tensor<64x16xf32>) -> tensor<4x64x4xf32> {
    ^bb0(%arg1: tensor<64x16xf32>):
      %expanded = tensor.expand_shape %arg1 [[0], [1, 2]] output_shape [64, 4, 4] : tensor<64x16xf32> into tensor<64x4x4xf32>
      %4 = tensor.empty() : tensor<4x64x4xf32>
      %transposed = linalg.transpose ins(%expanded : tensor<64x4x4xf32>) outs(%4 : tensor<4x64x4xf32>) permutation = [1, 0, 2] 
      wafer.yield %transposed : tensor<4x64x4xf32>
    }
    %3 = kernel @exp(%2) shape [4, 8] sram 256 {dims = array<i64: 4, 64, 4>, macs = 1024 : i64, node = "exp", reduce_bytes = 0 : i64, split = array<i64: 0, 1>, stream_dim = 2 : i64, tile = array<i64: 1, 8, 4>} : (tensor<4x64x4xf32>) -> tensor<4x64x4xf32> {
    ^bb0(%arg1: tensor<4x64x4xf32>):
      %4 = tensor.empty() : tensor<4x64x4xf32>
      %5 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg1 : tensor<4x64x4xf32>) outs(%4 : tensor<4x64x4xf32>) {
      ^bb0(%in: f32, %out: f32):
        %6 = math.exp %in : f32
        linalg.yield %6 : f32
      } -> tensor<4x64x4xf32>
      wafer.yield %5 : tensor<4x64x4xf32>
    }
    output %3 : tensor<4x64x4xf32>
  }
}
