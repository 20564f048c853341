//===- PatternRouter.h - physical colors for pattern instances --*- C++ -*-===//
//
// The routing problem on patterns (after CIRCT's Scheduling library): a
// PatternProblem holds pattern instances (see Patterns.h) with their
// owners, check() validates it, colorPatterns() solves it and verify()
// re-checks a solution from the problem alone.
//
// Colors are a per-router resource: two instances conflict when some router
// would need different configurations from both. Identical instances (the
// same pattern used by several streams, e.g. one producer's gather feeding
// two consumers) share their colors. Conflicting instances get disjoint
// colors by greedy graph colouring (most conflicts first). Where a region
// still needs more colors, switch positions or filters than a router has,
// the instance moves to a later *phase*: the patterns of a phase run
// together, the routers are reconfigured between phases, and the
// reconfiguration is charged in cycles. Running out of colors is therefore
// not a failure mode.
//
// Cost: O(K^2) bounding-box tests over K instances plus O(K log K) sweeps
// for the busiest link and the most colors at a router. Nothing depends on
// the number of PEs.
//
//===----------------------------------------------------------------------===//
#ifndef WAFER_ROUTE_PATTERNROUTER_H
#define WAFER_ROUTE_PATTERNROUTER_H

#include "wafer/Route/Patterns.h"

#include <optional>
#include <string>
#include <vector>

namespace wafer::route {

struct PatternProblem {
  int64_t meshWidth = 0, meshHeight = 0;
  int usableColors = 0;
  /// Per-router limits (DESIGN.md: at most 4 switch positions, 3 filters).
  int maxSwitchPositions = 4;
  int maxFilters = 3;
  std::vector<Pattern> patterns;
  /// Who asked for each pattern (a stream or kernel name), for messages.
  std::vector<std::string> owners;

  static PatternProblem forTarget(const TargetModel &target);
  /// Inputs valid: every pattern passes Pattern::check(), lies inside the
  /// mesh, needs no more colors, switch positions or filters than a router
  /// has. The message names the owner and the pattern.
  std::optional<std::string> check() const;
};

struct PatternSolution {
  /// Physical colors of each pattern, one per color slot.
  std::vector<std::vector<int>> colors;
  /// Phase of each pattern (0-based).
  std::vector<int> phase;
  int numPhases = 0;
  /// Distinct instances after merging identical patterns.
  int numInstances = 0;
  /// Most colors configured at one router within one phase, and where.
  RectMax colorsMax;
  int colorsMaxPhase = 0;
  /// Most filters armed at one router within one phase.
  int filtersMax = 0;
  /// Busiest directed link (bytes per inference over all phases).
  RectMax maxLink;
  Dir maxLinkDir = Dir::East;
  /// Cycles charged for reconfiguring routers between phases.
  double reconfigCycles = 0;
};

/// Greedy colouring with phases; deterministic.
PatternSolution colorPatterns(const PatternProblem &problem);

/// Fills the solution's figures (instances, phases, colorsMax, filtersMax,
/// maxLink, reconfigCycles) from its colors and phases. Patterns equal in
/// geometry, colors and phase count once (they are one instance).
void measure(const PatternProblem &problem, PatternSolution &solution);

/// Where two colored patterns configure one router differently on one color.
struct Conflict {
  int a = -1, b = -1;
  int color = -1;
  int64_t x = -1, y = -1;
  RouterConfig configA, configB;
};
/// The first router (lowest y, then x, among the 2x2 block at the corner of
/// the overlap of two roles) where `a` with colors `ca` and `b` with `cb`
/// configure one color differently; identical patterns never conflict.
std::optional<Conflict> findConflict(const Pattern &a, llvm::ArrayRef<int> ca,
                                     const Pattern &b, llvm::ArrayRef<int> cb);

/// Re-checks a solution: slot counts, colors in range, no conflict between
/// two patterns of one phase, per-router colors and filters within limits.
/// The message names both owners, the color and the PE.
std::optional<std::string> verify(const PatternProblem &problem,
                                  const PatternSolution &solution);

/// The busiest directed link of a set of patterns (each distinct pattern
/// counted once) and the bytes all of them put on links (bytes per link x
/// links, summed): the router's load figures, without colors.
struct LinkLoad {
  RectMax busiest;
  Dir dir = Dir::East;
  int64_t totalLinkBytes = 0;
};
LinkLoad linkLoad(const std::vector<Pattern> &patterns);

/// Cycles to reconfigure every router between two phases: a teardown
/// wavelet crosses the mesh, then each router reloads its colors.
double reconfigurationCycles(const TargetModel &target);

} // namespace wafer::route

#endif // WAFER_ROUTE_PATTERNROUTER_H
