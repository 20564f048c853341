#include "wafer/Tile/Tiling.h"

#include "gtest/gtest.h"

using namespace wafer;
using namespace wafer::tile;

namespace {
/// Y[t, n] = sum_k X[t, k] W[k, n] with W resident; dims (t, n, k).
KernelSpec matmul(int64_t t, int64_t n, int64_t k) {
  KernelSpec s;
  s.name = "mm";
  s.dims = {t, n, k};
  s.isReduction = {false, false, true};
  s.operands = {{{0, 2}, 4, OperandRole::Input, t * k * 4},
                {{2, 1}, 4, OperandRole::Resident, k * n * 4},
                {{0, 1}, 4, OperandRole::Output, t * n * 4}};
  s.work = t * n * k;
  return s;
}
/// A LayerNorm as one kernel of several stages over dims (t, f): x in,
/// scale and bias resident vectors, mean and variance as scratch (their
/// stages reduce f), the normalised output.
KernelSpec layerNorm(int64_t t, int64_t f) {
  KernelSpec s;
  s.name = "ln";
  s.dims = {t, f};
  s.isReduction = {false, false};
  OperandSpec x{{0, 1}, 4, OperandRole::Input, t * f * 4};
  OperandSpec gamma{{1}, 4, OperandRole::Resident, f * 4};
  OperandSpec stat{{0}, 4, OperandRole::Scratch, t * 4};
  stat.reduced = {1};
  OperandSpec out{{0, 1}, 4, OperandRole::Output, t * f * 4};
  s.operands = {x, gamma, gamma, stat, stat, out};
  s.work = t * f * 10;
  return s;
}
/// Attention scores S[h, q, k] = sum_d Q[h, q, d] K[h, k, d]: dims
/// (h, q, k, d), both inputs streamed (no stationary weight).
KernelSpec scores(int64_t h, int64_t t, int64_t d) {
  KernelSpec s;
  s.name = "scores";
  s.dims = {h, t, t, d};
  s.isReduction = {false, false, false, true};
  s.operands = {{{0, 1, 3}, 4, OperandRole::Input, h * t * d * 4},
                {{0, 2, 3}, 4, OperandRole::Input, h * t * d * 4},
                {{0, 1, 2}, 4, OperandRole::Output, h * t * t * 4}};
  s.work = h * t * t * d;
  return s;
}
} // namespace

TEST(Tiling, AttentionHeadsGetSubRectangles) {
  TargetModel target = *TargetModel::fromSpec("64x64");
  // 4 heads of 16 tokens: one split per axis reaches 16 x 16 PEs at most;
  // a sub-rectangle per head, side by side along x, its columns splitting
  // the keys, reaches 4 x 16 columns.
  KernelSpec s = scores(4, 16, 16);
  Distribution d = evaluate(s, target, 0, 1, 32, 16, /*splitXInner=*/2);
  EXPECT_EQ(d.tile, (llvm::SmallVector<int64_t>{1, 1, 2, 16}));
  EXPECT_EQ(d.splitXInner, 2);
  // Per PE: one query row and two key rows of its head, two scores.
  EXPECT_EQ(d.bufferBytes, (16 + 2 * 16 + 2) * 4);
  std::optional<Distribution> best =
      bestDistribution(s, target, 1024, SubRectangles::Idle);
  ASSERT_TRUE(best.has_value());
  EXPECT_EQ(best->splitXInner >= 0 ? best->splitX : -1, 0);
  EXPECT_GT(best->numPEs(), 256);
  Distribution flat = *bestDistribution(s, target, 256, SubRectangles::Idle);
  EXPECT_EQ(flat.splitXInner, -1);
  EXPECT_LT(best->cycles, flat.cycles);
  // By default they compete only when no one-dim split fits SRAM: 4 heads
  // of 1,024 tokens (head dim 128) on an 8x8 mesh fit only as a
  // sub-rectangle per head (2 query chunks each), the head dim down the
  // rows, the keys streaming in time.
  EXPECT_EQ(bestDistribution(s, target, 1024)->splitXInner, -1);
  TargetModel small = *TargetModel::fromSpec("8x8");
  std::optional<Distribution> fit =
      bestDistribution(scores(4, 1024, 128), small, 64);
  ASSERT_TRUE(fit.has_value());
  EXPECT_EQ(fit->splitX, 0);
  EXPECT_EQ(fit->splitXInner, 1);
  EXPECT_EQ(fit->splitY, 3);
  EXPECT_EQ(fit->streamDim, 2);
  EXPECT_LE(fit->sramBytes, small.sramBudget);
  // A reduced dim never splits in sub-rectangles (its partial sums would
  // chain within each one): every candidate keeps d whole along x.
  for (int64_t pes : {64, 256, 1024, 4096}) {
    std::optional<Distribution> c =
        bestDistribution(s, target, pes, SubRectangles::Idle);
    ASSERT_TRUE(c.has_value());
    EXPECT_NE(c->splitXInner, 3);
    EXPECT_NE(c->splitXInner >= 0 ? c->splitX : -1, 3);
  }
}

