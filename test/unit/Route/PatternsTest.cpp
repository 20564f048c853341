#include "wafer/Route/Patterns.h"
#include "wafer/Route/PatternRouter.h"
#include "wafer/Route/Streams.h"

#include "gtest/gtest.h"

using namespace wafer;
using namespace wafer::route;

namespace {
std::string at(const Pattern &p, int64_t x, int64_t y, int slot) {
  auto r = p.roleAt(x, y, slot);
  if (!r)
    return "-";
  std::string s = r->config.str();
  if (r->switchPositions > 1)
    s += " sw" + std::to_string(r->switchPositions);
  if (r->filter)
    s += " filter";
  return s;
}

std::vector<Pattern> everyKind(Rect r) {
  return {Pattern::edgeShift(r, Dir::East, 64),
          Pattern::multicast(r, Dir::South, 64),
          Pattern::scatter(r, Dir::West, 64),
          Pattern::gather(r, Dir::North, 64),
          Pattern::chainReduce(r, Dir::South, 64),
          Pattern::allreduce(r, Dir::East, 64),
          Pattern::allToAll(r, Dir::East, 64),
          Pattern::storeForward(r.x, r.y, r.x1() - 1, r.y1() - 1, 64)};
}
} // namespace

TEST(Patterns, ColorsStayFixedAsTheRectangleGrows) {
  std::vector<Pattern> small = everyKind(Rect{0, 0, 4, 4});
  for (Rect r : {Rect{0, 0, 64, 64}, Rect{3, 5, 700, 900}}) {
    std::vector<Pattern> big = everyKind(r);
    for (size_t i = 0; i < small.size(); ++i) {
      SCOPED_TRACE(kindName(small[i].kind));
      EXPECT_EQ(big[i].check(), "");
      EXPECT_EQ(big[i].numColors(), small[i].numColors());
      EXPECT_EQ(big[i].roles().size(), small[i].roles().size());
      EXPECT_EQ(big[i].maxSwitchPositions(), small[i].maxSwitchPositions());
      EXPECT_EQ(big[i].maxFilters(), small[i].maxFilters());
    }
  }
  const int expected[] = {1, 1, 1, 1, 2, 3, 2, 2};
  for (size_t i = 0; i < small.size(); ++i)
    EXPECT_EQ(small[i].numColors(), expected[i]) << kindName(small[i].kind);
}

TEST(Patterns, EdgeShiftConfiguresSourceInteriorSink) {
  Pattern p = Pattern::edgeShift(Rect{2, 3, 4, 2}, Dir::East, 128);
  EXPECT_EQ(at(p, 2, 3, 0), "R->E");
  EXPECT_EQ(at(p, 3, 4, 0), "W->E");
  EXPECT_EQ(at(p, 5, 4, 0), "W->R");
  EXPECT_EQ(at(p, 6, 3, 0), "-");
  EXPECT_EQ(at(p, 2, 5, 0), "-");
  EXPECT_EQ(p.sources(), (Rect{2, 3, 1, 2}));
  EXPECT_EQ(p.sinks(), (Rect{5, 3, 1, 2}));
  EXPECT_EQ(p.numLines(), 2);
  EXPECT_EQ(p.hopsPerLine(), 3);
  // 128 B = 32 wavelets, 3 hops, ramp in and out.
  EXPECT_DOUBLE_EQ(p.cycles(TargetModel()), 32 + 3 + 4);
}

TEST(Patterns, WestAndNorthCountFromTheFarEdge) {
  Pattern w = Pattern::multicast(Rect{0, 0, 4, 1}, Dir::West, 8);
  EXPECT_EQ(at(w, 3, 0, 0), "R->W");
  EXPECT_EQ(at(w, 2, 0, 0), "E->W,R");
  EXPECT_EQ(at(w, 0, 0, 0), "E->R");
  Pattern s = Pattern::scatter(Rect{1, 0, 1, 3}, Dir::North, 8);
  EXPECT_EQ(at(s, 1, 2, 0), "R->N");
  EXPECT_EQ(at(s, 1, 1, 0), "S->N,R filter");
  EXPECT_EQ(at(s, 1, 0, 0), "S->R filter");
}

TEST(Patterns, GatherRelaysWithTwoSwitchPositions) {
  Pattern g = Pattern::gather(Rect{0, 0, 5, 3}, Dir::East, 40);
  EXPECT_EQ(at(g, 0, 1, 0), "R->E");
  EXPECT_EQ(at(g, 2, 1, 0), "W->E sw2");
  EXPECT_EQ(at(g, 4, 1, 0), "W->R");
  EXPECT_EQ(g.maxSwitchPositions(), 2);
  EXPECT_EQ(g.sinks(), (Rect{4, 0, 1, 3}));
}

