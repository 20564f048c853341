// Ops outside the tensor-level subset are named with their ONNX location.
// RUN: split-file %s %t
// RUN: not wafer-run --golden %t/func-level.mlir 2>&1 | FileCheck %s --check-prefix=FUNC
// FUNC: error: 'arith.addf' at loc("Add_3"): op is not in the tensor-level subset the evaluator runs
// RUN: not wafer-run --golden %t/body.mlir 2>&1 | FileCheck %s --check-prefix=BODY
// BODY: error: 'linalg.generic' at loc("Atan_7"): unsupported op 'math.atan' in the body
// RUN: not wafer-run --golden %t/gather.mlir --input ids=@%S/Inputs/ids_out_of_range.npy 2>&1 | FileCheck %s --check-prefix=GATHER
// GATHER: error: 'linalg.generic' at loc("Gather_0"): tensor.extract index 9 in dim 0 is outside [0, 4) (at iteration [1, 0])

// Random inputs are deterministic for a seed.
// RUN: wafer-run --golden %t/gather.mlir --seed 7 --output-dir %t/a
// RUN: wafer-run --golden %t/gather.mlir --seed 7 --output-dir %t/b | FileCheck %s --check-prefix=SEED
// SEED: input ids: 2xi64 random uniform [0, 4) (seed 7)
// SEED: output out0: 2x3xf32 -> {{.*}}out0.npy
// RUN: %python %S/Inputs/golden_check.py same %t/a/out0.npy %t/b/out0.npy

//--- func-level.mlir
func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = arith.addf %a, %a : tensor<2xf32> loc("Add_3")
  return %0 : tensor<2xf32>
}

//--- body.mlir
func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%a : tensor<2xf32>) outs(%a : tensor<2xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = math.atan %x : f32
    linalg.yield %s : f32
  } -> tensor<2xf32> loc("Atan_7")
  return %0 : tensor<2xf32>
}

//--- gather.mlir
func.func @main(%ids: tensor<2xi64> {onnx.name = "ids"}) -> tensor<2x3xf32> {
  %table = arith.constant dense<[[0.0, 0.1, 0.2], [1.0, 1.1, 1.2], [2.0, 2.1, 2.2], [3.0, 3.1, 3.2]]> : tensor<4x3xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i)>, affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%ids : tensor<2xi64>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%id: i64, %o: f32):
    %r = arith.index_cast %id : i64 to index
    %j = linalg.index 1 : index
    %v = tensor.extract %table[%r, %j] : tensor<4x3xf32>
    linalg.yield %v : f32
  } -> tensor<2x3xf32> loc("Gather_0")
  return %g : tensor<2x3xf32>
}
