//===- Placement.cpp - rectangles on the mesh -------------------*- C++ -*-===//
#include "wafer/Place/Placement.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <map>
#include <random>

using namespace llvm;

namespace wafer::place {

namespace {
struct Rect {
  int64_t x0, y0, x1, y1; // half-open
  bool overlaps(const Rect &o) const {
    return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1;
  }
};

Rect rectOf(const Block &b, std::pair<int64_t, int64_t> origin) {
  return {origin.first, origin.second, origin.first + b.width,
          origin.second + b.height};
}

std::string describe(const Block &b) {
  return formatv("'{0}' ({1}x{2})", b.name, b.width, b.height).str();
}

// Gap between intervals [a0, a1) and [b0, b1) counted in hops between their
// closest cells: 0 when they overlap, 1 when they touch.
int64_t gap(int64_t a0, int64_t a1, int64_t b0, int64_t b1) {
  if (b0 >= a1)
    return b0 - a1 + 1;
  if (a0 >= b1)
    return a0 - b1 + 1;
  return 0;
}

int64_t edgeHops(const Rect &a, const Rect &b, DistanceModel model) {
  if (model == DistanceModel::NearestPEs)
    return gap(a.x0, a.x1, b.x0, b.x1) + gap(a.y0, a.y1, b.y0, b.y1);
  // Doubled centres keep the arithmetic in integers.
  int64_t dx = std::abs((a.x0 + a.x1) - (b.x0 + b.x1));
  int64_t dy = std::abs((a.y0 + a.y1) - (b.y0 + b.y1));
  return (dx + dy) / 2;
}
} // namespace

std::optional<PlaceFailure> PlacementProblem::check() const {
  if (meshWidth <= 0 || meshHeight <= 0)
    return PlaceFailure{
        formatv("mesh must be positive, got {0}x{1}", meshWidth, meshHeight)
            .str(),
        {}};
  for (int i = 0, e = blocks.size(); i < e; ++i) {
    const Block &b = blocks[i];
    if (b.width <= 0 || b.height <= 0)
      return PlaceFailure{
          formatv("block {0} has a non-positive size", describe(b)).str(), {i}};
    if (b.width > meshWidth || b.height > meshHeight)
      return PlaceFailure{formatv("block {0} is larger than the {1}x{2} mesh",
                                  describe(b), meshWidth, meshHeight)
                              .str(),
                          {i}};
  }
  for (int i = 0, e = edges.size(); i < e; ++i) {
    const Edge &ed = edges[i];
    int n = blocks.size();
    if (ed.src < 0 || ed.src >= n || ed.dst < 0 || ed.dst >= n)
      return PlaceFailure{formatv("edge {0} names block {1} -> {2}, but there "
                                  "are {3} blocks",
                                  i, ed.src, ed.dst, n)
                              .str(),
                          {},
                          i};
    if (ed.bytes < 0)
      return PlaceFailure{formatv("edge {0} ('{1}' -> '{2}') has negative "
                                  "traffic {3} bytes",
                                  i, blocks[ed.src].name, blocks[ed.dst].name,
                                  ed.bytes)
                              .str(),
                          {ed.src, ed.dst},
                          i};
  }
  return std::nullopt;
}

std::optional<PlaceFailure>
PlacementProblem::verify(const Placement &placement) const {
  if (placement.origins.size() != blocks.size())
    return PlaceFailure{formatv("placement has {0} origins for {1} blocks",
                                placement.origins.size(), blocks.size())
                            .str(),
                        {}};
  std::vector<Rect> rects(blocks.size());
  for (int i = 0, e = blocks.size(); i < e; ++i) {
    rects[i] = rectOf(blocks[i], placement.origins[i]);
    const Rect &r = rects[i];
    if (r.x0 < 0 || r.y0 < 0 || r.x1 > meshWidth || r.y1 > meshHeight)
      return PlaceFailure{
          formatv("block {0} at ({1},{2}) leaves the {3}x{4} mesh",
                  describe(blocks[i]), r.x0, r.y0, meshWidth, meshHeight)
              .str(),
          {i}};
  }
  // Sweep over x: events sorted by x, removals before insertions at the same
  // x (rectangles are half-open). The active set holds disjoint y-intervals
  // keyed by y0, so an overlap shows up against a neighbour in the map.
  struct Event {
    int64_t x;
    int insert; // 0 = remove, 1 = insert
    int id;
  };
  std::vector<Event> events;
  events.reserve(2 * rects.size());
  for (int i = 0, e = rects.size(); i < e; ++i) {
    events.push_back({rects[i].x0, 1, i});
    events.push_back({rects[i].x1, 0, i});
  }
  std::sort(events.begin(), events.end(), [](const Event &a, const Event &b) {
    return std::tie(a.x, a.insert, a.id) < std::tie(b.x, b.insert, b.id);
  });
  std::map<std::pair<int64_t, int>, int> active; // (y0, id) -> id
  auto overlapFailure = [&](int a, int b) {
    if (a > b)
      std::swap(a, b);
    return PlaceFailure{
        formatv("blocks {0} at ({1},{2}) and {3} at ({4},{5}) overlap",
                describe(blocks[a]), rects[a].x0, rects[a].y0,
                describe(blocks[b]), rects[b].x0, rects[b].y0)
            .str(),
        {a, b}};
  };
  for (const Event &ev : events) {
    const Rect &r = rects[ev.id];
    if (!ev.insert) {
      active.erase({r.y0, ev.id});
      continue;
    }
    auto it = active.lower_bound({r.y0, ev.id});
    if (it != active.end() && rects[it->second].y0 < r.y1)
      return overlapFailure(ev.id, it->second);
    if (it != active.begin()) {
      auto prev = std::prev(it);
      if (rects[prev->second].y1 > r.y0)
        return overlapFailure(ev.id, prev->second);
    }
    active.emplace(std::make_pair(r.y0, ev.id), ev.id);
  }
  return std::nullopt;
}

PlaceResult placeSerpentine(const PlacementProblem &problem) {
  PlaceResult result;
  if (auto f = problem.check()) {
    result.failure = std::move(f);
    return result;
  }
  const int64_t w = problem.meshWidth, h = problem.meshHeight;
  int64_t bandY = 0, bandH = 0, used = 0; // used: width consumed in the band
  bool leftToRight = true;
  result.placement.origins.reserve(problem.blocks.size());
  for (int i = 0, e = problem.blocks.size(); i < e; ++i) {
    const Block &b = problem.blocks[i];
    int64_t leftBehind = 0;   // free PEs of a band just closed for this block
    if (used + b.width > w) { // turn: open the next band
      leftBehind = (w - used) * bandH;
      bandY += bandH;
      bandH = 0;
      used = 0;
      leftToRight = !leftToRight;
    }
    if (bandY + b.height > h) {
      int64_t remaining = leftBehind + (w - used) * std::min(bandH, h - bandY) +
                          w * std::max<int64_t>(0, h - bandY - bandH);
      result.failure = PlaceFailure{
          formatv("block {0} does not fit: {1} PEs free in the remaining area",
                  describe(b), remaining)
              .str(),
          {i}};
      result.placement.origins.clear();
      return result;
    }
    int64_t x = leftToRight ? used : w - used - b.width;
    result.placement.origins.emplace_back(x, bandY);
    used += b.width;
    bandH = std::max(bandH, b.height);
  }
  return result;
}

CostReport cost(const PlacementProblem &problem, const Placement &placement,
                DistanceModel model) {
  CostReport report;
  report.edgeHops.reserve(problem.edges.size());
  report.edgeCost.reserve(problem.edges.size());
  for (const Edge &e : problem.edges) {
    Rect a = rectOf(problem.blocks[e.src], placement.origins[e.src]);
    Rect b = rectOf(problem.blocks[e.dst], placement.origins[e.dst]);
    int64_t hops = edgeHops(a, b, model);
    report.edgeHops.push_back(hops);
    report.edgeCost.push_back(hops * e.bytes);
    report.total += hops * e.bytes;
  }
  return report;
}

PlaceResult refineLocalSearch(const PlacementProblem &problem,
                              const Placement &start,
                              const RefineOptions &options) {
  PlaceResult result;
  result.placement = start;
  if (auto f = problem.check()) {
    result.failure = std::move(f);
    return result;
  }
  if (auto f = problem.verify(start)) {
    result.failure = std::move(f);
    return result;
  }
  const int n = problem.blocks.size();
  if (n < 1)
    return result;
  auto &origins = result.placement.origins;
  std::vector<std::vector<int>> incident(n);
  for (int i = 0, e = problem.edges.size(); i < e; ++i) {
    incident[problem.edges[i].src].push_back(i);
    if (problem.edges[i].dst != problem.edges[i].src)
      incident[problem.edges[i].dst].push_back(i);
  }
  auto rect = [&](int i) { return rectOf(problem.blocks[i], origins[i]); };
  auto edgeCost = [&](int ei) {
    const Edge &e = problem.edges[ei];
    return e.bytes * edgeHops(rect(e.src), rect(e.dst), options.model);
  };
  // Cost of the edges touching a or b, each edge once.
  auto localCost = [&](int a, int b) {
    int64_t sum = 0;
    for (int ei : incident[a])
      sum += edgeCost(ei);
    if (b >= 0)
      for (int ei : incident[b])
        if (problem.edges[ei].src != a && problem.edges[ei].dst != a)
          sum += edgeCost(ei);
    return sum;
  };
  auto legal = [&](int a, int b) {
    for (int blk : {a, b}) {
      if (blk < 0)
        continue;
      Rect r = rect(blk);
      if (r.x0 < 0 || r.y0 < 0 || r.x1 > problem.meshWidth ||
          r.y1 > problem.meshHeight)
        return false;
      for (int o = 0; o < n; ++o)
        if (o != blk && r.overlaps(rect(o)))
          return false;
    }
    return true;
  };
  // With a whole-placement score, every legal move is re-scored.
  double current = options.score ? options.score(result.placement) : 0;
  auto keep = [&](int a, int b, int64_t before) {
    if (!legal(a, b))
      return false;
    if (!options.score)
      return localCost(a, b) < before;
    double s = options.score(result.placement);
    if (s >= current)
      return false;
    current = s;
    return true;
  };
  std::mt19937_64 rng(options.seed);
  static const int64_t steps[] = {1, 2, 4, 8, 16};
  for (int64_t it = 0; it < options.iterations; ++it) {
    int a = rng() % n;
    if (rng() % 2 == 0 && n > 1) {
      int b = rng() % (n - 1);
      if (b >= a)
        ++b;
      int64_t before = options.score ? 0 : localCost(a, b);
      std::swap(origins[a], origins[b]);
      if (!keep(a, b, before))
        std::swap(origins[a], origins[b]);
      continue;
    }
    int dir = rng() % 4;
    int64_t step = steps[rng() % 5];
    auto old = origins[a];
    int64_t before = options.score ? 0 : localCost(a, -1);
    origins[a].first += dir == 0 ? step : dir == 1 ? -step : 0;
    origins[a].second += dir == 2 ? step : dir == 3 ? -step : 0;
    if (!keep(a, -1, before))
      origins[a] = old;
  }
  return result;
}

} // namespace wafer::place