TEST(Patterns, ChainReduceAlternatesTwoColorsByParity) {
  Pattern c = Pattern::chainReduce(Rect{0, 0, 2, 5}, Dir::South, 16);
  // PE k sends its running sum on slot k % 2 and receives on the other.
  EXPECT_EQ(at(c, 0, 0, 0), "R->S");
  EXPECT_EQ(at(c, 0, 0, 1), "-");
  EXPECT_EQ(at(c, 1, 1, 0), "N->R");
  EXPECT_EQ(at(c, 1, 1, 1), "R->S");
  EXPECT_EQ(at(c, 0, 2, 0), "R->S");
  EXPECT_EQ(at(c, 0, 2, 1), "N->R");
  EXPECT_EQ(at(c, 0, 4, 0), "-"); // the chain's end only receives
  EXPECT_EQ(at(c, 0, 4, 1), "N->R");
  EXPECT_EQ(c.sinks(), (Rect{0, 4, 2, 1}));
  // DESIGN.md: B/4 + (2 T_R + 2)(P - 1).
  EXPECT_DOUBLE_EQ(c.cycles(TargetModel()), 4 + 6 * 4);
}

TEST(Patterns, AllreduceAndAllToAllUseBothDirections) {
  Pattern a = Pattern::allreduce(Rect{0, 0, 4, 1}, Dir::East, 8);
  EXPECT_EQ(at(a, 3, 0, 2), "R->W");
  EXPECT_EQ(at(a, 1, 0, 2), "E->W,R");
  EXPECT_EQ(a.sinks(), a.rect);
  Pattern t = Pattern::allToAll(Rect{0, 0, 4, 1}, Dir::East, 8);
  EXPECT_EQ(at(t, 1, 0, 0), "W->E,R sw2 filter");
  EXPECT_EQ(at(t, 1, 0, 1), "E->W,R sw2 filter");
  EXPECT_EQ(t.maxFilters(), 2);
  EXPECT_EQ(linkUses(t).size(), 2u);
}

TEST(Patterns, StoreForwardTurnsThroughTheCornerCore) {
  Pattern p = Pattern::storeForward(5, 2, 1, 7, 64);
  EXPECT_EQ(p.check(), "");
  EXPECT_EQ(p.dir, Dir::West);
  EXPECT_EQ(p.turn, Dir::South);
  EXPECT_EQ(p.start(), std::make_pair(int64_t(5), int64_t(2)));
  EXPECT_EQ(p.corner(), std::make_pair(int64_t(1), int64_t(2)));
  EXPECT_EQ(p.end(), std::make_pair(int64_t(1), int64_t(7)));
  EXPECT_EQ(at(p, 5, 2, 0), "R->W");
  EXPECT_EQ(at(p, 3, 2, 0), "E->W");
  EXPECT_EQ(at(p, 1, 2, 0), "E->R");
  EXPECT_EQ(at(p, 1, 2, 1), "R->S");
  EXPECT_EQ(at(p, 1, 4, 1), "N->S");
  EXPECT_EQ(at(p, 1, 7, 1), "N->R");
  EXPECT_EQ(at(p, 3, 4, 0), "-");
  EXPECT_EQ(p.hopsPerLine(), 9);
  Pattern straight = Pattern::storeForward(0, 3, 0, 0, 4);
  EXPECT_EQ(straight.numColors(), 1);
  EXPECT_EQ(at(straight, 0, 3, 0), "R->N");
}

TEST(Patterns, CheckRejectsDegenerateInstances) {
  EXPECT_NE(Pattern::edgeShift(Rect{0, 0, 1, 4}, Dir::East, 4).check(), "");
  EXPECT_NE(Pattern::multicast(Rect{0, 0, 0, 4}, Dir::South, 4).check(), "");
  EXPECT_NE(Pattern::gather(Rect{0, 0, 4, 4}, Dir::East, -1).check(), "");
  EXPECT_NE(Pattern::storeForward(2, 2, 2, 2, 4).check(), "");
}

TEST(MaxOverlap, FindsTheHeaviestPoint) {
  EXPECT_EQ(maxOverlap({}).value, 0);
  RectMax m = maxOverlap({{Rect{0, 0, 10, 10}, 1},
                          {Rect{5, 5, 10, 10}, 2},
                          {Rect{8, 0, 1, 20}, 4},
                          {Rect{100, 100, 1, 1}, 6}});
  EXPECT_EQ(m.value, 7);
  EXPECT_EQ(m.x, 8);
  EXPECT_EQ(m.y, 5);
  // Half-open: touching rectangles do not add up.
  RectMax t = maxOverlap({{Rect{0, 0, 2, 2}, 3}, {Rect{2, 0, 2, 2}, 3}});
  EXPECT_EQ(t.value, 3);
  EXPECT_EQ(t.x, 0);
}

