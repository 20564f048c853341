//===- MatmulKernel.cpp - blocked f32 contraction kernel ------------------===//
//
// Packs a block of A (MR rows interleaved) and of B (NR-column strips) so the
// micro-kernel reads both contiguously and keeps an MR x NR tile of C in
// registers across a KC-long slice of k. Each C element still sees
// c = c + a*b in ascending k order, and this file is compiled with
// -ffp-contract=off, so results equal the naive loop bit for bit.
//
//===----------------------------------------------------------------------===//
#include "wafer/Interpreter/MatmulKernel.h"

#include <algorithm>
#include <cstring>
#include <vector>

using namespace wafer::interp;

namespace {
// 6 x 16 C tile = 12 eight-float vectors: fits the 16 AVX registers with the
// B row and the broadcast A value.
constexpr int64_t MR = 6;
constexpr int64_t NR = 16;
constexpr int64_t KC = 256;
// GCC/Clang vector extension: lowered to ymm with AVX2, pairs of xmm without.
typedef float V8 __attribute__((vector_size(32)));

inline V8 loadV8(const float *p) {
  V8 v;
  std::memcpy(&v, p, sizeof(V8));
  return v;
}
inline void storeV8(float *p, V8 v) { std::memcpy(p, &v, sizeof(V8)); }
} // namespace

// Function multiversioning picks AVX-512/AVX2 when the CPU has them; the
// default clone keeps the binary portable.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define WAFER_KERNEL_CLONES                                                    \
  __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define WAFER_KERNEL_CLONES
#endif

WAFER_KERNEL_CLONES
static void blockedKernel(int64_t m, int64_t n, int64_t kSize, const float *a,
                          int64_t aStrideI, int64_t aStrideK, const float *b,
                          int64_t bStrideK, int64_t bStrideJ, float *c,
                          int64_t cStrideI, int64_t cStrideJ) {
  int64_t mBlocks = (m + MR - 1) / MR;
  int64_t nBlocks = (n + NR - 1) / NR;
  // Zero padding: the padded lanes only ever feed padded C lanes, which are
  // never stored.
  std::vector<float> aPack(mBlocks * MR * KC);
  std::vector<float> bPack(nBlocks * NR * KC);
  for (int64_t k0 = 0; k0 < kSize; k0 += KC) {
    int64_t kc = std::min(KC, kSize - k0);
    // aPack[ib][k][r] = A[ib*MR + r, k0 + k]
    for (int64_t ib = 0; ib < mBlocks; ++ib) {
      float *dst = aPack.data() + ib * MR * kc;
      for (int64_t r = 0; r < MR; ++r) {
        int64_t i = ib * MR + r;
        if (i >= m) {
          for (int64_t k = 0; k < kc; ++k)
            dst[k * MR + r] = 0.0f;
          continue;
        }
        const float *src = a + i * aStrideI + k0 * aStrideK;
        for (int64_t k = 0; k < kc; ++k)
          dst[k * MR + r] = src[k * aStrideK];
      }
    }
    // bPack[jb][k][jj] = B[k0 + k, jb*NR + jj]
    for (int64_t jb = 0; jb < nBlocks; ++jb) {
      float *dst = bPack.data() + jb * NR * kc;
      int64_t nr = std::min(NR, n - jb * NR);
      for (int64_t k = 0; k < kc; ++k) {
        const float *src = b + (k0 + k) * bStrideK + jb * NR * bStrideJ;
        for (int64_t jj = 0; jj < nr; ++jj)
          dst[k * NR + jj] = src[jj * bStrideJ];
        for (int64_t jj = nr; jj < NR; ++jj)
          dst[k * NR + jj] = 0.0f;
      }
    }
    for (int64_t jb = 0; jb < nBlocks; ++jb) {
      int64_t nr = std::min(NR, n - jb * NR);
      const float *bp = bPack.data() + jb * NR * kc;
      for (int64_t ib = 0; ib < mBlocks; ++ib) {
        int64_t mr = std::min(MR, m - ib * MR);
        const float *ap = aPack.data() + ib * MR * kc;
        float *cTile = c + ib * MR * cStrideI + jb * NR * cStrideJ;
        float tile[MR][NR];
        for (int64_t r = 0; r < MR; ++r)
          for (int64_t jj = 0; jj < NR; ++jj)
            tile[r][jj] = (r < mr && jj < nr)
                              ? cTile[r * cStrideI + jj * cStrideJ]
                              : 0.0f;
        V8 acc[MR][2];
        for (int64_t r = 0; r < MR; ++r) {
          acc[r][0] = loadV8(&tile[r][0]);
          acc[r][1] = loadV8(&tile[r][8]);
        }
        for (int64_t k = 0; k < kc; ++k) {
          V8 b0 = loadV8(bp + k * NR), b1 = loadV8(bp + k * NR + 8);
          const float *aCol = ap + k * MR;
#pragma GCC unroll 6
          for (int64_t r = 0; r < MR; ++r) {
            V8 av = V8{} + aCol[r];
            acc[r][0] += av * b0;
            acc[r][1] += av * b1;
          }
        }
        for (int64_t r = 0; r < MR; ++r) {
          storeV8(&tile[r][0], acc[r][0]);
          storeV8(&tile[r][8], acc[r][1]);
        }
        for (int64_t r = 0; r < mr; ++r)
          for (int64_t jj = 0; jj < nr; ++jj)
            cTile[r * cStrideI + jj * cStrideJ] = tile[r][jj];
      }
    }
  }
}

void wafer::interp::matmulF32(int64_t m, int64_t n, int64_t kSize,
                              const float *a, int64_t aStrideI,
                              int64_t aStrideK, const float *b,
                              int64_t bStrideK, int64_t bStrideJ, float *c,
                              int64_t cStrideI, int64_t cStrideJ) {
  if (m <= 0 || n <= 0 || kSize <= 0)
    return;
  blockedKernel(m, n, kSize, a, aStrideI, aStrideK, b, bStrideK, bStrideJ, c,
                cStrideI, cStrideJ);
}

void wafer::interp::matmulF32Naive(int64_t m, int64_t n, int64_t kSize,
                                   const float *a, int64_t aStrideI,
                                   int64_t aStrideK, const float *b,
                                   int64_t bStrideK, int64_t bStrideJ, float *c,
                                   int64_t cStrideI, int64_t cStrideJ) {
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      float &out = c[i * cStrideI + j * cStrideJ];
      for (int64_t k = 0; k < kSize; ++k)
        out += a[i * aStrideI + k * aStrideK] * b[k * bStrideK + j * bStrideJ];
    }
}
