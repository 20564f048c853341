// RUN: wafer-opt %s --split-input-file --verify-diagnostics

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-note @below {{overlapping kernel is here}}
  %k0 = wafer.kernel @a(%s) shape [4, 1] origin [0, 0] sram 16 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 1, -1>, tile = array<i64: 8, 16>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
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
  // expected-error @below {{'wafer.kernel' op rectangle overlaps kernel @a at PE (2,0)}}
  %k = wafer.kernel @b(%s1) shape [4, 1] origin [2, 0] sram 16 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 1, -1>, tile = array<i64: 8, 16>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  wafer.output %k : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.kernel' op rectangle 4x1 at (6,0) exceeds the 8x8 mesh}}
  %k = wafer.kernel @a(%s) shape [4, 1] origin [6, 0] sram 16 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 1, -1>, tile = array<i64: 8, 16>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  wafer.output %k : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.kernel' op needs 45057 B of SRAM per PE, the target's budget is 45056 B}}
  %k = wafer.kernel @a(%s) shape [4, 1] sram 45057 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 1, -1>, tile = array<i64: 8, 16>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  wafer.output %k : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.kernel' op expected shape [width, height], got 3 values}}
  %k = wafer.kernel @a(%s) shape [4, 1, 1] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 1, -1>, tile = array<i64: 8, 16>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  wafer.output %k : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.kernel' op expected a positive rectangle, got 0x1}}
  %k = wafer.kernel @a(%s) shape [0, 1] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 1, -1>, tile = array<i64: 8, 16>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  wafer.output %k : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.kernel' op expected non-negative SRAM bytes, got -1}}
  %k = wafer.kernel @a(%s) shape [4, 1] sram -1 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 1, -1>, tile = array<i64: 8, 16>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  wafer.output %k : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.kernel' op expected origin [x, y], got 1 values}}
  %k = wafer.kernel @a(%s) shape [4, 1] origin [0] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 1, -1>, tile = array<i64: 8, 16>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  wafer.output %k : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.kernel' op expected split [dx, dy], got 1 values}}
  %k = wafer.kernel @a(%s) shape [4, 1] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 1>, tile = array<i64: 2, 64>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  wafer.output %k : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.kernel' op expected a tile size per iteration dim (2), got 1}}
  %k = wafer.kernel @a(%s) shape [4, 1] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 1, -1>, tile = array<i64: 2>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  wafer.output %k : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.kernel' op splits iteration dim 1 along both mesh axes}}
  %k = wafer.kernel @a(%s) shape [4, 1] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 1, 1>, tile = array<i64: 2, 64>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  wafer.output %k : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.kernel' op split dim along y is 5, the op has 2 iteration dims}}
  %k = wafer.kernel @a(%s) shape [4, 1] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 1, 5>, tile = array<i64: 2, 64>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  wafer.output %k : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.kernel' op has 2 PEs along y but no iteration dim split along it}}
  %k = wafer.kernel @a(%s) shape [4, 2] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 1, -1>, tile = array<i64: 8, 16>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  wafer.output %k : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 16, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.kernel' op splits iteration dim 0 of size 8 over 9 PEs along y}}
  %k = wafer.kernel @a(%s) shape [4, 9] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 1, 0>, tile = array<i64: 1, 16>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  wafer.output %k : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.kernel' op expected tile 16 for iteration dim 1 (size 64 over 4 PEs), got 64}}
  %k = wafer.kernel @a(%s) shape [4, 1] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 1, -1>, tile = array<i64: 8, 64>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  wafer.output %k : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.kernel' op expected non-negative macs and reduce_bytes}}
  %k = wafer.kernel @a(%s) shape [1, 1] sram 4 {dims = array<i64: 8, 64>, macs = -1 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: -1, -1>, tile = array<i64: 8, 64>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  wafer.output %k : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.kernel' op expected dims to be the iteration space of the body's last linalg.generic (2 dims)}}
  %k = wafer.kernel @a(%s) shape [1, 1] sram 4 {dims = array<i64: 8, 32>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: -1, -1>, tile = array<i64: 8, 32>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  wafer.output %k : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.kernel' op expected a linalg op in the body}}
  %k = wafer.kernel @a(%s) shape [1, 1] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: -1, -1>, tile = array<i64: 8, 64>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    wafer.yield %a : tensor<8x64xf32>
  }
  wafer.output %k : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.kernel' op expected the yielded types to match the result types, got 0 values for 1 results}}
  %k = wafer.kernel @a(%s) shape [1, 1] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: -1, -1>, tile = array<i64: 8, 64>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    wafer.yield
  }
  wafer.output %k : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  %k0 = wafer.kernel @a(%s) shape [1, 1] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: -1, -1>, tile = array<i64: 8, 64>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.stream' op kind multicast_row does not match the distribution of @b, which needs p2p}}
  %s1 = wafer.stream @s1 multicast_row(%k0) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-note @below {{consumer is here}}
  %k = wafer.kernel @b(%s1) shape [4, 1] sram 16 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 1, -1>, tile = array<i64: 8, 16>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  wafer.output %k : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  %k0 = wafer.kernel @a(%s) shape [1, 1] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: -1, -1>, tile = array<i64: 8, 64>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.stream' op carries 2048 B per inference, got bytes 100}}
  %s1 = wafer.stream @s1 p2p(%k0) bytes 100 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  %k = wafer.kernel @b(%s1) shape [4, 1] sram 16 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 1, -1>, tile = array<i64: 8, 16>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  wafer.output %k : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  %k0 = wafer.kernel @a(%s) shape [1, 1] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: -1, -1>, tile = array<i64: 8, 64>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.stream' op kind host_in but a producer is a kernel}}
  %s1 = wafer.stream @s1 host_in(%k0) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  %k = wafer.kernel @b(%s1) shape [4, 1] sram 16 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 1, -1>, tile = array<i64: 8, 16>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  wafer.output %k : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.stream' op kind host_in but wafer.output consumes it}}
  %t = wafer.stream @s1 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  %k = wafer.kernel @a(%s) shape [1, 1] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: -1, -1>, tile = array<i64: 8, 64>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  wafer.output %t : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  // expected-error @below {{'wafer.stream' op body may only move data (tensor dialect ops, linalg.transpose and broadcast copies), got arith.addf}}
  %t = wafer.stream @s1 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    %z = arith.addf %b, %b : tensor<8x64xf32>
    wafer.yield %z : tensor<8x64xf32>
  }
  %k = wafer.kernel @a(%t) shape [1, 1] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: -1, -1>, tile = array<i64: 8, 64>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  wafer.output %k : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  // A linalg.generic that computes is not a broadcast copy.
  // expected-error @below {{'wafer.stream' op body may only move data (tensor dialect ops, linalg.transpose and broadcast copies), got linalg.generic}}
  %t = wafer.stream @s1 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    %e0 = tensor.empty() : tensor<8x64xf32>
    %z = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%b : tensor<8x64xf32>) outs(%e0 : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      %n = arith.negf %in : f32
      linalg.yield %n : f32
    } -> tensor<8x64xf32>
    wafer.yield %z : tensor<8x64xf32>
  }
  %k = wafer.kernel @a(%t) shape [1, 1] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: -1, -1>, tile = array<i64: 8, 64>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  wafer.output %k : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-note @below {{first defined here}}
  %k0 = wafer.kernel @a(%s) shape [1, 1] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: -1, -1>, tile = array<i64: 8, 64>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
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
  // expected-error @below {{'wafer.kernel' op redefines the name @a}}
  %k = wafer.kernel @a(%s1) shape [4, 1] sram 16 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 1, -1>, tile = array<i64: 8, 16>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  wafer.output %k : tensor<8x64xf32>
}