namespace {
PatternProblem problem(int64_t w, int64_t h, int colors = 21) {
  PatternProblem p;
  p.meshWidth = w;
  p.meshHeight = h;
  p.usableColors = colors;
  return p;
}
void add(PatternProblem &p, const Pattern &pat, const std::string &owner) {
  p.patterns.push_back(pat);
  p.owners.push_back(owner);
}
} // namespace

TEST(PatternRouter, DisjointPatternsReuseColorsAndCrossingOnesDoNot) {
  PatternProblem p = problem(32, 32);
  // Two kernels' chain reduces never meet: they take the same two colors.
  add(p, Pattern::chainReduce(Rect{0, 0, 4, 8}, Dir::South, 8), "kernel @a");
  add(p, Pattern::chainReduce(Rect{10, 0, 4, 8}, Dir::South, 8), "kernel @b");
  // A lane crossing both rectangles needs a color neither chain holds.
  add(p, Pattern::edgeShift(Rect{0, 3, 20, 1}, Dir::East, 8), "stream @s");
  // The same pattern carrying the same data (equal data keys) is one
  // instance with one color; with other data it is a conflict of its own.
  add(p, Pattern::edgeShift(Rect{0, 3, 20, 1}, Dir::East, 8), "stream @t");
  add(p, Pattern::edgeShift(Rect{0, 3, 20, 1}, Dir::East, 8), "stream @u");
  p.dataKeys = {"a", "b", "x", "x", "y"};
  ASSERT_FALSE(p.check());
  PatternSolution s = colorPatterns(p);
  EXPECT_EQ(s.failure, "");
  EXPECT_EQ(s.colors[0], (std::vector<int>{0, 1}));
  EXPECT_EQ(s.colors[1], (std::vector<int>{0, 1}));
  EXPECT_EQ(s.colors[2], (std::vector<int>{2}));
  EXPECT_EQ(s.colors[3], s.colors[2]);
  EXPECT_EQ(s.colors[4], (std::vector<int>{3}));
  EXPECT_EQ(s.numInstances, 4);
  EXPECT_EQ(s.numPhases, 1);
  EXPECT_EQ(s.colorsMax.value, 4);
  EXPECT_FALSE(verify(p, s));
  // Equal patterns with other data on one color mix their data.
  s.colors[4] = s.colors[2];
  auto why = verify(p, s);
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("both configure color 2"), std::string::npos) << *why;
}

TEST(PatternRouter, VerifyChecksSlotsAndPhaseOrder) {
  PatternProblem p = problem(16, 16);
  add(p, Pattern::gather(Rect{0, 0, 4, 4}, Dir::East, 8), "stream @s");
  add(p, Pattern::chainReduce(Rect{3, 0, 1, 4}, Dir::South, 8), "stream @s");
  PatternSolution s = colorPatterns(p);
  ASSERT_FALSE(verify(p, s));
  PatternSolution twice = s;
  twice.colors[1] = {5, 5};
  auto why = verify(p, twice);
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("color 5 on two of its slots"), std::string::npos);
  // The chain's second pattern cannot run before its first.
  PatternSolution backwards = s;
  backwards.phase = {1, 0};
  why = verify(p, backwards);
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("runs in phase 0, before the pattern ahead of it"),
            std::string::npos)
      << *why;
}

TEST(PatternRouter, UncheckedProblemsFailInsteadOfLooping) {
  PatternProblem p = problem(8, 8, /*colors=*/1);
  add(p, Pattern::chainReduce(Rect{0, 0, 1, 4}, Dir::South, 8), "kernel @a");
  PatternSolution s = colorPatterns(p);
  EXPECT_NE(s.failure.find("needs 2 colors, 1 usable"), std::string::npos);
}

TEST(PatternRouter, CongestedRegionRoutesInPhases) {
  // 30 different lanes through one router: 21 colors cannot hold them at
  // once, so the last nine run in a second phase instead of failing.
  PatternProblem p = problem(64, 64);
  for (int i = 0; i < 30; ++i)
    add(p, Pattern::edgeShift(Rect{i, 10, 64 - i, 1}, Dir::East, 4),
        "stream @s" + std::to_string(i));
  PatternSolution s = colorPatterns(p);
  EXPECT_EQ(s.numPhases, 2);
  EXPECT_EQ(s.colorsMax.value, 21);
  int second = 0;
  for (int ph : s.phase)
    second += ph == 1;
  EXPECT_EQ(second, 9);
  EXPECT_GT(s.reconfigCycles, 0);
  EXPECT_FALSE(verify(p, s));
}

