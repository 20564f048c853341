// Golden evaluation of a small MLP layer checked against numpy, with inputs
// bound by ONNX name from .npy and .pb files, plus input-file errors.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/golden_check.py gen-mlp %t
// RUN: wafer-run --golden %s --input x=@%t/x.npy --input w=@%t/w.npy --output-dir %t/out | FileCheck %s
// RUN: %python %S/Inputs/golden_check.py check-mlp %t/out | FileCheck %s --check-prefix=NUMPY

// CHECK: input x: 4x8xf32 from {{.*}}x.npy
// CHECK-NEXT: input w: 8x16xf32 from {{.*}}w.npy
// CHECK-NEXT: output y: 4x16xf32 -> {{.*}}out{{/|\\}}y.npy
// NUMPY: mlp ok

// float64 input files are rounded to f32: same result.
// RUN: wafer-run --golden %s --input x=@%t/x64.npy --input w=@%t/w.npy --output-dir %t/out64
// RUN: %python %S/Inputs/golden_check.py check-mlp %t/out64 | FileCheck %s --check-prefix=NUMPY

// ONNX TensorProto input.
// RUN: %python %S/Inputs/golden_check.py gen-pb %t
// RUN: wafer-run --golden %s --input x=@%t/x.pb --input w=@%t/w.npy --output-dir %t/outpb | FileCheck %s --check-prefix=PB
// RUN: %python %S/Inputs/golden_check.py check-mlp %t/outpb | FileCheck %s --check-prefix=NUMPY
// PB: input x: 4x8xf32 from {{.*}}x.pb

// RUN: not wafer-run --golden %s --input x=@%t/x_i64.npy 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: error: input 'x' ({{.*}}x_i64.npy): expected 4x8xf32, got 4x8xi64
// RUN: not wafer-run --golden %s --input x=@%t/x_shape.npy 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: error: input 'x' ({{.*}}x_shape.npy): expected 4x8xf32, got 8x4xf32
// RUN: not wafer-run --golden %s --input x=@%t/x_trunc.npy 2>&1 | FileCheck %s --check-prefix=TRUNC
// TRUNC: error: input 'x': {{.*}}x_trunc.npy: truncated: shape (4, 8) of '<f4' needs 128 data bytes, the file has 118
// RUN: not wafer-run --golden %s --input x=@%t/x_f16.npy 2>&1 | FileCheck %s --check-prefix=F16
// F16: error: input 'x': {{.*}}x_f16.npy: unsupported dtype '<f2'
// RUN: not wafer-run --golden %s --input y=@%t/x.npy 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: error: unknown input 'y'; the model's inputs are: x, w
// RUN: not wafer-run --golden %s --input x=@%t/missing.npy 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: error: input 'x': {{.*}}missing.npy: cannot read:
// RUN: not wafer-run --golden %s --input x%t/x.npy 2>&1 | FileCheck %s --check-prefix=SYNTAX
// SYNTAX: error: --input '{{.*}}': expected NAME=@FILE
// RUN: not wafer-run --golden %s --dim batch=2 2>&1 | FileCheck %s --check-prefix=DIM
// DIM: error: --dim applies to .onnx models only
// Without --golden the model is compiled onto --target and interpreted.
// RUN: wafer-run %s --target 8x8 --check | FileCheck %s --check-prefix=INTERP
// INTERP: compiled {{.*}}golden-mlp.mlir onto 8x8
// INTERP: output y: 4x16xf32
// INTERP: interpreted in
// INTERP: y: max abs err {{.*}}, passed

#id = affine_map<(i, j) -> (i, j)>
#col = affine_map<(i, j) -> (j)>
func.func @main(%x: tensor<4x8xf32> {onnx.name = "x"},
                %w: tensor<8x16xf32> {onnx.name = "w"})
    -> (tensor<4x16xf32> {onnx.name = "y"}) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %m = linalg.matmul ins(%x, %w : tensor<4x8xf32>, tensor<8x16xf32>)
                     outs(%f : tensor<4x16xf32>) -> tensor<4x16xf32>
  %b = arith.constant dense<[-1.0, -0.875, -0.75, -0.625, -0.5, -0.375, -0.25, -0.125,
                             0.0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875]> : tensor<16xf32>
  %y = linalg.generic {indexing_maps = [#id, #col, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%m, %b : tensor<4x16xf32>, tensor<16xf32>) outs(%e : tensor<4x16xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    %t = math.tanh %s : f32
    linalg.yield %t : f32
  } -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}
