//===- Routing.h - streams, multicast trees and colors ----------*- C++ -*-===//
//
// The IR-free routing problem (after CIRCT's Scheduling library): a
// RoutingProblem holds streams of flow families, routeDimensionOrdered()
// solves it, RoutingProblem::verify() re-checks a solution independently,
// and reach() follows the router configurations hop by hop (what the
// interpreter calls to deliver data).
//
// Coordinates: x grows to the east, y to the south; PE id = y * width + x.
// Ports name the side of the router: data arriving "from West" entered on
// the router's West port; an output "East" leaves towards x + 1.
//
// Memory (documented because the mesh has 745,500 PEs): the solution holds
// one RouterTable, one byte per (PE, color) = width * height * colors bytes
// (17.9 MB for wse2 with 24 colors), and four uint64 link loads per PE
// (23.9 MB for wse2). The solver adds a one-byte scratch per PE (0.75 MB).
// Nothing else is per PE: trees are closed-form functions of their family.
//
//===----------------------------------------------------------------------===//
#ifndef WAFER_ROUTE_ROUTING_H
#define WAFER_ROUTE_ROUTING_H

#include "wafer/Target/TargetModel.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wafer::route {

enum class Port : uint8_t {
  East = 0,
  West = 1,
  North = 2,
  South = 3,
  Ramp = 4
};
constexpr int kNumPorts = 5;
/// 'E', 'W', 'N', 'S', 'R'.
char portLetter(Port p);
/// Bit of a port in RouterConfig::outputs.
constexpr uint8_t portBit(Port p) { return uint8_t(1) << uint8_t(p); }

/// One color's configuration at one router: one input port -> a set of
/// output ports. Encoded in one byte (0 = color unused at the router).
struct RouterConfig {
  Port input = Port::Ramp;
  uint8_t outputs = 0; // bit set of portBit()
  uint8_t encode() const {
    return uint8_t((uint8_t(input) + 1) << 5) | outputs;
  }
  static std::optional<RouterConfig> decode(uint8_t byte);
  bool operator==(const RouterConfig &o) const {
    return input == o.input && outputs == o.outputs;
  }
  /// "W->E,S,R" style, for messages and tests.
  std::string str() const;
};

/// Multicast from one source PE to every PE of a destination rectangle
/// [dx, dx+dw) x [dy, dy+dh) (point-to-point when 1x1), replicated ni x nj
/// times: replica (i, j) is the base translated by (i*si, j*sj). `bytes` is
/// carried per replica per inference. Replicas are numbered i + j * ni.
struct FlowFamily {
  int64_t sx = 0, sy = 0;
  int64_t dx = 0, dy = 0, dw = 1, dh = 1;
  int64_t ni = 1, nj = 1;
  int64_t si = 0, sj = 0;
  int64_t bytes = 0;
  int64_t numReplicas() const { return ni * nj; }
};

struct Stream {
  std::string name;
  std::vector<FlowFamily> families;
};

/// The dimension-ordered multicast tree of one replica: from (sx, sy) along
/// row sy (east and/or west) to cover columns [dx0, dx1], then along each of
/// those columns (north and/or south) to cover rows [dy0, dy1]. Bounds are
/// inclusive. The tree is a closed-form function of these six numbers.
struct Tree {
  int64_t sx, sy;
  int64_t dx0, dy0, dx1, dy1;

  static Tree of(const FlowFamily &f, int64_t i, int64_t j);
  int64_t rowLo() const { return std::min(sx, dx0); }
  int64_t rowHi() const { return std::max(sx, dx1); }
  int64_t colLo() const { return std::min(sy, dy0); }
  int64_t colHi() const { return std::max(sy, dy1); }
  bool isDestination(int64_t x, int64_t y) const {
    return x >= dx0 && x <= dx1 && y >= dy0 && y <= dy1;
  }
  /// The router configuration this tree needs at (x, y), or nullopt if the
  /// tree does not touch that router. O(1).
  std::optional<RouterConfig> configAt(int64_t x, int64_t y) const;
  /// Whether the tree sends data over the link leaving (x, y) towards `dir`.
  bool usesLink(int64_t x, int64_t y, Port dir) const;
  /// Routers touched (including the source).
  int64_t numRouters() const;
  /// Links traversed (each multicast link counted once).
  int64_t numLinks() const;
  /// Longest source -> destination path in hops (the latency term).
  int64_t maxPathHops() const;
};

/// A straight run of `length` hops leaving (x, y) towards `dir`.
struct Segment {
  int64_t x, y;
  Port dir;
  int64_t length;
};
/// The tree as its ordered segment list: the row segments (east, then west)
/// from the source, then for each destination column in increasing x its
/// north then south segment from the source row. This is the compact form
/// a lowering can write as the router configuration.
std::vector<Segment> segments(const Tree &tree);
/// Point-to-point hop string, e.g. "EEESS" (empty for a self-send). Only
/// for 1x1 destinations; for multicast use segments().
std::string hopString(const Tree &tree);