// -----

// expected-error @below {{'wafer.program' op expected 1 result names, got 0}}
wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args [] results [] {
^bb0:
  %c = arith.constant dense<1.0> : tensor<2xf32>
  wafer.output %c : tensor<2xf32>
}

// -----

// expected-error @below {{'wafer.program' op expected 1 argument names, got 0}}
wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args [] results [] {
^bb0(%x: tensor<2xf32>):
  wafer.output
}

// -----

// expected-error @below {{invalid target 'bad': SRAM budget 50000 B exceeds the PE's SRAM 49152 B}}
wafer.program @p target(#wafer.target<name = "bad", width = 8, height = 8, sram_bytes = 49152, sram_budget = 50000, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args [] results [] {
}

// -----

// expected-error @below {{invalid target 'bad': 24 reserved colors leave none of 24 usable}}
wafer.program @p target(#wafer.target<name = "bad", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 24, hop_latency = 1, ramp_latency = 2>) args [] results [] {
}

// -----

func.func @f(%x: tensor<8x64xf32>) {
  // expected-error @below {{'wafer.kernel' op expects parent op 'wafer.program'}}
  %k = wafer.kernel @a(%x) shape [1, 1] sram 4 {dims = array<i64: 8, 64>, macs = 0 : i64, node = "", reduce_bytes = 0 : i64, split = array<i64: -1, -1>, tile = array<i64: 8, 64>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    wafer.yield %a : tensor<8x64xf32>
  }
  return
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  %k = wafer.kernel @a(%s) shape [1, 1] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: -1, -1>,  tile = array<i64: 8, 64>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.stream' op kind p2p but wafer.output consumes it}}
  %t = wafer.stream @s1 p2p(%k) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  wafer.output %t : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.kernel' op stream_dim is 5, the op has 2 iteration dims}}
  %k = wafer.kernel @a(%s) shape [1, 1] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: -1, -1>, stream_dim = 5 : i64, tile = array<i64: 8, 64>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  %t = wafer.stream @s1 host_out(%k) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  wafer.output %t : tensor<8x64xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.kernel' op streams iteration dim 0 in time but also splits it over PEs}}
  %k = wafer.kernel @a(%s) shape [2, 1] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 0, -1>, stream_dim = 0 : i64, tile = array<i64: 4, 64>} : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8x64xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x64xf32>
    wafer.yield %r : tensor<8x64xf32>
  }
  %t = wafer.stream @s1 host_out(%k) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  wafer.output %t : tensor<8x64xf32>
}

