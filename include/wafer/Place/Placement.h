//===- Placement.h - rectangles on the mesh ---------------------*- C++ -*-===//
//
// The IR-free placement problem (after CIRCT's Scheduling library): a
// PlacementProblem holds the inputs and checks them, solvers are free
// functions over it, failures are data (message + block ids) that the pass
// turns into located diagnostics.
//
// Coordinates: x grows to the east (0 .. meshWidth-1), y grows to the south
// (0 .. meshHeight-1). A block placed at origin (x, y) covers
// [x, x + width) x [y, y + height).
//
// Memory: everything is per block or per edge; nothing is per PE, so the
// 750 x 994 mesh costs nothing more than a 4 x 4 one.
//
//===----------------------------------------------------------------------===//
#ifndef WAFER_PLACE_PLACEMENT_H
#define WAFER_PLACE_PLACEMENT_H

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wafer::place {

/// One kernel's rectangle of PEs. Blocks are given in layer-pipeline order;
/// the block id is the index in PlacementProblem::blocks.
struct Block {
  std::string name;
  int64_t width = 1;
  int64_t height = 1;
};

/// Traffic between two blocks (ids into PlacementProblem::blocks), in bytes
/// per inference.
struct Edge {
  int src = 0;
  int dst = 0;
  int64_t bytes = 0;
};

/// One origin (x, y) per block, indexed by block id.
struct Placement {
  std::vector<std::pair<int64_t, int64_t>> origins;
};

/// Why a problem or a solution is invalid. `blocks` names the block ids
/// involved (e.g. both blocks of an overlap); `edge` is set for bad edges.
struct PlaceFailure {
  std::string message;
  std::vector<int> blocks;
  int edge = -1;
};

struct PlacementProblem {
  int64_t meshWidth = 0;
  int64_t meshHeight = 0;
  std::vector<Block> blocks;
  std::vector<Edge> edges;

  /// Inputs valid: positive mesh and block sizes, every block fits the mesh
  /// on its own, edges name existing blocks and carry bytes >= 0.
  std::optional<PlaceFailure> check() const;
  /// Solution valid: one origin per block, every block inside the mesh, no
  /// two blocks overlap. O(n log n) sweep over block x-extents.
  std::optional<PlaceFailure> verify(const Placement &placement) const;
};

/// A solver's answer: a placement, or a failure (placement then empty).
struct PlaceResult {
  Placement placement;
  std::optional<PlaceFailure> failure;
  bool succeeded() const { return !failure.has_value(); }
};

/// Serpentine (boustrophedon) placement in pipeline order: blocks fill a
/// band left to right, the next band right to left, and so on; a band is as
/// tall as its tallest block and blocks are top-aligned in it, so pipeline
/// neighbours are mesh neighbours (also across a band turn). Fails with
/// "block 'name' (WxH) does not fit: N PEs free in the remaining area" where
/// N counts the PEs the serpentine has not claimed: the unused end of the
/// current band (or of the band the block could not join) plus all rows
/// below it.
PlaceResult placeSerpentine(const PlacementProblem &problem);

/// How cost() measures an edge's distance.
enum class DistanceModel {
  /// Manhattan distance between the two closest PEs of the rectangles
  /// (1 for rectangles that touch): what an edge-to-edge transfer travels.
  NearestPEs,
  /// Manhattan distance between the rectangles' centres, rounded down: what
  /// an all-to-all redistribution travels on average.
  Centres,
};

struct CostReport {
  /// Sum over edges of bytes x hops.
  int64_t total = 0;
  /// Per edge (indexed like PlacementProblem::edges).
  std::vector<int64_t> edgeHops;
  std::vector<int64_t> edgeCost;
};

/// Traffic x Manhattan hop distance. Requires a placement with one origin
/// per block (verify() first).
CostReport cost(const PlacementProblem &problem, const Placement &placement,
                DistanceModel model = DistanceModel::NearestPEs);

struct RefineOptions {
  uint64_t seed = 1;
  int64_t iterations = 20000;
  DistanceModel model = DistanceModel::NearestPEs;
  /// When set, a move is kept when it lowers this score of the whole
  /// placement (e.g. the router's busiest link) instead of traffic x hops;
  /// it is re-evaluated after every legal move.
  std::function<double(const Placement &)> score;
};

/// Local search from a legal placement: random swaps of two blocks' origins
/// (same-size blocks swap freely; others only where both still fit) and
/// shifts of one block by 1..16 PEs, accepted when the cost (traffic x
/// hops, or options.score) strictly decreases and the placement stays
/// legal. Deterministic for a given seed. Returns the input unchanged (with
/// a failure) when the input placement is illegal.
PlaceResult refineLocalSearch(const PlacementProblem &problem,
                              const Placement &start,
                              const RefineOptions &options = {});

} // namespace wafer::place

#endif // WAFER_PLACE_PLACEMENT_H