/// Dense color configurations: one byte per (PE, color). See the file
/// comment for its size.
class RouterTable {
public:
  RouterTable() = default;
  RouterTable(int64_t width, int64_t height, int numColors);
  int64_t width() const { return w; }
  int64_t height() const { return h; }
  int numColors() const { return colors; }
  bool inMesh(int64_t x, int64_t y) const {
    return x >= 0 && y >= 0 && x < w && y < h;
  }
  std::optional<RouterConfig> get(int64_t x, int64_t y, int color) const {
    return RouterConfig::decode(cells[index(x, y, color)]);
  }
  /// Overwrites (or, with nullopt, clears) one configuration; also how tests
  /// and fault studies perturb a routed solution.
  void set(int64_t x, int64_t y, int color, std::optional<RouterConfig> cfg) {
    cells[index(x, y, color)] = cfg ? cfg->encode() : 0;
  }
  uint8_t raw(int64_t pe, int color) const {
    return cells[pe * colors + color];
  }
  void setRaw(int64_t pe, int color, uint8_t v) {
    cells[pe * colors + color] = v;
  }
  /// Colors in use at (x, y).
  int colorsUsed(int64_t x, int64_t y) const;
  bool operator==(const RouterTable &o) const {
    return w == o.w && h == o.h && colors == o.colors && cells == o.cells;
  }

private:
  size_t index(int64_t x, int64_t y, int color) const {
    return size_t(y * w + x) * colors + color;
  }
  int64_t w = 0, h = 0;
  int colors = 0;
  std::vector<uint8_t> cells;
};

/// Where data went when sent on `color` from the core of PE (x, y).
struct Delivery {
  /// PEs whose core received the data (a Ramp output), in walk order
  /// (depth first, ports in E, W, N, S order: deterministic).
  std::vector<std::pair<int64_t, int64_t>> reached;
  /// Where data was lost: the router it arrived at, with the reason
  /// ("no configuration", "expects input from N", "leaves the mesh",
  /// "loop", "source router does not take input from the ramp").
  struct Drop {
    int64_t x, y;
    std::string reason;
  };
  std::vector<Drop> dropped;
};
/// Follows the configurations hop by hop. Cost is proportional to the
/// routers visited; nothing is allocated per PE of the mesh.
Delivery reach(const RouterTable &table, int color, int64_t x, int64_t y);

/// Why routing failed. `streams` are stream ids (indices into
/// RoutingProblem::streams); (x, y) is the PE concerned (-1 if none).
struct RouteFailure {
  std::string message;
  std::vector<int> streams;
  int64_t x = -1, y = -1;
  int family = -1;
};

struct StreamRoute {
  /// Distinct colors the stream uses, ascending (empty if unrouted).
  std::vector<int> colors;
  /// Color of each replica: replicaColors[family][i + j * ni].
  std::vector<std::vector<uint8_t>> replicaColors;
  /// Links traversed summed over all replicas (multicast links once per
  /// replica): the stream's wavelet-hop count per wavelet.
  int64_t hops = 0;
  /// Longest source -> destination path over all replicas.
  int64_t maxPathHops = 0;
  bool routed = false;
};

struct LinkRef {
  int64_t x = -1, y = -1;
  Port dir = Port::East;
};

struct RoutingSolution {
  std::vector<StreamRoute> streams;
  RouterTable table;
  /// Bytes per inference per directed link, dense: loads[d][...] for
  /// d in E, W, N, S; E/W indexed y * width + x, N/S indexed x * height + y
  /// (the link leaving PE (x, y) in direction d).
  std::vector<uint64_t> loads[4];
  uint64_t linkLoad(int64_t x, int64_t y, Port dir) const;
  /// The most loaded link (lowest index on ties), its load, the streams on it.
  LinkRef maxLink;
  uint64_t maxLinkBytes = 0;
  std::vector<int> maxLinkStreams;
  /// Most colors used at one router, and that router (lowest PE id on ties).
  int maxColors = 0;
  int64_t maxColorsX = -1, maxColorsY = -1;
  /// Empty on success. Failed streams stay unrouted; the others are routed.
  std::vector<RouteFailure> failures;
  bool succeeded() const { return failures.empty(); }
};

struct RoutingProblem {
  int64_t meshWidth = 0;
  int64_t meshHeight = 0;
  /// Colors the router may use: ids 0 .. usableColors-1 (the target's
  /// reserved colors are the ones above).
  int usableColors = 0;
  std::vector<Stream> streams;

  /// Mesh and color count from the machine model.
  static RoutingProblem forTarget(const TargetModel &target);

  /// Inputs valid: positive mesh, 1..32 colors, every stream has a family,
  /// sizes and replica counts positive, bytes >= 0, every replica's source
  /// and destination inside the mesh. Failure names stream and family.
  std::optional<RouteFailure> check() const;
  /// Re-checks a solution from the problem alone: rebuilds every replica's
  /// tree on its color, each (router, color) must have one consistent
  /// configuration, the solution's table must equal the rebuilt one, and
  /// following the table from each replica's source must reach exactly its
  /// destination rectangle.
  std::optional<RouteFailure> verify(const RoutingSolution &solution) const;
};

/// Dimension-ordered multicast trees + greedy colors, streams in index
/// order. A stream takes the lowest color on which every router it touches
/// is free or already holds the identical configuration. If its replicas
/// conflict with each other, each replica takes the lowest such color in
/// turn (e.g. a 1-hop chain alternates two colors). Out of colors is a
/// failure naming the PE and the streams holding its colors:
/// "out of colors at PE (x,y): streams A, B, C need N, 21 usable".
RoutingSolution routeDimensionOrdered(const RoutingProblem &problem);

} // namespace wafer::route

#endif // WAFER_ROUTE_ROUTING_H