TEST(PatternRouter, FiltersAreAPerRouterResource) {
  // Two all-to-alls on one line arm four filters at its routers; a router
  // has three, so they take two phases even with colors to spare.
  PatternProblem p = problem(16, 16);
  add(p, Pattern::allToAll(Rect{0, 0, 8, 1}, Dir::East, 8), "stream @a");
  add(p, Pattern::allToAll(Rect{2, 0, 8, 1}, Dir::East, 8), "stream @b");
  PatternSolution s = colorPatterns(p);
  EXPECT_EQ(s.numPhases, 2);
  EXPECT_LE(s.filtersMax, 3);
  EXPECT_FALSE(verify(p, s));
}

TEST(PatternRouter, VerifyNamesBothOwnersTheColorAndThePE) {
  PatternProblem p = problem(16, 16);
  add(p, Pattern::edgeShift(Rect{0, 2, 8, 1}, Dir::East, 8), "stream @a");
  add(p, Pattern::multicast(Rect{4, 0, 1, 6}, Dir::South, 8), "stream @b");
  PatternSolution s = colorPatterns(p);
  ASSERT_FALSE(verify(p, s));
  s.colors[1] = s.colors[0];
  auto why = verify(p, s);
  ASSERT_TRUE(why);
  EXPECT_EQ(*why, "stream @a (edge_shift east [0,2 8x1] 8 B) and stream @b "
                  "(multicast south [4,0 1x6] 8 B) both configure color 0 at "
                  "PE (4,2): W->E vs N->S,R");
}

TEST(PatternRouter, CheckNamesTheOwner) {
  PatternProblem p = problem(8, 8);
  add(p, Pattern::edgeShift(Rect{4, 0, 8, 1}, Dir::East, 8), "stream @far");
  auto why = p.check();
  ASSERT_TRUE(why);
  EXPECT_EQ(*why, "stream @far (edge_shift east [4,0 8x1] 8 B): leaves the "
                  "8x8 mesh");
}

namespace {
Layout grid(Rect r, AxisLayout::Kind kx, int64_t ax, AxisLayout::Kind ky,
            int64_t ay) {
  Layout l;
  l.rect = r;
  l.x = AxisLayout{kx, ax, 4, r.w};
  l.y = AxisLayout{ky, ay, 4, r.h};
  return l;
}
std::vector<PatternKind> kinds(const std::vector<Pattern> &ps) {
  std::vector<PatternKind> k;
  for (const Pattern &p : ps)
    k.push_back(p.kind);
  return k;
}
} // namespace

TEST(Streams, AlignedNeighboursNeedGatherShiftScatter) {
  StreamSpec s;
  s.bytes = 1024;
  s.axisMap = {0, 1}; // the body yields its input
  Layout p = grid(Rect{0, 0, 4, 4}, AxisLayout::Partitioned, 1,
                  AxisLayout::Partitioned, 0);
  s.producers.push_back({p, 1024});
  s.consumer = grid(Rect{4, 0, 2, 4}, AxisLayout::Partitioned, 1,
                    AxisLayout::Partitioned, 0);
  std::vector<Pattern> chain = decomposeStream(s);
  EXPECT_EQ(kinds(chain), (std::vector<PatternKind>{PatternKind::Gather,
                                                    PatternKind::EdgeShift,
                                                    PatternKind::Scatter}));
  EXPECT_EQ(chain[1].rect, (Rect{3, 0, 2, 4}));
  EXPECT_EQ(chain[1].bytes, 256);
  EXPECT_FALSE(checkChain({p.occupied()}, chain, s.consumer.occupied()));
  // Dropping the scatter leaves column 5 unserved.
  chain.pop_back();
  auto gap = checkChain({p.occupied()}, chain, s.consumer.occupied());
  ASSERT_TRUE(gap);
  EXPECT_EQ(gap->pattern, -1);
  EXPECT_EQ(std::make_pair(gap->x, gap->y),
            std::make_pair(int64_t(5), int64_t(0)));
}

