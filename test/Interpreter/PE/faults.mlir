// RUN: not wafer-opt %s --split-input-file --wafer-test-execute -o /dev/null 2>&1 | FileCheck %s
// RUN: wafer-opt %s --split-input-file --wafer-test-execute --verify-diagnostics -o /dev/null

// Fault injection on a routed program (the fc example of
// test/Dialect/Wafer/wafer-map.mlir after --wafer-map=target=16x16
// --wafer-place --wafer-route): the interpreter delivers data only along the
// routes in the IR and checks every PE's buffers against its kernel's sram.

// The routed program executes; the output sum matches numpy (88.0).
// CHECK: remark: executed: {{[0-9]+}} cycles
// CHECK-SAME: max link load 2048 B, 17 colors per router
// CHECK-SAME: output sums 88.000
module {
  // expected-remark @below {{executed}}
  wafer.program @main target(<name = "16x16", width = 16, height = 16, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] attributes {wafer.max_colors_per_router = 17 : i64, wafer.max_link_load = 2048 : i64, wafer.traffic_hops = 2048 : i64} {
  ^bb0(%arg0: tensor<8x64xf32>):
    %0 = stream @s0 host_in(%arg0) bytes 2048 {color = 0 : i64, routes = [array<i64: 0, 10, 0, 10, 16, 1, 1, 1, 0, 0, 128, 0>, array<i64: 0, 0, 0, 0, 16, 1, 1, 10, 0, 1, 192, 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %1 = kernel @fc_MatMul(%0) shape [16, 11] origin [0, 0] sram 544 {dims = array<i64: 8, 64, 64>, macs = 32768 : i64, node = "fc/MatMul", reduce_bytes = 20480 : i64, split = array<i64: 1, 2>, tile = array<i64: 8, 4, 6>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %cst = arith.constant dense<5.000000e-01> : tensor<64x64xf32>
      %cst_0 = arith.constant 0.000000e+00 : f32
      %4 = tensor.empty() : tensor<8x64xf32>
      %5 = linalg.fill ins(%cst_0 : f32) outs(%4 : tensor<8x64xf32>) -> tensor<8x64xf32>
      %6 = linalg.matmul ins(%arg1, %cst : tensor<8x64xf32>, tensor<64x64xf32>) outs(%5 : tensor<8x64xf32>) -> tensor<8x64xf32>
      wafer.yield %6 : tensor<8x64xf32>
    }
    %2 = stream @s1 p2p(%1) bytes 2048 {color = 1 : i64, routes = [array<i64: 15, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 1>, array<i64: 14, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 2>, array<i64: 13, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 3>, array<i64: 12, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 4>, array<i64: 11, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 5>, array<i64: 10, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 6>, array<i64: 9, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 7>, array<i64: 8, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 8>, array<i64: 7, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 9>, array<i64: 6, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 10>, array<i64: 4, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 11>, array<i64: 3, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 12>, array<i64: 2, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 13>, array<i64: 1, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 14>, array<i64: 0, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 15>, array<i64: 5, 10, 15, 11, 1, 2, 1, 1, 0, 0, 128, 16>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %3 = kernel @fc_Relu(%2) shape [1, 3] origin [15, 11] sram 1408 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "fc/Relu", reduce_bytes = 0 : i64, split = array<i64: -1, 1>, tile = array<i64: 8, 22>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
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
    output %3 : tensor<8x64xf32>
  }
}

// -----

// A host route that stops one hop short: PE (15,0) never gets its x chunk.
module {
  // expected-error @below {{stream @s0 color 0: data from the host at PE (0,0) does not reach PE (15,0) of kernel @fc_MatMul}}
wafer.program @main target(<name = "16x16", width = 16, height = 16, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] attributes {wafer.max_colors_per_router = 17 : i64, wafer.max_link_load = 2048 : i64, wafer.traffic_hops = 2048 : i64} {
  ^bb0(%arg0: tensor<8x64xf32>):
    %0 = stream @s0 host_in(%arg0) bytes 2048 {color = 0 : i64, routes = [array<i64: 0, 10, 0, 10, 16, 1, 1, 1, 0, 0, 128, 0>, array<i64: 0, 0, 0, 0, 15, 1, 1, 10, 0, 1, 192, 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %1 = kernel @fc_MatMul(%0) shape [16, 11] origin [0, 0] sram 544 {dims = array<i64: 8, 64, 64>, macs = 32768 : i64, node = "fc/MatMul", reduce_bytes = 20480 : i64, split = array<i64: 1, 2>, tile = array<i64: 8, 4, 6>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %cst = arith.constant dense<5.000000e-01> : tensor<64x64xf32>
      %cst_0 = arith.constant 0.000000e+00 : f32
      %4 = tensor.empty() : tensor<8x64xf32>
      %5 = linalg.fill ins(%cst_0 : f32) outs(%4 : tensor<8x64xf32>) -> tensor<8x64xf32>
      %6 = linalg.matmul ins(%arg1, %cst : tensor<8x64xf32>, tensor<64x64xf32>) outs(%5 : tensor<8x64xf32>) -> tensor<8x64xf32>
      wafer.yield %6 : tensor<8x64xf32>
    }
    %2 = stream @s1 p2p(%1) bytes 2048 {color = 1 : i64, routes = [array<i64: 15, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 1>, array<i64: 14, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 2>, array<i64: 13, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 3>, array<i64: 12, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 4>, array<i64: 11, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 5>, array<i64: 10, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 6>, array<i64: 9, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 7>, array<i64: 8, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 8>, array<i64: 7, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 9>, array<i64: 6, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 10>, array<i64: 4, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 11>, array<i64: 3, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 12>, array<i64: 2, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 13>, array<i64: 1, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 14>, array<i64: 0, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 15>, array<i64: 5, 10, 15, 11, 1, 2, 1, 1, 0, 0, 128, 16>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %3 = kernel @fc_Relu(%2) shape [1, 3] origin [15, 11] sram 1408 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "fc/Relu", reduce_bytes = 0 : i64, split = array<i64: -1, 1>, tile = array<i64: 8, 22>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
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
    output %3 : tensor<8x64xf32>
  }
}

// -----

// One producer PE's route dropped.
module {
  // expected-error @below {{stream @s1: no route carries data from PE (15,10) to PE (15,13) of kernel @fc_Relu}}
wafer.program @main target(<name = "16x16", width = 16, height = 16, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] attributes {wafer.max_colors_per_router = 17 : i64, wafer.max_link_load = 2048 : i64, wafer.traffic_hops = 2048 : i64} {
  ^bb0(%arg0: tensor<8x64xf32>):
    %0 = stream @s0 host_in(%arg0) bytes 2048 {color = 0 : i64, routes = [array<i64: 0, 10, 0, 10, 16, 1, 1, 1, 0, 0, 128, 0>, array<i64: 0, 0, 0, 0, 16, 1, 1, 10, 0, 1, 192, 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %1 = kernel @fc_MatMul(%0) shape [16, 11] origin [0, 0] sram 544 {dims = array<i64: 8, 64, 64>, macs = 32768 : i64, node = "fc/MatMul", reduce_bytes = 20480 : i64, split = array<i64: 1, 2>, tile = array<i64: 8, 4, 6>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %cst = arith.constant dense<5.000000e-01> : tensor<64x64xf32>
      %cst_0 = arith.constant 0.000000e+00 : f32
      %4 = tensor.empty() : tensor<8x64xf32>
      %5 = linalg.fill ins(%cst_0 : f32) outs(%4 : tensor<8x64xf32>) -> tensor<8x64xf32>
      %6 = linalg.matmul ins(%arg1, %cst : tensor<8x64xf32>, tensor<64x64xf32>) outs(%5 : tensor<8x64xf32>) -> tensor<8x64xf32>
      wafer.yield %6 : tensor<8x64xf32>
    }
    %2 = stream @s1 p2p(%1) bytes 2048 {color = 1 : i64, routes = [array<i64: 14, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 2>, array<i64: 13, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 3>, array<i64: 12, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 4>, array<i64: 11, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 5>, array<i64: 10, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 6>, array<i64: 9, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 7>, array<i64: 8, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 8>, array<i64: 7, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 9>, array<i64: 6, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 10>, array<i64: 4, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 11>, array<i64: 3, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 12>, array<i64: 2, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 13>, array<i64: 1, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 14>, array<i64: 0, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 15>, array<i64: 5, 10, 15, 11, 1, 2, 1, 1, 0, 0, 128, 16>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %3 = kernel @fc_Relu(%2) shape [1, 3] origin [15, 11] sram 1408 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "fc/Relu", reduce_bytes = 0 : i64, split = array<i64: -1, 1>, tile = array<i64: 8, 22>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
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
    output %3 : tensor<8x64xf32>
  }
}

// -----

// Two routes forced onto one color: the router configurations conflict.
module {
  // expected-error @below {{stream @s1 color 1: route conflicts at PE (15,10) with stream @s1 (W->S vs R->S)}}
wafer.program @main target(<name = "16x16", width = 16, height = 16, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] attributes {wafer.max_colors_per_router = 17 : i64, wafer.max_link_load = 2048 : i64, wafer.traffic_hops = 2048 : i64} {
  ^bb0(%arg0: tensor<8x64xf32>):
    %0 = stream @s0 host_in(%arg0) bytes 2048 {color = 0 : i64, routes = [array<i64: 0, 10, 0, 10, 16, 1, 1, 1, 0, 0, 128, 0>, array<i64: 0, 0, 0, 0, 16, 1, 1, 10, 0, 1, 192, 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %1 = kernel @fc_MatMul(%0) shape [16, 11] origin [0, 0] sram 544 {dims = array<i64: 8, 64, 64>, macs = 32768 : i64, node = "fc/MatMul", reduce_bytes = 20480 : i64, split = array<i64: 1, 2>, tile = array<i64: 8, 4, 6>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %cst = arith.constant dense<5.000000e-01> : tensor<64x64xf32>
      %cst_0 = arith.constant 0.000000e+00 : f32
      %4 = tensor.empty() : tensor<8x64xf32>
      %5 = linalg.fill ins(%cst_0 : f32) outs(%4 : tensor<8x64xf32>) -> tensor<8x64xf32>
      %6 = linalg.matmul ins(%arg1, %cst : tensor<8x64xf32>, tensor<64x64xf32>) outs(%5 : tensor<8x64xf32>) -> tensor<8x64xf32>
      wafer.yield %6 : tensor<8x64xf32>
    }
    %2 = stream @s1 p2p(%1) bytes 2048 {color = 1 : i64, routes = [array<i64: 15, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 1>, array<i64: 14, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 1>, array<i64: 13, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 3>, array<i64: 12, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 4>, array<i64: 11, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 5>, array<i64: 10, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 6>, array<i64: 9, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 7>, array<i64: 8, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 8>, array<i64: 7, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 9>, array<i64: 6, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 10>, array<i64: 4, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 11>, array<i64: 3, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 12>, array<i64: 2, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 13>, array<i64: 1, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 14>, array<i64: 0, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 15>, array<i64: 5, 10, 15, 11, 1, 2, 1, 1, 0, 0, 128, 16>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %3 = kernel @fc_Relu(%2) shape [1, 3] origin [15, 11] sram 1408 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "fc/Relu", reduce_bytes = 0 : i64, split = array<i64: -1, 1>, tile = array<i64: 8, 22>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
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
    output %3 : tensor<8x64xf32>
  }
}

// -----

// Routes removed from a stream.
module {
  // expected-error @below {{stream @s1: has no routes; run --wafer-route}}
wafer.program @main target(<name = "16x16", width = 16, height = 16, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] attributes {wafer.max_colors_per_router = 17 : i64, wafer.max_link_load = 2048 : i64, wafer.traffic_hops = 2048 : i64} {
  ^bb0(%arg0: tensor<8x64xf32>):
    %0 = stream @s0 host_in(%arg0) bytes 2048 {color = 0 : i64, routes = [array<i64: 0, 10, 0, 10, 16, 1, 1, 1, 0, 0, 128, 0>, array<i64: 0, 0, 0, 0, 16, 1, 1, 10, 0, 1, 192, 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %1 = kernel @fc_MatMul(%0) shape [16, 11] origin [0, 0] sram 544 {dims = array<i64: 8, 64, 64>, macs = 32768 : i64, node = "fc/MatMul", reduce_bytes = 20480 : i64, split = array<i64: 1, 2>, tile = array<i64: 8, 4, 6>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %cst = arith.constant dense<5.000000e-01> : tensor<64x64xf32>
      %cst_0 = arith.constant 0.000000e+00 : f32
      %4 = tensor.empty() : tensor<8x64xf32>
      %5 = linalg.fill ins(%cst_0 : f32) outs(%4 : tensor<8x64xf32>) -> tensor<8x64xf32>
      %6 = linalg.matmul ins(%arg1, %cst : tensor<8x64xf32>, tensor<64x64xf32>) outs(%5 : tensor<8x64xf32>) -> tensor<8x64xf32>
      wafer.yield %6 : tensor<8x64xf32>
    }
    %2 = stream @s1 p2p(%1) bytes 2048  : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %3 = kernel @fc_Relu(%2) shape [1, 3] origin [15, 11] sram 1408 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "fc/Relu", reduce_bytes = 0 : i64, split = array<i64: -1, 1>, tile = array<i64: 8, 22>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
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
    output %3 : tensor<8x64xf32>
  }
}

// -----

// A color outside the target's colors.
module {
  // expected-error @below {{stream @s1: route #0: color 30 outside 0..23}}
wafer.program @main target(<name = "16x16", width = 16, height = 16, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] attributes {wafer.max_colors_per_router = 17 : i64, wafer.max_link_load = 2048 : i64, wafer.traffic_hops = 2048 : i64} {
  ^bb0(%arg0: tensor<8x64xf32>):
    %0 = stream @s0 host_in(%arg0) bytes 2048 {color = 0 : i64, routes = [array<i64: 0, 10, 0, 10, 16, 1, 1, 1, 0, 0, 128, 0>, array<i64: 0, 0, 0, 0, 16, 1, 1, 10, 0, 1, 192, 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %1 = kernel @fc_MatMul(%0) shape [16, 11] origin [0, 0] sram 544 {dims = array<i64: 8, 64, 64>, macs = 32768 : i64, node = "fc/MatMul", reduce_bytes = 20480 : i64, split = array<i64: 1, 2>, tile = array<i64: 8, 4, 6>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %cst = arith.constant dense<5.000000e-01> : tensor<64x64xf32>
      %cst_0 = arith.constant 0.000000e+00 : f32
      %4 = tensor.empty() : tensor<8x64xf32>
      %5 = linalg.fill ins(%cst_0 : f32) outs(%4 : tensor<8x64xf32>) -> tensor<8x64xf32>
      %6 = linalg.matmul ins(%arg1, %cst : tensor<8x64xf32>, tensor<64x64xf32>) outs(%5 : tensor<8x64xf32>) -> tensor<8x64xf32>
      wafer.yield %6 : tensor<8x64xf32>
    }
    %2 = stream @s1 p2p(%1) bytes 2048 {color = 1 : i64, routes = [array<i64: 15, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 30>, array<i64: 14, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 2>, array<i64: 13, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 3>, array<i64: 12, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 4>, array<i64: 11, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 5>, array<i64: 10, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 6>, array<i64: 9, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 7>, array<i64: 8, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 8>, array<i64: 7, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 9>, array<i64: 6, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 10>, array<i64: 4, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 11>, array<i64: 3, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 12>, array<i64: 2, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 13>, array<i64: 1, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 14>, array<i64: 0, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 15>, array<i64: 5, 10, 15, 11, 1, 2, 1, 1, 0, 0, 128, 16>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %3 = kernel @fc_Relu(%2) shape [1, 3] origin [15, 11] sram 1408 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "fc/Relu", reduce_bytes = 0 : i64, split = array<i64: -1, 1>, tile = array<i64: 8, 22>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
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
    output %3 : tensor<8x64xf32>
  }
}

// -----

// A kernel's sram shrunk below what its PEs buffer.
module {
  // expected-error @below {{kernel @fc_MatMul: PE (0,0) needs 544 B of buffers, more than its sram budget of 400 B}}
wafer.program @main target(<name = "16x16", width = 16, height = 16, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] attributes {wafer.max_colors_per_router = 17 : i64, wafer.max_link_load = 2048 : i64, wafer.traffic_hops = 2048 : i64} {
  ^bb0(%arg0: tensor<8x64xf32>):
    %0 = stream @s0 host_in(%arg0) bytes 2048 {color = 0 : i64, routes = [array<i64: 0, 10, 0, 10, 16, 1, 1, 1, 0, 0, 128, 0>, array<i64: 0, 0, 0, 0, 16, 1, 1, 10, 0, 1, 192, 0>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %1 = kernel @fc_MatMul(%0) shape [16, 11] origin [0, 0] sram 400 {dims = array<i64: 8, 64, 64>, macs = 32768 : i64, node = "fc/MatMul", reduce_bytes = 20480 : i64, split = array<i64: 1, 2>, tile = array<i64: 8, 4, 6>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      %cst = arith.constant dense<5.000000e-01> : tensor<64x64xf32>
      %cst_0 = arith.constant 0.000000e+00 : f32
      %4 = tensor.empty() : tensor<8x64xf32>
      %5 = linalg.fill ins(%cst_0 : f32) outs(%4 : tensor<8x64xf32>) -> tensor<8x64xf32>
      %6 = linalg.matmul ins(%arg1, %cst : tensor<8x64xf32>, tensor<64x64xf32>) outs(%5 : tensor<8x64xf32>) -> tensor<8x64xf32>
      wafer.yield %6 : tensor<8x64xf32>
    }
    %2 = stream @s1 p2p(%1) bytes 2048 {color = 1 : i64, routes = [array<i64: 15, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 1>, array<i64: 14, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 2>, array<i64: 13, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 3>, array<i64: 12, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 4>, array<i64: 11, 10, 15, 13, 1, 1, 1, 1, 0, 0, 128, 5>, array<i64: 10, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 6>, array<i64: 9, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 7>, array<i64: 8, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 8>, array<i64: 7, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 9>, array<i64: 6, 10, 15, 12, 1, 1, 1, 1, 0, 0, 128, 10>, array<i64: 4, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 11>, array<i64: 3, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 12>, array<i64: 2, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 13>, array<i64: 1, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 14>, array<i64: 0, 10, 15, 11, 1, 1, 1, 1, 0, 0, 128, 15>, array<i64: 5, 10, 15, 11, 1, 2, 1, 1, 0, 0, 128, 16>]} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
    ^bb0(%arg1: tensor<8x64xf32>):
      wafer.yield %arg1 : tensor<8x64xf32>
    }
    %3 = kernel @fc_Relu(%2) shape [1, 3] origin [15, 11] sram 1408 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "fc/Relu", reduce_bytes = 0 : i64, split = array<i64: -1, 1>, tile = array<i64: 8, 22>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
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
    output %3 : tensor<8x64xf32>
  }
}
