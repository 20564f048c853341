#include "wafer/Route/Routing.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <sys/resource.h>

using namespace wafer;
using namespace wafer::route;

namespace {
FlowFamily p2p(int64_t sx, int64_t sy, int64_t dx, int64_t dy,
               int64_t bytes = 4) {
  FlowFamily f;
  f.sx = sx;
  f.sy = sy;
  f.dx = dx;
  f.dy = dy;
  f.bytes = bytes;
  return f;
}

RoutingProblem mesh(int64_t w, int64_t h, int colors = 21) {
  RoutingProblem p;
  p.meshWidth = w;
  p.meshHeight = h;
  p.usableColors = colors;
  return p;
}

std::vector<std::pair<int64_t, int64_t>>
sorted(std::vector<std::pair<int64_t, int64_t>> v) {
  std::sort(v.begin(), v.end());
  return v;
}
} // namespace

TEST(Tree, PointToPointHopStrings) {
  EXPECT_EQ(hopString(Tree::of(p2p(0, 0, 3, 2), 0, 0)), "EEESS");
  EXPECT_EQ(hopString(Tree::of(p2p(5, 5, 2, 3), 0, 0)), "WWWNN");
  EXPECT_EQ(hopString(Tree::of(p2p(4, 4, 4, 4), 0, 0)), "");
  Tree t = Tree::of(p2p(0, 0, 3, 2), 0, 0);
  EXPECT_EQ(t.configAt(0, 0)->str(), "R->E");
  EXPECT_EQ(t.configAt(2, 0)->str(), "W->E");
  EXPECT_EQ(t.configAt(3, 0)->str(), "W->S");
  EXPECT_EQ(t.configAt(3, 1)->str(), "N->S");
  EXPECT_EQ(t.configAt(3, 2)->str(), "N->R");
  EXPECT_FALSE(t.configAt(1, 1));
  EXPECT_EQ(t.numLinks(), 5);
  EXPECT_EQ(t.maxPathHops(), 5);
}

TEST(Tree, MulticastFromInsideTheRectangle) {
  FlowFamily f;
  f.sx = 2;
  f.sy = 1;
  f.dx = 1;
  f.dy = 0;
  f.dw = 3;
  f.dh = 3;
  Tree t = Tree::of(f, 0, 0);
  EXPECT_EQ(t.configAt(2, 1)->str(), "R->E,W,N,S,R");
  EXPECT_EQ(t.configAt(1, 1)->str(), "E->N,S,R");
  EXPECT_EQ(t.configAt(3, 0)->str(), "S->R");
  EXPECT_EQ(t.numRouters(), 9);
  EXPECT_EQ(t.numLinks(), 8);
  std::vector<Segment> segs = segments(t);
  ASSERT_EQ(segs.size(), 8u); // E, W, then N+S for each of 3 columns
  EXPECT_EQ(segs[0].dir, Port::East);
  EXPECT_EQ(segs[1].dir, Port::West);
  EXPECT_EQ(segs[2].x, 1);
  EXPECT_EQ(segs[2].dir, Port::North);
}

TEST(Route, RowMulticastReachesExactlyTheDestination) {
  RoutingProblem p = mesh(8, 4);
  FlowFamily f;
  f.sx = 0;
  f.sy = 0;
  f.dx = 3;
  f.dy = 0;
  f.dw = 4;
  f.dh = 1;
  f.nj = 4; // one replica per row
  f.sj = 1;
  f.bytes = 64;
  p.streams.push_back({"x_chunks", {f}});
  ASSERT_FALSE(p.check());
  RoutingSolution s = routeDimensionOrdered(p);
  ASSERT_TRUE(s.succeeded()) << s.failures[0].message;
  EXPECT_FALSE(p.verify(s));
  EXPECT_EQ(s.streams[0].colors, std::vector<int>{0});
  EXPECT_EQ(s.streams[0].hops, 4 * 6);
  EXPECT_EQ(s.streams[0].maxPathHops, 6);
  Delivery d = reach(s.table, 0, 0, 2);
  EXPECT_TRUE(d.dropped.empty());
  EXPECT_EQ(sorted(d.reached), (std::vector<std::pair<int64_t, int64_t>>{
                                   {3, 2}, {4, 2}, {5, 2}, {6, 2}}));
  EXPECT_EQ(s.linkLoad(0, 2, Port::East), 64u);
  EXPECT_EQ(s.linkLoad(5, 2, Port::East), 64u);
  EXPECT_EQ(s.linkLoad(6, 2, Port::East), 0u);
  EXPECT_EQ(s.maxLinkBytes, 64u);
  EXPECT_EQ(s.maxColors, 1);
}

