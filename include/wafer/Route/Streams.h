//===- Streams.h - streams between rectangles as pattern chains -*- C++ -*-===//
//
// The stream-flow derivation, IR-free, shared by the route pass (which
// builds the chains) and by their readers (the verifier and the PE
// interpreter, which check that a chain serves its consumer). A stream
// moves one tensor from the PEs of its producers (or from the host at the
// mesh's west edge) to the PEs of its consumer; both ends are described by
// a Layout, closed form over a rectangle.
//
// Decomposition, cheapest first (DESIGN.md):
// - producer and consumer rectangles face each other across rows (or
//   columns) with data on common lanes:
//     gather onto the producer's exit line (when its data spans several
//     lines), 1-D all-to-all along the exit line (unless the layouts line up
//     lane for lane), edge shift along the lanes, all-to-all along the
//     consumer's entry line (unless aligned), then scatter (partitioned) or
//     multicast (replicated) along the consumer's lines;
// - otherwise: gather to the producer's port PE (the corner facing the
//   consumer), store-and-forward to the consumer's facing corner, then
//   scatter/multicast along its entry line and its lines.
// - a kernel whose reduction dim is split along a mesh axis reduces its
//   partial sums with a chain reduce along that axis.
// - a model output leaves through the mesh's west edge like a host input in
//   reverse: gather, then an edge shift west to column 0.
//
//===----------------------------------------------------------------------===//
#ifndef WAFER_ROUTE_STREAMS_H
#define WAFER_ROUTE_STREAMS_H

#include "wafer/Route/Patterns.h"

#include <optional>
#include <string>
#include <vector>

