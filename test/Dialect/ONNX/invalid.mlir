// RUN: wafer-opt %s --split-input-file --verify-diagnostics

func.func @no_broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @below {{'onnx.add' op operand shapes [2, 3], [4] do not broadcast}}
  %0 = onnx.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @wrong_broadcast_result(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @below {{'onnx.mul' op expected result shape [2, 3] (the broadcast of the operands), got [3, 3]}}
  %0 = onnx.mul %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @where_no_broadcast(%c: tensor<2xi1>, %a: tensor<3xf32>, %b: tensor<3xf32>) {
  // expected-error @below {{'onnx.where' op operand shapes [2], [3], [3] do not broadcast}}
  %0 = onnx.where %c, %a, %b : (tensor<2xi1>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @mixed_elements(%a: tensor<3xf32>, %b: tensor<3xi64>) {
  // expected-error @below {{'onnx.add' op failed to verify that all of {lhs, rhs, result} have same element type}}
  %0 = onnx.add %a, %b : (tensor<3xf32>, tensor<3xi64>) -> tensor<3xf32>
  return
}

// -----

func.func @compare_not_bool(%a: tensor<3xf32>, %b: tensor<3xf32>) {
  // expected-error @below {{'onnx.less' op result #0 must be statically shaped tensor of 1-bit signless integer values}}
  %0 = onnx.less %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @dynamic_shape(%a: tensor<?xf32>) {
  // expected-error @below {{'onnx.exp' op operand #0 must be statically shaped tensor of 32-bit float values}}
  %0 = onnx.exp %a : tensor<?xf32>
  return
}

// -----

func.func @cast_mismatch(%a: tensor<3xf32>) {
  // expected-error @below {{'onnx.cast' op expected result element type 'i1' (the 'to' attribute), got 'i64'}}
  %0 = onnx.cast %a to i1 : tensor<3xf32> -> tensor<3xi64>
  return
}

// -----

func.func @clip_bounds(%a: tensor<3xf32>) {
  // expected-error @below {{'onnx.clip' op expected min <= max, got min 2.000000e+00 and max 1.000000e+00}}
  %0 = onnx.clip %a {min = 2.0 : f32, max = 1.0 : f32} : tensor<3xf32>
  return
}

// -----

func.func @gelu_mode(%a: tensor<3xf32>) {
  // expected-error @below {{'onnx.gelu' op expected approximate "none" or "tanh", got "fast"}}
  %0 = onnx.gelu %a {approximate = "fast"} : tensor<3xf32>
  return
}

// -----

func.func @matmul_scalar(%a: tensor<f32>, %b: tensor<3xf32>) {
  // expected-error @below {{'onnx.matmul' op expected operands of rank >= 1, got ranks 0 and 1}}
  %0 = onnx.matmul %a, %b : (tensor<f32>, tensor<3xf32>) -> tensor<f32>
  return
}

// -----

func.func @matmul_k(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @below {{'onnx.matmul' op contraction dims differ: [2, 3] x [4, 5]}}
  %0 = onnx.matmul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<2x2x3xf32>, %b: tensor<4x3x5xf32>) {
  // expected-error @below {{'onnx.matmul' op batch dims of [2, 2, 3] and [4, 3, 5] do not broadcast}}
  %0 = onnx.matmul %a, %b : (tensor<2x2x3xf32>, tensor<4x3x5xf32>) -> tensor<2x2x5xf32>
  return
}

// -----

func.func @matmul_result(%a: tensor<3xf32>, %b: tensor<3x5xf32>) {
  // expected-error @below {{'onnx.matmul' op expected result shape [5], got [1, 5]}}
  %0 = onnx.matmul %a, %b : (tensor<3xf32>, tensor<3x5xf32>) -> tensor<1x5xf32>
  return
}

// -----

func.func @gemm_rank(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) {
  // expected-error @below {{'onnx.gemm' op expected rank-2 a and b, got ranks 3 and 2}}
  %0 = onnx.gemm %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return
}

// -----

func.func @gemm_k(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) {
  // expected-error @below {{'onnx.gemm' op contraction dims differ: 3 (a) vs 4 (b)}}
  %0 = onnx.gemm %a, %b : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @gemm_c(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<3xf32>) {
  // expected-error @below {{'onnx.gemm' op c of shape [3] does not broadcast to [2, 4]}}
  %0 = onnx.gemm %a, %b, %c : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @gemm_result(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) {
  // expected-error @below {{'onnx.gemm' op expected result shape [2, 4], got [2, 3]}}
  %0 = onnx.gemm %a, %b {trans_b = true} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @softmax_axis(%a: tensor<2x3xf32>) {
  // expected-error @below {{'onnx.softmax' op expected axis in [0, 2), got 2}}
  %0 = onnx.softmax %a {axis = 2 : i64} : tensor<2x3xf32>
  return
}

// -----

func.func @layernorm_scale(%a: tensor<2x3xf32>, %s: tensor<2xf32>) {
  // expected-error @below {{'onnx.layer_normalization' op scale of shape [2] does not broadcast to the normalised shape [3]}}
  %0 = onnx.layer_normalization %a, %s {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @reduce_no_axes(%a: tensor<2x3xf32>) {
  // expected-error @below {{'onnx.reduce_sum' op expected at least one axis}}
  %0 = onnx.reduce_sum %a {axes = array<i64>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @reduce_axis_range(%a: tensor<2x3xf32>) {
  // expected-error @below {{'onnx.reduce_max' op expected axes in [0, 2), got 2}}
  %0 = onnx.reduce_max %a {axes = array<i64: 2>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @reduce_axes_order(%a: tensor<2x3xf32>) {
  // expected-error @below {{'onnx.reduce_mean' op expected strictly increasing axes, got [1, 0]}}
  %0 = onnx.reduce_mean %a {axes = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<1x1xf32>
  return
}

// -----

func.func @reduce_result(%a: tensor<2x3xf32>) {
  // expected-error @below {{'onnx.reduce_sum' op expected result shape [2], got [2, 1]}}
  %0 = onnx.reduce_sum %a {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @transpose_size(%a: tensor<2x3xf32>) {
  // expected-error @below {{'onnx.transpose' op expected perm of size 2, got [0]}}
  %0 = onnx.transpose %a {perm = array<i64: 0>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @transpose_perm(%a: tensor<2x3xf32>) {
  // expected-error @below {{'onnx.transpose' op expected perm to be a permutation of [0, 2), got [1, 1]}}
  %0 = onnx.transpose %a {perm = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @transpose_result(%a: tensor<2x3xf32>) {
  // expected-error @below {{'onnx.transpose' op expected result shape [3, 2], got [2, 3]}}
  %0 = onnx.transpose %a {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @reshape_count(%a: tensor<2x3xf32>) {
  // expected-error @below {{'onnx.reshape' op expected the same element count, got 6 (input [2, 3]) and 8 (result [2, 4])}}
  %0 = onnx.reshape %a : (tensor<2x3xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @expand_shape(%a: tensor<2x3xf32>) {
  // expected-error @below {{'onnx.expand' op input shape [2, 3] does not broadcast to result shape [4, 3]}}
  %0 = onnx.expand %a : (tensor<2x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @concat_empty() {
  // expected-error @below {{'onnx.concat' op expected at least one input}}
  %0 = "onnx.concat"() {axis = 0 : i64} : () -> tensor<0xf32>
  return
}

// -----

func.func @concat_axis(%a: tensor<2x3xf32>) {
  // expected-error @below {{'onnx.concat' op expected axis in [0, 2), got 2}}
  %0 = onnx.concat %a {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @concat_element(%a: tensor<2x3xf32>, %b: tensor<2x3xi64>) {
  // expected-error @below {{'onnx.concat' op input 1 has element type 'i64', expected 'f32'}}
  %0 = onnx.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x3xi64>) -> tensor<2x6xf32>
  return
}

// -----

func.func @concat_rank(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @below {{'onnx.concat' op input 1 has rank 1, expected 2}}
  %0 = onnx.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @concat_dims(%a: tensor<2x3xf32>, %b: tensor<3x3xf32>) {
  // expected-error @below {{'onnx.concat' op input 1 of shape [3, 3] differs from the result [2, 6] in dim 0}}
  %0 = onnx.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @concat_sum(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) {
  // expected-error @below {{'onnx.concat' op input sizes along axis 1 add up to 6, result has 7}}
  %0 = onnx.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x7xf32>
  return
}

// -----

func.func @split_empty(%a: tensor<2x3xf32>) {
  // expected-error @below {{'onnx.split' op expected at least one result}}
  "onnx.split"(%a) {axis = 1 : i64} : (tensor<2x3xf32>) -> ()
  return
}

// -----

func.func @split_element(%a: tensor<2x3xf32>) {
  // expected-error @below {{'onnx.split' op result 0 has element type 'i64', expected 'f32'}}
  %0 = onnx.split %a {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xi64>
  return
}

// -----

func.func @split_rank(%a: tensor<2x3xf32>) {
  // expected-error @below {{'onnx.split' op result 0 has rank 1, expected 2}}
  %0 = onnx.split %a {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<6xf32>
  return
}

// -----

func.func @split_dims(%a: tensor<2x3xf32>) {
  // expected-error @below {{'onnx.split' op result 1 of shape [1, 2] differs from the input [2, 3] in dim 0}}
  %0:2 = onnx.split %a {axis = 1 : i64} : (tensor<2x3xf32>) -> (tensor<2x1xf32>, tensor<1x2xf32>)
  return
}

// -----

func.func @split_sum(%a: tensor<2x3xf32>) {
  // expected-error @below {{'onnx.split' op result sizes along axis 1 add up to 4, input has 3}}
  %0:2 = onnx.split %a {axis = 1 : i64} : (tensor<2x3xf32>) -> (tensor<2x1xf32>, tensor<2x3xf32>)
  return
}

// -----

func.func @slice_rank(%a: tensor<2x3xf32>) {
  // expected-error @below {{'onnx.slice' op expected starts and steps of size 2 (the rank), got 1 and 2}}
  %0 = onnx.slice %a {starts = array<i64: 0>, steps = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @slice_result_rank(%a: tensor<2x3xf32>) {
  // expected-error @below {{'onnx.slice' op expected result rank 2, got 1}}
  %0 = onnx.slice %a {starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<6xf32>
  return
}

// -----

func.func @slice_step(%a: tensor<2x3xf32>) {
  // expected-error @below {{'onnx.slice' op expected non-zero steps, got [1, 0]}}
  %0 = onnx.slice %a {starts = array<i64: 0, 0>, steps = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @slice_range(%a: tensor<2x8xf32>) {
  // expected-error @below {{'onnx.slice' op dim 1 reads elements 1 to 9 (start, step 2, size 5), out of [0, 8)}}
  %0 = onnx.slice %a {starts = array<i64: 0, 1>, steps = array<i64: 1, 2>} : (tensor<2x8xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @gather_indices(%a: tensor<4x3xf32>, %i: tensor<2xi32>) {
  // expected-error @below {{'onnx.gather' op operand #1 must be statically shaped tensor of 64-bit signless integer values}}
  %0 = "onnx.gather"(%a, %i) {axis = 0 : i64} : (tensor<4x3xf32>, tensor<2xi32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @gather_axis(%a: tensor<4x3xf32>, %i: tensor<2xi64>) {
  // expected-error @below {{'onnx.gather' op expected axis in [0, 2), got 2}}
  %0 = onnx.gather %a, %i {axis = 2 : i64} : (tensor<4x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  return
}

// -----

func.func @gather_result(%a: tensor<4x3xf32>, %i: tensor<2x5xi64>) {
  // expected-error @below {{'onnx.gather' op expected result shape [4, 2, 5], got [2, 5, 3]}}
  %0 = onnx.gather %a, %i {axis = 1 : i64} : (tensor<4x3xf32>, tensor<2x5xi64>) -> tensor<2x5x3xf32>
  return
}

// -----

func.func @trilu_rank(%a: tensor<3xf32>) {
  // expected-error @below {{'onnx.trilu' op expected rank >= 2, got 1}}
  %0 = onnx.trilu %a : tensor<3xf32>
  return
}

// -----

func.func @mod_float_without_fmod(%a: tensor<3xf32>) {
  // expected-error @below {{'onnx.mod' op expected fmod = true for f32 operands}}
  %0 = onnx.mod %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @arg_max_wrong_shape(%a: tensor<2x3xf32>) {
  // expected-error @below {{'onnx.arg_max' op expected result shape [2], got [2, 1]}}
  %0 = onnx.arg_max %a {axis = 1 : i64, keepdims = false} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  return
}

// -----

func.func @arg_max_f32_result(%a: tensor<2x3xf32>) {
  // expected-error @below {{'onnx.arg_max' op expected an i64 result}}
  %0 = onnx.arg_max %a {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @cum_sum_axis(%a: tensor<2x3xf32>) {
  // expected-error @below {{'onnx.cum_sum' op expected axis in [0, 2), got 2}}
  %0 = onnx.cum_sum %a {axis = 2 : i64} : tensor<2x3xf32>
  return
}

// -----

func.func @einsum_diagonal(%a: tensor<3x3xf32>) {
  // expected-error @below {{'onnx.einsum' op equation 'ii->i' term 'ii' repeats 'i' (diagonals are not supported)}}
  %0 = onnx.einsum %a {equation = "ii->i"} : (tensor<3x3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @einsum_sizes(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @below {{'onnx.einsum' op letter 'j' is 3 and 4}}
  %0 = onnx.einsum %a, %b {equation = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @einsum_result(%a: tensor<2x3xf32>, %b: tensor<3x5xf32>) {
  // expected-error @below {{'onnx.einsum' op expected result shape [2, 5], got [5, 2]}}
  %0 = onnx.einsum %a, %b {equation = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<3x5xf32>) -> tensor<5x2xf32>
  return
}

// -----

func.func @einsum_no_arrow(%a: tensor<2x3xf32>) {
  // expected-error @below {{'onnx.einsum' op equation 'ij' has no '->'}}
  %0 = onnx.einsum %a {equation = "ij"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}
