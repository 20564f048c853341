// GQA's repeat_kv, as ONNX Expand lowers it: k (2 kv heads) is scaled, then
// copied to 4 heads (each kv head read by 2 query heads), then multiplied
// by q per head.
#in = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @main(%k: tensor<2x1x8x16xf32> {onnx.name = "k"}, %q: tensor<8x8x16xf32> {onnx.name = "q"}) -> (tensor<8x8x16xf32> {onnx.name = "y"}) {
  %e0 = tensor.empty() : tensor<2x1x8x16xf32>
  %ks = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%k : tensor<2x1x8x16xf32>) outs(%e0 : tensor<2x1x8x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %c = arith.constant 0.5 : f32
    %m = arith.mulf %a, %c : f32
    linalg.yield %m : f32
  } -> tensor<2x1x8x16xf32> loc("k/Mul")
  %e1 = tensor.empty() : tensor<2x4x8x16xf32>
  %kx = linalg.generic {indexing_maps = [#in, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%ks : tensor<2x1x8x16xf32>) outs(%e1 : tensor<2x4x8x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<2x4x8x16xf32> loc("k/Expand")
  %kr = tensor.collapse_shape %kx [[0, 1], [2], [3]] : tensor<2x4x8x16xf32> into tensor<8x8x16xf32>
  %e2 = tensor.empty() : tensor<8x8x16xf32>
  %y = linalg.generic {indexing_maps = [#id3, #id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%kr, %q : tensor<8x8x16xf32>, tensor<8x8x16xf32>) outs(%e2 : tensor<8x8x16xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<8x8x16xf32> loc("qk/Mul")
  return %y : tensor<8x8x16xf32>
}