namespace wafer::route {

/// How a tensor spreads along one mesh axis of a rectangle.
struct AxisLayout {
  enum Kind : uint8_t {
    /// One line (the first) holds all of it: the axis is not split.
    Single,
    /// Chunks of tensor axis `tensorAxis` (size `tile`) on the first
    /// `chunks` lines.
    Partitioned,
    /// Every line of the first `chunks` holds a copy (a consumer whose
    /// split dim does not index this tensor).
    Replicated,
    /// The last of the first `chunks` lines holds it: the end of a
    /// reduction chain along this axis.
    Last,
  };
  Kind kind = Single;
  int64_t tensorAxis = -1;
  int64_t tile = 0;
  int64_t chunks = 1;
  /// Sub-rectangles (a kernel splitting two dims along x, one
  /// sub-rectangle of `innerLines` lines per chunk of `tensorAxis`): the
  /// tensor axis each sub-rectangle's lines partition in tiles of
  /// `innerTile`, or -1 (a tensor the inner dim does not index). Only a
  /// tensor both dims index is Partitioned; one indexed by either alone
  /// repeats its parts along the line and is Replicated (routed as a
  /// multicast), with these fields kept, so it never lines up.
  int64_t innerLines = 1;
  int64_t innerAxis = -1;
  int64_t innerTile = 0;
  bool operator==(const AxisLayout &o) const {
    return kind == o.kind && tensorAxis == o.tensorAxis && tile == o.tile &&
           chunks == o.chunks && innerLines == o.innerLines &&
           innerAxis == o.innerAxis && innerTile == o.innerTile;
  }
};

struct Layout {
  Rect rect;
  AxisLayout x, y;
  /// The PEs holding (producer) or needing (consumer) data.
  Rect occupied() const;
};

struct StreamEnd {
  /// Empty (nullopt) for the host.
  std::optional<Layout> layout;
  /// Bytes of this end's tensor per inference.
  int64_t bytes = 0;
};

struct StreamSpec {
  std::string name;
  std::vector<StreamEnd> producers;
  /// The consumer kernel's layout; unused when `toHost`.
  Layout consumer;
  /// The stream returns a model output to the host (west edge).
  bool toHost = false;
  /// Bytes the consumer receives per inference (the stream's tensor).
  int64_t bytes = 0;
  /// When the stream's body is a chain of slices, reshapes and transposes:
  /// for each tensor axis of the producer's result, the consumer's tensor
  /// axis holding it whole and in order (-1 where the body slices, merges
  /// or splits it, or drops it as a unit axis). Empty when the body does
  /// anything else (getAxisCorrespondence).
  std::vector<int64_t> axisMap;
};

/// Whether a producer's and a consumer's layouts along one mesh axis put
/// the same elements on the same lines: both partitioned on corresponding
/// tensor axes (through `axisMap`) with equal tiles and chunks (and equal
/// sub-rectangles partitioning corresponding axes), or both on a single
/// line, and occupying the same lines (`po`/`co` start and size).
bool linedUp(const AxisLayout &p, const AxisLayout &c,
             const std::vector<int64_t> &axisMap, int64_t poStart,
             int64_t poSize, int64_t coStart, int64_t coSize);

/// The pattern chain of one stream, in execution order.
std::vector<Pattern> decomposeStream(const StreamSpec &stream);

/// Where the data of a stream starts: the producers' occupied PEs, and for
/// a host input column 0 on the consumer's rows.
std::vector<Rect> streamStart(const StreamSpec &stream);
/// The PEs that must receive it: the consumer's occupied PEs, or for a
/// stream to the host column 0 on each producer's rows.
std::vector<Rect> streamNeeds(const StreamSpec &stream);

/// The chain reduce of a kernel's partial sums (empty when no reduction dim
/// is split): `layout` says which axis is Last (the chain's direction).
std::vector<Pattern> reductionPatterns(const Layout &layout,
                                       int64_t reduceBytes);

/// The allreduces of a kernel of several stages (a fused normalisation):
/// along x (`alongX`) and/or y on the lines its layout occupies, so every
/// PE of a line ends with the whole reduced value; `reduceBytes` is one
/// pass of partial sums over every link of those lines.
std::vector<Pattern> allreducePatterns(const Layout &layout, bool alongX,
                                       bool alongY, int64_t reduceBytes);

/// The chain returning a model output to the host (west edge, column 0).
std::vector<Pattern> outputPatterns(const Layout &producer, int64_t bytes);

/// A program's traffic with the block (kernel rectangle) every layout sits
/// on, so its patterns can be re-derived for any placement of the blocks:
/// what a placer scores candidate placements with.
struct PlacedTraffic {
  struct Item {
    enum Kind : uint8_t { Stream, Reduction, Output } kind = Stream;
    /// Stream: the spec, the block of each producer (-1: the host) and of
    /// the consumer (-1: the host).
    StreamSpec stream;
    std::vector<int> producerBlocks;
    int consumerBlock = -1;
    /// Reduction / Output: the layout, its block and bytes.
    Layout layout;
    /// Reduction: allreduces along x / y (a kernel of several stages)
    /// instead of a chain reduce.
    bool allreduceX = false, allreduceY = false;
    int block = -1;
    int64_t bytes = 0;
  };
  std::vector<Item> items;
  /// The chain of item `i` with block b at origins[b].
  std::vector<Pattern>
  chain(size_t i,
        const std::vector<std::pair<int64_t, int64_t>> &origins) const;
  /// Every pattern of the program with block b at origins[b].
  std::vector<Pattern>
  patterns(const std::vector<std::pair<int64_t, int64_t>> &origins) const;
};

/// Checks that `chain` carries data from `start` (the producers' occupied
/// PEs; the host's column 0 on the consumer's rows for a host input) to
/// every PE of `need`: each pattern must start where the data already is
/// (every source core of a lane, multicast, scatter or path; some PE of
/// the lines of a gather, reduction or all-to-all), every producer's data
/// must be picked up, and the PEs reached at the end must cover `need`.
/// Returns the first (lowest y, then x) offending PE with the pattern's
/// index.
struct ChainGap {
  int64_t x = -1, y = -1;
  /// Index of the pattern whose sources hold no data yet; -1: a PE of
  /// `need` left unserved; -2: a producer's data that no pattern picks up.
  int pattern = -1;
};
std::optional<ChainGap> checkChain(const std::vector<Rect> &start,
                                   const std::vector<Pattern> &chain,
                                   const Rect &need);

/// The first PE of `r` not covered by the union of `cover`, if any.
std::optional<std::pair<int64_t, int64_t>>
firstUncovered(const Rect &r, const std::vector<Rect> &cover);

} // namespace wafer::route

#endif // WAFER_ROUTE_STREAMS_H
