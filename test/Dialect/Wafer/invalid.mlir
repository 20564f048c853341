// RUN: wafer-opt %s --split-input-file --verify-diagnostics

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) {
  // expected-note @below {{overlapping kernel is here}}
  wafer.kernel @a shape [4, 4] origin [0, 0] sram 16
  // expected-error @below {{'wafer.kernel' op rectangle overlaps kernel @a at PE (2,3)}}
  wafer.kernel @b shape [4, 4] origin [2, 3] sram 16
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) {
  // expected-error @below {{'wafer.kernel' op rectangle 4x4 at (6,0) exceeds the 8x8 mesh}}
  wafer.kernel @a shape [4, 4] origin [6, 0] sram 16
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) {
  // expected-error @below {{'wafer.kernel' op needs 45057 B of SRAM per PE, the target's budget is 45056 B}}
  wafer.kernel @a shape [1, 1] sram 45057
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) {
  // expected-error @below {{'wafer.kernel' op expected shape [width, height], got 3 values}}
  wafer.kernel @a shape [1, 1, 1] sram 4
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) {
  // expected-error @below {{'wafer.kernel' op expected a positive rectangle, got 0x2}}
  wafer.kernel @a shape [0, 2] sram 4
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) {
  // expected-error @below {{'wafer.kernel' op expected non-negative SRAM bytes, got -1}}
  wafer.kernel @a shape [1, 1] sram -1
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) {
  // expected-error @below {{'wafer.kernel' op expected origin [x, y], got 1 values}}
  wafer.kernel @a shape [1, 1] origin [0] sram 4
}

// -----

// expected-error @below {{invalid target 'bad': SRAM budget 50000 B exceeds the PE's SRAM 49152 B}}
wafer.program @p target(#wafer.target<name = "bad", width = 8, height = 8, sram_bytes = 49152, sram_budget = 50000, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) {
}

// -----

// expected-error @below {{invalid target 'bad': 24 reserved colors leave none of 24 usable}}
wafer.program @p target(#wafer.target<name = "bad", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 24, hop_latency = 1, ramp_latency = 2>) {
}

// -----

// expected-error @below {{'wafer.kernel' op expects parent op 'wafer.program'}}
wafer.kernel @a shape [1, 1] sram 4
