// RUN: wafer-opt %s --split-input-file --verify-diagnostics

// The routed fc example (test/Dialect/Wafer/wafer-route.mlir), hand-edited:
// the program verifier re-derives what every stream needs and re-checks
// the colors, so a broken route names the stream, the color and the PE.

// A scatter cut one row short: PE (15,13) of the relu gets nothing.
module {
  wafer.program @main target(<name = "16x16", width = 16, height = 16, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] attributes {wafer.colors_max = 6 : i64, wafer.colors_max_at = array<i64: 15, 10>, wafer.max_link_at = array<i64: 0, 10>, wafer.max_link_bytes = 2235 : i64, wafer.max_link_dir = "east", wafer.route_phases = 1 : i64, wafer.traffic_hops = 2048 : i64} {
  ^bb0(%arg0: tensor<8x64xf32>):
    %0 = stream @s0 host_in(%arg0) bytes 2048 {routes = [#wafer.pattern<multicast east[0, 0, 16, 11] turn east bytes 187 colors[1] phase 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %1 = kernel @fc_MatMul(%0) shape [16, 11] origin [0, 0] sram 544 {dims = array<i64: 8, 64, 64>, macs = 32768 : i64, node = "fc/MatMul", reduce_bytes = 20480 : i64, routes = [#wafer.pattern<chain_reduce south[0, 0, 16, 11] turn south bytes 128 colors[2, 3] phase 0>], split = array<i64: 1, 2>, tile = array<i64: 8, 4, 6>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %cst = arith.constant dense<5.000000e-01> : tensor<64x64xf32>
      %cst_0 = arith.constant 0.000000e+00 : f32
      %4 = tensor.empty() : tensor<8x64xf32>
      %5 = linalg.fill ins(%cst_0 : f32) outs(%4 : tensor<8x64xf32>) -> tensor<8x64xf32>
      %6 = linalg.matmul ins(%arg1, %cst : tensor<8x64xf32>, tensor<64x64xf32>) outs(%5 : tensor<8x64xf32>) -> tensor<8x64xf32>
      wafer.yield %6 : tensor<8x64xf32>
    }
    // expected-error @below {{'wafer.stream' op routes leave PE (15,13) of kernel @fc_Relu unserved (last route #2: scatter south [15,11 1x2] 2048 B on color 1)}}
    %2 = stream @s1 p2p(%1) bytes 2048 {routes = [#wafer.pattern<all_to_all east[0, 10, 16, 1] turn east bytes 2048 colors[4, 5] phase 0>, #wafer.pattern<edge_shift south[15, 10, 1, 2] turn south bytes 2048 colors[0] phase 0>, #wafer.pattern<scatter south[15, 11, 1, 2] turn south bytes 2048 colors[1] phase 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    // expected-note @below {{consumer is here}}
    %3 = kernel @fc_Relu(%2) shape [1, 3] origin [15, 11] sram 1408 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "fc/Relu", reduce_bytes = 0 : i64, routes = [], split = array<i64: -1, 1>, tile = array<i64: 8, 22>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %4 = tensor.empty() : tensor<8x64xf32>
      %cst = arith.constant 0.000000e+00 : f32
      %5 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%arg1 : tensor<8x64xf32>) outs(%4 : tensor<8x64xf32>) {
      ^bb0(%in: f32, %out: f32):
        %6 = arith.maximumf %in, %cst : f32
        linalg.yield %6 : f32
      } -> tensor<8x64xf32>
      wafer.yield %5 : tensor<8x64xf32>
    }
    output {routes = [[#wafer.pattern<edge_shift west[0, 11, 16, 3] turn west bytes 683 colors[2] phase 0>]]} %3 : tensor<8x64xf32>
  }
}

// -----

// The edge shift moved one column west: the scatter starts where no data arrives.
module {
  wafer.program @main target(<name = "16x16", width = 16, height = 16, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] attributes {wafer.colors_max = 6 : i64, wafer.colors_max_at = array<i64: 15, 10>, wafer.max_link_at = array<i64: 0, 10>, wafer.max_link_bytes = 2235 : i64, wafer.max_link_dir = "east", wafer.route_phases = 1 : i64, wafer.traffic_hops = 2048 : i64} {
  ^bb0(%arg0: tensor<8x64xf32>):
    %0 = stream @s0 host_in(%arg0) bytes 2048 {routes = [#wafer.pattern<multicast east[0, 0, 16, 11] turn east bytes 187 colors[1] phase 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %1 = kernel @fc_MatMul(%0) shape [16, 11] origin [0, 0] sram 544 {dims = array<i64: 8, 64, 64>, macs = 32768 : i64, node = "fc/MatMul", reduce_bytes = 20480 : i64, routes = [#wafer.pattern<chain_reduce south[0, 0, 16, 11] turn south bytes 128 colors[2, 3] phase 0>], split = array<i64: 1, 2>, tile = array<i64: 8, 4, 6>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %cst = arith.constant dense<5.000000e-01> : tensor<64x64xf32>
      %cst_0 = arith.constant 0.000000e+00 : f32
      %4 = tensor.empty() : tensor<8x64xf32>
      %5 = linalg.fill ins(%cst_0 : f32) outs(%4 : tensor<8x64xf32>) -> tensor<8x64xf32>
      %6 = linalg.matmul ins(%arg1, %cst : tensor<8x64xf32>, tensor<64x64xf32>) outs(%5 : tensor<8x64xf32>) -> tensor<8x64xf32>
      wafer.yield %6 : tensor<8x64xf32>
    }
    // expected-error @below {{'wafer.stream' op route #2 (scatter south [15,11 1x3] 2048 B, color 1) starts at PE (15,11), where no data of the stream has arrived}}
    %2 = stream @s1 p2p(%1) bytes 2048 {routes = [#wafer.pattern<all_to_all east[0, 10, 16, 1] turn east bytes 2048 colors[4, 5] phase 0>, #wafer.pattern<edge_shift south[14, 10, 1, 2] turn south bytes 2048 colors[0] phase 0>, #wafer.pattern<scatter south[15, 11, 1, 3] turn south bytes 2048 colors[1] phase 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %3 = kernel @fc_Relu(%2) shape [1, 3] origin [15, 11] sram 1408 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "fc/Relu", reduce_bytes = 0 : i64, routes = [], split = array<i64: -1, 1>, tile = array<i64: 8, 22>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %4 = tensor.empty() : tensor<8x64xf32>
      %cst = arith.constant 0.000000e+00 : f32
      %5 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%arg1 : tensor<8x64xf32>) outs(%4 : tensor<8x64xf32>) {
      ^bb0(%in: f32, %out: f32):
        %6 = arith.maximumf %in, %cst : f32
        linalg.yield %6 : f32
      } -> tensor<8x64xf32>
      wafer.yield %5 : tensor<8x64xf32>
    }
    output {routes = [[#wafer.pattern<edge_shift west[0, 11, 16, 3] turn west bytes 683 colors[2] phase 0>]]} %3 : tensor<8x64xf32>
  }
}

// -----

// The edge shift forced onto the host multicast's color: two patterns of
// one phase configure one router on one color.
module {
  // expected-error @below {{'wafer.program' op invalid routes: stream @s0 (multicast east [0,0 16x11] 187 B) and stream @s1 (edge_shift south [15,10 1x2] 2048 B) both configure color 1 at PE (15,10): W->R vs R->S}}
  wafer.program @main target(<name = "16x16", width = 16, height = 16, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] attributes {wafer.colors_max = 6 : i64, wafer.colors_max_at = array<i64: 15, 10>, wafer.max_link_at = array<i64: 0, 10>, wafer.max_link_bytes = 2235 : i64, wafer.max_link_dir = "east", wafer.route_phases = 1 : i64, wafer.traffic_hops = 2048 : i64} {
  ^bb0(%arg0: tensor<8x64xf32>):
    %0 = stream @s0 host_in(%arg0) bytes 2048 {routes = [#wafer.pattern<multicast east[0, 0, 16, 11] turn east bytes 187 colors[1] phase 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %1 = kernel @fc_MatMul(%0) shape [16, 11] origin [0, 0] sram 544 {dims = array<i64: 8, 64, 64>, macs = 32768 : i64, node = "fc/MatMul", reduce_bytes = 20480 : i64, routes = [#wafer.pattern<chain_reduce south[0, 0, 16, 11] turn south bytes 128 colors[2, 3] phase 0>], split = array<i64: 1, 2>, tile = array<i64: 8, 4, 6>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %cst = arith.constant dense<5.000000e-01> : tensor<64x64xf32>
      %cst_0 = arith.constant 0.000000e+00 : f32
      %4 = tensor.empty() : tensor<8x64xf32>
      %5 = linalg.fill ins(%cst_0 : f32) outs(%4 : tensor<8x64xf32>) -> tensor<8x64xf32>
      %6 = linalg.matmul ins(%arg1, %cst : tensor<8x64xf32>, tensor<64x64xf32>) outs(%5 : tensor<8x64xf32>) -> tensor<8x64xf32>
      wafer.yield %6 : tensor<8x64xf32>
    }
    %2 = stream @s1 p2p(%1) bytes 2048 {routes = [#wafer.pattern<all_to_all east[0, 10, 16, 1] turn east bytes 2048 colors[4, 5] phase 0>, #wafer.pattern<edge_shift south[15, 10, 1, 2] turn south bytes 2048 colors[1] phase 0>, #wafer.pattern<scatter south[15, 11, 1, 3] turn south bytes 2048 colors[1] phase 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %3 = kernel @fc_Relu(%2) shape [1, 3] origin [15, 11] sram 1408 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "fc/Relu", reduce_bytes = 0 : i64, routes = [], split = array<i64: -1, 1>, tile = array<i64: 8, 22>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %4 = tensor.empty() : tensor<8x64xf32>
      %cst = arith.constant 0.000000e+00 : f32
      %5 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%arg1 : tensor<8x64xf32>) outs(%4 : tensor<8x64xf32>) {
      ^bb0(%in: f32, %out: f32):
        %6 = arith.maximumf %in, %cst : f32
        linalg.yield %6 : f32
      } -> tensor<8x64xf32>
      wafer.yield %5 : tensor<8x64xf32>
    }
    output {routes = [[#wafer.pattern<edge_shift west[0, 11, 16, 3] turn west bytes 683 colors[2] phase 0>]]} %3 : tensor<8x64xf32>
  }
}

// -----

// A color outside the target's usable colors.
module {
  // expected-error @below {{'wafer.program' op invalid routes: stream @s0 (multicast east [0,0 16x11] 187 B): color 30 outside 0..20}}
  wafer.program @main target(<name = "16x16", width = 16, height = 16, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] attributes {wafer.colors_max = 6 : i64, wafer.colors_max_at = array<i64: 15, 10>, wafer.max_link_at = array<i64: 0, 10>, wafer.max_link_bytes = 2235 : i64, wafer.max_link_dir = "east", wafer.route_phases = 1 : i64, wafer.traffic_hops = 2048 : i64} {
  ^bb0(%arg0: tensor<8x64xf32>):
    %0 = stream @s0 host_in(%arg0) bytes 2048 {routes = [#wafer.pattern<multicast east[0, 0, 16, 11] turn east bytes 187 colors[30] phase 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %1 = kernel @fc_MatMul(%0) shape [16, 11] origin [0, 0] sram 544 {dims = array<i64: 8, 64, 64>, macs = 32768 : i64, node = "fc/MatMul", reduce_bytes = 20480 : i64, routes = [#wafer.pattern<chain_reduce south[0, 0, 16, 11] turn south bytes 128 colors[2, 3] phase 0>], split = array<i64: 1, 2>, tile = array<i64: 8, 4, 6>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %cst = arith.constant dense<5.000000e-01> : tensor<64x64xf32>
      %cst_0 = arith.constant 0.000000e+00 : f32
      %4 = tensor.empty() : tensor<8x64xf32>
      %5 = linalg.fill ins(%cst_0 : f32) outs(%4 : tensor<8x64xf32>) -> tensor<8x64xf32>
      %6 = linalg.matmul ins(%arg1, %cst : tensor<8x64xf32>, tensor<64x64xf32>) outs(%5 : tensor<8x64xf32>) -> tensor<8x64xf32>
      wafer.yield %6 : tensor<8x64xf32>
    }
    %2 = stream @s1 p2p(%1) bytes 2048 {routes = [#wafer.pattern<all_to_all east[0, 10, 16, 1] turn east bytes 2048 colors[4, 5] phase 0>, #wafer.pattern<edge_shift south[15, 10, 1, 2] turn south bytes 2048 colors[0] phase 0>, #wafer.pattern<scatter south[15, 11, 1, 3] turn south bytes 2048 colors[1] phase 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %3 = kernel @fc_Relu(%2) shape [1, 3] origin [15, 11] sram 1408 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "fc/Relu", reduce_bytes = 0 : i64, routes = [], split = array<i64: -1, 1>, tile = array<i64: 8, 22>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %4 = tensor.empty() : tensor<8x64xf32>
      %cst = arith.constant 0.000000e+00 : f32
      %5 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%arg1 : tensor<8x64xf32>) outs(%4 : tensor<8x64xf32>) {
      ^bb0(%in: f32, %out: f32):
        %6 = arith.maximumf %in, %cst : f32
        linalg.yield %6 : f32
      } -> tensor<8x64xf32>
      wafer.yield %5 : tensor<8x64xf32>
    }
    output {routes = [[#wafer.pattern<edge_shift west[0, 11, 16, 3] turn west bytes 683 colors[2] phase 0>]]} %3 : tensor<8x64xf32>
  }
}

// -----

// A pattern with the wrong number of colors.
module {
  wafer.program @main target(<name = "16x16", width = 16, height = 16, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] attributes {wafer.colors_max = 6 : i64, wafer.colors_max_at = array<i64: 15, 10>, wafer.max_link_at = array<i64: 0, 10>, wafer.max_link_bytes = 2235 : i64, wafer.max_link_dir = "east", wafer.route_phases = 1 : i64, wafer.traffic_hops = 2048 : i64} {
  ^bb0(%arg0: tensor<8x64xf32>):
    %0 = stream @s0 host_in(%arg0) bytes 2048 {routes = [#wafer.pattern<multicast east[0, 0, 16, 11] turn east bytes 187 colors[1] phase 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    // expected-error @below {{pattern chain_reduce needs 2 colors, got 1}}
    %1 = kernel @fc_MatMul(%0) shape [16, 11] origin [0, 0] sram 544 {dims = array<i64: 8, 64, 64>, macs = 32768 : i64, node = "fc/MatMul", reduce_bytes = 20480 : i64, routes = [#wafer.pattern<chain_reduce south[0, 0, 16, 11] turn south bytes 128 colors[2] phase 0>], split = array<i64: 1, 2>, tile = array<i64: 8, 4, 6>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %cst = arith.constant dense<5.000000e-01> : tensor<64x64xf32>
      %cst_0 = arith.constant 0.000000e+00 : f32
      %4 = tensor.empty() : tensor<8x64xf32>
      %5 = linalg.fill ins(%cst_0 : f32) outs(%4 : tensor<8x64xf32>) -> tensor<8x64xf32>
      %6 = linalg.matmul ins(%arg1, %cst : tensor<8x64xf32>, tensor<64x64xf32>) outs(%5 : tensor<8x64xf32>) -> tensor<8x64xf32>
      wafer.yield %6 : tensor<8x64xf32>
    }
    %2 = stream @s1 p2p(%1) bytes 2048 {routes = [#wafer.pattern<all_to_all east[0, 10, 16, 1] turn east bytes 2048 colors[4, 5] phase 0>, #wafer.pattern<edge_shift south[15, 10, 1, 2] turn south bytes 2048 colors[0] phase 0>, #wafer.pattern<scatter south[15, 11, 1, 3] turn south bytes 2048 colors[1] phase 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %3 = kernel @fc_Relu(%2) shape [1, 3] origin [15, 11] sram 1408 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "fc/Relu", reduce_bytes = 0 : i64, routes = [], split = array<i64: -1, 1>, tile = array<i64: 8, 22>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %4 = tensor.empty() : tensor<8x64xf32>
      %cst = arith.constant 0.000000e+00 : f32
      %5 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%arg1 : tensor<8x64xf32>) outs(%4 : tensor<8x64xf32>) {
      ^bb0(%in: f32, %out: f32):
        %6 = arith.maximumf %in, %cst : f32
        linalg.yield %6 : f32
      } -> tensor<8x64xf32>
      wafer.yield %5 : tensor<8x64xf32>
    }
    output {routes = [[#wafer.pattern<edge_shift west[0, 11, 16, 3] turn west bytes 683 colors[2] phase 0>]]} %3 : tensor<8x64xf32>
  }
}

// -----

// One stream's routes removed while the others keep theirs.
module {
  wafer.program @main target(<name = "16x16", width = 16, height = 16, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] attributes {wafer.colors_max = 6 : i64, wafer.colors_max_at = array<i64: 15, 10>, wafer.max_link_at = array<i64: 0, 10>, wafer.max_link_bytes = 2235 : i64, wafer.max_link_dir = "east", wafer.route_phases = 1 : i64, wafer.traffic_hops = 2048 : i64} {
  ^bb0(%arg0: tensor<8x64xf32>):
    // expected-error @below {{'wafer.stream' op is not routed, but other streams of the program are}}
    %0 = stream @s0 host_in(%arg0) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %1 = kernel @fc_MatMul(%0) shape [16, 11] origin [0, 0] sram 544 {dims = array<i64: 8, 64, 64>, macs = 32768 : i64, node = "fc/MatMul", reduce_bytes = 20480 : i64, routes = [#wafer.pattern<chain_reduce south[0, 0, 16, 11] turn south bytes 128 colors[2, 3] phase 0>], split = array<i64: 1, 2>, tile = array<i64: 8, 4, 6>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %cst = arith.constant dense<5.000000e-01> : tensor<64x64xf32>
      %cst_0 = arith.constant 0.000000e+00 : f32
      %4 = tensor.empty() : tensor<8x64xf32>
      %5 = linalg.fill ins(%cst_0 : f32) outs(%4 : tensor<8x64xf32>) -> tensor<8x64xf32>
      %6 = linalg.matmul ins(%arg1, %cst : tensor<8x64xf32>, tensor<64x64xf32>) outs(%5 : tensor<8x64xf32>) -> tensor<8x64xf32>
      wafer.yield %6 : tensor<8x64xf32>
    }
    %2 = stream @s1 p2p(%1) bytes 2048 {routes = [#wafer.pattern<all_to_all east[0, 10, 16, 1] turn east bytes 2048 colors[4, 5] phase 0>, #wafer.pattern<edge_shift south[15, 10, 1, 2] turn south bytes 2048 colors[0] phase 0>, #wafer.pattern<scatter south[15, 11, 1, 3] turn south bytes 2048 colors[1] phase 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %3 = kernel @fc_Relu(%2) shape [1, 3] origin [15, 11] sram 1408 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "fc/Relu", reduce_bytes = 0 : i64, routes = [], split = array<i64: -1, 1>, tile = array<i64: 8, 22>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %4 = tensor.empty() : tensor<8x64xf32>
      %cst = arith.constant 0.000000e+00 : f32
      %5 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%arg1 : tensor<8x64xf32>) outs(%4 : tensor<8x64xf32>) {
      ^bb0(%in: f32, %out: f32):
        %6 = arith.maximumf %in, %cst : f32
        linalg.yield %6 : f32
      } -> tensor<8x64xf32>
      wafer.yield %5 : tensor<8x64xf32>
    }
    output {routes = [[#wafer.pattern<edge_shift west[0, 11, 16, 3] turn west bytes 683 colors[2] phase 0>]]} %3 : tensor<8x64xf32>
  }
}

// -----

// A pattern that leaves the mesh.
module {
  // expected-error @below {{'wafer.program' op invalid route: output #0 (edge_shift west [0,11 17x3] 683 B): leaves the 16x16 mesh}}
  wafer.program @main target(<name = "16x16", width = 16, height = 16, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] attributes {wafer.colors_max = 6 : i64, wafer.colors_max_at = array<i64: 15, 10>, wafer.max_link_at = array<i64: 0, 10>, wafer.max_link_bytes = 2235 : i64, wafer.max_link_dir = "east", wafer.route_phases = 1 : i64, wafer.traffic_hops = 2048 : i64} {
  ^bb0(%arg0: tensor<8x64xf32>):
    %0 = stream @s0 host_in(%arg0) bytes 2048 {routes = [#wafer.pattern<multicast east[0, 0, 16, 11] turn east bytes 187 colors[1] phase 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %1 = kernel @fc_MatMul(%0) shape [16, 11] origin [0, 0] sram 544 {dims = array<i64: 8, 64, 64>, macs = 32768 : i64, node = "fc/MatMul", reduce_bytes = 20480 : i64, routes = [#wafer.pattern<chain_reduce south[0, 0, 16, 11] turn south bytes 128 colors[2, 3] phase 0>], split = array<i64: 1, 2>, tile = array<i64: 8, 4, 6>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %cst = arith.constant dense<5.000000e-01> : tensor<64x64xf32>
      %cst_0 = arith.constant 0.000000e+00 : f32
      %4 = tensor.empty() : tensor<8x64xf32>
      %5 = linalg.fill ins(%cst_0 : f32) outs(%4 : tensor<8x64xf32>) -> tensor<8x64xf32>
      %6 = linalg.matmul ins(%arg1, %cst : tensor<8x64xf32>, tensor<64x64xf32>) outs(%5 : tensor<8x64xf32>) -> tensor<8x64xf32>
      wafer.yield %6 : tensor<8x64xf32>
    }
    %2 = stream @s1 p2p(%1) bytes 2048 {routes = [#wafer.pattern<all_to_all east[0, 10, 16, 1] turn east bytes 2048 colors[4, 5] phase 0>, #wafer.pattern<edge_shift south[15, 10, 1, 2] turn south bytes 2048 colors[0] phase 0>, #wafer.pattern<scatter south[15, 11, 1, 3] turn south bytes 2048 colors[1] phase 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %3 = kernel @fc_Relu(%2) shape [1, 3] origin [15, 11] sram 1408 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "fc/Relu", reduce_bytes = 0 : i64, routes = [], split = array<i64: -1, 1>, tile = array<i64: 8, 22>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %4 = tensor.empty() : tensor<8x64xf32>
      %cst = arith.constant 0.000000e+00 : f32
      %5 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%arg1 : tensor<8x64xf32>) outs(%4 : tensor<8x64xf32>) {
      ^bb0(%in: f32, %out: f32):
        %6 = arith.maximumf %in, %cst : f32
        linalg.yield %6 : f32
      } -> tensor<8x64xf32>
      wafer.yield %5 : tensor<8x64xf32>
    }
    output {routes = [[#wafer.pattern<edge_shift west[0, 11, 17, 3] turn west bytes 683 colors[2] phase 0>]]} %3 : tensor<8x64xf32>
  }
}

// -----

// The matmul's chain reduce removed: its partial sums would not travel.
module {
  wafer.program @main target(<name = "16x16", width = 16, height = 16, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] attributes {wafer.colors_max = 6 : i64, wafer.colors_max_at = array<i64: 15, 10>, wafer.max_link_at = array<i64: 0, 10>, wafer.max_link_bytes = 2235 : i64, wafer.max_link_dir = "east", wafer.route_phases = 1 : i64, wafer.traffic_hops = 2048 : i64} {
  ^bb0(%arg0: tensor<8x64xf32>):
    %0 = stream @s0 host_in(%arg0) bytes 2048 {routes = [#wafer.pattern<multicast east[0, 0, 16, 11] turn east bytes 187 colors[1] phase 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    // expected-error @below {{'wafer.kernel' op routes do not reduce its partial sums: expected chain_reduce south [0,0 16x11] 128 B}}
    %1 = kernel @fc_MatMul(%0) shape [16, 11] origin [0, 0] sram 544 {dims = array<i64: 8, 64, 64>, macs = 32768 : i64, node = "fc/MatMul", reduce_bytes = 20480 : i64, routes = [], split = array<i64: 1, 2>, tile = array<i64: 8, 4, 6>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %cst = arith.constant dense<5.000000e-01> : tensor<64x64xf32>
      %cst_0 = arith.constant 0.000000e+00 : f32
      %4 = tensor.empty() : tensor<8x64xf32>
      %5 = linalg.fill ins(%cst_0 : f32) outs(%4 : tensor<8x64xf32>) -> tensor<8x64xf32>
      %6 = linalg.matmul ins(%arg1, %cst : tensor<8x64xf32>, tensor<64x64xf32>) outs(%5 : tensor<8x64xf32>) -> tensor<8x64xf32>
      wafer.yield %6 : tensor<8x64xf32>
    }
    %2 = stream @s1 p2p(%1) bytes 2048 {routes = [#wafer.pattern<all_to_all east[0, 10, 16, 1] turn east bytes 2048 colors[4, 5] phase 0>, #wafer.pattern<edge_shift south[15, 10, 1, 2] turn south bytes 2048 colors[0] phase 0>, #wafer.pattern<scatter south[15, 11, 1, 3] turn south bytes 2048 colors[1] phase 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %3 = kernel @fc_Relu(%2) shape [1, 3] origin [15, 11] sram 1408 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "fc/Relu", reduce_bytes = 0 : i64, routes = [], split = array<i64: -1, 1>, tile = array<i64: 8, 22>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %4 = tensor.empty() : tensor<8x64xf32>
      %cst = arith.constant 0.000000e+00 : f32
      %5 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%arg1 : tensor<8x64xf32>) outs(%4 : tensor<8x64xf32>) {
      ^bb0(%in: f32, %out: f32):
        %6 = arith.maximumf %in, %cst : f32
        linalg.yield %6 : f32
      } -> tensor<8x64xf32>
      wafer.yield %5 : tensor<8x64xf32>
    }
    output {routes = [[#wafer.pattern<edge_shift west[0, 11, 16, 3] turn west bytes 683 colors[2] phase 0>]]} %3 : tensor<8x64xf32>
  }
}

// -----

// The output's chain emptied: the result never reaches the host's edge.
module {
  wafer.program @main target(<name = "16x16", width = 16, height = 16, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] attributes {wafer.colors_max = 6 : i64, wafer.colors_max_at = array<i64: 15, 10>, wafer.max_link_at = array<i64: 0, 10>, wafer.max_link_bytes = 2235 : i64, wafer.max_link_dir = "east", wafer.route_phases = 1 : i64, wafer.traffic_hops = 2048 : i64} {
  ^bb0(%arg0: tensor<8x64xf32>):
    %0 = stream @s0 host_in(%arg0) bytes 2048 {routes = [#wafer.pattern<multicast east[0, 0, 16, 11] turn east bytes 187 colors[1] phase 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %1 = kernel @fc_MatMul(%0) shape [16, 11] origin [0, 0] sram 544 {dims = array<i64: 8, 64, 64>, macs = 32768 : i64, node = "fc/MatMul", reduce_bytes = 20480 : i64, routes = [#wafer.pattern<chain_reduce south[0, 0, 16, 11] turn south bytes 128 colors[2, 3] phase 0>], split = array<i64: 1, 2>, tile = array<i64: 8, 4, 6>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %cst = arith.constant dense<5.000000e-01> : tensor<64x64xf32>
      %cst_0 = arith.constant 0.000000e+00 : f32
      %4 = tensor.empty() : tensor<8x64xf32>
      %5 = linalg.fill ins(%cst_0 : f32) outs(%4 : tensor<8x64xf32>) -> tensor<8x64xf32>
      %6 = linalg.matmul ins(%arg1, %cst : tensor<8x64xf32>, tensor<64x64xf32>) outs(%5 : tensor<8x64xf32>) -> tensor<8x64xf32>
      wafer.yield %6 : tensor<8x64xf32>
    }
    %2 = stream @s1 p2p(%1) bytes 2048 {routes = [#wafer.pattern<all_to_all east[0, 10, 16, 1] turn east bytes 2048 colors[4, 5] phase 0>, #wafer.pattern<edge_shift south[15, 10, 1, 2] turn south bytes 2048 colors[0] phase 0>, #wafer.pattern<scatter south[15, 11, 1, 3] turn south bytes 2048 colors[1] phase 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %3 = kernel @fc_Relu(%2) shape [1, 3] origin [15, 11] sram 1408 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "fc/Relu", reduce_bytes = 0 : i64, routes = [], split = array<i64: -1, 1>, tile = array<i64: 8, 22>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %4 = tensor.empty() : tensor<8x64xf32>
      %cst = arith.constant 0.000000e+00 : f32
      %5 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%arg1 : tensor<8x64xf32>) outs(%4 : tensor<8x64xf32>) {
      ^bb0(%in: f32, %out: f32):
        %6 = arith.maximumf %in, %cst : f32
        linalg.yield %6 : f32
      } -> tensor<8x64xf32>
      wafer.yield %5 : tensor<8x64xf32>
    }
    // expected-error @below {{'wafer.output' op routes of output #0 do not bring it to the host's edge: PE (0,11)}}
    output {routes = [[]]} %3 : tensor<8x64xf32>
  }
}

// -----

// One color on both slots of a chain reduce.
module {
  wafer.program @main target(<name = "16x16", width = 16, height = 16, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] attributes {wafer.colors_max = 6 : i64, wafer.colors_max_at = array<i64: 15, 10>, wafer.max_link_at = array<i64: 0, 10>, wafer.max_link_bytes = 2235 : i64, wafer.max_link_dir = "east", wafer.route_phases = 1 : i64, wafer.traffic_hops = 2048 : i64} {
  ^bb0(%arg0: tensor<8x64xf32>):
    %0 = stream @s0 host_in(%arg0) bytes 2048 {routes = [#wafer.pattern<multicast east[0, 0, 16, 11] turn east bytes 187 colors[1] phase 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    // expected-error @below {{color 2 on two slots of one pattern}}
    %1 = kernel @fc_MatMul(%0) shape [16, 11] origin [0, 0] sram 544 {dims = array<i64: 8, 64, 64>, macs = 32768 : i64, node = "fc/MatMul", reduce_bytes = 20480 : i64, routes = [#wafer.pattern<chain_reduce south[0, 0, 16, 11] turn south bytes 128 colors[2, 2] phase 0>], split = array<i64: 1, 2>, tile = array<i64: 8, 4, 6>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %cst = arith.constant dense<5.000000e-01> : tensor<64x64xf32>
      %cst_0 = arith.constant 0.000000e+00 : f32
      %4 = tensor.empty() : tensor<8x64xf32>
      %5 = linalg.fill ins(%cst_0 : f32) outs(%4 : tensor<8x64xf32>) -> tensor<8x64xf32>
      %6 = linalg.matmul ins(%arg1, %cst : tensor<8x64xf32>, tensor<64x64xf32>) outs(%5 : tensor<8x64xf32>) -> tensor<8x64xf32>
      wafer.yield %6 : tensor<8x64xf32>
    }
    %2 = stream @s1 p2p(%1) bytes 2048 {routes = [#wafer.pattern<all_to_all east[0, 10, 16, 1] turn east bytes 2048 colors[4, 5] phase 0>, #wafer.pattern<edge_shift south[15, 10, 1, 2] turn south bytes 2048 colors[0] phase 0>, #wafer.pattern<scatter south[15, 11, 1, 3] turn south bytes 2048 colors[1] phase 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %3 = kernel @fc_Relu(%2) shape [1, 3] origin [15, 11] sram 1408 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "fc/Relu", reduce_bytes = 0 : i64, routes = [], split = array<i64: -1, 1>, tile = array<i64: 8, 22>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %4 = tensor.empty() : tensor<8x64xf32>
      %cst = arith.constant 0.000000e+00 : f32
      %5 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%arg1 : tensor<8x64xf32>) outs(%4 : tensor<8x64xf32>) {
      ^bb0(%in: f32, %out: f32):
        %6 = arith.maximumf %in, %cst : f32
        linalg.yield %6 : f32
      } -> tensor<8x64xf32>
      wafer.yield %5 : tensor<8x64xf32>
    }
    output {routes = [[#wafer.pattern<edge_shift west[0, 11, 16, 3] turn west bytes 683 colors[2] phase 0>]]} %3 : tensor<8x64xf32>
  }
}

// -----

// A phase far beyond any routing.
module {
  wafer.program @main target(<name = "16x16", width = 16, height = 16, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] attributes {wafer.colors_max = 6 : i64, wafer.colors_max_at = array<i64: 15, 10>, wafer.max_link_at = array<i64: 0, 10>, wafer.max_link_bytes = 2235 : i64, wafer.max_link_dir = "east", wafer.route_phases = 1 : i64, wafer.traffic_hops = 2048 : i64} {
  ^bb0(%arg0: tensor<8x64xf32>):
    // expected-error @below {{phase 5000 exceeds 1024}}
    %0 = stream @s0 host_in(%arg0) bytes 2048 {routes = [#wafer.pattern<multicast east[0, 0, 16, 11] turn east bytes 187 colors[1] phase 5000>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %1 = kernel @fc_MatMul(%0) shape [16, 11] origin [0, 0] sram 544 {dims = array<i64: 8, 64, 64>, macs = 32768 : i64, node = "fc/MatMul", reduce_bytes = 20480 : i64, routes = [#wafer.pattern<chain_reduce south[0, 0, 16, 11] turn south bytes 128 colors[2, 3] phase 0>], split = array<i64: 1, 2>, tile = array<i64: 8, 4, 6>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %cst = arith.constant dense<5.000000e-01> : tensor<64x64xf32>
      %cst_0 = arith.constant 0.000000e+00 : f32
      %4 = tensor.empty() : tensor<8x64xf32>
      %5 = linalg.fill ins(%cst_0 : f32) outs(%4 : tensor<8x64xf32>) -> tensor<8x64xf32>
      %6 = linalg.matmul ins(%arg1, %cst : tensor<8x64xf32>, tensor<64x64xf32>) outs(%5 : tensor<8x64xf32>) -> tensor<8x64xf32>
      wafer.yield %6 : tensor<8x64xf32>
    }
    %2 = stream @s1 p2p(%1) bytes 2048 {routes = [#wafer.pattern<all_to_all east[0, 10, 16, 1] turn east bytes 2048 colors[4, 5] phase 0>, #wafer.pattern<edge_shift south[15, 10, 1, 2] turn south bytes 2048 colors[0] phase 0>, #wafer.pattern<scatter south[15, 11, 1, 3] turn south bytes 2048 colors[1] phase 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %3 = kernel @fc_Relu(%2) shape [1, 3] origin [15, 11] sram 1408 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "fc/Relu", reduce_bytes = 0 : i64, routes = [], split = array<i64: -1, 1>, tile = array<i64: 8, 22>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %4 = tensor.empty() : tensor<8x64xf32>
      %cst = arith.constant 0.000000e+00 : f32
      %5 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%arg1 : tensor<8x64xf32>) outs(%4 : tensor<8x64xf32>) {
      ^bb0(%in: f32, %out: f32):
        %6 = arith.maximumf %in, %cst : f32
        linalg.yield %6 : f32
      } -> tensor<8x64xf32>
      wafer.yield %5 : tensor<8x64xf32>
    }
    output {routes = [[#wafer.pattern<edge_shift west[0, 11, 16, 3] turn west bytes 683 colors[2] phase 0>]]} %3 : tensor<8x64xf32>
  }
}
