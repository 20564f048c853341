// RUN: wafer-opt %S/Inputs/expand.mlir --wafer-map="target=16x16" | FileCheck %s
// RUN: wafer-opt %S/Inputs/expand.mlir --wafer-map="target=16x16" --wafer-place --wafer-route --wafer-print-routes -o /dev/null | FileCheck %s --check-prefix=ROUTE
// RUN: wafer-run %S/Inputs/expand.mlir --target 16x16 --check | FileCheck %s --check-prefix=EXEC

// A broadcast copy (ONNX Expand, e.g. GQA's repeat_kv) only replicates
// data: it belongs in the stream between the kernels, not in a kernel that
// copies. The stream's body holds the copy and the reshape after it; its
// patterns carry the producer's 1 KiB once per line (the consumer's 4 KiB
// are the same kernel result read by two heads each), and the PE
// interpreter delivers each consumer PE its part through them.

// CHECK: kernel @k_Mul(
// CHECK: stream @s1 p2p(%{{.+}}) bytes 4096 : (tensor<2x1x8x16xf32>) -> tensor<8x8x16xf32>
// CHECK-NEXT: ^bb0
// CHECK-NEXT: tensor.empty() : tensor<2x4x8x16xf32>
// CHECK-NEXT: linalg.generic
// CHECK: tensor.collapse_shape
// CHECK-NOT: kernel @k_Expand
// CHECK: kernel @qk_Mul(

// ROUTE: stream @s1 #0 gather south [0,0 4x16] 256 B
// ROUTE: stream @s1 #4 scatter east [4,0 8x16] 64 B

// EXEC: kernels{{ +}}2
// EXEC: y: max abs err 0.00e+00, max rel err 0.00e+00, passed
