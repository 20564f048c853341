// RUN: wafer-opt %s --wafer-lower-onnx --split-input-file | FileCheck %s

// CHECK-DAG: #[[ID2:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[BCAST0:.+]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-LABEL: func.func @broadcast_add
// CHECK: %[[E:.+]] = tensor.empty() : tensor<4x8xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID2]], #[[ROW]], #[[ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<8xf32>) outs(%[[E]] : tensor<4x8xf32>)
// CHECK: arith.addf
// CHECK: linalg.generic {indexing_maps = [#[[ID2]], #[[BCAST0]], #[[ID2]]]
// CHECK: arith.divsi
func.func @broadcast_add(%a: tensor<4x8xf32>, %b: tensor<8xf32>, %i: tensor<4x8xi64>, %j: tensor<1x8xi64>) -> (tensor<4x8xf32>, tensor<4x8xi64>) {
  %0 = onnx.add %a, %b : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %1 = onnx.div %i, %j : (tensor<4x8xi64>, tensor<1x8xi64>) -> tensor<4x8xi64>
  return %0, %1 : tensor<4x8xf32>, tensor<4x8xi64>
}

// -----

// CHECK-LABEL: func.func @unary_bodies
// CHECK: linalg.generic
// CHECK:   %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:   arith.maximumf %{{.*}}, %[[ZERO]] : f32
// CHECK: linalg.generic
// CHECK:   arith.negf
// CHECK:   math.exp
// CHECK:   arith.addf
// CHECK:   arith.divf
// CHECK: linalg.generic
// CHECK:   arith.cmpi sgt
// CHECK:   arith.select
// CHECK: linalg.generic
// CHECK:   arith.fptosi %{{.*}} : f32 to i64
// CHECK: linalg.generic
// CHECK:   arith.cmpf une
// CHECK: linalg.generic
// CHECK:   arith.uitofp %{{.*}} : i1 to f32
// CHECK: linalg.generic
// CHECK:   arith.maximumf
// CHECK:   arith.minimumf
// CHECK: linalg.generic
// CHECK:   arith.select
// CHECK: linalg.generic
// CHECK:   math.powf
// CHECK: linalg.generic
// CHECK:   math.erf
func.func @unary_bodies(%x: tensor<4xf32>, %i: tensor<4xi64>, %c: tensor<4xi1>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xi64>, tensor<4xi64>, tensor<4xi1>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = onnx.relu %x : tensor<4xf32>
  %1 = onnx.sigmoid %x : tensor<4xf32>
  %2 = onnx.max %i, %i : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %3 = onnx.cast %x to i64 : tensor<4xf32> -> tensor<4xi64>
  %4 = onnx.cast %x to i1 : tensor<4xf32> -> tensor<4xi1>
  %5 = onnx.cast %c to f32 : tensor<4xi1> -> tensor<4xf32>
  %6 = onnx.clip %x {min = 0.0 : f32, max = 6.0 : f32} : tensor<4xf32>
  %7 = onnx.where %c, %x, %0 : (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %8 = onnx.pow %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %9 = onnx.erf %x : tensor<4xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9 : tensor<4xf32>, tensor<4xf32>, tensor<4xi64>, tensor<4xi64>, tensor<4xi1>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// The transformer case: batch dims of the activations become rows of one
// 2-D matmul so the weight stays a single operand.
// CHECK-LABEL: func.func @matmul_weight
// CHECK: %[[A:.+]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2]] : tensor<2x8x16xf32> into tensor<16x16xf32>
// CHECK: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[F:.+]] = linalg.fill ins(%[[Z]] : f32) outs(%{{.*}} : tensor<16x32xf32>)
// CHECK: %[[M:.+]] = linalg.matmul ins(%[[A]], %{{.*}} : tensor<16x16xf32>, tensor<16x32xf32>) outs(%[[F]] : tensor<16x32xf32>)
// CHECK: tensor.expand_shape %[[M]] {{\[}}[0, 1], [2]] output_shape [2, 8, 32] : tensor<16x32xf32> into tensor<2x8x32xf32>
func.func @matmul_weight(%a: tensor<2x8x16xf32>, %w: tensor<16x32xf32>) -> tensor<2x8x32xf32> {
  %0 = onnx.matmul %a, %w : (tensor<2x8x16xf32>, tensor<16x32xf32>) -> tensor<2x8x32xf32>
  return %0 : tensor<2x8x32xf32>
}

// -----

// Attention scores: batch x batch becomes one batch_matmul over the
// collapsed batch dims.
// CHECK-LABEL: func.func @matmul_batched
// CHECK-DAG: %[[Q:.+]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2], [3]] : tensor<2x4x8x16xf32> into tensor<8x8x16xf32>
// CHECK-DAG: %[[K:.+]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2], [3]] : tensor<2x4x16x8xf32> into tensor<8x16x8xf32>
// CHECK: %[[R:.+]] = linalg.batch_matmul ins(%[[Q]], %[[K]] : tensor<8x8x16xf32>, tensor<8x16x8xf32>)
// CHECK: tensor.expand_shape %[[R]] {{\[}}[0, 1], [2], [3]] output_shape [2, 4, 8, 8]
func.func @matmul_batched(%q: tensor<2x4x8x16xf32>, %k: tensor<2x4x16x8xf32>) -> tensor<2x4x8x8xf32> {
  %0 = onnx.matmul %q, %k : (tensor<2x4x8x16xf32>, tensor<2x4x16x8xf32>) -> tensor<2x4x8x8xf32>
  return %0 : tensor<2x4x8x8xf32>
}

// -----

// Differing batch dims are materialised by a broadcasting generic first.
// CHECK-LABEL: func.func @matmul_broadcast_batch
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #{{.+}}]
// CHECK-SAME: ins(%{{.*}} : tensor<1x8x16xf32>) outs(%{{.*}} : tensor<3x8x16xf32>)
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<3x8x16xf32>, tensor<3x16x4xf32>)
func.func @matmul_broadcast_batch(%a: tensor<1x8x16xf32>, %b: tensor<3x16x4xf32>) -> tensor<3x8x4xf32> {
  %0 = onnx.matmul %a, %b : (tensor<1x8x16xf32>, tensor<3x16x4xf32>) -> tensor<3x8x4xf32>
  return %0 : tensor<3x8x4xf32>
}

// -----

// A rank-1 operand is promoted and the promoted dim dropped again.
// CHECK-LABEL: func.func @matmul_vector
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [16, 1] : tensor<16xf32> into tensor<16x1xf32>
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<8x16xf32>, tensor<16x1xf32>)
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1]] : tensor<8x1xf32> into tensor<8xf32>
func.func @matmul_vector(%a: tensor<8x16xf32>, %v: tensor<16xf32>) -> tensor<8xf32> {
  %0 = onnx.matmul %a, %v : (tensor<8x16xf32>, tensor<16xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @gemm
// CHECK: %[[T:.+]] = linalg.transpose ins(%{{.*}} : tensor<16x8xf32>) outs(%{{.*}} : tensor<8x16xf32>) permutation = [1, 0]
// CHECK: %[[M:.+]] = linalg.matmul ins(%{{.*}}, %[[T]] : tensor<4x8xf32>, tensor<8x16xf32>)
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[M]], %{{.*}} : tensor<4x16xf32>, tensor<16xf32>)
// CHECK:   arith.constant 5.000000e-01 : f32
// CHECK:   arith.mulf
// CHECK:   arith.constant 2.000000e+00 : f32
// CHECK:   arith.mulf
// CHECK:   arith.addf
func.func @gemm(%a: tensor<4x8xf32>, %b: tensor<16x8xf32>, %c: tensor<16xf32>) -> tensor<4x16xf32> {
  %0 = onnx.gemm %a, %b, %c {trans_b = true, alpha = 0.5 : f32, beta = 2.0 : f32} : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[R:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @softmax
// CHECK: %[[NINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: %[[I1:.+]] = linalg.fill ins(%[[NINF]] : f32)
// CHECK: %[[MAX:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[R]]], iterator_types = ["parallel", "reduction"]} ins(%[[X:.+]] : tensor<4x8xf32>) outs(%[[I1]] : tensor<4xf32>)
// CHECK:   arith.maximumf
// CHECK: %[[EXP:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[R]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[MAX]] : tensor<4x8xf32>, tensor<4xf32>)
// CHECK:   arith.subf
// CHECK:   math.exp
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[R]]], iterator_types = ["parallel", "reduction"]} ins(%[[EXP]] : tensor<4x8xf32>)
// CHECK:   arith.addf
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[R]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[EXP]], %[[SUM]] : tensor<4x8xf32>, tensor<4xf32>)
// CHECK:   arith.divf
// CHECK-LABEL: func.func @log_softmax
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<4xf32>, tensor<4xf32>)
// CHECK:   arith.subf
// CHECK:   math.log
// CHECK:   arith.subf
func.func @softmax(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = onnx.softmax %x {axis = 1 : i64} : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
func.func @log_softmax(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = onnx.log_softmax %x {axis = 1 : i64} : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// CHECK-LABEL: func.func @layer_norm
// CHECK: %[[SUM:.+]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[X:.+]] : tensor<4x8xf32>)
// CHECK: %[[MEAN:.+]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<4xf32>)
// CHECK:   arith.constant 8.000000e+00 : f32
// CHECK:   arith.divf
// CHECK: %[[SQ:.+]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[X]], %[[MEAN]] : tensor<4x8xf32>, tensor<4xf32>)
// CHECK:   arith.subf
// CHECK:   arith.mulf
// CHECK:   arith.addf
// CHECK: linalg.generic {{.*}} ins(%[[X]], %[[MEAN]], %[[SQ]], %{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<8xf32>, tensor<8xf32>)
// CHECK:   arith.divf
// CHECK:   arith.constant 1.250000e-01 : f32
// CHECK:   arith.addf
// CHECK:   math.sqrt
// CHECK:   arith.subf
// CHECK:   arith.divf
// CHECK:   arith.mulf
// CHECK:   arith.addf
func.func @layer_norm(%x: tensor<4x8xf32>, %s: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %0 = onnx.layer_normalization %x, %s, %b {axis = 1 : i64, epsilon = 0.125 : f32} : (tensor<4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// CHECK-LABEL: func.func @reductions
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "reduction"]} ins(%{{.*}} : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<3xf32>)
// CHECK:   arith.addf
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<3xf32>)
// CHECK:   arith.constant 8.000000e+00 : f32
// CHECK:   arith.divf
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1, 2]] output_shape [1, 3, 1] : tensor<3xf32> into tensor<1x3x1xf32>
// CHECK: %[[MIN:.+]] = arith.constant -9223372036854775808 : i64
// CHECK: linalg.fill ins(%[[MIN]] : i64)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]}
// CHECK:   arith.cmpi sgt
// CHECK:   arith.select
func.func @reductions(%x: tensor<2x3x4xf32>, %i: tensor<2x5xi64>) -> (tensor<1x3x1xf32>, tensor<2xi64>) {
  %0 = onnx.reduce_mean %x {axes = array<i64: 0, 2>, keepdims = true} : (tensor<2x3x4xf32>) -> tensor<1x3x1xf32>
  %1 = onnx.reduce_max %i {axes = array<i64: 1>, keepdims = false} : (tensor<2x5xi64>) -> tensor<2xi64>
  return %0, %1 : tensor<1x3x1xf32>, tensor<2xi64>
}

