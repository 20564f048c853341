// RUN: wafer-opt %s --wafer-report-usage --verify-diagnostics | FileCheck %s

// CHECK-LABEL: wafer.program @p
// CHECK-SAME: attributes {wafer.peak_sram = 4096 : i64, wafer.pes_used = 5 : i64}
// expected-remark @below {{uses 5 of 64 PEs, peak SRAM 4096 B per PE}}
wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  %k0 = wafer.kernel @a(%s) shape [4, 1] origin [0, 0] sram 4096 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 1, -1>, tile = array<i64: 8, 16>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  %s1 = wafer.stream @s1 p2p(%k0) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  %k1 = wafer.kernel @b(%s1) shape [1, 1] origin [4, 0] sram 128 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: -1, -1>, tile = array<i64: 8, 64>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  wafer.output %k1 : tensor<8x64xf32>
}