TEST(Tiling, FusedStagesAllreduceTheirStatistics) {
  TargetModel target;
  // f along x over 4 columns, t along y over 2 rows: each PE holds its
  // 4 tokens' statistics and a partial-sum buffer for each.
  Distribution d = evaluate(layerNorm(8, 64), target, 1, 0, 4, 2);
  EXPECT_EQ(d.streamDim, -1);
  EXPECT_EQ(d.partialBytes, 2 * 4 * 4);
  // One pass of both statistics over the 3 links of each of the 2 rows.
  EXPECT_EQ(d.reduceBytes, 2 * 4 * 4 * 3 * 2);
  EXPECT_FALSE(d.allreducesAlongY);
  // The mirror image costs the same but allreduces down the columns; the
  // search keeps the row allreduce.
  Distribution m = evaluate(layerNorm(8, 64), target, 0, 1, 2, 4);
  EXPECT_TRUE(m.allreducesAlongY);
  EXPECT_DOUBLE_EQ(d.cycles, m.cycles);
  std::optional<Distribution> best =
      bestDistribution(layerNorm(8, 64), target, 8);
  ASSERT_TRUE(best.has_value());
  EXPECT_FALSE(best->allreducesAlongY);
  // A dim a stage reduces never streams in time (it needs all of f at
  // once): with f unsplit the tokens stream, never f.
  Distribution t = evaluate(layerNorm(8, 64), target, -1, -1, 1, 1);
  EXPECT_EQ(t.streamDim, 0);
  EXPECT_EQ(t.partialBytes, 0);
  EXPECT_EQ(t.reduceBytes, 0);
}

TEST(Tiling, ResidentVectorsDoNotMakeAKernelWeightStationary) {
  TargetModel target = *TargetModel::fromSpec("64x64");
  // A 4 KiB scale vector: replicated along the tokens it costs one token's
  // tile, so the tokens may split too.
  std::optional<Distribution> d =
      bestDistribution(layerNorm(128, 1024), target, 256);
  ASSERT_TRUE(d.has_value());
  EXPECT_TRUE(d->splitX == 0 || d->splitY == 0);
}

TEST(Tiling, EvaluateAccountsEveryByte) {
  TargetModel target;
  // n split over 4 columns, k over 2 rows: W tile 32x16 stays resident;
  // the 8 tokens stream in time, so the X tile (8x32), the output tile
  // (8x16) and its partial-sum receive buffer hold two tokens each.
  Distribution d = evaluate(matmul(8, 64, 64), target, 1, 2, 4, 2);
  EXPECT_EQ(d.tile, (llvm::SmallVector<int64_t>{8, 16, 32}));
  EXPECT_EQ(d.streamDim, 0);
  EXPECT_EQ(d.residentBytes, 32 * 16 * 4);
  EXPECT_EQ(d.bufferBytes, 2 * 32 * 4 + 2 * 16 * 4);
  EXPECT_EQ(d.partialBytes, 2 * 16 * 4);
  EXPECT_EQ(d.sramBytes, d.residentBytes + d.bufferBytes + d.partialBytes);
  // One hop per column chain of 2 rows, 4 chains.
  EXPECT_EQ(d.reduceBytes, 8 * 16 * 4 * 1 * 4);
}

TEST(Tiling, UnevenSplitsRoundUp) {
  TargetModel target;
  Distribution d = evaluate(matmul(5, 10, 7), target, 1, 2, 3, 2);
  EXPECT_EQ(d.tile, (llvm::SmallVector<int64_t>{5, 4, 4}));
}

TEST(Tiling, BestDistributionFitsBudgetAndMesh) {
  TargetModel target = *TargetModel::fromSpec("32x32");
  // 768x768 fp32 weights = 2.25 MiB: cannot fit on few PEs.
  KernelSpec s = matmul(128, 768, 768);
  std::optional<Distribution> d = bestDistribution(s, target, 1024);
  ASSERT_TRUE(d.has_value());
  EXPECT_LE(d->sramBytes, target.sramBudget);
  EXPECT_LE(d->width, 32);
  EXPECT_LE(d->height, 32);
  EXPECT_LE(d->numPEs(), 1024);
  EXPECT_FALSE(bestDistribution(s, target, 8).has_value());
}

TEST(Tiling, WeightStationaryContractionSplitsWeightDims) {
  TargetModel target = *TargetModel::fromSpec("64x64");
  std::optional<Distribution> d =
      bestDistribution(matmul(16, 256, 256), target, 256);
  ASSERT_TRUE(d.has_value());
  // Both split dims index the weight, so each PE keeps a distinct tile.
  EXPECT_NE(d->splitX, 0);
  EXPECT_NE(d->splitY, 0);
  EXPECT_GT(d->numPEs(), 64);
}