// -----

// A kernel of several stages: the statistic the first stage writes by row
// is read by the last stage by column.
wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x8xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 256 : (tensor<8x8xf32>) -> tensor<8x8xf32> {
  ^bb0(%b: tensor<8x8xf32>):
    wafer.yield %b : tensor<8x8xf32>
  }
  // expected-error @below {{'wafer.kernel' op kernel @a: stage 0 (linalg.generic): loop 0 indexes tensors the other stages index by kernel dims 0 and 1}}
  %k = wafer.kernel @a(%s) shape [1, 1] sram 4 {dims = array<i64: 8, 8>, macs = 128 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: -1, -1>, tile = array<i64: 8, 8>} : (tensor<8x8xf32>) -> tensor<8x8xf32> {
  ^bb0(%a: tensor<8x8xf32>):
    %e1 = tensor.empty() : tensor<8xf32>
    %e2 = tensor.empty() : tensor<8x8xf32>
    %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%a : tensor<8x8xf32>) outs(%e1 : tensor<8xf32>) {
    ^bb0(%in: f32, %out: f32):
      %t = arith.addf %in, %out : f32
      linalg.yield %t : f32
    } -> tensor<8xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a, %sum : tensor<8x8xf32>, tensor<8xf32>) outs(%e2 : tensor<8x8xf32>) {
    ^bb0(%in: f32, %m: f32, %out: f32):
      %t = arith.subf %in, %m : f32
      linalg.yield %t : f32
    } -> tensor<8x8xf32>
    wafer.yield %r : tensor<8x8xf32>
  }
  wafer.output %k : tensor<8x8xf32>
}

// -----

// A stage's loop that no shared tensor ties to the kernel's dims.
wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x8xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 256 : (tensor<8x8xf32>) -> tensor<8x8xf32> {
  ^bb0(%b: tensor<8x8xf32>):
    wafer.yield %b : tensor<8x8xf32>
  }
  // expected-error @below {{'wafer.kernel' op kernel @a: stage 0 (linalg.generic) has loops that no tensor it shares with the last stage ties to the kernel's dims}}
  %k = wafer.kernel @a(%s) shape [1, 1] sram 4 {dims = array<i64: 8, 8>, macs = 128 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: -1, -1>, tile = array<i64: 8, 8>} : (tensor<8x8xf32>) -> tensor<8x8xf32> {
  ^bb0(%a: tensor<8x8xf32>):
    %e2 = tensor.empty() : tensor<8x8xf32>
    %rep = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a : tensor<8x8xf32>) outs(%e2 : tensor<8x8xf32>) {
    ^bb0(%in: f32, %out: f32):
      %t = arith.addf %in, %out : f32
      linalg.yield %t : f32
    } -> tensor<8x8xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%rep : tensor<8x8xf32>) outs(%e2 : tensor<8x8xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<8x8xf32>
    wafer.yield %r : tensor<8x8xf32>
  }
  wafer.output %k : tensor<8x8xf32>
}

// -----

