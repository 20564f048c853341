// RUN: wafer-opt %s | FileCheck %s
// RUN: wafer-opt %s --mlir-print-op-generic | wafer-opt | FileCheck %s

#map = affine_map<(d0, d1) -> (d0, d1)>

// CHECK-LABEL: wafer.program @main
// CHECK-SAME: target(<name = "16x16", width = 16, height = 16
// CHECK-SAME: args ["x"] results ["y"]
// CHECK: %[[S0:.+]] = stream @s0 host_in(%{{.+}}) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32>
// CHECK: %[[K0:.+]] = kernel @mm(%[[S0]]) shape [16, 11] origin [0, 0] sram 544
// CHECK-SAME: dims = array<i64: 8, 64, 64>
// CHECK-SAME: split = array<i64: 1, 2>, tile = array<i64: 8, 4, 6>
// CHECK: linalg.matmul
// CHECK: %[[S1:.+]] = stream @s1 p2p(%[[K0]]) bytes 2048
// CHECK: %[[K1:.+]] = kernel @relu(%[[S1]]) shape [1, 3] origin [15, 11] sram 1408
// CHECK: output %[[K1]] : tensor<8x64xf32>
wafer.program @main target(#wafer.target<name = "16x16", width = 16, height = 16, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%arg0: tensor<8x64xf32>):
  %0 = wafer.stream @s0 host_in(%arg0) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    wafer.yield %a : tensor<8x64xf32>
  }
  %1 = wafer.kernel @mm(%0) shape [16, 11] origin [0, 0] sram 544 {dims = array<i64: 8, 64, 64>, macs = 32768 : i64, node = "fc/MatMul", reduce_bytes = 20480 : i64, split = array<i64: 1, 2>, tile = array<i64: 8, 4, 6>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %cst = arith.constant dense<5.000000e-01> : tensor<64x64xf32>
    %zero = arith.constant 0.000000e+00 : f32
    %e = tensor.empty() : tensor<8x64xf32>
    %f = linalg.fill ins(%zero : f32) outs(%e : tensor<8x64xf32>) -> tensor<8x64xf32>
    %r = linalg.matmul ins(%a, %cst : tensor<8x64xf32>, tensor<64x64xf32>) outs(%f : tensor<8x64xf32>) -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  %2 = wafer.stream @s1 p2p(%1) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    wafer.yield %a : tensor<8x64xf32>
  }
  %3 = wafer.kernel @relu(%2) shape [1, 3] origin [15, 11] sram 1408 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "fc/Relu", reduce_bytes = 0 : i64, split = array<i64: -1, 1>, tile = array<i64: 8, 22>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %zero = arith.constant 0.000000e+00 : f32
    %r = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      %m = arith.maximumf %in, %zero : f32
      linalg.yield %m : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  wafer.output %3 : tensor<8x64xf32>
}
