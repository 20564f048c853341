// A hand-written floorplan on the WSE-2 preset: three kernels in a row.
wafer.program @example target(#wafer.target<name = "wse2", width = 750, height = 994, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) {
  wafer.kernel @embed shape [16, 8] origin [0, 0] sram 8192
  wafer.kernel @attn shape [32, 16] origin [16, 0] sram 30000
  wafer.kernel @mlp shape [64, 16] origin [48, 0] sram 40000
}
