#include "wafer/Timing/Timing.h"

#include "gtest/gtest.h"

using namespace wafer;
using namespace wafer::timing;

namespace {
Task transfer(const std::string &name, int64_t bytes, int64_t hops,
              std::vector<int> links = {}) {
  Task t;
  t.name = name;
  t.kind = TaskKind::Transfer;
  t.bytes = bytes;
  t.hops = hops;
  t.resources = std::move(links);
  return t;
}
Task kernel(const std::string &name, int64_t macs, int64_t pes,
            std::vector<Dep> deps = {}) {
  Task t;
  t.name = name;
  t.kind = TaskKind::Compute;
  t.ops = macs;
  t.pes = pes;
  t.deps = std::move(deps);
  return t;
}
} // namespace

TEST(Timing, OneStreamOverHHops) {
  TimingProblem p;
  p.tasks.push_back(transfer("x", 1000 * 4, 7)); // 1000 wavelets
  Schedule s = simulate(p);
  ASSERT_TRUE(s.succeeded());
  // 1000 cycles of serialisation + 7 hops + 2 ramps of 2 cycles.
  EXPECT_EQ(s.totalCycles, 1000 + 7 + 4);
  EXPECT_EQ(latencyBound(p.target, 7), 11);
  EXPECT_FALSE(p.verify(s));
}

TEST(Timing, KernelOfMMacsOnPPEs) {
  TimingProblem p;
  p.tasks.push_back(kernel("gemm", 1'000'000, 300));
  Schedule s = simulate(p);
  ASSERT_TRUE(s.succeeded());
  EXPECT_EQ(s.totalCycles, 3334); // ceil(1e6 / 300) at 1 MAC/PE/cycle
  p.tasks[0].opsPerCycle = p.target.macsF16;
  EXPECT_EQ(simulate(p).totalCycles, 834);
  EXPECT_DOUBLE_EQ(computeBound(1e6, 300, 1), 1e6 / 300);
}

TEST(Timing, TwoTransfersOnOneLinkTakeTwiceAsLong) {
  TimingProblem p;
  p.numResources = 1;
  p.tasks.push_back(transfer("a", 4000, 3, {0}));
  p.tasks.push_back(transfer("b", 4000, 3, {0}));
  Schedule s = simulate(p);
  ASSERT_TRUE(s.succeeded());
  int64_t lat = 3 + 4;
  EXPECT_EQ(s.tasks[0].end, 1000 + lat);
  EXPECT_EQ(s.tasks[1].start, 1000);
  EXPECT_EQ(s.totalCycles, 2 * 1000 + lat);
  EXPECT_EQ(s.criticalPath, (std::vector<int>{0, 1}));
  EXPECT_FALSE(p.verify(s));
  // On separate links they overlap completely.
  p.numResources = 2;
  p.tasks[1].resources = {1};
  EXPECT_EQ(simulate(p).totalCycles, 1000 + lat);
}