TEST(Tiling, BalancedSizingLowersTheBottleneck) {
  // Two LayerNorms around a matmul on 3,481 PEs of wse2: by work the norms
  // get 40 PEs each and are the pipeline's slowest kernels; balanced
  // sizing first finds the smallest
  // bottleneck every kernel reaches on its Pareto frontier within the
  // budget, then shares the rest by work.
  TargetModel target = *TargetModel::fromSpec("wse2");
  std::vector<KernelSpec> ks = {layerNorm(16, 256), matmul(16, 768, 256),
                                layerNorm(16, 256)};
  auto slowest = [](const PipelineResult &r) {
    double c = 0;
    for (const Distribution &d : r.distributions)
      c = std::max(c, d.cycles);
    return c;
  };
  auto pes = [](const PipelineResult &r) {
    int64_t n = 0;
    for (const Distribution &d : r.distributions)
      n += d.numPEs();
    return n;
  };
  PipelineResult work = sizePipeline(ks, target, 3481);
  PipelineResult balanced =
      sizePipeline(ks, target, 3481, SubRectangles::Fit, Sizing::Balanced);
  ASSERT_FALSE(work.failure.has_value());
  ASSERT_FALSE(balanced.failure.has_value());
  EXPECT_EQ(work.distributions[0].numPEs(), 40);
  EXPECT_GT(balanced.distributions[0].numPEs(), 40);
  EXPECT_LT(slowest(balanced), slowest(work));
  EXPECT_LE(pes(balanced), 3481);
  EXPECT_LE(pes(work), 3481);
}

TEST(Tiling, PipelineIsBalancedByWork) {
  TargetModel target = *TargetModel::fromSpec("64x64");
  std::vector<KernelSpec> ks = {matmul(16, 256, 256), matmul(16, 64, 64)};
  PipelineResult r = sizePipeline(ks, target, 4096);
  ASSERT_FALSE(r.failure.has_value());
  ASSERT_EQ(r.distributions.size(), 2u);
  EXPECT_GT(r.distributions[0].numPEs(), r.distributions[1].numPEs());
  EXPECT_LE(r.distributions[0].numPEs() + r.distributions[1].numPEs(), 4096);
}

TEST(Tiling, DoesNotFitNamesTheKernel) {
  TargetModel target = *TargetModel::fromSpec("4x4");
  std::vector<KernelSpec> ks = {matmul(4, 8, 8), matmul(16, 768, 768)};
  PipelineResult r = sizePipeline(ks, target, 16);
  ASSERT_TRUE(r.failure.has_value());
  EXPECT_EQ(r.failure->kernel, 1);
  EXPECT_NE(r.failure->reason.find("B of SRAM per PE at best"),
            std::string::npos)
      << r.failure->reason;
}

TEST(Tiling, TooManyPEsIsAFailure) {
  TargetModel target = *TargetModel::fromSpec("16x16");
  std::vector<KernelSpec> ks(4, matmul(16, 1024, 1024));
  PipelineResult r = sizePipeline(ks, target, 256);
  ASSERT_TRUE(r.failure.has_value());
  EXPECT_NE(r.failure->reason.find("PEs are free"), std::string::npos)
      << r.failure->reason;
}

TEST(Tiling, Wse2ScaleIsClosedForm) {
  // A GPT-2-sized contraction sized for the whole wse2 mesh: the candidate
  // search is O(sqrt(dim)) per axis, not per PE.
  TargetModel target = *TargetModel::fromSpec("wse2");
  std::optional<Distribution> d =
      bestDistribution(matmul(128, 3072, 768), target, target.numPEs());
  ASSERT_TRUE(d.has_value());
  EXPECT_LE(d->width, 750);
  EXPECT_LE(d->height, 994);
}

TEST(Tiling, TokensStreamButStationaryOperandsStayWhole) {
  // GPT-2 small's MLP up-projection on 64x64: 128 tokens stream through a
  // 768x3072 weight; holding every token's output tile would need ~57 KB
  // per PE, streaming them needs the weight tile plus a few slices.
  TargetModel target = *TargetModel::fromSpec("64x64");
  std::optional<Distribution> d =
      bestDistribution(matmul(128, 3072, 768), target, 4096);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->streamDim, 0);
  EXPECT_LE(d->sramBytes, target.sramBudget);
  // Attention scores: S[t, s] = sum_d Q[t, d] K[s, d] with both operands
  // streamed in; t streams, the K tile stays whole.
  KernelSpec att;
  att.dims = {128, 128, 64};
  att.isReduction = {false, false, true};
  att.operands = {{{0, 2}, 4, OperandRole::Input, 128 * 64 * 4},
                  {{1, 2}, 4, OperandRole::Input, 128 * 64 * 4},
                  {{0, 1}, 4, OperandRole::Output, 128 * 128 * 4}};
  att.work = 128 * 128 * 64;
  Distribution a = evaluate(att, target, 1, -1, 4, 1);
  EXPECT_EQ(a.streamDim, 0);
  EXPECT_EQ(a.bufferBytes, 2 * 64 * 4 + 32 * 64 * 4 + 2 * 32 * 4);
  EXPECT_EQ(streamedBytes(4096, 0), 4096);
  EXPECT_EQ(streamedBytes(4096, 2), 4096);
  EXPECT_EQ(streamedBytes(4096, 16), 512);
}
