// An RMSNorm whose sum of squares starts from 1, not from the identity of
// its addition: partial sums started from 1 on every PE would not add up
// to it, so the ops stay separate kernels. Used by wafer-map-norms.mlir.
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
#col = affine_map<(d0, d1) -> (d1)>
#keep = affine_map<(d0, d1) -> (d0, 0)>
func.func @main(%x: tensor<8x64xf32> {onnx.name = "x"}) -> (tensor<8x64xf32> {onnx.name = "y"}) {
  %zero = arith.constant 0.0 : f32
  %n = arith.constant 64.0 : f32
  %eps = arith.constant 1.0e-6 : f32
  %w = arith.constant dense<0.75> : tensor<64xf32>
  %e1 = tensor.empty() : tensor<8xf32>
  %e2 = tensor.empty() : tensor<8x64xf32>
  %one = arith.constant 1.0 : f32
  %z1 = linalg.fill ins(%one : f32) outs(%e1 : tensor<8xf32>) -> tensor<8xf32>
  %ss = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<8x64xf32>) outs(%z1 : tensor<8xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %sq = arith.mulf %a, %a : f32
    %s = arith.addf %sq, %acc : f32
    linalg.yield %s : f32
  } -> tensor<8xf32> loc("norm/ReduceMean")
  %k = tensor.expand_shape %ss [[0, 1]] output_shape [8, 1] : tensor<8xf32> into tensor<8x1xf32>
  %y = linalg.generic {indexing_maps = [#id, #keep, #col, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %k, %w : tensor<8x64xf32>, tensor<8x1xf32>, tensor<64xf32>) outs(%e2 : tensor<8x64xf32>) {
  ^bb0(%a: f32, %m: f32, %ww: f32, %o: f32):
    %ms = arith.divf %m, %n : f32
    %me = arith.addf %ms, %eps : f32
    %r = math.rsqrt %me : f32
    %q = arith.mulf %a, %r : f32
    %t = arith.mulf %q, %ww : f32
    linalg.yield %t : f32
  } -> tensor<8x64xf32> loc("norm/Mul")
  return %y : tensor<8x64xf32>
}
