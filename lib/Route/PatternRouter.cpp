//===- PatternRouter.cpp - physical colors for pattern instances ----------===//
#include "wafer/Route/PatternRouter.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

using namespace llvm;

namespace wafer::route {

PatternProblem PatternProblem::forTarget(const TargetModel &target) {
  PatternProblem p;
  p.meshWidth = target.width;
  p.meshHeight = target.height;
  p.usableColors = int(target.usableColors());
  p.target = target;
  return p;
}

static std::string describe(const PatternProblem &p, size_t i) {
  std::string owner = i < p.owners.size() ? p.owners[i] : "pattern";
  return formatv("{0} ({1})", owner, p.patterns[i].str()).str();
}

std::optional<std::string> PatternProblem::check() const {
  if (meshWidth <= 0 || meshHeight <= 0)
    return formatv("mesh must be positive, got {0}x{1}", meshWidth, meshHeight)
        .str();
  if (usableColors < 1 || usableColors > 32)
    return formatv("usable colors must be in 1..32, got {0}", usableColors)
        .str();
  Rect mesh{0, 0, meshWidth, meshHeight};
  for (size_t i = 0; i < patterns.size(); ++i) {
    const Pattern &p = patterns[i];
    if (std::string why = p.check(); !why.empty())
      return describe(*this, i) + ": " + why;
    if (!mesh.contains(p.rect))
      return describe(*this, i) +
             formatv(": leaves the {0}x{1} mesh", meshWidth, meshHeight).str();
    if (p.numColors() > usableColors)
      return describe(*this, i) + formatv(": needs {0} colors, {1} usable",
                                          p.numColors(), usableColors)
                                      .str();
    if (p.maxSwitchPositions() > maxSwitchPositions)
      return describe(*this, i) +
             formatv(": needs {0} switch positions, a router has {1}",
                     p.maxSwitchPositions(), maxSwitchPositions)
                 .str();
    if (p.maxFilters() > maxFilters)
      return describe(*this, i) +
             formatv(": needs {0} filters, a router has {1}", p.maxFilters(),
                     maxFilters)
                 .str();
  }
  return std::nullopt;
}

/// A router both roles configure (checking the 2x2 block at the corner of
/// their overlap covers every parity combination).
static std::optional<std::pair<int64_t, int64_t>> commonRouter(const Pattern &a,
                                                               const Role &ra,
                                                               const Pattern &b,
                                                               const Role &rb) {
  Rect o = ra.routers.intersect(rb.routers);
  if (o.empty())
    return std::nullopt;
  for (int64_t dy = 0; dy < std::min<int64_t>(2, o.h); ++dy)
    for (int64_t dx = 0; dx < std::min<int64_t>(2, o.w); ++dx)
      if (roleCovers(a, ra, o.x + dx, o.y + dy) &&
          roleCovers(b, rb, o.x + dx, o.y + dy))
        return std::make_pair(o.x + dx, o.y + dy);
  return std::nullopt;
}

bool sameInstance(const PatternProblem &p, size_t i, size_t j) {
  if (i == j)
    return true;
  if (!(p.patterns[i] == p.patterns[j]))
    return false;
  const std::string *a = i < p.dataKeys.size() ? &p.dataKeys[i] : nullptr;
  const std::string *b = j < p.dataKeys.size() ? &p.dataKeys[j] : nullptr;
  return a && b && !a->empty() && *a == *b;
}

std::optional<Conflict> findConflict(const Pattern &a, ArrayRef<int> ca,
                                     const Pattern &b, ArrayRef<int> cb,
                                     bool sameInst) {
  if ((sameInst && ca == cb) || !a.rect.intersects(b.rect))
    return std::nullopt;
  std::optional<Conflict> best;
  std::vector<Role> rolesA = a.roles(), rolesB = b.roles();
  for (const Role &ra : rolesA)
    for (const Role &rb : rolesB) {
      if (ra.slot >= int(ca.size()) || rb.slot >= int(cb.size()) ||
          ca[ra.slot] != cb[rb.slot])
        continue;
      auto at = commonRouter(a, ra, b, rb);
      if (!at)
        continue;
      // Two different patterns on one color at one router mix their data,
      // even where the port settings happen to agree.
      if (best && std::tie(best->y, best->x) <= std::tie(at->second, at->first))
        continue;
      best = Conflict{-1,         -1,        ca[ra.slot], at->first,
                      at->second, ra.config, rb.config};
    }
  return best;
}

/// Whether two patterns share a router at all (any slots).
static bool overlaps(const Pattern &a, const std::vector<Role> &rolesA,
                     const Pattern &b, const std::vector<Role> &rolesB) {
  if (!a.rect.intersects(b.rect))
    return false;
  for (const Role &ra : rolesA)
    for (const Role &rb : rolesB)
      if (commonRouter(a, ra, b, rb))
        return true;
  return false;
}

/// Whether the filter-armed roles of two patterns share a router.
static bool filtersMeet(const Pattern &a, const std::vector<Role> &rolesA,
                        const Pattern &b, const std::vector<Role> &rolesB) {
  for (const Role &ra : rolesA)
    for (const Role &rb : rolesB)
      if (ra.filter && rb.filter && commonRouter(a, ra, b, rb))
        return true;
  return false;
}

double reconfigurationCycles(const TargetModel &t) {
  return double(t.width + t.height) * double(t.hopLatency) +
         2.0 * double(t.colors) + 2.0 * double(t.rampLatency);
}

PatternSolution colorPatterns(const PatternProblem &problem) {
  PatternSolution sol;
  if (auto why = problem.check()) {
    sol.failure = *why;
    return sol;
  }
  size_t n = problem.patterns.size();
  sol.colors.resize(n);
  sol.phase.assign(n, 0);
  // Instances in order of first appearance (program order); a pattern equal
  // in geometry and data to an earlier one is that instance.
  std::map<std::pair<Pattern, std::string>, int> ids;
  std::vector<int> instanceOf(n);
  std::vector<size_t> rep; // instance -> first pattern index
  for (size_t i = 0; i < n; ++i) {
    std::string key = i < problem.dataKeys.size() ? problem.dataKeys[i] : "";
    if (key.empty())
      key = "#" + std::to_string(i); // shares with nothing
    auto [it, inserted] =
        ids.try_emplace({problem.patterns[i], key}, int(rep.size()));
    if (inserted)
      rep.push_back(i);
    instanceOf[i] = it->second;
  }
  size_t k = rep.size();
  std::vector<std::vector<Role>> roles(k);
  for (size_t i = 0; i < k; ++i)
    roles[i] = problem.patterns[rep[i]].roles();
  auto pat = [&](size_t i) -> const Pattern & {
    return problem.patterns[rep[i]];
  };
  // Conflict graph, with whether the filters meet, sweeping by x so only
  // instances whose x-extents overlap are compared.
  std::vector<std::vector<std::pair<int, bool>>> adj(k);
  std::vector<size_t> byX(k);
  for (size_t i = 0; i < k; ++i)
    byX[i] = i;
  llvm::sort(byX, [&](size_t a, size_t b) {
    return std::tie(pat(a).rect.x, a) < std::tie(pat(b).rect.x, b);
  });
  for (size_t ai = 0; ai < k; ++ai) {
    size_t a = byX[ai];
    for (size_t bi = ai + 1; bi < k; ++bi) {
      size_t b = byX[bi];
      if (pat(b).rect.x >= pat(a).rect.x1())
        break;
      if (!overlaps(pat(a), roles[a], pat(b), roles[b]))
        continue;
      bool f = filtersMeet(pat(a), roles[a], pat(b), roles[b]);
      adj[a].push_back({int(b), f});
      adj[b].push_back({int(a), f});
    }
  }
  // Program order; a new phase starts where an instance finds no room.
  std::vector<int> phase(k, -1);
  std::vector<std::vector<int>> colors(k);
  int current = 0;
  // Filters armed at the busiest router of instance i's filter roles if it
  // joined phase ph: its own roles plus the overlapping roles of the
  // instances already there.
  auto filtersWith = [&](size_t i, int ph) {
    std::vector<WeightedRect> rects;
    for (const Role &r : roles[i])
      if (r.filter)
        rects.push_back({r.routers, 1});
    if (rects.empty())
      return int64_t(0);
    // The others' roles clipped to the box of ours (each counted once).
    Rect box = rects.front().rect;
    for (const WeightedRect &w : rects) {
      int64_t x0 = std::min(box.x, w.rect.x), y0 = std::min(box.y, w.rect.y);
      int64_t x1 = std::max(box.x1(), w.rect.x1());
      int64_t y1 = std::max(box.y1(), w.rect.y1());
      box = Rect{x0, y0, x1 - x0, y1 - y0};
    }
    for (auto [j, meet] : adj[i]) {
      if (!meet || phase[j] != ph)
        continue;
      for (const Role &r : roles[j])
        if (r.filter)
          rects.push_back({r.routers.intersect(box), 1});
    }
    return maxOverlap(rects).value;
  };
  auto tryPhase = [&](size_t i, int ph) {
    const Pattern &p = pat(i);
    uint64_t used = 0;
    for (auto [j, meet] : adj[i]) {
      if (phase[j] != ph)
        continue;
      for (int c : colors[j])
        used |= uint64_t(1) << c;
    }
    int64_t filters = filtersWith(i, ph);
    std::vector<int> got;
    for (int c = 0; c < problem.usableColors && int(got.size()) < p.numColors();
         ++c)
      if (!(used & (uint64_t(1) << c)))
        got.push_back(c);
    if (int(got.size()) != p.numColors() || filters > problem.maxFilters)
      return false;
    phase[i] = ph;
    colors[i] = std::move(got);
    return true;
  };
  for (size_t i = 0; i < k; ++i) {
    if (tryPhase(i, current))
      continue;
    // A fresh phase holds nothing yet, and check() guarantees that one
    // pattern alone fits a router.
    bool fits = tryPhase(i, ++current);
    assert(fits && "a checked pattern fits an empty phase");
    (void)fits;
  }
  for (size_t i = 0; i < n; ++i) {
    sol.colors[i] = colors[instanceOf[i]];
    sol.phase[i] = phase[instanceOf[i]];
  }
  measure(problem, sol);
  return sol;
}

void measure(const PatternProblem &problem, PatternSolution &sol) {
  // Instances: the same instance (geometry and data) with equal colors and
  // phase counts once.
  std::map<std::tuple<Pattern, std::string, std::vector<int>, int>, size_t>
      seen;
  std::vector<size_t> inst;
  for (size_t i = 0; i < problem.patterns.size(); ++i) {
    std::string key = i < problem.dataKeys.size() ? problem.dataKeys[i] : "";
    if (key.empty())
      key = "#" + std::to_string(i);
    if (seen.try_emplace(
                {problem.patterns[i], key, sol.colors[i], sol.phase[i]}, i)
            .second)
      inst.push_back(i);
  }
  sol.numInstances = int(inst.size());
  std::set<int> phases;
  for (size_t i : inst)
    phases.insert(sol.phase[i]);
  sol.numPhases = phases.empty() ? 0 : *phases.rbegin() + 1;
  sol.colorsMax = RectMax();
  sol.colorsMaxPhase = 0;
  sol.filtersMax = 0;
  // Per-router resources per phase (only the phases in use).
  for (int ph : phases) {
    std::vector<WeightedRect> colorRects, filterRects;
    for (size_t i : inst) {
      if (sol.phase[i] != ph)
        continue;
      const Pattern &p = problem.patterns[i];
      std::vector<Rect> slotBox(p.numColors());
      for (const Role &r : p.roles()) {
        if (r.slot >= int(slotBox.size()))
          continue;
        Rect &b = slotBox[r.slot];
        if (b.empty()) {
          b = r.routers;
        } else {
          int64_t x0 = std::min(b.x, r.routers.x);
          int64_t y0 = std::min(b.y, r.routers.y);
          int64_t x1 = std::max(b.x1(), r.routers.x1());
          int64_t y1 = std::max(b.y1(), r.routers.y1());
          b = Rect{x0, y0, x1 - x0, y1 - y0};
        }
        if (r.filter)
          filterRects.push_back({r.routers, 1});
      }
      for (const Rect &b : slotBox)
        colorRects.push_back({b, 1});
    }
    RectMax c = maxOverlap(colorRects);
    if (c.value > sol.colorsMax.value) {
      sol.colorsMax = c;
      sol.colorsMaxPhase = ph;
    }
    sol.filtersMax =
        std::max<int>(sol.filtersMax, int(maxOverlap(filterRects).value));
  }
  // Busiest link over all phases (bytes per inference add up); a pattern
  // shared by several streams carries its data once.
  // Patterns of different data each load their links (linkLoad merges equal
  // patterns), so sum the shared ones per distinct instance here.
  std::vector<Pattern> all;
  std::set<std::pair<Pattern, std::string>> distinctData;
  for (size_t i : inst) {
    std::string key = i < problem.dataKeys.size() ? problem.dataKeys[i] : "";
    if (key.empty())
      key = "#" + std::to_string(i);
    if (distinctData.insert({problem.patterns[i], key}).second)
      all.push_back(problem.patterns[i]);
  }
  LinkLoad load = linkLoad(all);
  sol.maxLink = load.busiest;
  sol.maxLinkDir = load.dir;
  TargetModel t = problem.target;
  t.width = problem.meshWidth;
  t.height = problem.meshHeight;
  sol.reconfigCycles =
      phases.size() > 1 ? (phases.size() - 1) * reconfigurationCycles(t) : 0;
}

LinkLoad linkLoad(const std::vector<Pattern> &patterns) {
  LinkLoad load;
  for (int d = 0; d < 4; ++d) {
    std::vector<WeightedRect> loads;
    for (const Pattern &p : patterns)
      for (const LinkUse &u : linkUses(p))
        if (u.dir == Dir(d)) {
          loads.push_back({u.links, u.bytes});
          load.totalLinkBytes += u.bytes * u.links.area();
        }
    RectMax m = maxOverlap(loads);
    if (m.value > load.busiest.value) {
      load.busiest = m;
      load.dir = Dir(d);
    }
  }
  return load;
}

std::optional<std::string> verify(const PatternProblem &problem,
                                  const PatternSolution &sol) {
  size_t n = problem.patterns.size();
  if (sol.colors.size() != n || sol.phase.size() != n)
    return formatv("solution has {0} color lists for {1} patterns",
                   sol.colors.size(), n)
        .str();
  for (size_t i = 0; i < n; ++i) {
    const Pattern &p = problem.patterns[i];
    if (int(sol.colors[i].size()) != p.numColors())
      return describe(problem, i) + formatv(": {0} colors for {1} slots",
                                            sol.colors[i].size(), p.numColors())
                                        .str();
    for (auto [s, c] : llvm::enumerate(sol.colors[i])) {
      if (c < 0 || c >= problem.usableColors)
        return describe(problem, i) + formatv(": color {0} outside 0..{1}", c,
                                              problem.usableColors - 1)
                                          .str();
      if (llvm::is_contained(ArrayRef<int>(sol.colors[i]).take_front(s), c))
        return describe(problem, i) +
               formatv(": color {0} on two of its slots", c).str();
    }
    if (sol.phase[i] < 0)
      return describe(problem, i) +
             formatv(": negative phase {0}", sol.phase[i]).str();
    // Along a chain (consecutive patterns of one owner) data only moves
    // forward in time: phases never decrease. A pattern shared with an
    // earlier chain runs when that chain ran.
    bool chained = i > 0 && i < problem.owners.size() &&
                   problem.owners[i] == problem.owners[i - 1];
    if (chained && sol.phase[i] < sol.phase[i - 1]) {
      bool shared = false;
      for (size_t j = 0; j < i && !shared; ++j)
        shared = problem.owners[j] != problem.owners[i] &&
                 sameInstance(problem, i, j);
      if (!shared)
        return describe(problem, i) +
               formatv(": runs in phase {0}, before the pattern ahead of it "
                       "in its chain (phase {1})",
                       sol.phase[i], sol.phase[i - 1])
                   .str();
    }
  }
  std::vector<size_t> byX(n);
  for (size_t i = 0; i < n; ++i)
    byX[i] = i;
  llvm::sort(byX, [&](size_t a, size_t b) {
    return std::tie(problem.patterns[a].rect.x, a) <
           std::tie(problem.patterns[b].rect.x, b);
  });
  for (size_t ai = 0; ai < n; ++ai)
    for (size_t bi = ai + 1; bi < n; ++bi) {
      size_t a = byX[ai], b = byX[bi];
      if (problem.patterns[b].rect.x >= problem.patterns[a].rect.x1())
        break;
      if (sol.phase[a] != sol.phase[b])
        continue;
      auto c =
          findConflict(problem.patterns[a], sol.colors[a], problem.patterns[b],
                       sol.colors[b], sameInstance(problem, a, b));
      if (!c)
        continue;
      size_t lo = std::min(a, b), hi = std::max(a, b);
      bool swap = lo != a;
      return formatv("{0} and {1} both configure color {2} at PE ({3},{4}): "
                     "{5} vs {6}",
                     describe(problem, lo), describe(problem, hi), c->color,
                     c->x, c->y, (swap ? c->configB : c->configA).str(),
                     (swap ? c->configA : c->configB).str())
          .str();
    }
  if (sol.filtersMax > problem.maxFilters)
    return formatv("{0} filters at one router, a router has {1}",
                   sol.filtersMax, problem.maxFilters)
        .str();
  return std::nullopt;
}

} // namespace wafer::route