TEST(Timing, ChainOfDependentTasksSums) {
  TimingProblem p;
  p.tasks.push_back(transfer("in", 400, 2));        // 100 + 2 + 4
  p.tasks.push_back(kernel("k1", 5000, 10, {{0}})); // 500
  p.tasks.push_back(transfer("mid", 80, 1));        // 20 + 1 + 4
  p.tasks[2].deps = {{1}};
  p.tasks.push_back(kernel("k2", 999, 1, {{2}})); // 999
  Schedule s = simulate(p);
  ASSERT_TRUE(s.succeeded());
  EXPECT_EQ(s.totalCycles, 106 + 500 + 25 + 999);
  EXPECT_EQ(s.criticalPath, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(s.tasks[3].start, 106 + 500 + 25);
  EXPECT_EQ(criticalPathBound(p), s.totalCycles);
  EXPECT_FALSE(p.verify(s));
}

TEST(Timing, CriticalPathFollowsTheLatestInput) {
  TimingProblem p;
  p.tasks.push_back(kernel("short", 10, 1));
  p.tasks.push_back(kernel("long", 100, 1));
  p.tasks.push_back(kernel("join", 5, 1, {{0}, {1}}));
  Schedule s = simulate(p);
  EXPECT_EQ(s.totalCycles, 105);
  EXPECT_EQ(s.criticalPath, (std::vector<int>{1, 2}));
}

TEST(Timing, StreamingStartsAfterFirstChunk) {
  TimingProblem p;
  Task prod = kernel("prod", 1000, 1);
  prod.chunks = 10; // first chunk after 100 cycles
  Task cons = kernel("cons", 500, 1, {{0, DepKind::AfterFirstChunk}});
  cons.chunks = 10; // 50 cycles per chunk
  p.tasks = {prod, cons};
  Schedule s = simulate(p);
  ASSERT_TRUE(s.succeeded());
  EXPECT_EQ(s.tasks[1].start, 100);
  // 100 + 500 = 600 < producer end 1000 + last chunk 50.
  EXPECT_EQ(s.tasks[1].end, 1050);
  EXPECT_EQ(s.totalCycles, 1050);
  EXPECT_EQ(s.criticalPath, (std::vector<int>{0, 1}));
  EXPECT_FALSE(p.verify(s));
}

TEST(Timing, ComputeResourceSerialisesKernelsOnOneRectangle) {
  TimingProblem p;
  p.numResources = 1;
  p.tasks.push_back(kernel("a", 100, 1));
  p.tasks.push_back(kernel("b", 100, 1));
  p.tasks[0].resources = {0};
  p.tasks[1].resources = {0};
  EXPECT_EQ(simulate(p).totalCycles, 200);
}

TEST(Timing, LowerBounds) {
  TargetModel t;
  EXPECT_DOUBLE_EQ(cutBound(4000, 10, t.linkBytes), 100.0);
  EXPECT_EQ(transferCycles(t, 5, 0), 2 + 4); // partial wavelet rounds up
  EXPECT_EQ(computeCycles(t, 7, 2), 4);
}

TEST(TimingProblem, CheckFailures) {
  TimingProblem p;
  p.tasks.push_back(kernel("a", 10, 1, {{1}}));
  p.tasks.push_back(kernel("b", 10, 1, {{0}}));
  auto f = p.check();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->message, "dependency cycle through task 'a' (2 tasks involved)");
  EXPECT_EQ(f->tasks, (std::vector<int>{0, 1}));
  Schedule s = simulate(p);
  ASSERT_FALSE(s.succeeded());
  EXPECT_EQ(s.failure->message, f->message);

  p.tasks = {kernel("a", 10, 0)};
  f = p.check();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->message, "task 'a': needs at least one PE, got 0");
  p.tasks = {kernel("a", 10, 1, {{5}})};
  EXPECT_EQ(p.check()->message, "task 'a': bad dependency on task 5");
  p.tasks = {transfer("t", 10, 1, {3})};
  EXPECT_EQ(p.check()->message, "task 't': resource 3 out of range [0, 0)");
  p.tasks = {transfer("t", -1, 1)};
  EXPECT_EQ(p.check()->message, "task 't': negative size");
  p.tasks = {kernel("a", 10, 1)};
  p.tasks[0].chunks = 0;
  EXPECT_EQ(p.check()->message, "task 'a': needs at least one chunk, got 0");
  p.tasks[0].chunks = 1;
  p.target.linkBytes = 0;
  EXPECT_EQ(p.check()->message.rfind("target: ", 0), 0u);
}

TEST(TimingProblem, VerifyRejectsBadSchedules) {
  TimingProblem p;
  p.numResources = 1;
  p.tasks.push_back(transfer("a", 400, 1, {0}));
  p.tasks.push_back(transfer("b", 400, 1, {0}));
  p.tasks.push_back(kernel("k", 10, 1, {{0}}));
  Schedule s = simulate(p);
  ASSERT_FALSE(p.verify(s));
  Schedule bad = s;
  bad.tasks[1].start = 0;
  bad.tasks[1].end = 105;
  auto f = p.verify(bad);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->message, "tasks 'a' and 'b' hold resource 0 at the same time");
  bad = s;
  bad.tasks[2].start = 50;
  bad.tasks[2].end = 60;
  f = p.verify(bad);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->message, "task 'k': starts at 50 before task 'a' allows (105)");
  bad = s;
  bad.tasks[0].end = bad.tasks[0].start + 3;
  f = p.verify(bad);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->message, "task 'a': runs [0, 3), shorter than its 105 cycles");
}
