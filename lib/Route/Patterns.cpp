//===- Patterns.cpp - communication patterns on rectangles of PEs ---------===//
#include "wafer/Route/Patterns.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>
#include <tuple>

using namespace llvm;

namespace wafer::route {

Rect Rect::intersect(const Rect &o) const {
  int64_t nx = std::max(x, o.x), ny = std::max(y, o.y);
  int64_t nx1 = std::min(x1(), o.x1()), ny1 = std::min(y1(), o.y1());
  if (nx1 <= nx || ny1 <= ny)
    return Rect{nx, ny, 0, 0};
  return Rect{nx, ny, nx1 - nx, ny1 - ny};
}

bool Rect::operator<(const Rect &o) const {
  return std::tie(y, x, h, w) < std::tie(o.y, o.x, o.h, o.w);
}

const char *dirName(Dir d) {
  static const char *names[] = {"east", "west", "north", "south"};
  return names[uint8_t(d)];
}

std::optional<Dir> parseDir(StringRef s) {
  return StringSwitch<std::optional<Dir>>(s)
      .Case("east", Dir::East)
      .Case("west", Dir::West)
      .Case("north", Dir::North)
      .Case("south", Dir::South)
      .Default(std::nullopt);
}

Port outPort(Dir d) {
  static const Port ports[] = {Port::East, Port::West, Port::North,
                               Port::South};
  return ports[uint8_t(d)];
}

Port inPort(Dir d) {
  static const Port ports[] = {Port::West, Port::East, Port::South,
                               Port::North};
  return ports[uint8_t(d)];
}

bool isHorizontal(Dir d) { return d == Dir::East || d == Dir::West; }

static Dir reverse(Dir d) {
  static const Dir rev[] = {Dir::West, Dir::East, Dir::South, Dir::North};
  return rev[uint8_t(d)];
}

const char *kindName(PatternKind k) {
  static const char *names[] = {"edge_shift", "multicast",    "scatter",
                                "gather",     "chain_reduce", "allreduce",
                                "all_to_all", "store_forward"};
  return names[uint8_t(k)];
}

std::optional<PatternKind> parseKind(StringRef s) {
  for (int k = 0; k < kNumPatternKinds; ++k)
    if (s == kindName(PatternKind(k)))
      return PatternKind(k);
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Geometry along the flow
//===----------------------------------------------------------------------===//

namespace {
/// The rectangle seen along a direction: position k counts routers from the
/// pattern's first line in the flow direction.
struct Along {
  Rect r;
  Dir d;
  int64_t length() const { return isHorizontal(d) ? r.w : r.h; }
  /// Routers at positions [k0, k0 + n) along the flow, on every line.
  Rect slab(int64_t k0, int64_t n) const {
    if (n <= 0)
      return Rect{r.x, r.y, 0, 0};
    switch (d) {
    case Dir::East:
      return Rect{r.x + k0, r.y, n, r.h};
    case Dir::West:
      return Rect{r.x1() - k0 - n, r.y, n, r.h};
    case Dir::South:
      return Rect{r.x, r.y + k0, r.w, n};
    case Dir::North:
      return Rect{r.x, r.y1() - k0 - n, r.w, n};
    }
    return {};
  }
  int64_t position(int64_t x, int64_t y) const {
    switch (d) {
    case Dir::East:
      return x - r.x;
    case Dir::West:
      return r.x1() - 1 - x;
    case Dir::South:
      return y - r.y;
    case Dir::North:
      return r.y1() - 1 - y;
    }
    return 0;
  }
};

RouterConfig cfg(Port in, std::initializer_list<Port> outs) {
  RouterConfig c;
  c.input = in;
  for (Port p : outs)
    c.outputs |= portBit(p);
  return c;
}

void addRole(std::vector<Role> &roles, Rect routers, int slot, RouterConfig c,
             const char *what, Parity parity = Parity::All, int switches = 1,
             bool filter = false) {
  if (routers.empty())
    return;
  Role r;
  r.routers = routers;
  r.slot = slot;
  r.config = c;
  r.what = what;
  r.parity = parity;
  r.switchPositions = switches;
  r.filter = filter;
  roles.push_back(r);
}

/// Source -> interior -> sink along every line on one slot.
void lineRoles(std::vector<Role> &roles, const Along &a, int slot,
               RouterConfig source, RouterConfig interior, RouterConfig sink,
               int interiorSwitches, bool filter) {
  int64_t n = a.length();
  addRole(roles, a.slab(0, 1), slot, source, "source");
  addRole(roles, a.slab(1, n - 2), slot, interior, "interior", Parity::All,
          interiorSwitches, filter);
  addRole(roles, a.slab(n - 1, 1), slot, sink, "sink", Parity::All, 1, filter);
}
} // namespace

bool roleCovers(const Pattern &p, const Role &role, int64_t x, int64_t y) {
  if (!role.routers.contains(x, y))
    return false;
  if (role.parity == Parity::All)
    return true;
  int64_t k = Along{p.rect, p.dir}.position(x, y);
  return (k % 2 == 0) == (role.parity == Parity::Even);
}

//===----------------------------------------------------------------------===//
// Pattern
//===----------------------------------------------------------------------===//

static Pattern make(PatternKind k, Rect r, Dir d, int64_t bytes) {
  Pattern p;
  p.kind = k;
  p.rect = r;
  p.dir = d;
  p.turn = d;
  p.bytes = bytes;
  return p;
}

Pattern Pattern::edgeShift(Rect r, Dir d, int64_t b) {
  return make(PatternKind::EdgeShift, r, d, b);
}
Pattern Pattern::multicast(Rect r, Dir d, int64_t b) {
  return make(PatternKind::Multicast, r, d, b);
}
Pattern Pattern::scatter(Rect r, Dir d, int64_t b) {
  return make(PatternKind::Scatter, r, d, b);
}
Pattern Pattern::gather(Rect r, Dir d, int64_t b) {
  return make(PatternKind::Gather, r, d, b);
}
Pattern Pattern::chainReduce(Rect r, Dir d, int64_t b) {
  return make(PatternKind::ChainReduce, r, d, b);
}
Pattern Pattern::allreduce(Rect r, Dir d, int64_t b) {
  return make(PatternKind::Allreduce, r, d, b);
}
Pattern Pattern::allToAll(Rect r, Dir d, int64_t b) {
  return make(PatternKind::AllToAll, r, d, b);
}
Pattern Pattern::storeForward(int64_t sx, int64_t sy, int64_t dx, int64_t dy,
                              int64_t b) {
  Rect r{std::min(sx, dx), std::min(sy, dy), std::abs(dx - sx) + 1,
         std::abs(dy - sy) + 1};
  Dir turn = dy >= sy ? Dir::South : Dir::North;
  Dir dir = dx >= sx ? Dir::East : Dir::West;
  Pattern p = make(PatternKind::StoreForward, r, r.w > 1 ? dir : turn, b);
  p.turn = r.h > 1 ? turn : p.dir;
  return p;
}

bool Pattern::operator<(const Pattern &o) const {
  return std::make_tuple(uint8_t(kind), rect, uint8_t(dir), uint8_t(turn),
                         bytes) < std::make_tuple(uint8_t(o.kind), o.rect,
                                                  uint8_t(o.dir),
                                                  uint8_t(o.turn), o.bytes);
}

int64_t Pattern::numLines() const {
  if (kind == PatternKind::StoreForward)
    return 1;
  return isHorizontal(dir) ? rect.h : rect.w;
}

int64_t Pattern::lineLength() const {
  if (kind == PatternKind::StoreForward)
    return rect.w + rect.h - 1;
  return Along{rect, dir}.length();
}

std::pair<int64_t, int64_t> Pattern::start() const {
  bool east = rect.w > 1 ? dir == Dir::East : true;
  bool south = rect.h > 1 ? turn == Dir::South : true;
  return {east ? rect.x : rect.x1() - 1, south ? rect.y : rect.y1() - 1};
}

std::pair<int64_t, int64_t> Pattern::end() const {
  bool east = rect.w > 1 ? dir == Dir::East : true;
  bool south = rect.h > 1 ? turn == Dir::South : true;
  return {east ? rect.x1() - 1 : rect.x, south ? rect.y1() - 1 : rect.y};
}

std::pair<int64_t, int64_t> Pattern::corner() const {
  return {end().first, start().second};
}

int Pattern::numColors() const {
  switch (kind) {
  case PatternKind::EdgeShift:
  case PatternKind::Multicast:
  case PatternKind::Scatter:
  case PatternKind::Gather:
    return 1;
  case PatternKind::ChainReduce:
  case PatternKind::AllToAll:
    return 2;
  case PatternKind::Allreduce:
    return 3;
  case PatternKind::StoreForward:
    return (rect.w > 1) + (rect.h > 1);
  }
  return 0;
}

std::vector<Role> Pattern::roles() const {
  std::vector<Role> out;
  Along a{rect, dir};
  int64_t n = a.length();
  Port in = inPort(dir), o = outPort(dir);
  Port R = Port::Ramp;
  switch (kind) {
  case PatternKind::EdgeShift:
    lineRoles(out, a, 0, cfg(R, {o}), cfg(in, {o}), cfg(in, {R}), 1, false);
    break;
  case PatternKind::Multicast:
  case PatternKind::Scatter: {
    bool filter = kind == PatternKind::Scatter;
    lineRoles(out, a, 0, cfg(R, {o}), cfg(in, {o, R}), cfg(in, {R}), 1, filter);
    break;
  }
  case PatternKind::Gather:
    // Interior routers first inject their own data (R->o), then their
    // switch advances to pass the upstream data through (in->o).
    lineRoles(out, a, 0, cfg(R, {o}), cfg(in, {o}), cfg(in, {R}), 2, false);
    break;
  case PatternKind::Allreduce:
  case PatternKind::ChainReduce:
    // Position k sends its running sum on slot k % 2 to k + 1.
    addRole(out, a.slab(0, n - 1), 0, cfg(R, {o}), "send", Parity::Even);
    addRole(out, a.slab(1, n - 1), 0, cfg(in, {R}), "receive", Parity::Odd);
    addRole(out, a.slab(1, n - 2), 1, cfg(R, {o}), "send", Parity::Odd);
    addRole(out, a.slab(2, n - 2), 1, cfg(in, {R}), "receive", Parity::Even);
    if (kind == PatternKind::Allreduce) {
      Along b{rect, reverse(dir)};
      Port bin = inPort(b.d), bo = outPort(b.d);
      std::vector<Role> back;
      lineRoles(back, b, 2, cfg(R, {bo}), cfg(bin, {bo, R}), cfg(bin, {R}), 1,
                false);
      out.insert(out.end(), back.begin(), back.end());
    }
    break;
  case PatternKind::AllToAll:
    for (int slot = 0; slot < 2; ++slot) {
      Along b{rect, slot ? reverse(dir) : dir};
      Port bin = inPort(b.d), bo = outPort(b.d);
      // Interior routers pass and keep (filtered) upstream data, and switch
      // to inject their own in their turn.
      lineRoles(out, b, slot, cfg(R, {bo}), cfg(bin, {bo, R}), cfg(bin, {R}), 2,
                true);
    }
    break;
  case PatternKind::StoreForward: {
    auto [sx, sy] = start();
    auto [cx, cy] = corner();
    auto [ex, ey] = end();
    int slot = 0;
    if (rect.w > 1) {
      Rect row{std::min(sx, cx), sy, rect.w, 1};
      lineRoles(out, Along{row, dir}, slot++, cfg(R, {outPort(dir)}),
                cfg(inPort(dir), {outPort(dir)}), cfg(inPort(dir), {R}), 1,
                false);
    }
    if (rect.h > 1) {
      Rect col{ex, std::min(cy, ey), 1, rect.h};
      lineRoles(out, Along{col, turn}, slot, cfg(R, {outPort(turn)}),
                cfg(inPort(turn), {outPort(turn)}), cfg(inPort(turn), {R}), 1,
                false);
    }
    break;
  }
  }
  return out;
}

std::optional<Role> Pattern::roleAt(int64_t x, int64_t y, int slot) const {
  for (const Role &r : roles())
    if (r.slot == slot && roleCovers(*this, r, x, y))
      return r;
  return std::nullopt;
}

int Pattern::maxSwitchPositions() const {
  int m = 1;
  for (const Role &r : roles())
    m = std::max(m, r.switchPositions);
  return m;
}

int Pattern::maxFilters() const {
  // Filter-armed roles overlapping at one router (an all-to-all's two
  // directions at an interior router) each arm a filter there.
  std::vector<WeightedRect> armed;
  for (const Role &r : roles())
    if (r.filter)
      armed.push_back({r.routers, 1});
  return int(maxOverlap(armed).value);
}

Rect Pattern::sinks() const {
  Along a{rect, dir};
  switch (kind) {
  case PatternKind::EdgeShift:
  case PatternKind::Gather:
  case PatternKind::ChainReduce:
    return a.slab(a.length() - 1, 1);
  case PatternKind::Multicast:
  case PatternKind::Scatter:
  case PatternKind::Allreduce:
  case PatternKind::AllToAll:
    return rect;
  case PatternKind::StoreForward:
    return Rect{end().first, end().second, 1, 1};
  }
  return {};
}

Rect Pattern::sources() const {
  Along a{rect, dir};
  switch (kind) {
  case PatternKind::EdgeShift:
  case PatternKind::Multicast:
  case PatternKind::Scatter:
    return a.slab(0, 1);
  case PatternKind::Gather:
  case PatternKind::ChainReduce:
  case PatternKind::Allreduce:
  case PatternKind::AllToAll:
    return rect;
  case PatternKind::StoreForward:
    return Rect{start().first, start().second, 1, 1};
  }
  return {};
}

int64_t Pattern::bytesPerLink() const { return bytes; }

int64_t Pattern::hopsPerLine() const {
  if (kind == PatternKind::StoreForward)
    return rect.w - 1 + rect.h - 1;
  return lineLength() - 1;
}

double Pattern::cycles(const TargetModel &t) const {
  double wavelets = std::ceil(double(bytes) / double(t.linkBytes));
  double hops = double(hopsPerLine()) * double(t.hopLatency);
  double ramp = 2.0 * double(t.rampLatency);
  double stages = double(lineLength() - 1);
  switch (kind) {
  case PatternKind::EdgeShift:
  case PatternKind::Multicast:
  case PatternKind::Scatter:
  case PatternKind::Gather:
    return wavelets + hops + ramp;
  case PatternKind::AllToAll:
    // Each direction's busiest link carries at most the line's data.
    return wavelets + hops + ramp;
  case PatternKind::ChainReduce:
    return wavelets + (ramp + 2.0) * stages;
  case PatternKind::Allreduce:
    return 2.0 * wavelets + (ramp + 2.0) * stages + hops + ramp;
  case PatternKind::StoreForward: {
    int legs = numColors();
    // The corner's core receives the whole message before resending it.
    return legs * (wavelets + ramp) + hops;
  }
  }
  return 0;
}

std::string Pattern::check() const {
  if (rect.empty())
    return formatv("{0}: empty rectangle {1}x{2}", kindName(kind), rect.w,
                   rect.h);
  if (bytes < 0)
    return formatv("{0}: negative bytes {1}", kindName(kind), bytes);
  if (kind == PatternKind::StoreForward) {
    if (rect.w > 1 && !isHorizontal(dir))
      return "store_forward: the first leg must run east or west";
    if (rect.h > 1 && isHorizontal(turn))
      return "store_forward: the second leg must run north or south";
    if (rect.w == 1 && rect.h == 1)
      return "store_forward: path of zero hops";
    return "";
  }
  if (kind != PatternKind::StoreForward && turn != dir)
    return formatv("{0}: only store_forward turns", kindName(kind));
  int64_t n = lineLength();
  if (n < 2)
    return formatv("{0}: lines of {1} PE along {2}; at least 2 needed",
                   kindName(kind), n, dirName(dir));
  return "";
}

std::string Pattern::str() const {
  std::string s = formatv("{0} {1} [{2},{3} {4}x{5}] {6} B", kindName(kind),
                          dirName(dir), rect.x, rect.y, rect.w, rect.h, bytes);
  if (kind == PatternKind::StoreForward && turn != dir)
    s += formatv(" then {0}", dirName(turn)).str();
  return s;
}

//===----------------------------------------------------------------------===//
// Link loads
//===----------------------------------------------------------------------===//

std::vector<LinkUse> linkUses(const Pattern &p) {
  std::vector<LinkUse> out;
  auto line = [&](Rect r, Dir d) {
    Along a{r, d};
    Rect links = a.slab(0, a.length() - 1);
    if (!links.empty())
      out.push_back({links, d, p.bytesPerLink()});
  };
  switch (p.kind) {
  case PatternKind::StoreForward: {
    auto [sx, sy] = p.start();
    auto [cx, cy] = p.corner();
    auto [ex, ey] = p.end();
    if (p.rect.w > 1)
      line(Rect{std::min(sx, cx), sy, p.rect.w, 1}, p.dir);
    if (p.rect.h > 1)
      line(Rect{ex, std::min(cy, ey), 1, p.rect.h}, p.turn);
    break;
  }
  case PatternKind::Allreduce:
  case PatternKind::AllToAll:
    line(p.rect, p.dir);
    line(p.rect, reverse(p.dir));
    break;
  default:
    line(p.rect, p.dir);
    break;
  }
  return out;
}

RectMax maxOverlap(const std::vector<WeightedRect> &rects) {
  RectMax best;
  std::vector<int64_t> ys;
  for (const WeightedRect &r : rects)
    if (!r.rect.empty()) {
      ys.push_back(r.rect.y);
      ys.push_back(r.rect.y1());
    }
  if (ys.empty())
    return best;
  llvm::sort(ys);
  ys.erase(std::unique(ys.begin(), ys.end()), ys.end());
  size_t n = ys.size() - 1; // elementary intervals [ys[i], ys[i+1])
  // Segment tree: range add, max with the lowest index attaining it.
  size_t size = 1;
  while (size < n)
    size *= 2;
  std::vector<int64_t> mx(2 * size, 0), lazy(2 * size, 0);
  std::vector<int64_t> arg(2 * size, 0);
  for (size_t i = 0; i < size; ++i)
    arg[size + i] = int64_t(i);
  for (size_t i = size - 1; i >= 1; --i)
    arg[i] = arg[2 * i];
  auto pull = [&](size_t i) {
    bool left = mx[2 * i] >= mx[2 * i + 1];
    mx[i] = (left ? mx[2 * i] : mx[2 * i + 1]) + lazy[i];
    arg[i] = left ? arg[2 * i] : arg[2 * i + 1];
  };
  std::function<void(size_t, size_t, size_t, size_t, size_t, int64_t)> add =
      [&](size_t node, size_t lo, size_t hi, size_t a, size_t b, int64_t v) {
        if (b <= lo || hi <= a)
          return;
        if (a <= lo && hi <= b) {
          mx[node] += v;
          lazy[node] += v;
          return;
        }
        size_t mid = (lo + hi) / 2;
        add(2 * node, lo, mid, a, b, v);
        add(2 * node + 1, mid, hi, a, b, v);
        pull(node);
      };
  auto yIndex = [&](int64_t y) {
    return size_t(std::lower_bound(ys.begin(), ys.end(), y) - ys.begin());
  };
  struct Event {
    int64_t x;
    int open; // 0: close, 1: open (closes first at the same x)
    size_t rect;
  };
  std::vector<Event> events;
  for (size_t i = 0; i < rects.size(); ++i) {
    if (rects[i].rect.empty())
      continue;
    events.push_back({rects[i].rect.x, 1, i});
    events.push_back({rects[i].rect.x1(), 0, i});
  }
  llvm::sort(events, [](const Event &a, const Event &b) {
    return std::tie(a.x, a.open, a.rect) < std::tie(b.x, b.open, b.rect);
  });
  for (size_t e = 0; e < events.size();) {
    int64_t x = events[e].x;
    bool opened = false;
    for (; e < events.size() && events[e].x == x; ++e) {
      const WeightedRect &r = rects[events[e].rect];
      int64_t v = events[e].open ? r.weight : -r.weight;
      opened |= events[e].open;
      add(1, 0, size, yIndex(r.rect.y), yIndex(r.rect.y1()), v);
    }
    if (opened && mx[1] > best.value) {
      best.value = mx[1];
      best.x = x;
      best.y = ys[arg[1]];
    }
  }
  return best;
}

} // namespace wafer::route