TEST(Streams, MisalignedNeighboursTransposeThroughBothRectangles) {
  StreamSpec s;
  s.bytes = 1 << 20;
  // No axis map: e.g. a transpose in the stream's body.
  Layout p = grid(Rect{0, 0, 4, 4}, AxisLayout::Partitioned, 1,
                  AxisLayout::Partitioned, 0);
  s.producers.push_back({p, 1 << 20});
  s.consumer = grid(Rect{0, 4, 4, 2}, AxisLayout::Partitioned, 0,
                    AxisLayout::Replicated, -1);
  std::vector<Pattern> chain = decomposeStream(s);
  // Below the producer (the row case transposed): the producer's columns
  // gather onto its bottom row and multicast down over the consumer, an
  // all-to-all along the rows of both moves each consumer column's pieces
  // onto it, and one down the consumer's columns assembles them. No step
  // carries more than a quarter of the tensor, where all-to-alls on both
  // edge lines would carry all of it.
  EXPECT_EQ(kinds(chain), (std::vector<PatternKind>{
                              PatternKind::Gather, PatternKind::Multicast,
                              PatternKind::AllToAll, PatternKind::AllToAll}));
  EXPECT_EQ(chain[1].rect, (Rect{0, 3, 4, 3}));
  EXPECT_EQ(chain[1].dir, Dir::South);
  EXPECT_EQ(chain[2].rect, (Rect{0, 0, 4, 6}));
  EXPECT_EQ(chain[2].dir, Dir::East);
  EXPECT_EQ(chain[3].dir, Dir::South);
  for (const Pattern &q : chain)
    EXPECT_LE(q.bytes, 256 * 1024) << q.str();
  EXPECT_FALSE(checkChain({p.occupied()}, chain, s.consumer.occupied()));
}

TEST(Streams, SmallStreamsAvoidAllToAlls) {
  // The tall-column stream of ATallColumnTransposesThroughTheColumnsOfBoth
  // at 1 KiB: two all-to-alls would arm filters over both rectangles (and
  // may cost a routing phase) to save less than that on the links, so the
  // stream funnels through a store-and-forward instead.
  StreamSpec s;
  s.bytes = 1024;
  Layout p = grid(Rect{0, 0, 1, 4}, AxisLayout::Single, -1,
                  AxisLayout::Partitioned, 0);
  s.producers.push_back({p, 1024});
  s.consumer = grid(Rect{4, 1, 2, 2}, AxisLayout::Partitioned, 1,
                    AxisLayout::Partitioned, 0);
  std::vector<Pattern> chain = decomposeStream(s);
  int allToAlls = 0;
  for (const Pattern &q : chain)
    allToAlls += q.kind == PatternKind::AllToAll;
  EXPECT_EQ(allToAlls, 0);
  EXPECT_FALSE(checkChain({p.occupied()}, chain, s.consumer.occupied()));
}

TEST(Streams, TurnedLinesCarryOnlyTheirShare) {
  // Tokens down the producer's rows, across the consumer's columns (a
  // matmul's query tokens): each consumer column carries its 1/8.
  StreamSpec s;
  s.bytes = 8192;
  Layout p = grid(Rect{0, 0, 2, 8}, AxisLayout::Partitioned, 1,
                  AxisLayout::Partitioned, 0);
  s.producers.push_back({p, 8192});
  s.consumer = grid(Rect{2, 0, 8, 16}, AxisLayout::Partitioned, 0,
                    AxisLayout::Replicated, -1);
  std::vector<Pattern> chain = decomposeStream(s);
  ASSERT_EQ(kinds(chain), (std::vector<PatternKind>{
                              PatternKind::Gather, PatternKind::EdgeShift,
                              PatternKind::Multicast, PatternKind::AllToAll}));
  EXPECT_EQ(chain[2].rect, (Rect{2, 0, 8, 8}));
  EXPECT_EQ(chain[3].rect, (Rect{2, 0, 8, 16}));
  EXPECT_EQ(chain[3].dir, Dir::South);
  EXPECT_EQ(chain[3].bytes, 1024);
  EXPECT_FALSE(checkChain({p.occupied()}, chain, s.consumer.occupied()));
}

TEST(Streams, ATallColumnTransposesThroughTheColumnsOfBoth) {
  // A one-column producer whose rows reach beyond the consumer's (features
  // down 4 rows into a kernel holding tokens down 2): its rows multicast
  // east over both rectangles' columns, an all-to-all down each column
  // carries a 1/6 piece of every consumer row onto that row, and one along
  // the consumer's rows assembles each PE's part.
  StreamSpec s;
  s.bytes = 1 << 20;
  Layout p = grid(Rect{0, 0, 1, 4}, AxisLayout::Single, -1,
                  AxisLayout::Partitioned, 0);
  s.producers.push_back({p, 1 << 20});
  s.consumer = grid(Rect{4, 1, 2, 2}, AxisLayout::Partitioned, 1,
                    AxisLayout::Partitioned, 0);
  std::vector<Pattern> chain = decomposeStream(s);
  ASSERT_EQ(kinds(chain), (std::vector<PatternKind>{PatternKind::Multicast,
                                                    PatternKind::AllToAll,
                                                    PatternKind::AllToAll}));
  EXPECT_EQ(chain[0].rect, (Rect{0, 0, 6, 4}));
  EXPECT_EQ(chain[0].dir, Dir::East);
  EXPECT_EQ(chain[1].rect, (Rect{0, 0, 6, 4}));
  EXPECT_EQ(chain[1].bytes, 174763);
  EXPECT_EQ(chain[2].rect, (Rect{0, 1, 6, 2}));
  EXPECT_EQ(chain[2].bytes, 524288);
  EXPECT_FALSE(checkChain({p.occupied()}, chain, s.consumer.occupied()));
}

