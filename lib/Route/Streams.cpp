//===- Streams.cpp - streams between rectangles as pattern chains ---------===//
#include "wafer/Route/Streams.h"

#include <algorithm>

namespace wafer::route {

static Rect axisSpan(const Rect &r, const AxisLayout &a, bool xAxis) {
  int64_t lo = xAxis ? r.x : r.y;
  int64_t size = xAxis ? r.w : r.h;
  int64_t n = std::max<int64_t>(1, std::min(a.chunks, size));
  int64_t start = lo, len = 1;
  switch (a.kind) {
  case AxisLayout::Single:
    break;
  case AxisLayout::Partitioned:
  case AxisLayout::Replicated:
    len = n;
    break;
  case AxisLayout::Last:
    start = lo + n - 1;
    break;
  }
  return xAxis ? Rect{start, 0, len, 1} : Rect{0, start, 1, len};
}

Rect Layout::occupied() const {
  Rect xs = axisSpan(rect, x, true), ys = axisSpan(rect, y, false);
  return Rect{xs.x, ys.y, xs.w, ys.h};
}

//===----------------------------------------------------------------------===//
// Transposition: the lane case is written for row lanes; column lanes are
// the same construction on the transposed mesh.
//===----------------------------------------------------------------------===//

static Rect transpose(const Rect &r) { return Rect{r.y, r.x, r.h, r.w}; }
static Dir transpose(Dir d) {
  static const Dir t[] = {Dir::South, Dir::North, Dir::West, Dir::East};
  return t[uint8_t(d)];
}
static Layout transpose(const Layout &l) {
  return Layout{transpose(l.rect), l.y, l.x};
}
static Pattern transpose(const Pattern &p) {
  Pattern q = p;
  q.rect = transpose(p.rect);
  q.dir = transpose(p.dir);
  q.turn = transpose(p.turn);
  return q;
}

static int64_t perLine(int64_t bytes, int64_t lines) {
  return lines > 0 ? (bytes + lines - 1) / lines : bytes;
}

/// Bytes one line (row) of the consumer needs.
static int64_t consumerRowBytes(const Layout &c, int64_t bytes) {
  Rect occ = c.occupied();
  return c.y.kind == AxisLayout::Partitioned ? perLine(bytes, occ.h) : bytes;
}

/// Bytes one column of the consumer needs.
static int64_t consumerColumnBytes(const Layout &c, int64_t bytes) {
  Rect occ = c.occupied();
  return c.x.kind == AxisLayout::Partitioned ? perLine(bytes, occ.w) : bytes;
}

/// Scatter when the consumer's lines each take their own chunk, multicast
/// when they all need the same data.
static Pattern distribute(Rect r, Dir d, const AxisLayout &along,
                          int64_t bytes) {
  return along.kind == AxisLayout::Partitioned
             ? Pattern::scatter(r, d, bytes)
             : Pattern::multicast(r, d, bytes);
}

/// An all-to-all arms a filter at every router of its rectangle; where more
/// than a router's filters meet, the router opens another phase, whose
/// reconfiguration costs about the mesh's width plus height in cycles
/// (PatternRouter.cpp). Charged per all-to-all as this many bytes, so a
/// chain adds one only to save more than that on its links.
constexpr int64_t kAllToAllPenaltyBytes = 4096;

/// What a chain costs, in the terms that dominate Pattern::cycles for the
/// large streams: the bytes on the busiest link of each step, counted once
/// per leg a core resends (store-and-forward) or per pass (allreduce), and
/// the filters all-to-alls arm.
static int64_t chainBytes(const std::vector<Pattern> &chain) {
  int64_t sum = 0;
  for (const Pattern &q : chain) {
    int64_t passes = 1;
    if (q.kind == PatternKind::StoreForward)
      passes = std::max(1, q.numColors());
    else if (q.kind == PatternKind::Allreduce)
      passes = 2;
    sum += q.bytesPerLink() * passes;
    if (q.kind == PatternKind::AllToAll)
      sum += kAllToAllPenaltyBytes;
  }
  return sum;
}

/// Straight lanes on rows [y, y + h) from the producer's edge column facing
/// the consumer to the consumer's facing edge column.
static Pattern crossing(const Rect &po, const Rect &co, bool east, int64_t y,
                        int64_t h, int64_t bytes) {
  int64_t exitX = east ? po.x1() - 1 : po.x;
  int64_t entryX = east ? co.x : co.x1() - 1;
  return Pattern::edgeShift(
      Rect{std::min(exitX, entryX), y, std::abs(entryX - exitX) + 1, h},
      east ? Dir::East : Dir::West, bytes);
}

/// Row lanes that turn the data onto the consumer's columns: each producer
/// row's lane ends on the consumer row it faces, a multicast along that row
/// leaves the lane's data on every PE of the row, and an all-to-all along
/// every consumer column hands each PE what it needs from any row of its
/// column. When the consumer partitions the tensor across its columns (a
/// matmul taking tokens along x from a producer holding them along y),
/// each column carries only its own share instead of the whole tensor
/// crossing one edge line twice. Needs every producer row to face a
/// consumer row; returns false otherwise.
static bool turnLanes(const Layout &p, const Layout &c, int64_t bytes,
                      std::vector<Pattern> &out) {
  Rect po = p.occupied(), co = c.occupied();
  if (co.w < 2 || po.y < co.y || po.y1() > co.y1())
    return false;
  bool east = c.rect.x >= p.rect.x1();
  Dir d = east ? Dir::East : Dir::West;
  int64_t lane = perLine(bytes, po.h);
  if (po.w >= 2)
    out.push_back(Pattern::gather(po, d, lane));
  out.push_back(crossing(po, co, east, po.y, po.h, lane));
  out.push_back(Pattern::multicast(Rect{co.x, po.y, co.w, po.h}, d, lane));
  if (co.h >= 2)
    out.push_back(
        Pattern::allToAll(co, Dir::South, consumerColumnBytes(c, bytes)));
  return true;
}

/// Lanes fed by spreading the producer across the consumer's rows, for a
/// producer whose own rows are few (a narrow kernel at the end of a band,
/// with the consumer below it in the transposed view): each producer column
/// multicasts its share along the column over every consumer row, a gather
/// along each of those rows collects on the producer's exit column the
/// row's piece of every column (the part the consumer's row needs, or a
/// 1/h slice when the consumer replicates down its columns), straight
/// lanes carry the pieces across, a scatter along the consumer's rows
/// leaves each PE the pieces of its columns (a multicast when the consumer
/// replicates along its rows), and an all-to-all down the
/// consumer's columns completes replicated data. Every step carries a
/// share of the tensor per line instead of all of it through a few lines.
static bool spreadLanes(const Layout &p, const Layout &c, int64_t bytes,
                        std::vector<Pattern> &out) {
  Rect po = p.occupied(), co = c.occupied();
  if (p.x.kind != AxisLayout::Partitioned || po.w < 2 || co.h < 2)
    return false;
  bool east = c.rect.x >= p.rect.x1();
  Dir d = east ? Dir::East : Dir::West;
  int64_t column = perLine(bytes, po.w);
  // Onto the producer row nearer the consumer's rows, then along the
  // columns both ways as needed.
  bool north = co.y + co.y1() < po.y + po.y1();
  int64_t r = north ? po.y : po.y1() - 1;
  if (po.h >= 2)
    out.push_back(Pattern::gather(po, north ? Dir::North : Dir::South, column));
  if (co.y < r)
    out.push_back(Pattern::multicast(Rect{po.x, co.y, po.w, r - co.y + 1},
                                     Dir::North, column));
  if (co.y1() - 1 > r)
    out.push_back(Pattern::multicast(Rect{po.x, r, po.w, co.y1() - r},
                                     Dir::South, column));
  int64_t row = perLine(bytes, co.h);
  out.push_back(Pattern::gather(Rect{po.x, co.y, po.w, co.h}, d, row));
  out.push_back(crossing(po, co, east, co.y, co.h, row));
  if (co.w >= 2)
    out.push_back(distribute(co, d, c.x, row));
  if (c.y.kind != AxisLayout::Partitioned)
    out.push_back(
        Pattern::allToAll(co, Dir::South, consumerColumnBytes(c, bytes)));
  return true;
}

/// Lanes for a consumer above or below the producer, within its columns
/// (a narrow kernel that the serpentine put under the end of a wide one):
/// the producer's data, gathered onto its row nearest the consumer, is
/// multicast down (or up) its columns over every consumer row; a gather
/// along each consumer row then brings the row's piece of every column to
/// the consumer's edge columns from both sides, and an all-to-all along
/// the consumer's rows (when it is several columns wide) or down its
/// columns (when its rows replicate the data) completes each PE's part.
/// Each row carries a 1/h share instead of the whole tensor funnelling
/// through the one PE where the rectangles meet.
static bool spreadAcross(const Layout &p, const Layout &c, int64_t bytes,
                         std::vector<Pattern> &out) {
  Rect po = p.occupied(), co = c.occupied();
  if (po.w < 2 || co.h < 2 || co.x < po.x || co.x1() > po.x1() ||
      (co.x == po.x && co.x1() == po.x1()))
    return false;
  bool below = co.y >= po.y1();
  if (!below && co.y1() > po.y)
    return false;
  Dir v = below ? Dir::South : Dir::North;
  int64_t column = perLine(bytes, po.w);
  int64_t r = below ? po.y1() - 1 : po.y;
  if (po.h >= 2)
    out.push_back(Pattern::gather(po, v, column));
  out.push_back(Pattern::multicast(below ? Rect{po.x, r, po.w, co.y1() - r}
                                         : Rect{po.x, co.y, po.w, r - co.y + 1},
                                   v, column));
  int64_t row = perLine(bytes, co.h);
  if (co.x > po.x)
    out.push_back(Pattern::gather(Rect{po.x, co.y, co.x - po.x + 1, co.h},
                                  Dir::East, row));
  if (co.x1() < po.x1())
    out.push_back(Pattern::gather(
        Rect{co.x1() - 1, co.y, po.x1() - co.x1() + 1, co.h}, Dir::West, row));
  if (co.w >= 2)
    out.push_back(Pattern::allToAll(co, Dir::East, consumerRowBytes(c, bytes)));
  if (c.y.kind != AxisLayout::Partitioned)
    out.push_back(
        Pattern::allToAll(co, Dir::South, consumerColumnBytes(c, bytes)));
  return true;
}

/// A transpose through the columns between and under both rectangles, for
/// a producer partitioned down rows that reach beyond the consumer's (a tall
/// one-column kernel holding features down its rows, feeding a kernel that
/// holds tokens down fewer rows): the producer's rows multicast along the
/// columns span of both rectangles, an all-to-all down each of those
/// columns moves a 1/width piece of every consumer row's data onto that
/// row, and an all-to-all along the consumer's rows assembles each PE's
/// part. Needs a consumer partitioned down its rows; returns false
/// otherwise.
static bool spreadRows(const Layout &p, const Layout &c, int64_t bytes,
                       std::vector<Pattern> &out) {
  Rect po = p.occupied(), co = c.occupied();
  if (p.y.kind != AxisLayout::Partitioned || po.h < 2 ||
      c.y.kind != AxisLayout::Partitioned || co.h < 2)
    return false;
  bool east = c.rect.x >= p.rect.x1();
  Dir d = east ? Dir::East : Dir::West;
  int64_t x0 = std::min(po.x, co.x), x1 = std::max(po.x1(), co.x1());
  int64_t y0 = std::min(po.y, co.y), y1 = std::max(po.y1(), co.y1());
  int64_t lane = perLine(bytes, po.h);
  if (po.w >= 2)
    out.push_back(Pattern::gather(po, d, lane));
  int64_t exitX = east ? po.x1() - 1 : po.x;
  Rect rows = east ? Rect{exitX, po.y, x1 - exitX, po.h}
                   : Rect{x0, po.y, exitX - x0 + 1, po.h};
  out.push_back(Pattern::multicast(rows, d, lane));
  out.push_back(Pattern::allToAll(Rect{x0, y0, x1 - x0, y1 - y0}, Dir::South,
                                  perLine(bytes, x1 - x0)));
  out.push_back(Pattern::allToAll(Rect{x0, co.y, x1 - x0, co.h}, d,
                                  perLine(bytes, co.h)));
  return true;
}

/// Straight row lanes from `p` to `c` (c east or west of p, common rows
/// `lanes`), with all-to-alls on both edge lines unless `aligned`.
static void straightLanes(const Layout &p, const Layout &c, int64_t bytes,
                          bool aligned, std::vector<Pattern> &out) {
  Rect po = p.occupied(), co = c.occupied();
  bool east = c.rect.x >= p.rect.x1();
  Dir d = east ? Dir::East : Dir::West;
  int64_t lo = std::max(p.rect.y, co.y), hi = std::min(p.rect.y1(), co.y1());
  Rect lanesRows{0, lo, 1, hi - lo};
  if (po.w >= 2)
    out.push_back(Pattern::gather(po, d, perLine(bytes, po.h)));
  int64_t exitX = east ? po.x1() - 1 : po.x;
  int64_t entryX = east ? co.x : co.x1() - 1;
  if (!aligned) {
    int64_t y0 = std::min(po.y, lanesRows.y);
    int64_t y1 = std::max(po.y1(), lanesRows.y1());
    if (y1 - y0 >= 2)
      out.push_back(
          Pattern::allToAll(Rect{exitX, y0, 1, y1 - y0}, Dir::South, bytes));
  }
  out.push_back(crossing(po, co, east, lanesRows.y, lanesRows.h,
                         perLine(bytes, lanesRows.h)));
  if (!aligned && co.h >= 2)
    out.push_back(
        Pattern::allToAll(Rect{entryX, co.y, 1, co.h}, Dir::South, bytes));
  if (co.w >= 2)
    out.push_back(distribute(co, d, c.x, consumerRowBytes(c, bytes)));
}

/// Gather to the producer's port PE, store-and-forward to the consumer's
/// facing corner, then distribute along its entry column and its rows.
static void funnel(const Layout &p, const Layout &c, int64_t bytes,
                   std::vector<Pattern> &out) {
  Rect po = p.occupied(), co = c.occupied();
  auto towards = [](int64_t pLo, int64_t pHi, int64_t cLo, int64_t cHi) {
    if (cLo >= pHi)
      return true;
    if (cHi <= pLo)
      return false;
    return cLo + cHi >= pLo + pHi;
  };
  bool goEast = towards(p.rect.x, p.rect.x1(), c.rect.x, c.rect.x1());
  bool goSouth = towards(p.rect.y, p.rect.y1(), c.rect.y, c.rect.y1());
  int64_t px = goEast ? po.x1() - 1 : po.x;
  int64_t py = goSouth ? po.y1() - 1 : po.y;
  if (po.w >= 2)
    out.push_back(Pattern::gather(po, goEast ? Dir::East : Dir::West,
                                  perLine(bytes, po.h)));
  if (po.h >= 2)
    out.push_back(Pattern::gather(Rect{px, po.y, 1, po.h},
                                  goSouth ? Dir::South : Dir::North, bytes));
  int64_t cx = goEast ? co.x : co.x1() - 1;
  int64_t cy = goSouth ? co.y : co.y1() - 1;
  out.push_back(Pattern::storeForward(px, py, cx, cy, bytes));
  if (co.h >= 2)
    out.push_back(distribute(Rect{cx, co.y, 1, co.h},
                             goSouth ? Dir::South : Dir::North, c.y, bytes));
  if (co.w >= 2)
    out.push_back(distribute(co, goEast ? Dir::East : Dir::West, c.x,
                             consumerRowBytes(c, bytes)));
}

bool linedUp(const AxisLayout &p, const AxisLayout &c,
             const std::vector<int64_t> &axisMap, int64_t poStart,
             int64_t poSize, int64_t coStart, int64_t coSize) {
  if (axisMap.empty() || poStart != coStart || poSize != coSize)
    return false;
  if (p.kind == AxisLayout::Single && c.kind == AxisLayout::Single)
    return true;
  auto corresponds = [&](int64_t pAxis, int64_t cAxis) {
    return pAxis >= 0 && pAxis < int64_t(axisMap.size()) &&
           axisMap[pAxis] == cAxis;
  };
  if (p.innerLines != c.innerLines ||
      (p.innerLines > 1 &&
       (!corresponds(p.innerAxis, c.innerAxis) || p.innerTile != c.innerTile)))
    return false;
  return p.kind == AxisLayout::Partitioned &&
         c.kind == AxisLayout::Partitioned &&
         corresponds(p.tensorAxis, c.tensorAxis) && p.tile == c.tile &&
         p.chunks == c.chunks;
}

static bool rowsMeet(const Rect &a, const Rect &b) {
  return std::max(a.y, b.y) < std::min(a.y1(), b.y1());
}

std::vector<Rect> streamStart(const StreamSpec &s) {
  std::vector<Rect> start;
  Rect co = s.consumer.occupied();
  for (const StreamEnd &e : s.producers)
    start.push_back(e.layout ? e.layout->occupied() : Rect{0, co.y, 1, co.h});
  return start;
}

std::vector<Rect> streamNeeds(const StreamSpec &s) {
  if (!s.toHost)
    return {s.consumer.occupied()};
  std::vector<Rect> need;
  for (const StreamEnd &e : s.producers)
    if (e.layout) {
      Rect po = e.layout->occupied();
      need.push_back(Rect{0, po.y, 1, po.h});
    }
  return need;
}

std::vector<Pattern> decomposeStream(const StreamSpec &s) {
  std::vector<Pattern> out;
  if (s.toHost) {
    for (const StreamEnd &end : s.producers)
      if (end.layout) {
        std::vector<Pattern> o =
            outputPatterns(*end.layout, std::min(end.bytes, s.bytes));
        out.insert(out.end(), o.begin(), o.end());
      }
    return out;
  }
  const Layout &c = s.consumer;
  Rect co = c.occupied();
  for (const StreamEnd &end : s.producers) {
    int64_t bytes = std::min(end.bytes, s.bytes);
    if (!end.layout) {
      // The host writes each consumer row's data into the core of PE
      // (0, y) through its reserved colors; lanes run east from there.
      // When every row needs the same data (the consumer replicates down
      // its columns), the host may instead write each row a 1/h piece,
      // scattered along the row, and an all-to-all down every column
      // hands each PE what its column needs: far fewer bytes per lane.
      auto hostChain = [&](int64_t row, bool pieces) {
        std::vector<Pattern> chain;
        if (co.x > 0)
          chain.push_back(Pattern::edgeShift(Rect{0, co.y, co.x + 1, co.h},
                                             Dir::East, row));
        if (co.w >= 2)
          chain.push_back(pieces ? Pattern::scatter(co, Dir::East, row)
                                 : distribute(co, Dir::East, c.x, row));
        if (pieces)
          chain.push_back(
              Pattern::allToAll(co, Dir::South, consumerColumnBytes(c, bytes)));
        return chain;
      };
      std::vector<Pattern> chain =
          hostChain(consumerRowBytes(c, bytes), /*pieces=*/false);
      if (c.y.kind != AxisLayout::Partitioned && co.h >= 2) {
        std::vector<Pattern> spread =
            hostChain(perLine(bytes, co.h), /*pieces=*/true);
        if (chainBytes(spread) < chainBytes(chain))
          chain = std::move(spread);
      }
      out.insert(out.end(), chain.begin(), chain.end());
      continue;
    }
    const Layout &p = *end.layout;
    Rect po = p.occupied();
    bool single = s.producers.size() == 1;
    bool aligned =
        single && linedUp(p.y, c.y, s.axisMap, po.y, po.h, co.y, co.h);
    bool alignedT =
        single && linedUp(p.x, c.x, s.axisMap, po.x, po.w, co.x, co.w);
    bool sideBySide = c.rect.x >= p.rect.x1() || c.rect.x1() <= p.rect.x;
    bool stacked = c.rect.y >= p.rect.y1() || c.rect.y1() <= p.rect.y;
    // Candidates, cheapest (in bytes on the busiest link of each step)
    // first; on a tie the earlier. Lanes pay off when the layouts line up
    // (then they are taken at once) or when both ends spread over several
    // lines; data on a single line funnels through one path, unless a
    // turn spreads it over the lines of one end first.
    std::vector<Pattern> best;
    bool found = false;
    auto consider = [&](std::vector<Pattern> chain, bool transposed) {
      if (transposed)
        for (Pattern &q : chain)
          q = transpose(q);
      if (!found || chainBytes(chain) < chainBytes(best))
        best = std::move(chain);
      found = true;
    };
    // Lanes along rows between `lp` and `lc` beside it (the transposed view
    // for column lanes). Rows that do not meet still take a spread.
    auto lanes = [&](const Layout &lp, const Layout &lc, bool lined,
                     bool transposed) {
      Rect lpo = lp.occupied(), lco = lc.occupied();
      bool meet = rowsMeet(lp.rect, lco);
      if (meet && (lined || (lpo.h >= 2 && lco.h >= 2))) {
        std::vector<Pattern> chain;
        straightLanes(lp, lc, bytes, lined, chain);
        consider(std::move(chain), transposed);
        if (lined)
          return true;
      }
      using Builder = bool (*)(const Layout &, const Layout &, int64_t,
                               std::vector<Pattern> &);
      auto attempt = [&](Builder build) {
        std::vector<Pattern> chain;
        if (build(lp, lc, bytes, chain))
          consider(std::move(chain), transposed);
      };
      if (meet)
        attempt(turnLanes);
      attempt(spreadLanes);
      attempt(spreadRows);
      return false;
    };
    bool done = false;
    if (sideBySide)
      done = lanes(p, c, aligned, false);
    if (!done && stacked) {
      done = lanes(transpose(p), transpose(c), alignedT, true);
      std::vector<Pattern> chain;
      if (!done && spreadAcross(p, c, bytes, chain))
        consider(std::move(chain), false);
    }
    if (!done) {
      std::vector<Pattern> chain;
      funnel(p, c, bytes, chain);
      consider(std::move(chain), false);
    }
    out.insert(out.end(), best.begin(), best.end());
  }
  return out;
}

std::vector<Pattern> reductionPatterns(const Layout &l, int64_t reduceBytes) {
  std::vector<Pattern> out;
  auto lines = [&](const AxisLayout &a, int64_t size) {
    return a.kind == AxisLayout::Single ? 1 : std::min(a.chunks, size);
  };
  int64_t nx = lines(l.x, l.rect.w), ny = lines(l.y, l.rect.h);
  Rect all{l.rect.x, l.rect.y, nx, ny};
  if (l.x.kind == AxisLayout::Last && nx >= 2) {
    int64_t links = ny * (nx - 1);
    out.push_back(
        Pattern::chainReduce(all, Dir::East, perLine(reduceBytes, links)));
  }
  if (l.y.kind == AxisLayout::Last && ny >= 2) {
    // After a reduction along x, only the last column still holds sums.
    Rect r = l.x.kind == AxisLayout::Last ? Rect{all.x1() - 1, all.y, 1, all.h}
                                          : all;
    int64_t links = r.w * (ny - 1);
    out.push_back(
        Pattern::chainReduce(r, Dir::South, perLine(reduceBytes, links)));
  }
  return out;
}

std::vector<Pattern> allreducePatterns(const Layout &l, bool alongX,
                                       bool alongY, int64_t reduceBytes) {
  std::vector<Pattern> out;
  Rect occ = l.occupied();
  int64_t links =
      (alongX ? occ.h * (occ.w - 1) : 0) + (alongY ? occ.w * (occ.h - 1) : 0);
  int64_t bytes = perLine(reduceBytes, links);
  if (alongX && occ.w >= 2)
    out.push_back(Pattern::allreduce(occ, Dir::East, bytes));
  if (alongY && occ.h >= 2)
    out.push_back(Pattern::allreduce(occ, Dir::South, bytes));
  return out;
}

std::vector<Pattern> outputPatterns(const Layout &producer, int64_t bytes) {
  std::vector<Pattern> out;
  Rect po = producer.occupied();
  int64_t row = perLine(bytes, po.h);
  if (po.w >= 2)
    out.push_back(Pattern::gather(po, Dir::West, row));
  if (po.x > 0)
    out.push_back(
        Pattern::edgeShift(Rect{0, po.y, po.x + 1, po.h}, Dir::West, row));
  return out;
}

static Layout movedTo(Layout l, int block,
                      const std::vector<std::pair<int64_t, int64_t>> &origins) {
  if (block >= 0) {
    l.rect.x = origins[block].first;
    l.rect.y = origins[block].second;
  }
  return l;
}

std::vector<Pattern> PlacedTraffic::chain(
    size_t i, const std::vector<std::pair<int64_t, int64_t>> &origins) const {
  const Item &item = items[i];
  switch (item.kind) {
  case Item::Stream: {
    StreamSpec s = item.stream;
    for (size_t p = 0; p < s.producers.size(); ++p)
      if (s.producers[p].layout)
        s.producers[p].layout =
            movedTo(*s.producers[p].layout, item.producerBlocks[p], origins);
    s.consumer = movedTo(s.consumer, item.consumerBlock, origins);
    return decomposeStream(s);
  }
  case Item::Reduction:
    if (item.allreduceX || item.allreduceY)
      return allreducePatterns(movedTo(item.layout, item.block, origins),
                               item.allreduceX, item.allreduceY, item.bytes);
    return reductionPatterns(movedTo(item.layout, item.block, origins),
                             item.bytes);
  case Item::Output:
    return outputPatterns(movedTo(item.layout, item.block, origins),
                          item.bytes);
  }
  return {};
}

std::vector<Pattern> PlacedTraffic::patterns(
    const std::vector<std::pair<int64_t, int64_t>> &origins) const {
  std::vector<Pattern> out;
  for (size_t i = 0; i < items.size(); ++i) {
    std::vector<Pattern> c = chain(i, origins);
    out.insert(out.end(), c.begin(), c.end());
  }
  return out;
}

std::optional<std::pair<int64_t, int64_t>>
firstUncovered(const Rect &r, const std::vector<Rect> &cover) {
  if (r.empty())
    return std::nullopt;
  std::vector<int64_t> xs{r.x, r.x1()}, ys{r.y, r.y1()};
  for (const Rect &c : cover) {
    Rect o = c.intersect(r);
    if (o.empty())
      continue;
    xs.push_back(o.x);
    xs.push_back(o.x1());
    ys.push_back(o.y);
    ys.push_back(o.y1());
  }
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  std::sort(ys.begin(), ys.end());
  ys.erase(std::unique(ys.begin(), ys.end()), ys.end());
  for (size_t j = 0; j + 1 < ys.size(); ++j)
    for (size_t i = 0; i + 1 < xs.size(); ++i) {
      bool covered = false;
      for (const Rect &c : cover)
        covered |= c.contains(xs[i], ys[j]);
      if (!covered)
        return std::make_pair(xs[i], ys[j]);
    }
  return std::nullopt;
}

std::optional<ChainGap> checkChain(const std::vector<Rect> &start,
                                   const std::vector<Pattern> &chain,
                                   const Rect &need) {
  std::vector<Rect> reached = start;
  for (size_t i = 0; i < chain.size(); ++i) {
    Rect src = chain[i].sources();
    switch (chain[i].kind) {
    case PatternKind::EdgeShift:
    case PatternKind::Multicast:
    case PatternKind::Scatter:
    case PatternKind::StoreForward:
      // Every source core injects: each must hold the data already.
      if (auto pe = firstUncovered(src, reached))
        return ChainGap{pe->first, pe->second, int(i)};
      break;
    default: {
      // Gathers, reductions and all-to-alls collect from where the data
      // is: their lines must touch it.
      bool fed = llvm::any_of(reached,
                              [&](const Rect &r) { return r.intersects(src); });
      if (!fed)
        return ChainGap{src.x, src.y, int(i)};
      break;
    }
    }
    reached.push_back(chain[i].sinks());
  }
  // Every producer's data must be picked up by some pattern (or, with no
  // pattern at all, already sit where it is needed).
  if (!chain.empty())
    for (const Rect &s : start) {
      bool used = false;
      for (const Pattern &p : chain)
        used |= p.sources().intersects(s);
      if (!used)
        return ChainGap{s.x, s.y, -2};
    }
  if (auto pe = firstUncovered(need, reached))
    return ChainGap{pe->first, pe->second, -1};
  return std::nullopt;
}

} // namespace wafer::route
