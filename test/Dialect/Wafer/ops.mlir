// RUN: wafer-opt %s | FileCheck %s
// RUN: wafer-opt %s --mlir-print-op-generic | wafer-opt | FileCheck %s

// CHECK-LABEL: wafer.program @two
// CHECK-SAME: target(<name = "64x64", width = 64, height = 64
// CHECK-NEXT: wafer.kernel @a shape [4, 2] origin [0, 0] sram 2048
// CHECK-NEXT: wafer.kernel @b shape [4, 2] origin [4, 0] sram 45056
// CHECK-NEXT: wafer.kernel @c shape [1, 1] sram 0
wafer.program @two target(#wafer.target<name = "64x64", width = 64, height = 64, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) {
  wafer.kernel @a shape [4, 2] origin [0, 0] sram 2048
  wafer.kernel @b shape [4, 2] origin [4, 0] sram 45056
  wafer.kernel @c shape [1, 1] sram 0
}
