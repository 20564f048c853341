// RUN: wafer-opt %s --wafer-report-usage --verify-diagnostics | FileCheck %s

// CHECK-LABEL: wafer.program @p
// CHECK-SAME: attributes {wafer.peak_sram = 4096 : i64, wafer.pes_used = 10 : i64}
// expected-remark @below {{uses 10 of 64 PEs, peak SRAM 4096 B per PE}}
wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) {
  wafer.kernel @a shape [4, 2] origin [0, 0] sram 4096
  wafer.kernel @b shape [2, 1] origin [4, 0] sram 128
}
