//===- Patterns.h - communication patterns on rectangles of PEs -*- C++ -*-===//
//
// The IR-free library of communication patterns (DESIGN.md, "Communication:
// patterns, not pairs"). A pattern instance moves data along the parallel
// lines (rows or columns) of one rectangle of routers, with the same router
// configuration on every line, so its color need is a constant of its kind
// and never grows with the rectangle. Everything an instance knows is closed
// form over its rectangle:
//
// - the routers it configures, as a handful of *roles* (a sub-rectangle of
//   routers, optionally every other router along the line, sharing one
//   configuration per color slot: input port, output ports, switch
//   positions, whether a filter is armed);
// - its color slots (symbolic colors; the router maps them to physical
//   colors, see PatternRouter.h);
// - the bytes it puts on each link and the cycles it takes.
//
// Coordinates: x grows to the east, y to the south. A line of a pattern
// whose direction is East/West is a row; North/South, a column. "Along" is
// the flow direction on the line, "across" the axis that enumerates lines.
//
//===----------------------------------------------------------------------===//
#ifndef WAFER_ROUTE_PATTERNS_H
#define WAFER_ROUTE_PATTERNS_H

#include "wafer/Route/Routing.h"
#include "wafer/Target/TargetModel.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wafer::route {

/// An axis-aligned rectangle of PEs [x, x + w) x [y, y + h).
struct Rect {
  int64_t x = 0, y = 0, w = 0, h = 0;
  int64_t x1() const { return x + w; }
  int64_t y1() const { return y + h; }
  bool empty() const { return w <= 0 || h <= 0; }
  int64_t area() const { return empty() ? 0 : w * h; }
  bool contains(int64_t px, int64_t py) const {
    return px >= x && py >= y && px < x1() && py < y1();
  }
  bool contains(const Rect &o) const {
    return o.empty() ||
           (o.x >= x && o.y >= y && o.x1() <= x1() && o.y1() <= y1());
  }
  Rect intersect(const Rect &o) const;
  bool intersects(const Rect &o) const { return !intersect(o).empty(); }
  bool operator==(const Rect &o) const {
    return x == o.x && y == o.y && w == o.w && h == o.h;
  }
  bool operator<(const Rect &o) const;
};

/// Direction of flow along a pattern's lines.
enum class Dir : uint8_t { East = 0, West = 1, North = 2, South = 3 };
/// "east", "west", "north", "south".
const char *dirName(Dir d);
std::optional<Dir> parseDir(llvm::StringRef s);
/// The router port data leaves through when flowing in `d`, and the port it
/// arrives on at the next router.
Port outPort(Dir d);
Port inPort(Dir d);
bool isHorizontal(Dir d);

enum class PatternKind : uint8_t {
  /// Straight parallel lanes between two facing edge lines: the source
  /// line's cores inject, the sink line's cores receive. 1 color.
  EdgeShift = 0,
  /// From the entry line of a rectangle along every line: every PE keeps the
  /// whole data (replication). 1 color.
  Multicast = 1,
  /// Like Multicast, but each PE keeps only its chunk (a counter filter
  /// drops the rest). 1 color, 1 filter.
  Scatter = 2,
  /// Many-to-one along every line towards the far edge, with relay
  /// switches: a PE injects its own data, then its switch advances to pass
  /// the upstream data through. 1 color, 2 switch positions.
  Gather = 3,
  /// Partial sums along every line, two colors alternating by the PE's
  /// parity along the line (receive on one, add, send on the other); the
  /// far edge holds the result. 2 colors.
  ChainReduce = 4,
  /// Two-phase allreduce along every line: chain reduce within groups of
  /// about sqrt(P) PEs and across the group leaders (2 colors), then a
  /// multicast of the result back along the line (1 color). 3 colors.
  Allreduce = 5,
  /// 1-D all-to-all along every line: every PE multicasts its data east on
  /// one color and west on another, its switch moving to inject in its
  /// turn; counter filters keep what the PE needs. 2 colors.
  AllToAll = 6,
  /// Store-and-forward: a path whose first leg runs along `dir`, is
  /// received by the core at the corner, and resent along `turn` on a
  /// second color (through the core, so the legs' colors are independent).
  /// 2 colors (1 when there is no turn).
  StoreForward = 7,
};
constexpr int kNumPatternKinds = 8;
/// "edge_shift", "multicast", ...
const char *kindName(PatternKind k);
std::optional<PatternKind> parseKind(llvm::StringRef s);

/// Which routers along a role's lines it covers.
enum class Parity : uint8_t { All = 0, Even = 1, Odd = 2 };

