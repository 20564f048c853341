//===- Routing.cpp - streams, multicast trees and colors --------*- C++ -*-===//
#include "wafer/Route/Routing.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>

using namespace llvm;

namespace wafer::route {

char portLetter(Port p) {
  static const char letters[] = {'E', 'W', 'N', 'S', 'R'};
  return letters[uint8_t(p)];
}

std::optional<RouterConfig> RouterConfig::decode(uint8_t byte) {
  if (byte == 0)
    return std::nullopt;
  uint8_t in = (byte >> 5) - 1;
  if (in >= kNumPorts)
    return std::nullopt;
  return RouterConfig{Port(in), uint8_t(byte & 0x1f)};
}

std::string RouterConfig::str() const {
  std::string s(1, portLetter(input));
  s += "->";
  bool first = true;
  for (int p = 0; p < kNumPorts; ++p) {
    if (!(outputs & portBit(Port(p))))
      continue;
    if (!first)
      s += ',';
    s += portLetter(Port(p));
    first = false;
  }
  return s;
}

//===----------------------------------------------------------------------===//
// Trees
//===----------------------------------------------------------------------===//

Tree Tree::of(const FlowFamily &f, int64_t i, int64_t j) {
  int64_t ox = i * f.si, oy = j * f.sj;
  return Tree{f.sx + ox,
              f.sy + oy,
              f.dx + ox,
              f.dy + oy,
              f.dx + ox + f.dw - 1,
              f.dy + oy + f.dh - 1};
}

std::optional<RouterConfig> Tree::configAt(int64_t x, int64_t y) const {
  const bool destColumn = x >= dx0 && x <= dx1;
  if (y == sy && x >= rowLo() && x <= rowHi()) {
    RouterConfig c;
    c.input = x == sx ? Port::Ramp : x > sx ? Port::West : Port::East;
    if (x >= sx && x < rowHi())
      c.outputs |= portBit(Port::East);
    if (x <= sx && x > rowLo())
      c.outputs |= portBit(Port::West);
    if (destColumn) {
      if (sy > colLo())
        c.outputs |= portBit(Port::North);
      if (sy < colHi())
        c.outputs |= portBit(Port::South);
      if (isDestination(x, y))
        c.outputs |= portBit(Port::Ramp);
    }
    return c;
  }
  if (!destColumn || y < colLo() || y > colHi())
    return std::nullopt;
  RouterConfig c;
  c.input = y > sy ? Port::North : Port::South;
  if (y > sy && y < colHi())
    c.outputs |= portBit(Port::South);
  if (y < sy && y > colLo())
    c.outputs |= portBit(Port::North);
  if (isDestination(x, y))
    c.outputs |= portBit(Port::Ramp);
  return c;
}

bool Tree::usesLink(int64_t x, int64_t y, Port dir) const {
  switch (dir) {
  case Port::East:
    return y == sy && x >= sx && x < rowHi();
  case Port::West:
    return y == sy && x <= sx && x > rowLo();
  case Port::South:
    return x >= dx0 && x <= dx1 && y >= sy && y < colHi();
  case Port::North:
    return x >= dx0 && x <= dx1 && y <= sy && y > colLo();
  case Port::Ramp:
    return false;
  }
  return false;
}

int64_t Tree::numRouters() const {
  return (rowHi() - rowLo() + 1) + (dx1 - dx0 + 1) * (colHi() - colLo());
}

int64_t Tree::numLinks() const {
  return (rowHi() - rowLo()) + (dx1 - dx0 + 1) * (colHi() - colLo());
}

int64_t Tree::maxPathHops() const {
  return std::max(std::abs(dx0 - sx), std::abs(dx1 - sx)) +
         std::max(std::abs(dy0 - sy), std::abs(dy1 - sy));
}

std::vector<Segment> segments(const Tree &t) {
  std::vector<Segment> segs;
  if (t.rowHi() > t.sx)
    segs.push_back({t.sx, t.sy, Port::East, t.rowHi() - t.sx});
  if (t.rowLo() < t.sx)
    segs.push_back({t.sx, t.sy, Port::West, t.sx - t.rowLo()});
  for (int64_t x = t.dx0; x <= t.dx1; ++x) {
    if (t.colLo() < t.sy)
      segs.push_back({x, t.sy, Port::North, t.sy - t.colLo()});
    if (t.colHi() > t.sy)
      segs.push_back({x, t.sy, Port::South, t.colHi() - t.sy});
  }
  return segs;
}

std::string hopString(const Tree &t) {
  std::string s;
  for (const Segment &seg : segments(t))
    s.append(seg.length, portLetter(seg.dir));
  return s;
}

// Calls fn(peId, encodedConfig) for every router of the tree: the source
// row first (west to east), then each destination column (north to south).
template <typename Fn>
static void forEachCell(const Tree &t, int64_t width, Fn fn) {
  for (int64_t x = t.rowLo(); x <= t.rowHi(); ++x)
    fn(t.sy * width + x, t.configAt(x, t.sy)->encode());
  for (int64_t x = t.dx0; x <= t.dx1; ++x)
    for (int64_t y = t.colLo(); y <= t.colHi(); ++y)
      if (y != t.sy)
        fn(y * width + x, t.configAt(x, y)->encode());
}

//===----------------------------------------------------------------------===//
// Router table and delivery
//===----------------------------------------------------------------------===//

RouterTable::RouterTable(int64_t width, int64_t height, int numColors)
    : w(width), h(height), colors(numColors),
      cells(size_t(width * height) * numColors, 0) {}

int RouterTable::colorsUsed(int64_t x, int64_t y) const {
  int n = 0;
  for (int c = 0; c < colors; ++c)
    n += cells[index(x, y, c)] != 0;
  return n;
}

Delivery reach(const RouterTable &table, int color, int64_t x, int64_t y) {
  Delivery d;
  if (!table.inMesh(x, y) || color < 0 || color >= table.numColors()) {
    d.dropped.push_back({x, y, "source is not a router of the table"});
    return d;
  }
  std::optional<RouterConfig> src = table.get(x, y, color);
  if (!src || src->input != Port::Ramp) {
    d.dropped.push_back(
        {x, y, "source router does not take input from the ramp"});
    return d;
  }
  DenseSet<int64_t> visited;
  std::vector<std::pair<int64_t, int64_t>> stack{{x, y}};
  visited.insert(y * table.width() + x);
  static const Port pushOrder[] = {Port::South, Port::North, Port::West,
                                   Port::East}; // pops E first
  while (!stack.empty()) {
    auto [cx, cy] = stack.back();
    stack.pop_back();
    RouterConfig cfg = *table.get(cx, cy, color);
    if (cfg.outputs & portBit(Port::Ramp))
      d.reached.emplace_back(cx, cy);
    for (Port p : pushOrder) {
      if (!(cfg.outputs & portBit(p)))
        continue;
      int64_t nx = cx + (p == Port::East) - (p == Port::West);
      int64_t ny = cy + (p == Port::South) - (p == Port::North);
      Port arrival = p == Port::East    ? Port::West
                     : p == Port::West  ? Port::East
                     : p == Port::North ? Port::South
                                        : Port::North;
      if (!table.inMesh(nx, ny)) {
        d.dropped.push_back({cx, cy, "leaves the mesh"});
        continue;
      }
      std::optional<RouterConfig> next = table.get(nx, ny, color);
      if (!next) {
        d.dropped.push_back({nx, ny, "no configuration"});
        continue;
      }
      if (next->input != arrival) {
        d.dropped.push_back(
            {nx, ny,
             formatv("configured for input from {0}, data arrives from {1}",
                     portLetter(next->input), portLetter(arrival))
                 .str()});
        continue;
      }
      if (!visited.insert(ny * table.width() + nx).second) {
        d.dropped.push_back({nx, ny, "loop"});
        continue;
      }
      stack.emplace_back(nx, ny);
    }
  }
  return d;
}

uint64_t RoutingSolution::linkLoad(int64_t x, int64_t y, Port dir) const {
  int64_t w = table.width(), h = table.height();
  switch (dir) {
  case Port::East:
  case Port::West:
    return loads[int(dir)][y * w + x];
  case Port::North:
  case Port::South:
    return loads[int(dir)][x * h + y];
  case Port::Ramp:
    return 0;
  }
  return 0;
}

//===----------------------------------------------------------------------===//
// Problem
//===----------------------------------------------------------------------===//

RoutingProblem RoutingProblem::forTarget(const TargetModel &target) {
  RoutingProblem p;
  p.meshWidth = target.width;
  p.meshHeight = target.height;
  p.usableColors = int(target.usableColors());
  return p;
}

std::optional<RouteFailure> RoutingProblem::check() const {
  if (meshWidth <= 0 || meshHeight <= 0)
    return RouteFailure{
        formatv("mesh must be positive, got {0}x{1}", meshWidth, meshHeight)
            .str()};
  if (usableColors < 1 || usableColors > 32)
    return RouteFailure{
        formatv("usable colors must be in 1..32, got {0}", usableColors).str()};
  for (int s = 0, se = streams.size(); s < se; ++s) {
    const Stream &st = streams[s];
    if (st.families.empty())
      return RouteFailure{
          formatv("stream '{0}' has no flow families", st.name).str(), {s}};
    for (int fi = 0, fe = st.families.size(); fi < fe; ++fi) {
      const FlowFamily &f = st.families[fi];
      auto fail = [&](const Twine &what) {
        RouteFailure r{
            formatv("stream '{0}' family {1}: {2}", st.name, fi, what.str())
                .str(),
            {s}};
        r.family = fi;
        return r;
      };
      if (f.dw < 1 || f.dh < 1)
        return fail(
            formatv("destination size {0}x{1} must be positive", f.dw, f.dh));
      if (f.ni < 1 || f.nj < 1)
        return fail(
            formatv("replica counts {0}x{1} must be positive", f.ni, f.nj));
      if (f.bytes < 0)
        return fail(formatv("negative traffic {0} bytes", f.bytes));
      // Translation is linear in i and j: the corner replicas are extreme.
      for (int64_t i : {int64_t(0), f.ni - 1})
        for (int64_t j : {int64_t(0), f.nj - 1}) {
          Tree t = Tree::of(f, i, j);
          auto in = [&](int64_t x, int64_t y) {
            return x >= 0 && y >= 0 && x < meshWidth && y < meshHeight;
          };
          if (!in(t.sx, t.sy))
            return fail(formatv("replica ({0},{1}): source PE ({2},{3}) is "
                                "outside the {4}x{5} mesh",
                                i, j, t.sx, t.sy, meshWidth, meshHeight));
          if (!in(t.dx0, t.dy0) || !in(t.dx1, t.dy1))
            return fail(formatv("replica ({0},{1}): destination [{2},{3}) x "
                                "[{4},{5}) is outside the {6}x{7} mesh",
                                i, j, t.dx0, t.dx1 + 1, t.dy0, t.dy1 + 1,
                                meshWidth, meshHeight));
        }
    }
  }
  return std::nullopt;
}

std::optional<RouteFailure>
RoutingProblem::verify(const RoutingSolution &sol) const {
  if (auto f = check())
    return f;
  if (sol.streams.size() != streams.size())
    return RouteFailure{formatv("solution has {0} streams, problem has {1}",
                                sol.streams.size(), streams.size())
                            .str()};
  RouterTable rebuilt(meshWidth, meshHeight, usableColors);
  for (int s = 0, se = streams.size(); s < se; ++s) {
    const Stream &st = streams[s];
    const StreamRoute &sr = sol.streams[s];
    if (!sr.routed || sr.replicaColors.size() != st.families.size())
      return RouteFailure{formatv("stream '{0}' is not routed", st.name).str(),
                          {s}};
    for (int fi = 0, fe = st.families.size(); fi < fe; ++fi) {
      const FlowFamily &f = st.families[fi];
      if (int64_t(sr.replicaColors[fi].size()) != f.numReplicas())
        return RouteFailure{
            formatv("stream '{0}' family {1}: {2} replica colors for {3} "
                    "replicas",
                    st.name, fi, sr.replicaColors[fi].size(), f.numReplicas())
                .str(),
            {s}};
      for (int64_t j = 0; j < f.nj; ++j)
        for (int64_t i = 0; i < f.ni; ++i) {
          int c = sr.replicaColors[fi][i + j * f.ni];
          if (c >= usableColors)
            return RouteFailure{formatv("stream '{0}' uses color {1}, {2} "
                                        "usable",
                                        st.name, c, usableColors)
                                    .str(),
                                {s}};
          std::optional<RouteFailure> bad;
          forEachCell(Tree::of(f, i, j), meshWidth, [&](int64_t pe, uint8_t v) {
            uint8_t old = rebuilt.raw(pe, c);
            if (old == 0)
              rebuilt.setRaw(pe, c, v);
            else if (old != v && !bad)
              bad = RouteFailure{
                  formatv("stream '{0}' replica ({1},{2}) needs {3} at PE "
                          "({4},{5}) color {6}, which another flow configured "
                          "as {7}",
                          st.name, i, j, RouterConfig::decode(v)->str(),
                          pe % meshWidth, pe / meshWidth, c,
                          RouterConfig::decode(old)->str())
                      .str(),
                  {s},
                  pe % meshWidth,
                  pe / meshWidth,
                  fi};
          });
          if (bad)
            return bad;
        }
    }
  }
  if (!(rebuilt == sol.table)) {
    for (int64_t pe = 0; pe < meshWidth * meshHeight; ++pe)
      for (int c = 0; c < usableColors; ++c)
        if (sol.table.width() != meshWidth ||
            sol.table.height() != meshHeight ||
            sol.table.numColors() != usableColors ||
            rebuilt.raw(pe, c) != sol.table.raw(pe, c))
          return RouteFailure{
              formatv("router table differs from the streams' trees at PE "
                      "({0},{1}) color {2}",
                      pe % meshWidth, pe / meshWidth, c)
                  .str(),
              {},
              pe % meshWidth,
              pe / meshWidth};
  }
  // Delivery: walk the solution's table from every replica's source.
  for (int s = 0, se = streams.size(); s < se; ++s) {
    const Stream &st = streams[s];
    for (int fi = 0, fe = st.families.size(); fi < fe; ++fi) {
      const FlowFamily &f = st.families[fi];
      for (int64_t j = 0; j < f.nj; ++j)
        for (int64_t i = 0; i < f.ni; ++i) {
          Tree t = Tree::of(f, i, j);
          int c = sol.streams[s].replicaColors[fi][i + j * f.ni];
          Delivery d = reach(sol.table, c, t.sx, t.sy);
          auto fail = [&](const Twine &what) {
            return RouteFailure{formatv("stream '{0}' replica ({1},{2}) from "
                                        "PE ({3},{4}) on color {5}: {6}",
                                        st.name, i, j, t.sx, t.sy, c,
                                        what.str())
                                    .str(),
                                {s},
                                t.sx,
                                t.sy,
                                fi};
          };
          if (!d.dropped.empty())
            return fail(formatv("data dropped at PE ({0},{1}): {2}",
                                d.dropped[0].x, d.dropped[0].y,
                                d.dropped[0].reason));
          for (auto [x, y] : d.reached)
            if (!t.isDestination(x, y))
              return fail(formatv("data reaches PE ({0},{1}) outside the "
                                  "destination",
                                  x, y));
          if (int64_t(d.reached.size()) != f.dw * f.dh)
            return fail(formatv("reaches {0} of {1} destination PEs",
                                d.reached.size(), f.dw * f.dh));
        }
    }
  }
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Solver
//===----------------------------------------------------------------------===//

namespace {
class Router {
public:
  Router(const RoutingProblem &p, RoutingSolution &sol)
      : p(p), sol(sol), w(p.meshWidth), h(p.meshHeight), colors(p.usableColors),
        scratch(size_t(w * h), 0) {
    sol.table = RouterTable(w, h, colors);
    for (auto &l : sol.loads)
      l.assign(size_t(w * h) + 1, 0); // +1: difference-array end marker
    sol.streams.resize(p.streams.size());
  }

  void routeStream(int s);
  void finish();

private:
  using Cells = std::vector<std::pair<int64_t, uint8_t>>;
  bool fits(const Cells &cells, int c) const {
    for (auto [pe, v] : cells) {
      uint8_t old = sol.table.raw(pe, c);
      if (old != 0 && old != v)
        return false;
    }
    return true;
  }
  // Commits cells on color c; records newly set cells for rollback.
  void commit(const Cells &cells, int c,
              std::vector<std::pair<int64_t, int>> &written) {
    for (auto [pe, v] : cells)
      if (sol.table.raw(pe, c) == 0) {
        sol.table.setRaw(pe, c, v);
        written.emplace_back(pe, c);
      }
  }
  RouteFailure outOfColors(int s, const Cells &cells);
  void addLoads(const Tree &t, uint64_t bytes);

  const RoutingProblem &p;
  RoutingSolution &sol;
  int64_t w, h;
  int colors;
  std::vector<uint8_t> scratch; // per-PE config of the stream being routed
};

void Router::routeStream(int s) {
  const Stream &st = p.streams[s];
  StreamRoute &sr = sol.streams[s];
  sr.replicaColors.resize(st.families.size());
  // Gather the stream's cells; two replicas wanting different configurations
  // at one router mean the stream cannot live on a single color.
  Cells cells;
  bool selfConflict = false;
  for (const FlowFamily &f : st.families)
    for (int64_t j = 0; j < f.nj; ++j)
      for (int64_t i = 0; i < f.ni; ++i)
        forEachCell(Tree::of(f, i, j), w, [&](int64_t pe, uint8_t v) {
          if (scratch[pe] == 0) {
            scratch[pe] = v;
            cells.emplace_back(pe, v);
          } else if (scratch[pe] != v) {
            selfConflict = true;
          }
        });
  for (auto [pe, v] : cells)
    scratch[pe] = 0;

  if (!selfConflict) {
    int chosen = -1;
    for (int c = 0; c < colors && chosen < 0; ++c)
      if (fits(cells, c))
        chosen = c;
    if (chosen < 0) {
      sol.failures.push_back(outOfColors(s, cells));
      sr.replicaColors.clear();
      return;
    }
    std::vector<std::pair<int64_t, int>> written;
    commit(cells, chosen, written);
    for (int fi = 0, fe = st.families.size(); fi < fe; ++fi)
      sr.replicaColors[fi].assign(st.families[fi].numReplicas(),
                                  uint8_t(chosen));
  } else {
    std::vector<std::pair<int64_t, int>> written;
    for (int fi = 0, fe = st.families.size(); fi < fe; ++fi) {
      const FlowFamily &f = st.families[fi];
      sr.replicaColors[fi].assign(f.numReplicas(), 0);
      for (int64_t j = 0; j < f.nj; ++j)
        for (int64_t i = 0; i < f.ni; ++i) {
          Cells rc;
          forEachCell(Tree::of(f, i, j), w,
                      [&](int64_t pe, uint8_t v) { rc.emplace_back(pe, v); });
          int chosen = -1;
          for (int c = 0; c < colors && chosen < 0; ++c)
            if (fits(rc, c))
              chosen = c;
          if (chosen < 0) {
            // Record sr partially so outOfColors sees this stream's own
            // replicas as holders, then roll the stream back.
            sr.routed = true;
            RouteFailure fail = outOfColors(s, rc);
            fail.family = fi;
            sol.failures.push_back(std::move(fail));
            for (auto [pe, c] : written)
              sol.table.setRaw(pe, c, 0);
            sr.routed = false;
            sr.replicaColors.clear();
            return;
          }
          commit(rc, chosen, written);
          sr.replicaColors[fi][i + j * f.ni] = uint8_t(chosen);
        }
    }
  }
  sr.routed = true;
  std::vector<bool> used(colors, false);
  for (int fi = 0, fe = st.families.size(); fi < fe; ++fi) {
    const FlowFamily &f = st.families[fi];
    for (uint8_t c : sr.replicaColors[fi])
      used[c] = true;
    Tree base = Tree::of(f, 0, 0);
    // Replicas are translations of the base tree: same size, same depth.
    sr.hops += base.numLinks() * f.numReplicas();
    sr.maxPathHops = std::max(sr.maxPathHops, base.maxPathHops());
    for (int64_t j = 0; j < f.nj; ++j)
      for (int64_t i = 0; i < f.ni; ++i)
        addLoads(Tree::of(f, i, j), uint64_t(f.bytes));
  }
  for (int c = 0; c < colors; ++c)
    if (used[c])
      sr.colors.push_back(c);
}

// Straight runs update a difference array in O(1); finish() prefix-sums.
void Router::addLoads(const Tree &t, uint64_t b) {
  auto run = [&](std::vector<uint64_t> &d, int64_t from, int64_t to) {
    if (from < to) {
      d[from] += b;
      d[to] -= b;
    }
  };
  // E: links leaving x in [sx, rowHi); W: leaving x in (rowLo, sx].
  run(sol.loads[0], t.sy * w + t.sx, t.sy * w + t.rowHi());
  run(sol.loads[1], t.sy * w + t.rowLo() + 1, t.sy * w + t.sx + 1);
  for (int64_t x = t.dx0; x <= t.dx1; ++x) {
    run(sol.loads[3], x * h + t.sy, x * h + t.colHi());
    run(sol.loads[2], x * h + t.colLo() + 1, x * h + t.sy + 1);
  }
}

RouteFailure Router::outOfColors(int s, const Cells &cells) {
  // The most contested router of the failing flow: most colors held there by
  // configurations it cannot share (lowest PE id on ties).
  int best = -1;
  int64_t bestPe = -1;
  uint32_t bestMask = 0;
  for (auto [pe, v] : cells) {
    uint32_t mask = 0;
    for (int c = 0; c < colors; ++c) {
      uint8_t old = sol.table.raw(pe, c);
      if (old != 0 && old != v)
        mask |= uint32_t(1) << c;
    }
    int n = __builtin_popcount(mask);
    if (n > best || (n == best && pe < bestPe)) {
      best = n;
      bestPe = pe;
      bestMask = mask;
    }
  }
  int64_t x = bestPe % w, y = bestPe / w;
  // Name the holders: re-derive which routed replicas touch that router on a
  // blocking color (rare path, so no per-(PE, color) owner table is kept).
  std::vector<int> holders;
  for (int o = 0; o <= s; ++o) {
    const StreamRoute &r = sol.streams[o];
    if (!r.routed)
      continue;
    bool holds = false;
    const auto &fams = p.streams[o].families;
    for (int fi = 0, fe = r.replicaColors.size(); fi < fe && !holds; ++fi) {
      const FlowFamily &f = fams[fi];
      for (int64_t j = 0; j < f.nj && !holds; ++j)
        for (int64_t i = 0; i < f.ni && !holds; ++i) {
          int c = r.replicaColors[fi][i + j * f.ni];
          if ((bestMask >> c & 1) && Tree::of(f, i, j).configAt(x, y))
            holds = true;
        }
    }
    if (holds)
      holders.push_back(o);
  }
  if (holders.empty() || holders.back() != s)
    holders.push_back(s);
  std::string names;
  for (int o : holders) {
    if (!names.empty())
      names += ", ";
    names += p.streams[o].name;
  }
  int need = best + 1;
  std::string msg = formatv("out of colors at PE ({0},{1}): streams {2} need "
                            "{3}, {4} usable",
                            x, y, names, need, colors)
                        .str();
  if (need <= colors)
    msg += formatv("; no single color is free along the whole route of "
                   "stream '{0}'",
                   p.streams[s].name)
               .str();
  RouteFailure f{std::move(msg), holders, x, y};
  return f;
}

void Router::finish() {
  for (auto &l : sol.loads) {
    uint64_t acc = 0;
    for (uint64_t &v : l) {
      acc += v;
      v = acc;
    }
    l.pop_back();
  }
  sol.maxLinkBytes = 0;
  for (int64_t y = 0; y < h; ++y)
    for (int64_t x = 0; x < w; ++x)
      for (int d = 0; d < 4; ++d) {
        uint64_t v = sol.linkLoad(x, y, Port(d));
        if (v > sol.maxLinkBytes) {
          sol.maxLinkBytes = v;
          sol.maxLink = LinkRef{x, y, Port(d)};
        }
      }
  if (sol.maxLinkBytes > 0) {
    const LinkRef &l = sol.maxLink;
    for (int s = 0, se = p.streams.size(); s < se; ++s) {
      if (!sol.streams[s].routed)
        continue;
      bool on = false;
      for (const FlowFamily &f : p.streams[s].families)
        for (int64_t j = 0; j < f.nj && !on; ++j)
          for (int64_t i = 0; i < f.ni && !on; ++i)
            on = Tree::of(f, i, j).usesLink(l.x, l.y, l.dir);
      if (on)
        sol.maxLinkStreams.push_back(s);
    }
  }
  sol.maxColors = 0;
  for (int64_t pe = 0; pe < w * h; ++pe) {
    int n = 0;
    for (int c = 0; c < colors; ++c)
      n += sol.table.raw(pe, c) != 0;
    if (n > sol.maxColors) {
      sol.maxColors = n;
      sol.maxColorsX = pe % w;
      sol.maxColorsY = pe / w;
    }
  }
}
} // namespace

RoutingSolution routeDimensionOrdered(const RoutingProblem &problem) {
  RoutingSolution sol;
  if (auto f = problem.check()) {
    sol.failures.push_back(std::move(*f));
    return sol;
  }
  Router router(problem, sol);
  for (int s = 0, se = problem.streams.size(); s < se; ++s)
    router.routeStream(s);
  router.finish();
  return sol;
}

} // namespace wafer::route
