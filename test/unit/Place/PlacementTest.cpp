#include "wafer/Place/Placement.h"

#include "gtest/gtest.h"

using namespace wafer::place;

namespace {
using Origin = std::pair<int64_t, int64_t>;
PlacementProblem threeBlocks() {
  PlacementProblem p;
  p.meshWidth = 10;
  p.meshHeight = 6;
  p.blocks = {{"a", 4, 2}, {"b", 4, 3}, {"c", 4, 2}};
  p.edges = {{0, 1, 100}, {1, 2, 50}};
  return p;
}
} // namespace

TEST(Serpentine, FillsBandsAlternatingDirection) {
  PlacementProblem p = threeBlocks();
  ASSERT_FALSE(p.check());
  PlaceResult r = placeSerpentine(p);
  ASSERT_TRUE(r.succeeded()) << r.failure->message;
  ASSERT_EQ(r.placement.origins.size(), 3u);
  EXPECT_EQ(r.placement.origins[0], (Origin{0, 0}));
  EXPECT_EQ(r.placement.origins[1], (Origin{4, 0}));
  // Band 1 is 3 tall (tallest block); band 2 runs right to left, so 'c'
  // sits right-aligned under 'b'.
  EXPECT_EQ(r.placement.origins[2], (Origin{6, 3}));
  EXPECT_FALSE(p.verify(r.placement));
  CostReport c = cost(p, r.placement);
  EXPECT_EQ(c.edgeHops[0], 1); // a and b touch
  EXPECT_EQ(c.edgeHops[1], 1); // b and c touch across the turn
  EXPECT_EQ(c.total, 150);
}

TEST(Serpentine, MeshTooSmallIsAFailureNamingTheBlock) {
  PlacementProblem p;
  p.meshWidth = 10;
  p.meshHeight = 4;
  p.blocks = {{"a", 5, 3}, {"b", 5, 3}, {"c", 5, 3}};
  PlaceResult r = placeSerpentine(p);
  ASSERT_FALSE(r.succeeded());
  EXPECT_EQ(r.failure->message,
            "block 'c' (5x3) does not fit: 10 PEs free in the remaining area");
  EXPECT_EQ(r.failure->blocks, std::vector<int>{2});
  EXPECT_TRUE(r.placement.origins.empty());
}

TEST(Serpentine, FailureCountsRestOfCurrentBand) {
  PlacementProblem p;
  p.meshWidth = 10;
  p.meshHeight = 4;
  p.blocks = {{"a", 3, 2}, {"tall", 3, 5}};
  // 'tall' is taller than the mesh: check() rejects it before placing.
  PlaceResult r = placeSerpentine(p);
  ASSERT_FALSE(r.succeeded());
  EXPECT_EQ(r.failure->message,
            "block 'tall' (3x5) is larger than the 10x4 mesh");
  p.blocks = {{"a", 3, 2}, {"b", 3, 3}, {"c", 8, 2}};
  r = placeSerpentine(p);
  ASSERT_FALSE(r.succeeded());
  // Band 0 is 3 tall, 6 wide used; c needs a new band at y=3 of height 1.
  EXPECT_EQ(r.failure->message,
            "block 'c' (8x2) does not fit: 22 PEs free in the remaining area");
}

TEST(PlacementProblem, CheckRejectsBadInputs) {
  PlacementProblem p = threeBlocks();
  p.blocks[1].width = 0;
  auto f = p.check();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->message, "block 'b' (0x3) has a non-positive size");
  p = threeBlocks();
  p.edges.push_back({0, 7, 1});
  f = p.check();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->message, "edge 2 names block 0 -> 7, but there are 3 blocks");
  EXPECT_EQ(f->edge, 2);
  p = threeBlocks();
  p.edges[0].bytes = -5;
  f = p.check();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->message, "edge 0 ('a' -> 'b') has negative traffic -5 bytes");
  p = threeBlocks();
  p.meshHeight = 0;
  f = p.check();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->message, "mesh must be positive, got 10x0");
}

TEST(PlacementProblem, VerifyFindsOverlapsAndOutOfBounds) {
  PlacementProblem p = threeBlocks();
  Placement pl{{{0, 0}, {3, 1}, {6, 3}}};
  auto f = p.verify(pl);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->message,
            "blocks 'a' (4x2) at (0,0) and 'b' (4x3) at (3,1) overlap");
  EXPECT_EQ(f->blocks, (std::vector<int>{0, 1}));
  pl = {{{0, 0}, {4, 0}, {7, 3}}};
  f = p.verify(pl);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->message, "block 'c' (4x2) at (7,3) leaves the 10x6 mesh");
  pl = {{{0, 0}}};
  f = p.verify(pl);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->message, "placement has 1 origins for 3 blocks");
  // Touching rectangles are legal (half-open extents).
  pl = {{{0, 0}, {4, 0}, {0, 2}}};
  EXPECT_FALSE(p.verify(pl));
}

