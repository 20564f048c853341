// RUN: wafer-opt %s | FileCheck %s
// RUN: wafer-opt %s --mlir-print-op-generic | wafer-opt | FileCheck %s

// A routed program round-trips with its typed routes: #wafer.pattern on
// streams and kernels, one chain per output, and a host_out stream that
// returns a reshape of a kernel result to the host.

// CHECK-LABEL: wafer.program @main
// CHECK: stream @s0 host_in(%{{.+}}) bytes 2048 {routes = [#wafer.pattern<scatter east[0, 0, 8, 6] turn east bytes 342 colors[0] phase 0>]}
// CHECK: kernel @relu
// CHECK-SAME: routes = []
// CHECK: stream @s1 host_out(%{{.+}}) bytes 2048 {routes = [#wafer.pattern<gather west[0, 0, 8, 6] turn west bytes 342 colors[1] phase 0>]}
// CHECK: tensor.expand_shape
// CHECK: output {routes = {{\[\[\]\]}}} %{{.+}} : tensor<8x8x8xf32>
module {
  wafer.program @main target(<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] attributes {wafer.colors_max = 2 : i64, wafer.colors_max_at = array<i64: 0, 0>, wafer.max_link_at = array<i64: 0, 0>, wafer.max_link_bytes = 342 : i64, wafer.max_link_dir = "east", wafer.route_phases = 1 : i64, wafer.traffic_hops = 0 : i64} {
  ^bb0(%arg0: tensor<8x64xf32>):
    %0 = stream @s0 host_in(%arg0) bytes 2048 {routes = [#wafer.pattern<scatter east[0, 0, 8, 6] turn east bytes 342 colors[0] phase 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %1 = kernel @relu(%0) shape [8, 6] origin [0, 0] sram 88 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "relu", reduce_bytes = 0 : i64, routes = [], split = array<i64: 0, 1>, tile = array<i64: 1, 11>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %3 = tensor.empty() : tensor<8x64xf32>
      %cst = arith.constant 0.000000e+00 : f32
      %4 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%arg1 : tensor<8x64xf32>) outs(%3 : tensor<8x64xf32>) {
      ^bb0(%in: f32, %out: f32):
        %5 = arith.maximumf %in, %cst : f32
        linalg.yield %5 : f32
      } -> tensor<8x64xf32>
      wafer.yield %4 : tensor<8x64xf32>
    }
    %2 = stream @s1 host_out(%1) bytes 2048 {routes = [#wafer.pattern<gather west[0, 0, 8, 6] turn west bytes 342 colors[1] phase 0>]} : (tensor<8x64xf32>) -> tensor<8x8x8xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %expanded = tensor.expand_shape %arg1 [[0], [1, 2]] output_shape [8, 8, 8] : tensor<8x64xf32> into tensor<8x8x8xf32>
      wafer.yield %expanded : tensor<8x8x8xf32>
    }
    output {routes = [[]]} %2 : tensor<8x8x8xf32>
  }
}
