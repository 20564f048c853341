// Attention's two contractions over 4 heads of 16 tokens (head dim 8):
// S[h, q, k] = sum_d Q[h, q, d] K[h, k, d], then Y[h, q, e] =
// sum_k S[h, q, k] V[h, k, e].
#q = affine_map<(h, q, k, d) -> (h, q, d)>
#k = affine_map<(h, q, k, d) -> (h, k, d)>
#s = affine_map<(h, q, k, d) -> (h, q, k)>
#p = affine_map<(h, q, e, k) -> (h, q, k)>
#v = affine_map<(h, q, e, k) -> (h, k, e)>
#y = affine_map<(h, q, e, k) -> (h, q, e)>
func.func @main(%q: tensor<4x16x8xf32> {onnx.name = "q"}, %k: tensor<4x16x8xf32> {onnx.name = "k"}, %v: tensor<4x16x8xf32> {onnx.name = "v"}) -> (tensor<4x16x8xf32> {onnx.name = "y"}) {
  %z = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<4x16x16xf32>
  %f0 = linalg.fill ins(%z : f32) outs(%e0 : tensor<4x16x16xf32>) -> tensor<4x16x16xf32>
  %s = linalg.generic {indexing_maps = [#q, #k, #s], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%q, %k : tensor<4x16x8xf32>, tensor<4x16x8xf32>) outs(%f0 : tensor<4x16x16xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %o, %m : f32
    linalg.yield %r : f32
  } -> tensor<4x16x16xf32> loc("scores/MatMul")
  %e1 = tensor.empty() : tensor<4x16x8xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<4x16x8xf32>) -> tensor<4x16x8xf32>
  %y = linalg.generic {indexing_maps = [#p, #v, #y], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%s, %v : tensor<4x16x16xf32>, tensor<4x16x8xf32>) outs(%f1 : tensor<4x16x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %o, %m : f32
    linalg.yield %r : f32
  } -> tensor<4x16x8xf32> loc("av/MatMul")
  return %y : tensor<4x16x8xf32>
}