TEST(Streams, MisalignedLanesOutsideTheConsumerUseBothEdgeLines) {
  // The same producer into a consumer that needs every row whole (it
  // replicates down its rows): no turn or spread applies, so all-to-alls on
  // both edge lines around straight lanes.
  StreamSpec s;
  s.bytes = 1 << 20;
  Layout p = grid(Rect{0, 0, 1, 4}, AxisLayout::Single, -1,
                  AxisLayout::Partitioned, 0);
  s.producers.push_back({p, 1 << 20});
  s.consumer = grid(Rect{4, 1, 2, 2}, AxisLayout::Partitioned, 1,
                    AxisLayout::Replicated, -1);
  std::vector<Pattern> chain = decomposeStream(s);
  EXPECT_EQ(kinds(chain), (std::vector<PatternKind>{
                              PatternKind::AllToAll, PatternKind::EdgeShift,
                              PatternKind::AllToAll, PatternKind::Scatter}));
  EXPECT_EQ(chain[0].rect, (Rect{0, 0, 1, 4}));
  EXPECT_EQ(chain[2].rect, (Rect{4, 1, 1, 2}));
  EXPECT_FALSE(checkChain({p.occupied()}, chain, s.consumer.occupied()));
}

TEST(Streams, AReductionRowSpreadsOverTheConsumersRows) {
  // A contraction's result on its last row, split across 4 columns, into a
  // column beside it that partitions the same features down 6 rows:
  // multicast up the producer's columns, a gather along each row, lanes.
  StreamSpec s;
  s.bytes = 768;
  Layout p =
      grid(Rect{0, 0, 4, 6}, AxisLayout::Partitioned, 1, AxisLayout::Last, -1);
  s.producers.push_back({p, 768});
  Layout c;
  c.rect = Rect{4, 0, 1, 6};
  c.x = AxisLayout{AxisLayout::Single, -1, 0, 1};
  c.y = AxisLayout{AxisLayout::Partitioned, 1, 4, 6};
  s.consumer = c;
  std::vector<Pattern> chain = decomposeStream(s);
  ASSERT_EQ(kinds(chain), (std::vector<PatternKind>{PatternKind::Multicast,
                                                    PatternKind::Gather,
                                                    PatternKind::EdgeShift}));
  EXPECT_EQ(chain[0].rect, (Rect{0, 0, 4, 6}));
  EXPECT_EQ(chain[0].dir, Dir::North);
  EXPECT_EQ(chain[0].bytes, 192);
  EXPECT_EQ(chain[1].dir, Dir::East);
  EXPECT_EQ(chain[1].bytes, 128);
  EXPECT_EQ(chain[2].rect, (Rect{3, 0, 2, 6}));
  EXPECT_FALSE(checkChain({p.occupied()}, chain, c.occupied()));
}

TEST(Streams, DiagonalRectanglesSpreadOverTheGap) {
  // A reduction's result row, split across 3 columns, into a kernel below
  // and to the east: the columns multicast down over the consumer's rows,
  // an all-to-all along those rows spreads each consumer column's pieces
  // and one down the consumer's columns assembles them.
  StreamSpec s;
  s.bytes = 1 << 19;
  Layout p =
      grid(Rect{0, 0, 3, 3}, AxisLayout::Partitioned, 0, AxisLayout::Last, -1);
  s.producers.push_back({p, 1 << 19});
  s.consumer = grid(Rect{10, 10, 2, 3}, AxisLayout::Partitioned, 0,
                    AxisLayout::Partitioned, 1);
  std::vector<Pattern> chain = decomposeStream(s);
  EXPECT_EQ(kinds(chain), (std::vector<PatternKind>{PatternKind::Multicast,
                                                    PatternKind::AllToAll,
                                                    PatternKind::AllToAll}));
  EXPECT_EQ(chain[0].rect, (Rect{0, 2, 3, 11}));
  EXPECT_EQ(chain[0].dir, Dir::South);
  EXPECT_EQ(chain[1].rect, (Rect{0, 2, 12, 11}));
  EXPECT_EQ(chain[2].rect, (Rect{10, 2, 2, 11}));
  EXPECT_FALSE(checkChain({p.occupied()}, chain, s.consumer.occupied()));
}

