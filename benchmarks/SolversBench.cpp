//===- SolversBench.cpp - placement, routing, timing at wse2 scale --------===//
//
// Realistic wse2-sized workloads: ~200 kernels of 1,000-5,000 PEs, each with
// a row multicast of its input, a column reduction chain and an
// edge-to-edge output transfer (~400,000 flow replicas in all).
//
//===----------------------------------------------------------------------===//
#include "wafer/Place/Placement.h"
#include "wafer/Route/Routing.h"
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

route::FlowFamily p2p(int64_t sx, int64_t sy, int64_t dx, int64_t dy,
                      int64_t bytes) {
  route::FlowFamily f;
  f.sx = sx;
  f.sy = sy;
  f.dx = dx;
  f.dy = dy;
  f.bytes = bytes;
  return f;
}

// Streams for the serpentine placement of pipeline(n).
route::RoutingProblem streamsFor(const place::PlacementProblem &pp,
                                 const place::Placement &pl) {
  route::RoutingProblem p =
      route::RoutingProblem::forTarget(*TargetModel::fromSpec("wse2"));
  for (int k = 0, e = pp.blocks.size(); k < e; ++k) {
    int64_t x0 = pl.origins[k].first, y0 = pl.origins[k].second;
    int64_t w = pp.blocks[k].width, h = pp.blocks[k].height;
    route::FlowFamily rows;
    rows.sx = x0;
    rows.sy = y0;
    rows.dx = x0 + 1;
    rows.dy = y0;
    rows.dw = w - 1;
    rows.dh = 1;
    rows.nj = h;
    rows.sj = 1;
    rows.bytes = 256;
    route::FlowFamily chain = p2p(x0, y0, x0, y0 + 1, 512);
    chain.ni = w;
    chain.si = 1;
    chain.nj = h - 1;
    chain.sj = 1;
    std::string n = pp.blocks[k].name;
    p.streams.push_back({n + ".x", {rows}});
    p.streams.push_back({n + ".psum", {chain}});
    if (k + 1 < e) {
      // Bottom-row centre of k to the top-left PE of k+1.
      int64_t nx = pl.origins[k + 1].first, ny = pl.origins[k + 1].second;
      p.streams.push_back(
          {n + ".y", {p2p(x0 + w / 2, y0 + h - 1, nx, ny, 4096)}});
    }
  }
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

void BM_RouteWse2(benchmark::State &state) {
  place::PlacementProblem pp = pipeline(state.range(0));
  route::RoutingProblem p =
      streamsFor(pp, place::placeSerpentine(pp).placement);
  int64_t replicas = 0;
  for (const auto &s : p.streams)
    for (const auto &f : s.families)
      replicas += f.numReplicas();
  for (auto _ : state) {
    route::RoutingSolution s = route::routeDimensionOrdered(p);
    if (!s.succeeded())
      state.SkipWithError(s.failures[0].message.c_str());
    state.counters["maxColors"] = s.maxColors;
    state.counters["maxLinkKB"] = double(s.maxLinkBytes) / 1024;
  }
  state.counters["streams"] = p.streams.size();
  state.counters["replicas"] = replicas;
}
BENCHMARK(BM_RouteWse2)->Arg(100)->Arg(240)->Unit(benchmark::kMillisecond);

void BM_RouteVerifyWse2(benchmark::State &state) {
  place::PlacementProblem pp = pipeline(200);
  route::RoutingProblem p =
      streamsFor(pp, place::placeSerpentine(pp).placement);
  route::RoutingSolution s = route::routeDimensionOrdered(p);
  for (auto _ : state)
    benchmark::DoNotOptimize(p.verify(s));
}
BENCHMARK(BM_RouteVerifyWse2)->Unit(benchmark::kMillisecond);

void BM_ReachMulticast(benchmark::State &state) {
  route::RoutingProblem p =
      route::RoutingProblem::forTarget(*TargetModel::fromSpec("wse2"));
  route::FlowFamily f;
  f.sx = 100;
  f.sy = 100;
  f.dx = 100;
  f.dy = 100;
  f.dw = 60;
  f.dh = 50; // 3,000 destination PEs
  p.streams.push_back({"mc", {f}});
  route::RoutingSolution s = route::routeDimensionOrdered(p);
  for (auto _ : state)
    benchmark::DoNotOptimize(route::reach(s.table, 0, 100, 100));
}
BENCHMARK(BM_ReachMulticast)->Unit(benchmark::kMicrosecond);

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