TEST(PlacementProblem, VerifyFindsOverlapAmongMany) {
  PlacementProblem p;
  p.meshWidth = 1000;
  p.meshHeight = 1000;
  Placement pl;
  for (int i = 0; i < 400; ++i) {
    p.blocks.push_back({"k" + std::to_string(i), 40, 40});
    pl.origins.push_back({(i % 20) * 50, (i / 20) * 50});
  }
  EXPECT_FALSE(p.verify(pl));
  pl.origins[377] = {pl.origins[100].first + 5, pl.origins[100].second + 5};
  auto f = p.verify(pl);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->blocks, (std::vector<int>{100, 377}));
}

TEST(Cost, NearestPEsAndCentres) {
  PlacementProblem p;
  p.meshWidth = 100;
  p.meshHeight = 100;
  p.blocks = {{"a", 10, 10}, {"b", 10, 10}};
  p.edges = {{0, 1, 7}};
  Placement pl{{{0, 0}, {20, 5}}};
  CostReport near = cost(p, pl, DistanceModel::NearestPEs);
  EXPECT_EQ(near.edgeHops[0], 11); // x gap 10 empty columns + 1, y overlaps
  EXPECT_EQ(near.total, 77);
  CostReport centre = cost(p, pl, DistanceModel::Centres);
  EXPECT_EQ(centre.edgeHops[0], 25);
  EXPECT_EQ(centre.edgeCost[0], 175);
}

TEST(Refine, LowersCostStaysLegalAndIsDeterministic) {
  PlacementProblem p;
  p.meshWidth = 40;
  p.meshHeight = 40;
  for (int i = 0; i < 6; ++i)
    p.blocks.push_back({"k" + std::to_string(i), 5, 5});
  // A hub: 0 talks heavily to 5, which serpentine puts far away.
  p.edges = {{0, 5, 1000}, {0, 1, 1}, {1, 2, 1}, {2, 3, 1}, {3, 4, 1}};
  Placement start{{{0, 0}, {10, 0}, {20, 0}, {30, 0}, {0, 20}, {35, 35}}};
  ASSERT_FALSE(p.verify(start));
  int64_t before = cost(p, start).total;
  PlaceResult a = refineLocalSearch(p, start, {7, 5000});
  PlaceResult b = refineLocalSearch(p, start, {7, 5000});
  ASSERT_TRUE(a.succeeded());
  EXPECT_FALSE(p.verify(a.placement));
  EXPECT_LT(cost(p, a.placement).total, before);
  EXPECT_EQ(a.placement.origins, b.placement.origins);
}

TEST(Refine, RejectsIllegalStart) {
  PlacementProblem p = threeBlocks();
  PlaceResult r = refineLocalSearch(p, Placement{{{0, 0}, {0, 0}, {6, 3}}});
  ASSERT_FALSE(r.succeeded());
  EXPECT_EQ(r.failure->blocks, (std::vector<int>{0, 1}));
}

TEST(Serpentine, Wse2ScalePipeline) {
  PlacementProblem p;
  p.meshWidth = 750;
  p.meshHeight = 994;
  for (int i = 0; i < 250; ++i)
    p.blocks.push_back(
        {"k" + std::to_string(i), 30 + (i * 7) % 40, 30 + (i * 11) % 20});
  for (int i = 0; i + 1 < 250; ++i)
    p.edges.push_back({i, i + 1, 4096});
  PlaceResult r = placeSerpentine(p);
  ASSERT_TRUE(r.succeeded()) << r.failure->message;
  EXPECT_FALSE(p.verify(r.placement));
  CostReport c = cost(p, r.placement);
  // Pipeline neighbours in one band touch; across a turn the gap is at most
  // the band height minus the block's height, plus one.
  for (int e = 0; e < 249; ++e) {
    if (r.placement.origins[e].second == r.placement.origins[e + 1].second)
      EXPECT_EQ(c.edgeHops[e], 1) << e;
    else
      EXPECT_LE(c.edgeHops[e], 20) << e;
  }
}

TEST(Refine, ScoreCallbackDrivesTheSearch) {
  // Two 2x2 blocks on an 8x8 mesh; the score pulls block 1 towards the
  // mesh's bottom-right corner, whatever the traffic says.
  PlacementProblem p;
  p.meshWidth = 8;
  p.meshHeight = 8;
  p.blocks = {{"a", 2, 2}, {"b", 2, 2}};
  p.edges = {{0, 1, 100}};
  Placement start = placeSerpentine(p).placement;
  RefineOptions o;
  o.iterations = 500;
  o.score = [](const Placement &pl) {
    return double((6 - pl.origins[1].first) + (6 - pl.origins[1].second));
  };
  PlaceResult r = refineLocalSearch(p, start, o);
  ASSERT_TRUE(r.succeeded());
  EXPECT_FALSE(p.verify(r.placement));
  EXPECT_LT(o.score(r.placement), o.score(start));
  // Deterministic for a seed.
  EXPECT_EQ(refineLocalSearch(p, start, o).placement.origins,
            r.placement.origins);
}