TEST(Streams, AColumnUnderAReductionRowSpreadsOverItsRows) {
  // A contraction's result on its last row, split across 16 columns, into
  // a one-column kernel below it (within its columns) that partitions the
  // features down 8 rows: multicast down the producer's columns over the
  // consumer's rows, then a gather along each of those rows from both
  // sides into the consumer's column. Each row carries 1/8 of the data,
  // where a funnel would push all of it through the one PE above the
  // consumer.
  StreamSpec s;
  s.bytes = 1 << 16;
  Layout p =
      grid(Rect{0, 0, 16, 4}, AxisLayout::Partitioned, 1, AxisLayout::Last, -1);
  s.producers.push_back({p, 1 << 16});
  Layout c;
  c.rect = Rect{10, 4, 1, 8};
  c.x = AxisLayout{AxisLayout::Single, -1, 0, 1};
  c.y = AxisLayout{AxisLayout::Partitioned, 1, 4, 8};
  s.consumer = c;
  std::vector<Pattern> chain = decomposeStream(s);
  ASSERT_EQ(kinds(chain), (std::vector<PatternKind>{PatternKind::Multicast,
                                                    PatternKind::Gather,
                                                    PatternKind::Gather}));
  EXPECT_EQ(chain[0].rect, (Rect{0, 3, 16, 9}));
  EXPECT_EQ(chain[0].dir, Dir::South);
  EXPECT_EQ(chain[0].bytes, 4096);
  EXPECT_EQ(chain[1].rect, (Rect{0, 4, 11, 8}));
  EXPECT_EQ(chain[1].dir, Dir::East);
  EXPECT_EQ(chain[1].bytes, 8192);
  EXPECT_EQ(chain[2].rect, (Rect{10, 4, 6, 8}));
  EXPECT_EQ(chain[2].dir, Dir::West);
  for (const Pattern &q : chain)
    EXPECT_LE(q.bytesPerLink(), 8192) << q.str();
  EXPECT_FALSE(checkChain({p.occupied()}, chain, c.occupied()));

  // Above the producer, the same upwards, from its last row.
  c.rect = Rect{10, 0, 1, 8};
  p.rect = Rect{0, 8, 16, 4};
  s.producers[0].layout = p;
  s.consumer = c;
  chain = decomposeStream(s);
  ASSERT_EQ(kinds(chain), (std::vector<PatternKind>{PatternKind::Multicast,
                                                    PatternKind::Gather,
                                                    PatternKind::Gather}));
  EXPECT_EQ(chain[0].rect, (Rect{0, 0, 16, 12}));
  EXPECT_EQ(chain[0].dir, Dir::North);
  EXPECT_EQ(chain[1].rect, (Rect{0, 0, 11, 8}));
  EXPECT_FALSE(checkChain({p.occupied()}, chain, c.occupied()));
}

TEST(Streams, DiagonalRectanglesFunnelThroughStoreAndForward) {
  // A producer on one PE has no lines to spread over.
  StreamSpec s;
  s.bytes = 512;
  Layout p =
      grid(Rect{0, 0, 1, 3}, AxisLayout::Single, -1, AxisLayout::Last, -1);
  s.producers.push_back({p, 512});
  s.consumer = grid(Rect{10, 10, 2, 3}, AxisLayout::Partitioned, 0,
                    AxisLayout::Partitioned, 1);
  std::vector<Pattern> chain = decomposeStream(s);
  EXPECT_EQ(kinds(chain), (std::vector<PatternKind>{PatternKind::StoreForward,
                                                    PatternKind::Scatter,
                                                    PatternKind::Scatter}));
  EXPECT_EQ(chain[0].start(), std::make_pair(int64_t(0), int64_t(2)));
  EXPECT_EQ(chain[0].end(), std::make_pair(int64_t(10), int64_t(10)));
  EXPECT_FALSE(checkChain({p.occupied()}, chain, s.consumer.occupied()));
}

TEST(Streams, HostInputsEnterAtColumnZero) {
  StreamSpec s;
  s.bytes = 256;
  s.producers.push_back({std::nullopt, 256});
  s.consumer = grid(Rect{5, 2, 3, 2}, AxisLayout::Replicated, -1,
                    AxisLayout::Partitioned, 0);
  std::vector<Pattern> chain = decomposeStream(s);
  ASSERT_EQ(kinds(chain), (std::vector<PatternKind>{PatternKind::EdgeShift,
                                                    PatternKind::Multicast}));
  EXPECT_EQ(chain[0].rect, (Rect{0, 2, 6, 2}));
  EXPECT_EQ(chain[0].bytes, 128);
  EXPECT_FALSE(checkChain({Rect{0, 2, 1, 2}}, chain, s.consumer.occupied()));
}