// The stages' inner results stay inside: only the last stage's are yielded.
wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y", "z"] {
^bb0(%x: tensor<8x8xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 256 : (tensor<8x8xf32>) -> tensor<8x8xf32> {
  ^bb0(%b: tensor<8x8xf32>):
    wafer.yield %b : tensor<8x8xf32>
  }
  // expected-error @below {{'wafer.kernel' op kernel @a: the body must yield the results of its last stage}}
  %k:2 = wafer.kernel @a(%s) shape [1, 1] sram 4 {dims = array<i64: 8, 8>, macs = 128 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: -1, -1>, tile = array<i64: 8, 8>} : (tensor<8x8xf32>) -> (tensor<8x8xf32>, tensor<8xf32>) {
  ^bb0(%a: tensor<8x8xf32>):
    %e1 = tensor.empty() : tensor<8xf32>
    %e2 = tensor.empty() : tensor<8x8xf32>
    %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%a : tensor<8x8xf32>) outs(%e1 : tensor<8xf32>) {
    ^bb0(%in: f32, %out: f32):
      %t = arith.addf %in, %out : f32
      linalg.yield %t : f32
    } -> tensor<8xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a, %sum : tensor<8x8xf32>, tensor<8xf32>) outs(%e2 : tensor<8x8xf32>) {
    ^bb0(%in: f32, %m: f32, %out: f32):
      %t = arith.subf %in, %m : f32
      linalg.yield %t : f32
    } -> tensor<8x8xf32>
    wafer.yield %r, %sum : tensor<8x8xf32>, tensor<8xf32>
  }
  wafer.output %k#0, %k#1 : tensor<8x8xf32>, tensor<8xf32>
}

// -----

// The last stage of a kernel of several stages must not reduce (its partial
// sums would need a chain after the allreduces).
wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x8xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 256 : (tensor<8x8xf32>) -> tensor<8x8xf32> {
  ^bb0(%b: tensor<8x8xf32>):
    wafer.yield %b : tensor<8x8xf32>
  }
  // expected-error @below {{'wafer.kernel' op kernel @a: the last stage of a kernel of several stages must not reduce}}
  %k = wafer.kernel @a(%s) shape [1, 1] sram 4 {dims = array<i64: 8, 8>, macs = 128 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: -1, -1>, tile = array<i64: 8, 8>} : (tensor<8x8xf32>) -> tensor<8xf32> {
  ^bb0(%a: tensor<8x8xf32>):
    %e1 = tensor.empty() : tensor<8xf32>
    %e2 = tensor.empty() : tensor<8x8xf32>
    %sq = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<8x8xf32>) outs(%e2 : tensor<8x8xf32>) {
    ^bb0(%in: f32, %out: f32):
      %t = arith.mulf %in, %in : f32
      linalg.yield %t : f32
    } -> tensor<8x8xf32>
    %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%sq : tensor<8x8xf32>) outs(%e1 : tensor<8xf32>) {
    ^bb0(%in: f32, %out: f32):
      %t = arith.addf %in, %out : f32
      linalg.yield %t : f32
    } -> tensor<8xf32>
    wafer.yield %sum : tensor<8xf32>
  }
  wafer.output %k : tensor<8xf32>
}

// -----

