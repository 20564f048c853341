//===- MatmulKernelTest.cpp - blocked kernel vs the naive loop ------------===//
#include "wafer/Interpreter/MatmulKernel.h"

#include "gtest/gtest.h"

#include <chrono>
#include <cstdint>
#include <cstring>
#include <vector>

using namespace wafer::interp;

namespace {

std::vector<float> randomFloats(size_t n, uint64_t seed) {
  std::vector<float> v(n);
  for (float &x : v) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    x = static_cast<float>((seed >> 40) & 0xffff) / 32768.0f - 1.0f;
  }
  return v;
}

struct Case {
  int64_t m, n, k;
};

TEST(MatmulKernel, MatchesNaiveBitForBitOnOddSizes) {
  for (Case c :
       {Case{1, 1, 1}, Case{3, 5, 7}, Case{17, 33, 129}, Case{4, 16, 128},
        Case{5, 17, 300}, Case{63, 1, 9}, Case{1, 70, 2}}) {
    auto a = randomFloats(c.m * c.k, 1);
    auto b = randomFloats(c.k * c.n, 2);
    auto c0 = randomFloats(c.m * c.n, 3);
    auto c1 = c0;
    matmulF32(c.m, c.n, c.k, a.data(), c.k, 1, b.data(), c.n, 1, c0.data(), c.n,
              1);
    matmulF32Naive(c.m, c.n, c.k, a.data(), c.k, 1, b.data(), c.n, 1, c1.data(),
                   c.n, 1);
    EXPECT_EQ(0, std::memcmp(c0.data(), c1.data(), c0.size() * 4))
        << c.m << "x" << c.n << "x" << c.k;
  }
}

TEST(MatmulKernel, StridedOperands) {
  // A transposed (k-major), B transposed, C with a padded row stride.
  int64_t m = 7, n = 9, k = 11, ldc = 12;
  auto at = randomFloats(k * m, 4);
  auto bt = randomFloats(n * k, 5);
  std::vector<float> c0(m * ldc, 0.25f), c1 = c0;
  matmulF32(m, n, k, at.data(), 1, m, bt.data(), 1, k, c0.data(), ldc, 1);
  matmulF32Naive(m, n, k, at.data(), 1, m, bt.data(), 1, k, c1.data(), ldc, 1);
  EXPECT_EQ(0, std::memcmp(c0.data(), c1.data(), c0.size() * 4));
}

TEST(MatmulKernel, Gpt2SizedMatmulIsFast) {
  int64_t m = 512, k = 768, n = 3072;
  auto a = randomFloats(m * k, 6);
  auto b = randomFloats(k * n, 7);
  std::vector<float> c(m * n, 0.0f);
  auto start = std::chrono::steady_clock::now();
  matmulF32(m, n, k, a.data(), k, 1, b.data(), n, 1, c.data(), n, 1);
  double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::printf("512x768 * 768x3072 f32 matmul: %.3f s (%.1f GFLOP/s)\n", secs,
              2.0 * m * n * k / secs / 1e9);
  // Spot-check one element against a direct dot product in the same order.
  float ref = 0.0f;
  for (int64_t kk = 0; kk < k; ++kk)
    ref += a[100 * k + kk] * b[kk * n + 2000];
  EXPECT_EQ(c[100 * n + 2000], ref);
  // Generous bound for a shared 2-core machine; typical is far lower.
  EXPECT_LT(secs, 2.0);
}

} // namespace
