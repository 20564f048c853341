// RUN: wafer-opt %S/Inputs/heads.mlir --wafer-map="target=64x64" | FileCheck %s
// RUN: wafer-opt %S/Inputs/heads.mlir --wafer-map="target=16x16" | FileCheck %s --check-prefix=SMALL
// RUN: wafer-opt %S/Inputs/heads.mlir --wafer-map="target=64x64" --wafer-place --wafer-route --wafer-print-routes -o /dev/null | FileCheck %s --check-prefix=ROUTE
// RUN: wafer-run %S/Inputs/heads.mlir --target 64x64 --check --report %t.json | FileCheck %s --check-prefix=EXEC
// RUN: FileCheck %s --check-prefix=REPORT < %t.json

// Attention per head on sub-rectangles. With 4 heads of 16 tokens, one
// split per mesh axis reaches at most 16 x 16 PEs of the score matmul
// (queries x keys). On 64x64 the kernel's share of the mesh is four times
// that, so it takes a sub-rectangle per head, side by side along x, whose
// 16 columns split the queries, with the keys down 16 rows: 1,024 PEs of
// one score each. Column i runs head i / 16 and query i % 16: the PE
// interpreter computes every PE's tile so, checks that each stream's
// routes deliver what that PE reads, and matches the golden run bit for
// bit.

// CHECK: kernel @scores_MatMul(%{{.+}}) shape [64, 16] sram 68 {dims = array<i64: 4, 16, 16, 8>
// CHECK-SAME: split = array<i64: 0, 2>, split_x_inner = 1 : i64, tile = array<i64: 1, 1, 1, 8>}

// On 16x16 one split per axis already fills the kernel's share: it keeps
// the heads whole, streaming them in time (sub-rectangles would keep no
// dim to stream and line up with no neighbour).
// SMALL: kernel @scores_MatMul(%{{.+}}) shape [6, 16]
// SMALL-SAME: split = array<i64: 1, 2>, stream_dim = 0 : i64, tile = array<i64: 4, 3, 1, 8>}
// SMALL-NOT: split_x_inner

// Q arrives from the west edge and spreads over all 64 columns (each
// column's query of its head); K over the rows (its keys), replicated
// along each head's columns; the scores gather out of the sub-rectangles
// towards the AV matmul.
// ROUTE: stream @s0 #0 scatter east [0,0 64x16] 2048 B
// ROUTE: stream @s1 #0 scatter east [0,0 64x16] 128 B
// ROUTE: stream @s2 #0 gather east [0,0 64x16] 256 B

// EXEC: y: max abs err 0.00e+00, max rel err 0.00e+00, passed

// REPORT: "name": "scores_MatMul"
// REPORT: "split": [
// REPORT-NEXT: 0,
// REPORT-NEXT: 2
// REPORT-NEXT: ],
// REPORT-NEXT: "split_x_inner": 1,
