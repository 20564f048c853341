//===- SolversBench.cpp - placement, routing, timing at wse2 scale --------===//
//
// Realistic wse2-sized workloads: ~200 kernels of 1,000-5,000 PEs, each with
// a row multicast of its input, a column reduction chain and a stream to
// the next kernel (gather, lanes or store-and-forward, scatter), plus
// residual streams that skip seven kernels: ~1,000 pattern instances.
//
//===----------------------------------------------------------------------===//
#include "wafer/Place/Placement.h"
#include "wafer/Route/PatternRouter.h"
#include "wafer/Route/Streams.h"
#include "wafer/Timing/Timing.h"

#include "benchmark/benchmark.h"

using namespace wafer;

namespace {
place::PlacementProblem pipeline(int n) {
  place::PlacementProblem p;
  p.meshWidth = 750;
  p.meshHeight = 994;
  for (int i = 0; i < n; ++i)
    p.blocks.push_back(
        {"k" + std::to_string(i), 30 + (i * 7) % 40, 30 + (i * 11) % 30});
  for (int i = 0; i + 1 < n; ++i)
    p.edges.push_back({i, i + 1, 4096 * (1 + i % 5)});
  for (int i = 0; i + 7 < n; i += 7) // residual skips
    p.edges.push_back({i, i + 7, 2048});
  return p;
}

/// A weight-stationary contraction's layouts on a placed block: input k on
/// y (multicast along rows), partial sums chained down the columns, output
/// n on x at the bottom row.
route::Layout output(const place::Block &b, std::pair<int64_t, int64_t> at) {
  route::Layout l;
  l.rect = route::Rect{at.first, at.second, b.width, b.height};
  l.x = {route::AxisLayout::Partitioned, 1, 8, b.width};
  l.y = {route::AxisLayout::Last, -1, 0, b.height};
  return l;
}
route::Layout input(const place::Block &b, std::pair<int64_t, int64_t> at) {
  route::Layout l;
  l.rect = route::Rect{at.first, at.second, b.width, b.height};
  l.x = {route::AxisLayout::Replicated, -1, 0, b.width};
  l.y = {route::AxisLayout::Partitioned, 1, 8, b.height};
  return l;
}

// The pattern problem of the serpentine placement of pipeline(n).
route::PatternProblem patternsFor(const place::PlacementProblem &pp,
                                  const place::Placement &pl) {
  route::PatternProblem p =
      route::PatternProblem::forTarget(*TargetModel::fromSpec("wse2"));
  auto add = [&](const std::string &owner,
                 const std::vector<route::Pattern> &chain) {
    for (const route::Pattern &q : chain) {
      p.patterns.push_back(q);
      p.owners.push_back(owner);
    }
  };
  for (const place::Edge &e : pp.edges) {
    route::StreamSpec s;
    s.bytes = e.bytes;
    s.producers.push_back(
        {output(pp.blocks[e.src], pl.origins[e.src]), e.bytes});
    s.consumer = input(pp.blocks[e.dst], pl.origins[e.dst]);
    add(pp.blocks[e.src].name + ".y", route::decomposeStream(s));
  }
  for (size_t k = 0; k < pp.blocks.size(); ++k)
    add(pp.blocks[k].name + ".psum",
        route::reductionPatterns(output(pp.blocks[k], pl.origins[k]),
                                 int64_t(512) * pp.blocks[k].width *
                                     (pp.blocks[k].height - 1)));
  return p;
}

void BM_PlaceSerpentine(benchmark::State &state) {
  place::PlacementProblem p = pipeline(state.range(0));
  for (auto _ : state) {
    place::PlaceResult r = place::placeSerpentine(p);
    if (!r.succeeded())
      state.SkipWithError(r.failure->message.c_str());
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_PlaceSerpentine)
    ->Arg(100)
    ->Arg(240)
    ->Unit(benchmark::kMicrosecond);

void BM_PlaceVerifyAndCost(benchmark::State &state) {
  place::PlacementProblem p = pipeline(state.range(0));
  place::Placement pl = place::placeSerpentine(p).placement;
  for (auto _ : state) {
    benchmark::DoNotOptimize(p.verify(pl));
    benchmark::DoNotOptimize(place::cost(p, pl));
  }
}
BENCHMARK(BM_PlaceVerifyAndCost)->Arg(240)->Unit(benchmark::kMicrosecond);

void BM_PlaceRefine(benchmark::State &state) {
  place::PlacementProblem p = pipeline(200);
  place::Placement pl = place::placeSerpentine(p).placement;
  place::RefineOptions o;
  o.iterations = state.range(0);
  for (auto _ : state)
    benchmark::DoNotOptimize(place::refineLocalSearch(p, pl, o));
}
BENCHMARK(BM_PlaceRefine)->Arg(20000)->Unit(benchmark::kMillisecond);

void BM_RoutePatternsWse2(benchmark::State &state) {
  place::PlacementProblem pp = pipeline(state.range(0));
  place::Placement pl = place::placeSerpentine(pp).placement;
  route::PatternProblem p = patternsFor(pp, pl);
  for (auto _ : state) {
    route::PatternSolution s = route::colorPatterns(p);
    state.counters["colors_max"] = s.colorsMax.value;
    state.counters["phases"] = s.numPhases;
    benchmark::DoNotOptimize(s);
  }
  state.counters["patterns"] = p.patterns.size();
}
BENCHMARK(BM_RoutePatternsWse2)
    ->Arg(100)
    ->Arg(240)
    ->Unit(benchmark::kMillisecond);

void BM_VerifyPatternsWse2(benchmark::State &state) {
  place::PlacementProblem pp = pipeline(240);
  place::Placement pl = place::placeSerpentine(pp).placement;
  route::PatternProblem p = patternsFor(pp, pl);
  route::PatternSolution s = route::colorPatterns(p);
  for (auto _ : state) {
    auto why = route::verify(p, s);
    if (why)
      state.SkipWithError(why->c_str());
    benchmark::DoNotOptimize(why);
  }
}
BENCHMARK(BM_VerifyPatternsWse2)->Unit(benchmark::kMillisecond);

// A layer pipeline of `n` kernels, each fed by `tokens` chunked transfers
// that contend on per-kernel links, streaming into the next kernel.
void BM_TimingSimulate(benchmark::State &state) {
  timing::TimingProblem p;
  int kernels = 300, tokens = state.range(0);
  p.numResources = 2 * kernels;
  for (int k = 0; k < kernels; ++k)
    for (int t = 0; t < tokens; ++t) {
      timing::Task x;
      x.name = "x";
      x.kind = timing::TaskKind::Transfer;
      x.bytes = 4096;
      x.hops = 20;
      x.resources = {2 * k};
      if (k > 0)
        x.deps.push_back({int(p.tasks.size()) - 2 * tokens + 1});
      p.tasks.push_back(x);
      timing::Task c;
      c.name = "k";
      c.ops = 2'000'000;
      c.pes = 2000;
      c.resources = {2 * k + 1};
      c.deps.push_back({int(p.tasks.size()) - 1});
      p.tasks.push_back(c);
    }
  for (auto _ : state) {
    timing::Schedule s = timing::simulate(p);
    if (!s.succeeded())
      state.SkipWithError(s.failure->message.c_str());
    state.counters["cycles"] = s.totalCycles;
  }
  state.counters["tasks"] = p.tasks.size();
}
BENCHMARK(BM_TimingSimulate)->Arg(64)->Arg(512)->Unit(benchmark::kMillisecond);
} // namespace