/// One configuration shared by a set of routers, for one color slot.
struct Role {
  Rect routers;
  /// Restricts `routers` to every other router along the pattern's
  /// direction, counted from the pattern's first router on the line.
  Parity parity = Parity::All;
  int slot = 0;
  RouterConfig config;
  /// Switch positions the configuration cycles through (1 = static).
  int switchPositions = 1;
  /// The role arms a filter (counter filter keeping this PE's chunk).
  bool filter = false;
  /// Short name for messages and dumps: "source", "interior", "sink", ...
  const char *what = "";
};

struct Pattern {
  PatternKind kind = PatternKind::EdgeShift;
  /// The routers the pattern spans. For StoreForward, the bounding box of the
  /// path: it starts at the corner of `rect` that `dir` leaves from and
  /// `turn` ends at (see start()/corner()/end()).
  Rect rect;
  Dir dir = Dir::East;
  /// StoreForward only: direction of the second leg (== dir: no turn).
  Dir turn = Dir::East;
  /// Bytes per inference entering each line (after the pattern, a
  /// multicast line carries them once).
  int64_t bytes = 0;

  /// Convenience constructors (rect in absolute mesh coordinates).
  static Pattern edgeShift(Rect r, Dir d, int64_t bytes);
  static Pattern multicast(Rect r, Dir d, int64_t bytes);
  static Pattern scatter(Rect r, Dir d, int64_t bytes);
  static Pattern gather(Rect r, Dir d, int64_t bytes);
  static Pattern chainReduce(Rect r, Dir d, int64_t bytes);
  static Pattern allreduce(Rect r, Dir d, int64_t bytes);
  static Pattern allToAll(Rect r, Dir d, int64_t bytes);
  /// Path from (sx, sy) to (dx, dy): first along the row, then the column.
  static Pattern storeForward(int64_t sx, int64_t sy, int64_t dx, int64_t dy,
                              int64_t bytes);

  /// Colors the pattern needs: a constant of the kind (and, for
  /// StoreForward, of whether the path turns).
  int numColors() const;
  /// Most switch positions / filters any one of its routers needs.
  int maxSwitchPositions() const;
  int maxFilters() const;
  /// Number of parallel lines and PEs per line.
  int64_t numLines() const;
  int64_t lineLength() const;
  /// The routers and their configurations, O(1) roles.
  std::vector<Role> roles() const;
  /// The configuration of slot `slot` at router (x, y), if the pattern
  /// configures it. O(roles).
  std::optional<Role> roleAt(int64_t x, int64_t y, int slot) const;
  /// The PEs whose cores receive data from the pattern (for StoreForward,
  /// its end PE); the PEs whose cores send into it.
  Rect sinks() const;
  Rect sources() const;
  /// StoreForward geometry.
  std::pair<int64_t, int64_t> start() const;
  std::pair<int64_t, int64_t> corner() const;
  std::pair<int64_t, int64_t> end() const;
  /// Bytes per inference on the busiest link of one line.
  int64_t bytesPerLink() const;
  /// Links one line's data crosses (hops along the line).
  int64_t hopsPerLine() const;
  /// Cycles from first injection to last delivery, for one inference
  /// (DESIGN.md's cost column, with the target's link width and latencies).
  double cycles(const TargetModel &target) const;
  /// Input valid: positive rectangle, bytes >= 0, direction consistent with
  /// the kind. Returns the reason, or an empty string.
  std::string check() const;
  /// "edge_shift east [x,y wxh] 512 B".
  std::string str() const;

  bool operator==(const Pattern &o) const {
    return kind == o.kind && rect == o.rect && dir == o.dir && turn == o.turn &&
           bytes == o.bytes;
  }
  bool operator<(const Pattern &o) const;
};

/// Whether `role` covers router (x, y) of pattern `p` (rectangle and parity).
bool roleCovers(const Pattern &p, const Role &role, int64_t x, int64_t y);

/// A directed link load: every link leaving a router of `links` in
/// direction `dir` carries `bytes` per inference.
struct LinkUse {
  Rect links;
  Dir dir = Dir::East;
  int64_t bytes = 0;
};
/// The links a pattern loads (closed form, O(1) entries).
std::vector<LinkUse> linkUses(const Pattern &p);

/// The maximum of a sum of weighted rectangles and one point attaining it
/// (lowest x, then y, on ties): an O(n log n) sweep, independent of the mesh
/// size. Used for the busiest link and the most colors at one router.
struct WeightedRect {
  Rect rect;
  int64_t weight = 0;
};
struct RectMax {
  int64_t value = 0;
  int64_t x = -1, y = -1;
};
RectMax maxOverlap(const std::vector<WeightedRect> &rects);

} // namespace wafer::route

#endif // WAFER_ROUTE_PATTERNS_H
