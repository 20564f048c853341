// RUN: wafer-opt %s --split-input-file --wafer-test-execute --verify-diagnostics -o /dev/null

// A transpose between two kernels that split the same way (wafer-run
// --emit-mlir of Relu -> Transpose -> Exp on 8x8): the stream turns, lanes
// along the rows, a multicast along the consumer's rows and an all-to-all
// down its columns.

#map = affine_map<(d0, d1) -> (d0, d1)>
module {
  // expected-remark @below {{executed:}}
  wafer.program @main target(<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] attributes {wafer.colors_max = 6 : i64, wafer.colors_max_at = array<i64: 3, 0>, wafer.max_link_at = array<i64: 3, 1>, wafer.max_link_bytes = 342 : i64, wafer.max_link_dir = "north", wafer.route_phases = 1 : i64, wafer.traffic_hops = 1024 : i64} {
  ^bb0(%arg0: tensor<16x16xf32>):
    %0 = stream @s0 host_in(%arg0) bytes 1024 {routes = [#wafer.pattern<scatter east[0, 0, 3, 8] turn east bytes 128 colors[0] phase 0>]} : (tensor<16x16xf32>) -> tensor<16x16xf32> {
    ^bb0(%arg1: tensor<16x16xf32>):
      wafer.yield %arg1 : tensor<16x16xf32>
    }
    %1 = kernel @Relu_0(%0) shape [3, 8] origin [0, 0] sram 96 {dims = array<i64: 16, 16>, macs = 256 : i64, node = "Relu_0", reduce_bytes = 0 : i64, routes = [], split = array<i64: 0, 1>, tile = array<i64: 6, 2>} : (tensor<16x16xf32>) -> tensor<16x16xf32> {
    ^bb0(%arg1: tensor<16x16xf32>):
      %4 = tensor.empty() : tensor<16x16xf32>
      %cst = arith.constant 0.000000e+00 : f32
      %5 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%arg1 : tensor<16x16xf32>) outs(%4 : tensor<16x16xf32>) {
      ^bb0(%in: f32, %out: f32):
        %6 = arith.maximumf %in, %cst : f32
        linalg.yield %6 : f32
      } -> tensor<16x16xf32>
      wafer.yield %5 : tensor<16x16xf32>
    }
    %2 = stream @s1 p2p(%1) bytes 1024 {routes = [#wafer.pattern<gather east[0, 0, 3, 8] turn east bytes 128 colors[1] phase 0>, #wafer.pattern<edge_shift east[2, 0, 2, 8] turn east bytes 128 colors[2] phase 0>, #wafer.pattern<multicast east[3, 0, 3, 8] turn east bytes 128 colors[0] phase 0>, #wafer.pattern<all_to_all south[3, 0, 3, 8] turn south bytes 342 colors[1, 3] phase 0>]} : (tensor<16x16xf32>) -> tensor<16x16xf32> {
    ^bb0(%arg1: tensor<16x16xf32>):
      %4 = tensor.empty() : tensor<16x16xf32>
      %transposed = linalg.transpose ins(%arg1 : tensor<16x16xf32>) outs(%4 : tensor<16x16xf32>) permutation = [1, 0] 
      wafer.yield %transposed : tensor<16x16xf32>
    }
    %3 = kernel @Exp_2(%2) shape [3, 8] origin [3, 0] sram 96 {dims = array<i64: 16, 16>, macs = 256 : i64, node = "Exp_2", reduce_bytes = 0 : i64, routes = [], split = array<i64: 0, 1>, tile = array<i64: 6, 2>} : (tensor<16x16xf32>) -> tensor<16x16xf32> {
    ^bb0(%arg1: tensor<16x16xf32>):
      %4 = tensor.empty() : tensor<16x16xf32>
      %5 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%arg1 : tensor<16x16xf32>) outs(%4 : tensor<16x16xf32>) {
      ^bb0(%in: f32, %out: f32):
        %6 = math.exp %in : f32
        linalg.yield %6 : f32
      } -> tensor<16x16xf32>
      wafer.yield %5 : tensor<16x16xf32>
    }
    output {routes = [[#wafer.pattern<gather west[3, 0, 3, 8] turn west bytes 128 colors[4] phase 0>, #wafer.pattern<edge_shift west[0, 0, 4, 8] turn west bytes 128 colors[5] phase 0>]]} %3 : tensor<16x16xf32>
  }
}


// -----

// Hand-edited: the all-to-all dropped. The multicast still covers every
// PE of the consumer, so the route verifier passes, but row-only routes
// cannot move data between rows, which the transpose needs.

#map = affine_map<(d0, d1) -> (d0, d1)>
module {
  // expected-error @below {{stream @s1: its routes run along rows only, but PE (3,0) of kernel @Exp_2 needs data from PE (0,1)}}
  wafer.program @main target(<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] attributes {wafer.colors_max = 6 : i64, wafer.colors_max_at = array<i64: 3, 0>, wafer.max_link_at = array<i64: 3, 1>, wafer.max_link_bytes = 342 : i64, wafer.max_link_dir = "north", wafer.route_phases = 1 : i64, wafer.traffic_hops = 1024 : i64} {
  ^bb0(%arg0: tensor<16x16xf32>):
    %0 = stream @s0 host_in(%arg0) bytes 1024 {routes = [#wafer.pattern<scatter east[0, 0, 3, 8] turn east bytes 128 colors[0] phase 0>]} : (tensor<16x16xf32>) -> tensor<16x16xf32> {
    ^bb0(%arg1: tensor<16x16xf32>):
      wafer.yield %arg1 : tensor<16x16xf32>
    }
    %1 = kernel @Relu_0(%0) shape [3, 8] origin [0, 0] sram 96 {dims = array<i64: 16, 16>, macs = 256 : i64, node = "Relu_0", reduce_bytes = 0 : i64, routes = [], split = array<i64: 0, 1>, tile = array<i64: 6, 2>} : (tensor<16x16xf32>) -> tensor<16x16xf32> {
    ^bb0(%arg1: tensor<16x16xf32>):
      %4 = tensor.empty() : tensor<16x16xf32>
      %cst = arith.constant 0.000000e+00 : f32
      %5 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%arg1 : tensor<16x16xf32>) outs(%4 : tensor<16x16xf32>) {
      ^bb0(%in: f32, %out: f32):
        %6 = arith.maximumf %in, %cst : f32
        linalg.yield %6 : f32
      } -> tensor<16x16xf32>
      wafer.yield %5 : tensor<16x16xf32>
    }
    %2 = stream @s1 p2p(%1) bytes 1024 {routes = [#wafer.pattern<gather east[0, 0, 3, 8] turn east bytes 128 colors[1] phase 0>, #wafer.pattern<edge_shift east[2, 0, 2, 8] turn east bytes 128 colors[2] phase 0>, #wafer.pattern<multicast east[3, 0, 3, 8] turn east bytes 128 colors[0] phase 0>]} : (tensor<16x16xf32>) -> tensor<16x16xf32> {
    ^bb0(%arg1: tensor<16x16xf32>):
      %4 = tensor.empty() : tensor<16x16xf32>
      %transposed = linalg.transpose ins(%arg1 : tensor<16x16xf32>) outs(%4 : tensor<16x16xf32>) permutation = [1, 0] 
      wafer.yield %transposed : tensor<16x16xf32>
    }
    %3 = kernel @Exp_2(%2) shape [3, 8] origin [3, 0] sram 96 {dims = array<i64: 16, 16>, macs = 256 : i64, node = "Exp_2", reduce_bytes = 0 : i64, routes = [], split = array<i64: 0, 1>, tile = array<i64: 6, 2>} : (tensor<16x16xf32>) -> tensor<16x16xf32> {
    ^bb0(%arg1: tensor<16x16xf32>):
      %4 = tensor.empty() : tensor<16x16xf32>
      %5 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%arg1 : tensor<16x16xf32>) outs(%4 : tensor<16x16xf32>) {
      ^bb0(%in: f32, %out: f32):
        %6 = math.exp %in : f32
        linalg.yield %6 : f32
      } -> tensor<16x16xf32>
      wafer.yield %5 : tensor<16x16xf32>
    }
    output {routes = [[#wafer.pattern<gather west[3, 0, 3, 8] turn west bytes 128 colors[4] phase 0>, #wafer.pattern<edge_shift west[0, 0, 4, 8] turn west bytes 128 colors[5] phase 0>]]} %3 : tensor<16x16xf32>
  }
}