// -----

// CHECK-LABEL: func.func @movement
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<2x4x3xf32>) permutation = [0, 2, 1]
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK: %[[FLAT:.+]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
// CHECK: tensor.expand_shape %[[FLAT]] {{\[}}[0, 1]] output_shape [4, 6] : tensor<24xf32> into tensor<4x6xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<3x1xf32>) outs(%{{.*}} : tensor<2x3x4xf32>)
func.func @movement(%x: tensor<2x3x4xf32>, %y: tensor<3x1xf32>) -> (tensor<2x4x3xf32>, tensor<6x4xf32>, tensor<4x6xf32>, tensor<2x3x4xf32>) {
  %0 = onnx.transpose %x {perm = array<i64: 0, 2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
  %1 = onnx.reshape %x : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %2 = onnx.reshape %x : (tensor<2x3x4xf32>) -> tensor<4x6xf32>
  %3 = onnx.expand %y : (tensor<3x1xf32>) -> tensor<2x3x4xf32>
  return %0, %1, %2, %3 : tensor<2x4x3xf32>, tensor<6x4xf32>, tensor<4x6xf32>, tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @concat_split_slice
// CHECK: %[[E:.+]] = tensor.empty() : tensor<2x8xf32>
// CHECK: %[[C0:.+]] = tensor.insert_slice %{{.*}} into %[[E]][0, 0] [2, 3] [1, 1] : tensor<2x3xf32> into tensor<2x8xf32>
// CHECK: %[[C1:.+]] = tensor.insert_slice %{{.*}} into %[[C0]][0, 3] [2, 5] [1, 1] : tensor<2x5xf32> into tensor<2x8xf32>
// CHECK: tensor.extract_slice %[[C1]][0, 0] [2, 6] [1, 1] : tensor<2x8xf32> to tensor<2x6xf32>
// CHECK: tensor.extract_slice %[[C1]][0, 6] [2, 2] [1, 1] : tensor<2x8xf32> to tensor<2x2xf32>
// CHECK: tensor.extract_slice %[[C1]][1, 1] [1, 4] [1, 2] : tensor<2x8xf32> to tensor<1x4xf32>
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<2x4xf32>)
// CHECK:   %[[I:.+]] = linalg.index 0 : index
// CHECK:   %[[J:.+]] = linalg.index 1 : index
// CHECK:   %[[M:.+]] = arith.constant -2 : index
// CHECK:   %[[JS:.+]] = arith.muli %[[J]], %[[M]] : index
// CHECK:   %[[S:.+]] = arith.constant 7 : index
// CHECK:   %[[JO:.+]] = arith.addi %[[JS]], %[[S]] : index
// CHECK:   tensor.extract %[[C1]][%[[I]], %[[JO]]] : tensor<2x8xf32>
func.func @concat_split_slice(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>) -> (tensor<2x6xf32>, tensor<2x2xf32>, tensor<1x4xf32>, tensor<2x4xf32>) {
  %0 = onnx.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  %1:2 = onnx.split %0 {axis = 1 : i64} : (tensor<2x8xf32>) -> (tensor<2x6xf32>, tensor<2x2xf32>)
  %2 = onnx.slice %0 {starts = array<i64: 1, 1>, steps = array<i64: 1, 2>} : (tensor<2x8xf32>) -> tensor<1x4xf32>
  %3 = onnx.slice %0 {starts = array<i64: 0, 7>, steps = array<i64: 1, -2>} : (tensor<2x8xf32>) -> tensor<2x4xf32>
  return %1#0, %1#1, %2, %3 : tensor<2x6xf32>, tensor<2x2xf32>, tensor<1x4xf32>, tensor<2x4xf32>
}

// -----

// CHECK-DAG: #[[IDX:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @gather
// CHECK-SAME: (%[[EMB:.+]]: tensor<50x16xf32>, %[[IDS:.+]]: tensor<2x8xi64>)
// CHECK: linalg.generic {indexing_maps = [#[[IDX]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[IDS]] : tensor<2x8xi64>)
// CHECK: ^bb0(%[[IN:.+]]: i64, %{{.*}}: f32):
// CHECK:   %[[NEG:.+]] = arith.cmpi slt, %[[IN]], %{{.*}} : i64
// CHECK:   %[[WRAP:.+]] = arith.addi %[[IN]], %{{.*}} : i64
// CHECK:   %[[SEL:.+]] = arith.select %[[NEG]], %[[WRAP]], %[[IN]] : i64
// CHECK:   %[[ROW:.+]] = arith.index_cast %[[SEL]] : i64 to index
// CHECK:   %[[COL:.+]] = linalg.index 2 : index
// CHECK:   tensor.extract %[[EMB]][%[[ROW]], %[[COL]]] : tensor<50x16xf32>
func.func @gather(%emb: tensor<50x16xf32>, %ids: tensor<2x8xi64>) -> tensor<2x8x16xf32> {
  %0 = onnx.gather %emb, %ids {axis = 0 : i64} : (tensor<50x16xf32>, tensor<2x8xi64>) -> tensor<2x8x16xf32>
  return %0 : tensor<2x8x16xf32>
}

// -----

// CHECK-LABEL: func.func @trilu
// CHECK: linalg.generic
// CHECK:   %[[R:.+]] = linalg.index 0 : index
// CHECK:   %[[C:.+]] = linalg.index 1 : index
// CHECK:   %[[D:.+]] = arith.subi %[[C]], %[[R]] : index
// CHECK:   %[[K:.+]] = arith.constant 1 : index
// CHECK:   %[[KEEP:.+]] = arith.cmpi sge, %[[D]], %[[K]] : index
// CHECK:   arith.select %[[KEEP]]
func.func @trilu(%x: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %0 = onnx.trilu %x {upper = true, k = 1 : i64} : tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}