TEST(Streams, HostInputsToReplicatedRowsArriveInPieces) {
  // A contraction taking k across 8 columns and the whole input on every
  // one of its 16 rows: the host writes each row a 1/16 piece, a scatter
  // leaves each PE its column's part, and an all-to-all down each column
  // collects the column's 1/8 of the tensor, instead of every row carrying
  // all of it.
  StreamSpec s;
  s.bytes = 8192;
  s.producers.push_back({std::nullopt, 8192});
  s.consumer = grid(Rect{0, 0, 8, 16}, AxisLayout::Partitioned, 1,
                    AxisLayout::Replicated, -1);
  std::vector<Pattern> chain = decomposeStream(s);
  ASSERT_EQ(kinds(chain), (std::vector<PatternKind>{PatternKind::Scatter,
                                                    PatternKind::AllToAll}));
  EXPECT_EQ(chain[0].bytes, 512);
  EXPECT_EQ(chain[1].rect, (Rect{0, 0, 8, 16}));
  EXPECT_EQ(chain[1].dir, Dir::South);
  EXPECT_EQ(chain[1].bytes, 1024);
  EXPECT_FALSE(checkChain({Rect{0, 0, 1, 16}}, chain, s.consumer.occupied()));
}

TEST(Streams, ReductionsChainAlongTheSplitAxis) {
  Layout l =
      grid(Rect{0, 0, 4, 6}, AxisLayout::Partitioned, 1, AxisLayout::Last, -1);
  std::vector<Pattern> r = reductionPatterns(l, 4 * 5 * 32);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].kind, PatternKind::ChainReduce);
  EXPECT_EQ(r[0].dir, Dir::South);
  EXPECT_EQ(r[0].bytes, 32);
  EXPECT_EQ(l.occupied(), (Rect{0, 5, 4, 1}));
}

TEST(Streams, FusedStagesAllreduceAlongTheirRows) {
  // A LayerNorm kernel: hidden dim along x (6 columns), tokens along y (8
  // rows); its output is partitioned on both axes. One pass of the
  // statistics' partial sums: 8 rows x 5 links x 16 B.
  Layout l = grid(Rect{2, 3, 6, 8}, AxisLayout::Partitioned, 1,
                  AxisLayout::Partitioned, 0);
  std::vector<Pattern> r = allreducePatterns(l, true, false, 8 * 5 * 16);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].kind, PatternKind::Allreduce);
  EXPECT_EQ(r[0].dir, Dir::East);
  EXPECT_EQ(r[0].rect, (Rect{2, 3, 6, 8}));
  EXPECT_EQ(r[0].bytes, 16);
  EXPECT_EQ(r[0].numColors(), 3);
  // Both axes: one allreduce per axis over the occupied lines.
  r = allreducePatterns(l, true, true, 1000);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].dir, Dir::South);
  // A single column has no line to reduce along.
  Layout one = grid(Rect{0, 0, 1, 8}, AxisLayout::Single, -1,
                    AxisLayout::Partitioned, 0);
  EXPECT_TRUE(allreducePatterns(one, true, false, 64).empty());
}

TEST(Streams, LinedUpFollowsTheAxisMap) {
  // Producer result [128, 768] partitioned on axis 1 (768 rows of 1);
  // consumer [1, 128, 768] (a unit dim added) partitioned on axis 2.
  AxisLayout p{AxisLayout::Partitioned, 1, 1, 768};
  AxisLayout c{AxisLayout::Partitioned, 2, 1, 768};
  std::vector<int64_t> unitDimAdded = {1, 2};
  EXPECT_TRUE(linedUp(p, c, unitDimAdded, 0, 768, 0, 768));
  // Reordered data (no axis map), another tile, other rows: not lined up.
  EXPECT_FALSE(linedUp(p, c, {}, 0, 768, 0, 768));
  AxisLayout c8{AxisLayout::Partitioned, 2, 8, 96};
  EXPECT_FALSE(linedUp(p, c8, unitDimAdded, 0, 768, 0, 96));
  EXPECT_FALSE(linedUp(p, c, unitDimAdded, 0, 768, 1, 768));
  // A reduction's result row is never lined up with a partition.
  AxisLayout last{AxisLayout::Last, -1, 0, 4};
  EXPECT_FALSE(linedUp(last, c, unitDimAdded, 3, 1, 3, 1));
  AxisLayout single{AxisLayout::Single, -1, 0, 1};
  EXPECT_TRUE(linedUp(single, single, unitDimAdded, 5, 1, 5, 1));
}
