// RUN: wafer-opt %S/Inputs/heads.mlir --wafer-map="target=16x16 target-overrides=sram_budget=96" | FileCheck %s --check-prefix=FIT
// RUN: wafer-run %S/Inputs/heads.mlir --target 16x16 --target-overrides sram_budget=96 --check --report %t.json | FileCheck %s --check-prefix=EXEC
// RUN: FileCheck %s --check-prefix=REPORT < %t.json
// RUN: wafer-opt %S/Inputs/heads.mlir --wafer-map="target=64x64" | FileCheck %s --check-prefix=DEFAULT
// RUN: wafer-opt %S/Inputs/heads.mlir --wafer-map="target=64x64 sub-rectangles=idle" | FileCheck %s --check-prefix=IDLE
// RUN: wafer-opt %S/Inputs/heads.mlir --wafer-map="target=64x64 sub-rectangles=idle" --wafer-place --wafer-route --wafer-print-routes -o /dev/null | FileCheck %s --check-prefix=ROUTE
// RUN: wafer-run %S/Inputs/heads.mlir --target 64x64 --sub-rectangles=idle --check | FileCheck %s --check-prefix=EXEC
// RUN: not wafer-opt %S/Inputs/heads.mlir --wafer-map="target=64x64 sub-rectangles=always" 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not wafer-opt %S/Inputs/heads.mlir --wafer-map="target=64x64 sizing=even" 2>&1 | FileCheck %s --check-prefix=BADSIZE
// RUN: wafer-run %S/Inputs/heads.mlir --target 64x64 --compile-only | FileCheck %s --check-prefix=AUTO
// RUN: wafer-run %wafer_src/test/fixtures/llama_block_op17/model.onnx --target wse2 --compile-only | FileCheck %s --check-prefix=AUTOLLAMA
// RUN: not wafer-opt %S/Inputs/heads.mlir --wafer-map="target=16x16 target-overrides=sram_budget=128" 2>&1 | FileCheck %s --check-prefix=PACK

// Attention per head on sub-rectangles: a kernel may split two parallel
// dims along x, one sub-rectangle per head side by side, whose columns
// split a second dim; column i runs head i / n and chunk i % n of the
// inner dim. The PE interpreter computes every PE's tile so, checks that
// each stream's routes deliver what that PE reads, and matches the golden
// run bit for bit.

// With 96 B of SRAM per PE no split of one dim per mesh axis fits the score
// matmul (4 heads of 16 tokens, head dim 8): its sub-rectangles split the
// queries over 4 columns per head and the head dim down 8 rows (the
// partial sums chain down the columns), the keys streaming in time. The AV
// matmul splits the value dim in each head's sub-rectangle.
// FIT: kernel @scores_MatMul(%{{.+}}) shape [16, 8] sram 88 {dims = array<i64: 4, 16, 16, 8>
// FIT-SAME: split = array<i64: 0, 3>, split_x_inner = 1 : i64, stream_dim = 2 : i64, tile = array<i64: 1, 4, 16, 1>}
// FIT: kernel @av_MatMul(%{{.+}}) shape [16, 4] sram 96 {dims = array<i64: 4, 16, 8, 16>
// FIT-SAME: split = array<i64: 0, 3>, split_x_inner = 2 : i64, stream_dim = 1 : i64, tile = array<i64: 1, 16, 2, 4>}

// EXEC: y: max abs err 0.00e+00, max rel err 0.00e+00, passed

// REPORT: "name": "scores_MatMul"
// REPORT: "split": [
// REPORT-NEXT: 0,
// REPORT-NEXT: 3
// REPORT-NEXT: ],
// REPORT-NEXT: "split_x_inner": 1,

// Where one split per axis fits, it is kept by default (sub-rectangles keep
// no dim whole to stream in time and line up with no one-dim neighbour):
// on 64x64 the queries and keys split over 16 x 16 PEs.
// DEFAULT: kernel @scores_MatMul(%{{.+}}) shape [16, 16]
// DEFAULT-NOT: split_x_inner

// sub-rectangles=idle also lets them in where one split per axis leaves
// more than half of the kernel's PEs idle: 4 heads x 16 queries on x, the
// keys down 16 rows, 1,024 PEs of one score each.
// IDLE: kernel @scores_MatMul(%{{.+}}) shape [64, 16] sram 68 {dims = array<i64: 4, 16, 16, 8>
// IDLE-SAME: split = array<i64: 0, 2>, split_x_inner = 1 : i64, tile = array<i64: 1, 1, 1, 8>}

// Q arrives from the west edge and spreads over all 64 columns (each
// column's query of its head); K over the rows (its keys), replicated
// along each head's columns; the scores gather out of the sub-rectangles
// towards the AV matmul.
// ROUTE: stream @s0 #0 scatter east [0,0 64x16] 2048 B
// ROUTE: stream @s1 #0 multicast east [0,0 64x16] 128 B
// ROUTE: stream @s2 #0 gather east [0,0 64x16] 256 B

// BAD: wafer-map: sub-rectangles must be fit or idle, got 'always'

// At 128 B per PE the kernels fit SRAM on 112 of the 256 PEs, but the
// rectangles the sizing gives them do not pack, and the smaller budgets
// the mapper retries with stop fitting SRAM first: the error names the
// packing failure, not the last budget's SRAM shortfall.
// PACK: error: {{.*}}kernel @av_MatMul (ONNX node 'av/MatMul') cannot be placed on the 16x16 mesh: block 'av_MatMul' (16x6) does not fit: 192 PEs free in the remaining area; with fewer PEs (96) to pack, the kernels do not fit SRAM

// wafer-run's default (--sub-rectangles=auto, --sizing=auto, utilization
// 0.85 and 0.7) compiles every combination and keeps the program the
// timing model (the PE interpreter's cycles, estimated without running a
// kernel) says is fastest, the earliest on ties: here fit/work/0.85; for
// the llama fixture on wse2, whose attention runs 4 heads of 16 tokens,
// idle: its rotary, score, mask and AV kernels take a sub-rectangle per
// head (up to 64 x 16 PEs).
// AUTO: mapping fit/work/0.85 of the estimated cycles fit/work/0.85 752 fit/work/0.70 752 fit/balanced/0.85 752 fit/balanced/0.70 752 idle/work/0.85 894 idle/work/0.70 894 idle/balanced/0.85 894 idle/balanced/0.70 894
// AUTOLLAMA: mapping idle/work/0.70 of the estimated cycles fit/work/0.85 6873 fit/work/0.70 6705 fit/balanced/0.85 6873 fit/balanced/0.70 6705 idle/work/0.85 5588 idle/work/0.70 5419 idle/balanced/0.85 5588 idle/balanced/0.70 5419
// BADSIZE: wafer-map: sizing must be work or balanced, got 'even'
