// Every tensor-level op family the golden evaluator runs, checked by value.
// RUN: wafer-run --golden %s --print-outputs | FileCheck %s

// The i64 argument only feeds a gather from a 5-row table: random ids are
// drawn in [0, 5).
// CHECK: input ids: 3xi64 random uniform [0, 5) (seed 0)
// CHECK: output slice: 2x2xf32
// CHECK-NEXT: values: 2 3 5 6
// CHECK: output inserted: 2x3xf32
// CHECK-NEXT: values: 0 0 0 7 0 8
// CHECK: output reshaped: 3x2xf32
// CHECK-NEXT: values: 1 2 3 4 5 6
// CHECK: output transposed: 3x2xf32
// CHECK-NEXT: values: 1 4 2 5 3 6
// CHECK: output broadcast: 2x3xf32
// CHECK-NEXT: values: 1 2 3 1 2 3
// CHECK: output bmm: 2x1x1xf32
// CHECK-NEXT: values: 3 6
// CHECK: output selected: 2x3xf32
// CHECK-NEXT: values: -1 -1 -1 4 5 6
// CHECK: output mask: 2x3xi1
// CHECK-NEXT: values: 0 0 0 1 1 1
// CHECK: output intdiv: 6xi64
// CHECK-NEXT: values: 3 -3 2 1 -1 1
// CHECK: output math: 4xf32
// CHECK-NEXT: values: 1 2 0.5 4
// CHECK: output gathered: 3x2xf32

