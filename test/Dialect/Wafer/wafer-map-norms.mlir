// RUN: wafer-opt %S/Inputs/norms.mlir --wafer-map="target=16x16" | FileCheck %s
// RUN: wafer-opt %S/Inputs/norms.mlir --wafer-map="target=16x16 fuse-norms=false" | FileCheck %s --check-prefix=SPLIT
// RUN: wafer-opt %S/Inputs/norms.mlir --wafer-map="target=16x16" --wafer-place --wafer-route --wafer-print-routes -o /dev/null | FileCheck %s --check-prefix=ROUTE
// RUN: wafer-opt %S/Inputs/norms.mlir --wafer-map="target=16x16" --wafer-place --wafer-route --wafer-lower-pe | FileCheck %s --check-prefix=PE
// RUN: wafer-run %S/Inputs/norms.mlir --target 16x16 --check | FileCheck %s --check-prefix=EXEC

// A LayerNorm (sum, mean, variance, normalise) and the softmax that reads
// it (max, exp, sum, divide) are row reductions and elementwise ops over the
// same 8 rows: one kernel of eight stages, not eight kernels of a few PEs.
// The hidden dim (64) is split along x, the rows along y; each stage that
// reduces the hidden dim ends with an allreduce along its row, so the next
// stage finds the whole statistic on every PE. The kernel keeps the ONNX
// nodes it came from.

// CHECK: %[[S0:.+]] = stream @s0 host_in(%{{.+}}) bytes 2048
// CHECK: kernel @ln_LayerNormalization_sm_Softmax(%[[S0]]) shape [6, 8]
// CHECK-SAME: node = "ln/LayerNormalization+sm/Softmax"
// CHECK-SAME: split = array<i64: 1, 0>
// CHECK-COUNT-8: linalg.generic
// CHECK: yield
// CHECK-NOT: kernel @
// CHECK: output

// SPLIT-COUNT-8: = kernel @
// SPLIT-NOT: = kernel @

// Four allreduces along the rows of the kernel's rectangle (one pattern:
// chain colors 1 and 2, the multicast back on 3).
// ROUTE: kernel @ln_LayerNormalization_sm_Softmax #0 allreduce east [0,0 6x8]
// ROUTE: color 3  source

// The PE program holds one buffer per tensor (the statistics as scratch),
// a partial-sum buffer per reducing stage, and one reduce step each.
// PE: pe_code @ln_LayerNormalization_sm_Softmax rect [0, 0, 6, 8]
// PE: wafer.buffer @in0 input operand 0 bytes 44
// PE: wafer.buffer @tmp1 scratch operand 1 bytes 4
// PE: wafer.buffer @w10 weight operand 10 bytes 44
// PE: wafer.buffer @out22 output operand 22 bytes 44
// PE: wafer.buffer @partial1 partial operand 1 bytes 4
// PE: wafer.recv @s0 colors [0] into @in0
// PE: wafer.compute
// PE-COUNT-4: wafer.reduce_step @partial{{[0-9]+}} colors [1, 2, 3] dir  east

// The lowered program runs PE by PE and matches the golden evaluation.
// EXEC: kernels 1, streams 1
// EXEC: y: max abs err {{.*}}, passed

// An RMSNorm whose statistic is read through a keepdims [8, 1] view (a
// unit-dim expand_shape): the normalise reads the statistic itself, and the
// two ops are one kernel that checks against the golden run.
// RUN: wafer-opt %S/Inputs/rmsnorm.mlir --wafer-map="target=16x16" | FileCheck %s --check-prefix=RMS
// RUN: wafer-run %S/Inputs/rmsnorm.mlir --target 16x16 --check | FileCheck %s --check-prefix=RMSEXEC
// RMS: kernel @norm_ReduceMean_norm_Mul(%{{[0-9]+}})
// RMS-SAME: node = "norm/ReduceMean+norm/Mul"
// RMS-NOT: tensor.expand_shape
// RMS-NOT: kernel @
// RMSEXEC: kernels 1, streams 1
// RMSEXEC: y: max abs err {{.*}}, passed

// A reduction that does not start from its combiner's identity (a sum from
// 1) is no allreduce: the ops stay one kernel each, and still check.
// RUN: wafer-opt %S/Inputs/rmsnorm-one.mlir --wafer-map="target=16x16" | FileCheck %s --check-prefix=NOID
// RUN: wafer-run %S/Inputs/rmsnorm-one.mlir --target 16x16 --check | FileCheck %s --check-prefix=NOIDEXEC
// NOID: kernel @norm_ReduceMean(
// NOID: kernel @norm_Mul(
// NOIDEXEC: kernels 2
// NOIDEXEC: y: max abs err {{.*}}, passed