TEST(Route, ColumnChainAlternatesTwoColors) {
  RoutingProblem p = mesh(4, 8);
  FlowFamily f = p2p(0, 0, 0, 1, 16); // 1 hop south
  f.ni = 3;
  f.si = 1;
  f.nj = 6;
  f.sj = 1;
  p.streams.push_back({"psum_chain", {f}});
  RoutingSolution s = routeDimensionOrdered(p);
  ASSERT_TRUE(s.succeeded()) << s.failures[0].message;
  EXPECT_FALSE(p.verify(s));
  EXPECT_EQ(s.streams[0].colors, (std::vector<int>{0, 1}));
  const auto &rc = s.streams[0].replicaColors[0];
  for (int64_t j = 0; j < 6; ++j)
    for (int64_t i = 0; i < 3; ++i)
      EXPECT_EQ(rc[i + j * 3], j % 2) << i << "," << j;
  EXPECT_EQ(s.maxColors, 2);
}

TEST(Route, StreamsShareAColorWhereTheyDoNotMeet) {
  RoutingProblem p = mesh(8, 8);
  p.streams.push_back({"a", {p2p(0, 0, 3, 0)}});
  p.streams.push_back({"b", {p2p(0, 5, 3, 5)}});
  p.streams.push_back({"c", {p2p(1, 0, 1, 3)}}); // crosses a's row at (1,0)
  RoutingSolution s = routeDimensionOrdered(p);
  ASSERT_TRUE(s.succeeded());
  EXPECT_EQ(s.streams[0].colors, std::vector<int>{0});
  EXPECT_EQ(s.streams[1].colors, std::vector<int>{0});
  EXPECT_EQ(s.streams[2].colors, std::vector<int>{1});
  EXPECT_EQ(s.maxColors, 2);
  EXPECT_EQ(s.maxColorsX, 1);
  EXPECT_EQ(s.maxColorsY, 0);
  EXPECT_FALSE(p.verify(s));
}

TEST(Route, MaxLinkNamesTheStreamsOnIt) {
  RoutingProblem p = mesh(8, 2);
  p.streams.push_back({"a", {p2p(0, 0, 4, 0, 100)}});
  p.streams.push_back({"b", {p2p(2, 0, 5, 0, 30)}});
  p.streams.push_back({"c", {p2p(0, 1, 1, 1, 50)}});
  RoutingSolution s = routeDimensionOrdered(p);
  ASSERT_TRUE(s.succeeded());
  EXPECT_EQ(s.maxLinkBytes, 130u);
  EXPECT_EQ(s.maxLink.x, 2);
  EXPECT_EQ(s.maxLink.y, 0);
  EXPECT_EQ(s.maxLink.dir, Port::East);
  EXPECT_EQ(s.maxLinkStreams, (std::vector<int>{0, 1}));
}

TEST(Route, OutOfColorsNamesPEAndStreams) {
  RoutingProblem p = mesh(6, 2, /*colors=*/2);
  p.streams.push_back({"a", {p2p(0, 0, 4, 0)}});
  p.streams.push_back({"b", {p2p(1, 0, 4, 0)}});
  p.streams.push_back({"c", {p2p(0, 0, 2, 0)}});
  RoutingSolution s = routeDimensionOrdered(p);
  ASSERT_EQ(s.failures.size(), 1u);
  EXPECT_EQ(s.failures[0].message,
            "out of colors at PE (2,0): streams a, b, c need 3, 2 usable");
  EXPECT_EQ(s.failures[0].streams, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(s.failures[0].x, 2);
  EXPECT_EQ(s.failures[0].y, 0);
  EXPECT_FALSE(s.streams[2].routed);
  EXPECT_TRUE(s.streams[0].routed);
  // The failed stream left nothing behind in the table.
  EXPECT_EQ(s.table.get(2, 0, 0)->str(), "W->E");
  EXPECT_EQ(s.table.get(2, 0, 1)->str(), "W->E");
  auto v = p.verify(s);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->message, "stream 'c' is not routed");
}

TEST(Route, FragmentedColorsAreReported) {
  RoutingProblem p = mesh(4, 4, /*colors=*/2);
  p.streams.push_back({"a", {p2p(0, 0, 2, 0)}}); // color 0
  p.streams.push_back({"b", {p2p(0, 0, 0, 1)}}); // clashes at (0,0): color 1
  p.streams.push_back({"c", {p2p(2, 1, 2, 2)}}); // color 0 at (2,1)
  FlowFamily row;                                // (2,1) -> row 1, x in 0..2
  row.sx = 2;
  row.sy = 1;
  row.dx = 0;
  row.dy = 1;
  row.dw = 3;
  row.dh = 1;
  p.streams.push_back({"d", {row}});
  RoutingSolution s = routeDimensionOrdered(p);
  ASSERT_EQ(s.failures.size(), 1u);
  EXPECT_EQ(s.failures[0].message,
            "out of colors at PE (0,1): streams b, d need 2, 2 usable; no "
            "single color is free along the whole route of stream 'd'");
}

