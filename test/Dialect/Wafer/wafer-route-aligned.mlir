// RUN: wafer-opt %s --wafer-map="target=wse2" --wafer-place --wafer-route --wafer-print-routes -o /dev/null | FileCheck %s
// RUN: wafer-opt %s --wafer-map="target=wse2" | FileCheck %s --check-prefix=MAP

// Layouts chosen with the neighbours in mind: the matmul keeps n (768) on
// its rows and reduces k along them (the result leaves on its east
// column). Sized by work alone, the bias add would get 154 rows of 5 and
// the stream would need an all-to-all on both facing columns; instead it
// takes the matmul's rows (n on y, one per row) and, with the rows fixed,
// the cheapest x split: one column streaming the tokens. The stream is one
// edge shift across the facing edges, and nothing else.

// MAP: kernel @fc_MatMul(%{{.+}}) shape [27, 768]
// MAP-SAME: split = array<i64: 2, 1>
// MAP: kernel @fc_Add(%{{.+}}) shape [1, 768]
// MAP-SAME: split = array<i64: -1, 1>, stream_dim = 0 : i64, tile = array<i64: 4, 1>

// CHECK-LABEL: program @main
// CHECK: kernel @fc_MatMul #0 chain_reduce east [0,0 27x768] 16 B phase 0
// CHECK: stream @s1 #0 edge_shift east [26,0 2x768] 16 B phase 0
// CHECK-NEXT:   color {{[0-9]+}} source   [26,0 1x768] R->E
// CHECK-NEXT:   color {{[0-9]+}} sink     [27,0 1x768] W->R
// CHECK-NOT: all_to_all
// CHECK: instances 5, phases 1

func.func @main(%x: tensor<4x1024xf32> {onnx.name = "x"}) -> (tensor<4x768xf32> {onnx.name = "y"}) {
  %w = arith.constant dense<0.5> : tensor<1024x768xf32>
  %b = arith.constant dense<0.25> : tensor<768xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x768xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x768xf32>) -> tensor<4x768xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<4x1024xf32>, tensor<1024x768xf32>) outs(%f : tensor<4x768xf32>) -> tensor<4x768xf32> loc("fc/MatMul")
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%mm, %b : tensor<4x768xf32>, tensor<768xf32>) outs(%e : tensor<4x768xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %m = arith.addf %a, %c : f32
    linalg.yield %m : f32
  } -> tensor<4x768xf32> loc("fc/Add")
  return %r : tensor<4x768xf32>
}