// Constants come before the first stage: the PE computes them once.
wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x8xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 256 : (tensor<8x8xf32>) -> tensor<8x8xf32> {
  ^bb0(%b: tensor<8x8xf32>):
    wafer.yield %b : tensor<8x8xf32>
  }
  // expected-error @below {{'wafer.kernel' op kernel @a: 'tensor.empty' sits between stages; a kernel of several stages defines its constants before its first stage}}
  %k = wafer.kernel @a(%s) shape [1, 1] sram 4 {dims = array<i64: 8, 8>, macs = 128 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: -1, -1>, tile = array<i64: 8, 8>} : (tensor<8x8xf32>) -> tensor<8x8xf32> {
  ^bb0(%a: tensor<8x8xf32>):
    %e1 = tensor.empty() : tensor<8xf32>
    %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%a : tensor<8x8xf32>) outs(%e1 : tensor<8xf32>) {
    ^bb0(%in: f32, %out: f32):
      %t = arith.addf %in, %out : f32
      linalg.yield %t : f32
    } -> tensor<8xf32>
    %e2 = tensor.empty() : tensor<8x8xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a, %sum : tensor<8x8xf32>, tensor<8xf32>) outs(%e2 : tensor<8x8xf32>) {
    ^bb0(%in: f32, %m: f32, %out: f32):
      %t = arith.subf %in, %m : f32
      linalg.yield %t : f32
    } -> tensor<8x8xf32>
    wafer.yield %r : tensor<8x8xf32>
  }
  wafer.output %k : tensor<8x8xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.kernel' op split_x_inner is 5, the op has 2 iteration dims}}
  %k = wafer.kernel @a(%s) shape [8, 1] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 0, -1>, split_x_inner = 5 : i64, tile = array<i64: 1, 64>} : (tensor<8x64xf32>) -> tensor<8xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8xf32>) {
    ^bb0(%in: f32, %out: f32):
      %v = arith.addf %in, %out : f32
      linalg.yield %v : f32
    } -> tensor<8xf32>
    wafer.yield %r : tensor<8xf32>
  }
  wafer.output %k : tensor<8xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.kernel' op split_x_inner 1 must differ from both split dims, inside an x split (split = [-1, 1])}}
  %k = wafer.kernel @a(%s) shape [1, 1] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: -1, 1>, split_x_inner = 1 : i64, tile = array<i64: 8, 64>} : (tensor<8x64xf32>) -> tensor<8xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8xf32>) {
    ^bb0(%in: f32, %out: f32):
      %v = arith.addf %in, %out : f32
      linalg.yield %v : f32
    } -> tensor<8xf32>
    wafer.yield %r : tensor<8xf32>
  }
  wafer.output %k : tensor<8xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.kernel' op sub-rectangles along x: 4 columns are not 8 chunks of iteration dim 0 (size 8, tile 1) times 2 chunks of dim 1 (size 64, tile 32)}}
  %k = wafer.kernel @a(%s) shape [4, 1] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 0, -1>, split_x_inner = 1 : i64, tile = array<i64: 1, 32>} : (tensor<8x64xf32>) -> tensor<8xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8xf32>) {
    ^bb0(%in: f32, %out: f32):
      %v = arith.addf %in, %out : f32
      linalg.yield %v : f32
    } -> tensor<8xf32>
    wafer.yield %r : tensor<8xf32>
  }
  wafer.output %k : tensor<8xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.kernel' op splits iteration dim 1 in sub-rectangles along x, but it is a reduction}}
  %k = wafer.kernel @a(%s) shape [16, 1] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 0, -1>, split_x_inner = 1 : i64, tile = array<i64: 1, 32>} : (tensor<8x64xf32>) -> tensor<8xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8xf32>) {
    ^bb0(%in: f32, %out: f32):
      %v = arith.addf %in, %out : f32
      linalg.yield %v : f32
    } -> tensor<8xf32>
    wafer.yield %r : tensor<8xf32>
  }
  wafer.output %k : tensor<8xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.kernel' op streams iteration dim 1 in time but also splits it over PEs}}
  %k = wafer.kernel @a(%s) shape [16, 1] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 0, -1>, split_x_inner = 1 : i64, stream_dim = 1 : i64, tile = array<i64: 1, 32>} : (tensor<8x64xf32>) -> tensor<8xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8xf32>) {
    ^bb0(%in: f32, %out: f32):
      %v = arith.addf %in, %out : f32
      linalg.yield %v : f32
    } -> tensor<8xf32>
    wafer.yield %r : tensor<8xf32>
  }
  wafer.output %k : tensor<8xf32>
}

// -----

wafer.program @p target(#wafer.target<name = "8x8", width = 8, height = 8, sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850, macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24, reserved_colors = 3, hop_latency = 1, ramp_latency = 2>) args ["x"] results ["y"] {
^bb0(%x: tensor<8x64xf32>):
  %s = wafer.stream @s0 host_in(%x) bytes 2048 : (tensor<8x64xf32>) -> tensor<8x64xf32> {
  ^bb0(%b: tensor<8x64xf32>):
    wafer.yield %b : tensor<8x64xf32>
  }
  // expected-error @below {{'wafer.kernel' op split dim along x is 7, the op has 2 iteration dims}}
  %k = wafer.kernel @a(%s) shape [8, 1] sram 4 {dims = array<i64: 8, 64>, macs = 512 : i64, node = "n", reduce_bytes = 0 : i64, split = array<i64: 7, -1>, split_x_inner = 0 : i64, tile = array<i64: 1, 64>} : (tensor<8x64xf32>) -> tensor<8xf32> {
  ^bb0(%a: tensor<8x64xf32>):
    %e = tensor.empty() : tensor<8xf32>
    %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%a : tensor<8x64xf32>) outs(%e : tensor<8xf32>) {
    ^bb0(%in: f32, %out: f32):
      %v = arith.addf %in, %out : f32
      linalg.yield %v : f32
    } -> tensor<8xf32>
    wafer.yield %r : tensor<8xf32>
  }
  wafer.output %k : tensor<8xf32>
}