TEST(Route, ChainOutOfColorsRollsBackPartialReplicas) {
  RoutingProblem p = mesh(2, 6, /*colors=*/1);
  FlowFamily f = p2p(0, 0, 0, 1);
  f.nj = 4;
  f.sj = 1;
  p.streams.push_back({"chain", {f}});
  RoutingSolution s = routeDimensionOrdered(p);
  ASSERT_EQ(s.failures.size(), 1u);
  EXPECT_EQ(s.failures[0].message,
            "out of colors at PE (0,1): streams chain need 2, 1 usable");
  EXPECT_EQ(s.failures[0].family, 0);
  EXPECT_EQ(s.table.colorsUsed(0, 0), 0);
  EXPECT_EQ(s.table.colorsUsed(0, 1), 0);
}

TEST(RoutingProblem, CheckRejectsBadFamilies) {
  RoutingProblem p = mesh(8, 8);
  p.streams.push_back({"empty", {}});
  auto f = p.check();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->message, "stream 'empty' has no flow families");
  p.streams[0].families.push_back(p2p(0, 0, 1, 1));
  FlowFamily big = p2p(0, 0, 1, 1);
  big.nj = 8;
  big.sj = 1; // last replica's destination is row 8
  p.streams[0].families.push_back(big);
  f = p.check();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->message, "stream 'empty' family 1: replica (0,7): destination "
                        "[1,2) x [8,9) is outside the 8x8 mesh");
  EXPECT_EQ(f->family, 1);
  p.streams[0].families[1] = p2p(-1, 0, 1, 1);
  f = p.check();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->message, "stream 'empty' family 1: replica (0,0): source PE "
                        "(-1,0) is outside the 8x8 mesh");
  p.streams[0].families[1] = p2p(0, 0, 1, 1);
  p.streams[0].families[1].dw = 0;
  f = p.check();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->message,
            "stream 'empty' family 1: destination size 0x1 must be positive");
  p.streams[0].families[1].dw = 1;
  p.streams[0].families[1].ni = 0;
  f = p.check();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->message,
            "stream 'empty' family 1: replica counts 0x1 must be positive");
  p.streams[0].families[1].ni = 1;
  p.streams[0].families[1].bytes = -1;
  f = p.check();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->message, "stream 'empty' family 1: negative traffic -1 bytes");
  p.streams[0].families[1].bytes = 1;
  p.usableColors = 0;
  f = p.check();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->message, "usable colors must be in 1..32, got 0");
  // The solver reports check() failures as data too.
  RoutingSolution s = routeDimensionOrdered(p);
  ASSERT_EQ(s.failures.size(), 1u);
  EXPECT_EQ(s.failures[0].message, "usable colors must be in 1..32, got 0");
}

TEST(RoutingProblem, VerifyCatchesSharedColorConflict) {
  RoutingProblem p = mesh(8, 8);
  p.streams.push_back({"a", {p2p(0, 0, 3, 0)}});
  p.streams.push_back({"c", {p2p(1, 0, 1, 3)}});
  RoutingSolution s = routeDimensionOrdered(p);
  ASSERT_TRUE(s.succeeded());
  s.streams[1].replicaColors[0][0] = 0; // force both onto color 0
  auto f = p.verify(s);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->message, "stream 'c' replica (0,0) needs R->S at PE (1,0) "
                        "color 0, which another flow configured as W->E");
}

