//===- PatternRouter.h - physical colors for pattern instances --*- C++ -*-===//
//
// The routing problem on patterns (after CIRCT's Scheduling library): a
// PatternProblem holds pattern instances (see Patterns.h) with their
// owners, check() validates it, colorPatterns() solves it and verify()
// re-checks a solution from the problem alone.
//
// Colors are a per-router resource: two instances that configure a common
// router conflict on one color (even with equal port settings they would
// mix their data). Identical instances carrying the same data (equal
// geometry and equal data key, e.g. one producer's gather feeding two
// consumers) are one instance and share their colors. Instances are
// coloured greedily in program order, each taking the lowest colors no
// conflicting instance of its phase holds. Phases are segments of the
// program order: where an instance finds no room (colors or filters) in
// the current phase, a new phase starts and every later instance runs in
// it or later, so each chain's phases never decrease along it; routers are
// reconfigured between phases and that is charged in cycles. Running out
// of colors is therefore not a failure mode.
//
// Cost: O(K^2) bounding-box tests over K instances plus O(K log K) sweeps
// for the busiest link and the most colors at a router. Nothing depends on
// the number of PEs.
//
//===----------------------------------------------------------------------===//
#ifndef WAFER_ROUTE_PATTERNROUTER_H
#define WAFER_ROUTE_PATTERNROUTER_H

#include "wafer/Route/Patterns.h"
#include "wafer/Target/TargetModel.h"

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
  /// Consecutive patterns of one owner form a chain, in execution order.
  std::vector<std::string> owners;
  /// What data each pattern carries: equal geometry with an equal,
  /// non-empty key is the same instance. Empty (or a missing entry): the
  /// pattern shares with nothing.
  std::vector<std::string> dataKeys;
  /// Reconfiguration cost per phase boundary uses these latencies.
  TargetModel target;

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
  /// Why the problem could not be solved (it failed check()); empty on
  /// success.
  std::string failure;
};

/// Greedy colouring with phases; deterministic. Fails (solution.failure)
/// only when the problem fails check().
PatternSolution colorPatterns(const PatternProblem &problem);

/// Whether patterns i and j of a problem are the same instance.
bool sameInstance(const PatternProblem &problem, size_t i, size_t j);

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
/// both configure one color. One instance (`sameInstance`, equal colors)
/// never conflicts with itself.
std::optional<Conflict> findConflict(const Pattern &a, llvm::ArrayRef<int> ca,
                                     const Pattern &b, llvm::ArrayRef<int> cb,
                                     bool sameInstance = false);

/// Re-checks a solution: slot counts, distinct colors in range, phases that
/// never decrease along a chain, no conflict between two patterns of one
/// phase, per-router filters within limits. The message names both owners,
/// the color and the PE.
std::optional<std::string> verify(const PatternProblem &problem,
                                  const PatternSolution &solution);

/// The busiest directed link of a set of patterns (each one loading its
/// links: pass a shared instance once) and the bytes all of them put on
/// links (bytes per link x links, summed): the router's load figures,
/// without colors.
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