func.func @main(%ids: tensor<3xi64> {onnx.name = "ids"})
    -> (tensor<2x2xf32> {onnx.name = "slice"}, tensor<2x3xf32> {onnx.name = "inserted"},
        tensor<3x2xf32> {onnx.name = "reshaped"}, tensor<3x2xf32> {onnx.name = "transposed"},
        tensor<2x3xf32> {onnx.name = "broadcast"}, tensor<2x1x1xf32> {onnx.name = "bmm"},
        tensor<2x3xf32> {onnx.name = "selected"}, tensor<2x3xi1> {onnx.name = "mask"},
        tensor<6xi64> {onnx.name = "intdiv"}, tensor<4xf32> {onnx.name = "math"},
        tensor<3x2xf32> {onnx.name = "gathered"}) {
  %c = arith.constant dense_resource<blob> : tensor<2x3xf32>
  %slice = tensor.extract_slice %c[0, 1] [2, 2] [1, 1] : tensor<2x3xf32> to tensor<2x2xf32>

  %zero = arith.constant 0.0 : f32
  %e23 = tensor.empty() : tensor<2x3xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e23 : tensor<2x3xf32>) -> tensor<2x3xf32>
  %src = arith.constant dense<[7.0, 8.0]> : tensor<2xf32>
  %ins = tensor.insert_slice %src into %z[1, 0] [1, 2] [1, 2] : tensor<2xf32> into tensor<2x3xf32>

  %flat = tensor.collapse_shape %c [[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
  %r = tensor.expand_shape %flat [[0, 1]] output_shape [3, 2] : tensor<6xf32> into tensor<3x2xf32>

  %e32 = tensor.empty() : tensor<3x2xf32>
  %t = linalg.transpose ins(%c : tensor<2x3xf32>) outs(%e32 : tensor<3x2xf32>) permutation = [1, 0]

  %row = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %b = linalg.broadcast ins(%row : tensor<3xf32>) outs(%e23 : tensor<2x3xf32>) dimensions = [0]

  %ba = arith.constant dense<[[[1.0, 2.0]], [[3.0, 4.0]]]> : tensor<2x1x2xf32>
  %bb = arith.constant dense<[[[1.0], [1.0]], [[2.0], [0.0]]]> : tensor<2x2x1xf32>
  %bz = arith.constant dense<0.0> : tensor<2x1x1xf32>
  %bmm = linalg.batch_matmul ins(%ba, %bb : tensor<2x1x2xf32>, tensor<2x2x1xf32>)
                             outs(%bz : tensor<2x1x1xf32>) -> tensor<2x1x1xf32>

  %ei1 = tensor.empty() : tensor<2x3xi1>
  %sel:2 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                           iterator_types = ["parallel", "parallel"]}
      ins(%c : tensor<2x3xf32>) outs(%e23, %ei1 : tensor<2x3xf32>, tensor<2x3xi1>) {
  ^bb0(%x: f32, %o: f32, %m: i1):
    %three = arith.constant 3.0 : f32
    %neg1 = arith.constant -1.0 : f32
    %gt = arith.cmpf ogt, %x, %three : f32
    %s = arith.select %gt, %x, %neg1 : f32
    linalg.yield %s, %gt : f32, i1
  } -> (tensor<2x3xf32>, tensor<2x3xi1>)

  %ints = arith.constant dense<[7, -7, 5]> : tensor<3xi64>
  %e6 = tensor.empty() : tensor<6xi64>
  %div = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      outs(%e6 : tensor<6xi64>) {
  ^bb0(%o: i64):
    %i = linalg.index 0 : index
    %c3 = arith.constant 3 : index
    %src_i = arith.remsi %i, %c3 : index
    %v = tensor.extract %ints[%src_i] : tensor<3xi64>
    %two = arith.constant 2 : i64
    %lt = arith.cmpi slt, %i, %c3 : index
    %q = arith.divsi %v, %two : i64
    %rem = arith.remsi %v, %two : i64
    %res = arith.select %lt, %q, %rem : i64
    linalg.yield %res : i64
  } -> tensor<6xi64>

  %mathin = arith.constant dense<[1.0, 4.0, 0.25, 2.0]> : tensor<4xf32>
  %e4 = tensor.empty() : tensor<4xf32>
  %splat = arith.constant dense<2.0> : tensor<4xf32>
  %math = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>, affine_map<(i) -> (i)>],
                          iterator_types = ["parallel"]}
      ins(%mathin, %splat : tensor<4xf32>, tensor<4xf32>) outs(%e4 : tensor<4xf32>) {
  ^bb0(%x: f32, %two: f32, %o: f32):
    %i = linalg.index 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c3 = arith.constant 3 : index
    %sq = math.sqrt %x : f32
    %ex = math.exp %x : f32
    %lg = math.log %ex : f32
    %p = math.powf %x, %two : f32
    %is1 = arith.cmpi eq, %i, %c1 : index
    %is2 = arith.cmpi eq, %i, %c2 : index
    %is3 = arith.cmpi eq, %i, %c3 : index
    %a = arith.select %is1, %sq, %lg : f32
    %b2 = arith.select %is2, %sq, %a : f32
    %d = arith.select %is3, %p, %b2 : f32
    linalg.yield %d : f32
  } -> tensor<4xf32>

  %table = arith.constant dense<[[0.0, 0.5], [1.0, 1.5], [2.0, 2.5], [3.0, 3.5], [4.0, 4.5]]> : tensor<5x2xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i)>, affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%ids : tensor<3xi64>) outs(%e32 : tensor<3x2xf32>) {
  ^bb0(%id: i64, %o: f32):
    %row_i = arith.index_cast %id : i64 to index
    %j = linalg.index 1 : index
    %v = tensor.extract %table[%row_i, %j] : tensor<5x2xf32>
    linalg.yield %v : f32
  } -> tensor<3x2xf32>

  return %slice, %ins, %r, %t, %b, %bmm, %sel#0, %sel#1, %div, %math, %g
      : tensor<2x2xf32>, tensor<2x3xf32>, tensor<3x2xf32>, tensor<3x2xf32>, tensor<2x3xf32>,
        tensor<2x1x1xf32>, tensor<2x3xf32>, tensor<2x3xi1>, tensor<6xi64>, tensor<4xf32>, tensor<3x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      blob: "0x040000000000803F0000004000004040000080400000A0400000C040"
    }
  }
#-}
