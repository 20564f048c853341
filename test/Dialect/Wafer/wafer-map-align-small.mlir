// RUN: wafer-opt %s --wafer-map="target=64x64" | FileCheck %s

// A kernel aligns to a producer's rows to save reshuffling that one stream,
// and only when the stream is at least half its largest input: here the
// 256 KiB host input would otherwise be squeezed onto the 7 rows of the
// 512 B scale vector's producer (as TinyLlama's rotary tables, two rows
// tall, once narrowed its attention).

// CHECK: kernel @scale_Exp(%{{.+}}) shape [1, 7]
// CHECK: kernel @scale_Mul(%{{.+}}) shape [64, 52]
// CHECK-SAME: split = array<i64: 0, 1>

func.func @main(%x: tensor<128x512xf32> {onnx.name = "x"}, %y: tensor<128xf32> {onnx.name = "y"}) -> (tensor<128x512xf32> {onnx.name = "z"}) {
  %e1 = tensor.empty() : tensor<128xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%y : tensor<128xf32>) outs(%e1 : tensor<128xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = math.exp %a : f32
    linalg.yield %m : f32
  } -> tensor<128xf32> loc("scale/Exp")
  %e = tensor.empty() : tensor<128x512xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %s : tensor<128x512xf32>, tensor<128xf32>) outs(%e : tensor<128x512xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %m = arith.mulf %a, %c : f32
    linalg.yield %m : f32
  } -> tensor<128x512xf32> loc("scale/Mul")
  return %r : tensor<128x512xf32>
}
