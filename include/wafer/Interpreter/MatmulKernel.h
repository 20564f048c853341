//===- MatmulKernel.h - blocked f32 contraction kernel ----------*- C++ -*-===//
#ifndef WAFER_INTERPRETER_MATMULKERNEL_H
#define WAFER_INTERPRETER_MATMULKERNEL_H

#include <cstdint>

namespace wafer::interp {

/// C[i,j] += sum_k A[i,k] * B[k,j] for i < m, j < n, k < kSize, with arbitrary
/// element strides (A[i,k] is a[i*aStrideI + k*aStrideK], and so on). Packs B
/// panels contiguously and runs a register-blocked i-k-j kernel that the
/// compiler vectorises. Every C element accumulates its products in ascending
/// k order with separate multiply and add (no FMA contraction), so the result
/// is bit-identical to the naive triple loop.
void matmulF32(int64_t m, int64_t n, int64_t kSize, const float *a,
               int64_t aStrideI, int64_t aStrideK, const float *b,
               int64_t bStrideK, int64_t bStrideJ, float *c, int64_t cStrideI,
               int64_t cStrideJ);

/// The naive triple loop (i, j, k ascending) with the same contract; the
/// reference the blocked kernel is tested against.
void matmulF32Naive(int64_t m, int64_t n, int64_t kSize, const float *a,
                    int64_t aStrideI, int64_t aStrideK, const float *b,
                    int64_t bStrideK, int64_t bStrideJ, float *c,
                    int64_t cStrideI, int64_t cStrideJ);

} // namespace wafer::interp

#endif // WAFER_INTERPRETER_MATMULKERNEL_H