TEST(Reach, BrokenHopStopsOrMisroutesData) {
  RoutingProblem p = mesh(8, 8);
  FlowFamily f;
  f.sx = 0;
  f.sy = 0;
  f.dx = 4;
  f.dy = 2;
  f.dw = 2;
  f.dh = 3;
  p.streams.push_back({"mc", {f}});
  RoutingSolution s = routeDimensionOrdered(p);
  ASSERT_TRUE(s.succeeded());
  ASSERT_FALSE(p.verify(s));
  EXPECT_EQ(reach(s.table, 0, 0, 0).reached.size(), 6u);

  // Clear one router of column 5: rows below it no longer get data.
  RoutingSolution broken = s;
  broken.table.set(5, 3, 0, std::nullopt);
  Delivery d = reach(broken.table, 0, 0, 0);
  EXPECT_EQ(sorted(d.reached), (std::vector<std::pair<int64_t, int64_t>>{
                                   {4, 2}, {4, 3}, {4, 4}, {5, 2}}));
  ASSERT_EQ(d.dropped.size(), 1u);
  EXPECT_EQ(d.dropped[0].x, 5);
  EXPECT_EQ(d.dropped[0].y, 3);
  EXPECT_EQ(d.dropped[0].reason, "no configuration");
  auto v = p.verify(broken);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->message,
            "router table differs from the streams' trees at PE (5,3) color 0");

  // Turn a hop the wrong way at (2,0): E becomes S, arriving at (2,1)
  // which has no configuration; then give (2,1) one that delivers locally:
  // data arrives at the wrong PE.
  broken = s;
  broken.table.set(2, 0, 0, RouterConfig{Port::West, portBit(Port::South)});
  d = reach(broken.table, 0, 0, 0);
  EXPECT_TRUE(d.reached.empty());
  ASSERT_EQ(d.dropped.size(), 1u);
  EXPECT_EQ(d.dropped[0].x, 2);
  EXPECT_EQ(d.dropped[0].y, 1);
  broken.table.set(2, 1, 0, RouterConfig{Port::North, portBit(Port::Ramp)});
  d = reach(broken.table, 0, 0, 0);
  EXPECT_EQ(d.reached, (std::vector<std::pair<int64_t, int64_t>>{{2, 1}}));

  // An input port mismatch drops the data at the next router.
  broken = s;
  broken.table.set(1, 0, 0, RouterConfig{Port::North, portBit(Port::East)});
  d = reach(broken.table, 0, 0, 0);
  EXPECT_TRUE(d.reached.empty());
  ASSERT_EQ(d.dropped.size(), 1u);
  EXPECT_EQ(d.dropped[0].reason,
            "configured for input from N, data arrives from W");

  // Steering data back into the tree is cut where the input port does not
  // match (one input port per router makes a loop unreachable).
  broken = s;
  broken.table.set(1, 0, 0, RouterConfig{Port::West, portBit(Port::South)});
  broken.table.set(1, 1, 0, RouterConfig{Port::North, portBit(Port::East)});
  broken.table.set(2, 1, 0, RouterConfig{Port::West, portBit(Port::North)});
  broken.table.set(2, 0, 0, RouterConfig{Port::South, portBit(Port::West)});
  d = reach(broken.table, 0, 0, 0);
  ASSERT_EQ(d.dropped.size(), 1u);
  EXPECT_EQ(d.dropped[0].reason, "configured for input from W, data arrives "
                                 "from E");
  // Data sent from a router that does not take ramp input goes nowhere.
  d = reach(s.table, 0, 4, 2);
  EXPECT_TRUE(d.reached.empty());
  EXPECT_EQ(d.dropped[0].reason,
            "source router does not take input from the ramp");
}

TEST(Route, Wse2ScaleFinishesWithBoundedMemory) {
  auto target = TargetModel::fromSpec("wse2");
  ASSERT_TRUE(static_cast<bool>(target));
  RoutingProblem p = RoutingProblem::forTarget(*target);
  EXPECT_EQ(p.usableColors, 21);
  // 200 kernels of 50x40 PEs in a 15 x 13 grid of slots; each gets a row
  // multicast of its input chunks, a column reduction chain, and an
  // edge-to-edge transfer to the next kernel.
  int k = 0;
  for (int64_t by = 0; by < 13 && k < 200; ++by)
    for (int64_t bx = 0; bx < 15 && k < 200; ++bx, ++k) {
      int64_t x0 = bx * 50, y0 = by * 76;
      FlowFamily rows;
      rows.sx = x0;
      rows.sy = y0;
      rows.dx = x0 + 1;
      rows.dy = y0;
      rows.dw = 49;
      rows.dh = 1;
      rows.nj = 40;
      rows.sj = 1;
      rows.bytes = 256;
      FlowFamily chain = p2p(x0, y0, x0, y0 + 1, 512);
      chain.ni = 50;
      chain.si = 1;
      chain.nj = 39;
      chain.sj = 1;
      FlowFamily out = p2p(x0, y0 + 39, x0, y0 + 40, 2048);
      out.ni = 50;
      out.si = 1;
      std::string n = "k" + std::to_string(k);
      p.streams.push_back({n + ".x", {rows}});
      p.streams.push_back({n + ".psum", {chain}});
      p.streams.push_back({n + ".y", {out}});
    }
  RoutingSolution s = routeDimensionOrdered(p);
  ASSERT_TRUE(s.succeeded()) << s.failures[0].message;
  EXPECT_LE(s.maxColors, 3);
  // Dense state: one byte per (PE, usable color) + four uint64 loads per PE.
  size_t dense = size_t(750) * 994 * (21 + 4 * 8);
  EXPECT_LT(dense, size_t(64) << 20);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  EXPECT_LT(ru.ru_maxrss, 512 * 1024) << "max RSS in KiB";
  EXPECT_FALSE(p.verify(s));
}
