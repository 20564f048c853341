//===- Tiling.cpp - distribute one op over a rectangle of PEs ---*- C++ -*-===//
#include "wafer/Tile/Tiling.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cmath>

using namespace llvm;

namespace wafer::tile {

/// Resident matrices at least this large make a kernel weight-stationary;
/// smaller constants are cheap to replicate.
static constexpr int64_t kMinStationaryBytes = 4096;

/// A weight the kernel keeps stationary: a resident matrix (two or more
/// dims of extent > 1) of at least kMinStationaryBytes. A vector (a bias, a
/// norm's scale) is at most one row of the data it scales: replicated along
/// the tokens it costs what one token's tile does.
static bool isStationary(const KernelSpec &spec, const OperandSpec &op) {
  if (op.role != OperandRole::Resident || op.totalBytes < kMinStationaryBytes)
    return false;
  int64_t wide = 0;
  for (int64_t dim : op.map)
    wide += dim >= 0 && spec.dims[dim] > 1;
  return wide >= 2;
}

int64_t streamedBytes(int64_t tileBytes, int64_t extent) {
  if (extent <= 2)
    return tileBytes;
  return tileBytes / extent * 2;
}

int64_t chooseStreamDim(const KernelSpec &spec, int64_t splitX, int64_t splitY,
                        int64_t splitXInner) {
  int64_t rank = spec.dims.size();
  for (int64_t d = 0; d < rank; ++d) {
    if (spec.isReduction[d] || d == splitX || d == splitY || d == splitXInner ||
        spec.dims[d] <= 2)
      continue;
    // A dim a stage reduces needs all of it at once.
    if (llvm::any_of(spec.operands, [&](const OperandSpec &op) {
          return llvm::is_contained(op.reduced, d);
        }))
      continue;
    bool indexesOutput = false, indexesStationary = false;
    for (const OperandSpec &op : spec.operands) {
      bool indexed = llvm::is_contained(op.map, d);
      if (op.role == OperandRole::Output)
        indexesOutput |= indexed;
      if (op.role == OperandRole::Resident || op.role == OperandRole::Whole)
        indexesStationary |= indexed;
    }
    if (indexesOutput && !indexesStationary)
      return d;
  }
  return -1;
}

bool isSubRectangleDim(const KernelSpec &spec, int64_t d) {
  return d >= 0 && d < int64_t(spec.dims.size()) && !spec.isReduction[d] &&
         llvm::none_of(spec.operands, [&](const OperandSpec &op) {
           return llvm::is_contained(op.reduced, d);
         });
}

Distribution evaluate(const KernelSpec &spec, const TargetModel &target,
                      int64_t splitX, int64_t splitY, int64_t width,
                      int64_t height, int64_t splitXInner) {
  Distribution d;
  d.splitX = splitX;
  d.splitY = splitY;
  d.splitXInner = splitXInner;
  d.width = width;
  d.height = height;
  size_t rank = spec.dims.size();
  d.tile.assign(spec.dims.begin(), spec.dims.end());
  if (splitXInner >= 0) {
    assert(splitX >= 0 && width % spec.dims[splitX] == 0 &&
           isSubRectangleDim(spec, splitX) &&
           isSubRectangleDim(spec, splitXInner) &&
           "sub-rectangles: one per index of a parallel dim");
    d.tile[splitX] = 1;
    d.tile[splitXInner] =
        llvm::divideCeil(spec.dims[splitXInner], width / spec.dims[splitX]);
  } else if (splitX >= 0) {
    d.tile[splitX] = llvm::divideCeil(spec.dims[splitX], width);
  }
  if (splitY >= 0)
    d.tile[splitY] = llvm::divideCeil(spec.dims[splitY], height);

  bool reduceX = splitX >= 0 && spec.isReduction[splitX] && width > 1;
  bool reduceY = splitY >= 0 && spec.isReduction[splitY] && height > 1;
  d.streamDim = chooseStreamDim(spec, splitX, splitY, splitXInner);
  int64_t maxInputTile = 0, outputTile = 0;
  // Stage results allreduced along x or y: per PE, the bytes and the
  // number of allreduces along each axis.
  int64_t allreduceBytes[2] = {0, 0}, allreduces[2] = {0, 0};
  int64_t lineLen[2] = {width, height}, split[2] = {splitX, splitY};
  for (const OperandSpec &op : spec.operands) {
    int64_t elems = 1;
    for (int64_t dim : op.map)
      elems *= dim >= 0 ? d.tile[dim] : 1;
    // Per inference (what moves) and in SRAM at once (what is buffered).
    int64_t bytes = elems * op.elementBytes;
    int64_t extent = d.streamDim >= 0 && llvm::is_contained(op.map, d.streamDim)
                         ? d.tile[d.streamDim]
                         : 0;
    int64_t held = streamedBytes(bytes, extent);
    switch (op.role) {
    case OperandRole::Resident:
      d.residentBytes += bytes;
      break;
    case OperandRole::Input:
      d.bufferBytes += held;
      maxInputTile = std::max(maxInputTile, bytes);
      break;
    case OperandRole::Whole:
      d.bufferBytes += op.totalBytes;
      maxInputTile = std::max(maxInputTile, op.totalBytes);
      break;
    case OperandRole::Output:
      d.bufferBytes += held;
      outputTile += bytes;
      // A chained reduction receives the neighbour's partial sums into a
      // second buffer before accumulating.
      if (reduceX || reduceY)
        d.partialBytes += held;
      break;
    case OperandRole::Scratch: {
      d.bufferBytes += held;
      bool partial = false;
      for (int a = 0; a < 2; ++a)
        if (split[a] >= 0 && lineLen[a] > 1 &&
            llvm::is_contained(op.reduced, split[a])) {
          partial = true;
          allreduceBytes[a] += bytes;
          ++allreduces[a];
        }
      // One buffer receives the partial sums, whichever axis they come on.
      if (partial)
        d.partialBytes += held;
      break;
    }
    }
  }
  d.sramBytes = d.residentBytes + d.bufferBytes + d.partialBytes;
  d.allreducesAlongY = allreduces[1] > 0;

  // Each chain hop forwards one partial tile; there are (parts - 1) hops
  // per chain and one chain per PE of the other axis.
  if (reduceX)
    d.reduceBytes += outputTile * (width - 1) * height;
  if (reduceY)
    d.reduceBytes += outputTile * (height - 1) * width;

  double perPEShare = 1.0;
  for (size_t i = 0; i < rank; ++i)
    perPEShare *= static_cast<double>(d.tile[i]) / spec.dims[i];
  double compute = spec.work * perPEShare / target.macsF32;
  double linkBytes = static_cast<double>(target.linkBytes);
  double io = std::max(maxInputTile, outputTile) / linkBytes;
  double reduce = 0;
  // An allreduce (Pattern::cycles): reduce and multicast back, each
  // stage's in turn; one pass of bytes over every link of the lines.
  for (int a = 0; a < 2; ++a) {
    if (!allreduces[a])
      continue;
    double ramp = 2.0 * target.rampLatency;
    reduce += 2.0 * allreduceBytes[a] / linkBytes +
              allreduces[a] * ((ramp + 2.0) * (lineLen[a] - 1) +
                               lineLen[a] * target.hopLatency + ramp);
    d.reduceBytes += allreduceBytes[a] * (lineLen[a] - 1) * lineLen[1 - a];
  }
  if (reduceX || reduceY) {
    int64_t hops = (reduceX ? width - 1 : 0) + (reduceY ? height - 1 : 0);
    reduce += outputTile / linkBytes +
              hops * (target.hopLatency + 2.0 * target.rampLatency);
  }
  d.cycles = std::max(compute, io) + reduce;
  return d;
}

/// Part counts worth trying for a dim of size n on at most `limit` PEs:
/// one per distinct tile size, so O(sqrt(n)) values instead of n.
static SmallVector<int64_t> partCandidates(int64_t n, int64_t limit) {
  SmallVector<int64_t> parts;
  limit = std::min(n, limit);
  int64_t prevTile = -1;
  for (int64_t p = 1; p <= limit;) {
    int64_t t = llvm::divideCeil(n, p);
    if (t != prevTile) {
      // The fewest PEs that reach this tile size.
      parts.push_back(llvm::divideCeil(n, t));
      prevTile = t;
    }
    // Jump to the next p whose tile size differs.
    if (t == 1)
      break;
    int64_t next = llvm::divideCeil(n, t - 1);
    p = std::max(p + 1, next);
  }
  return parts;
}

/// A y split fixed in advance: the dim and the number of rows.
struct FixedY {
  int64_t dim, rows;
};

/// Which candidates forEachCandidate enumerates.
enum class Splits { One, SubRectangles, All };

/// Calls `fn(distribution)` for every candidate distribution on at most
/// `maxPEs` PEs that fits the mesh (not checking SRAM): one dim split per
/// axis, sub-rectangles along x, or both; with `fixedY`, only those
/// splitting that dim over that many rows.
template <typename Fn>
static void forEachCandidate(const KernelSpec &spec, const TargetModel &target,
                             int64_t maxPEs, Fn fn, Splits which = Splits::All,
                             std::optional<FixedY> fixedY = std::nullopt) {
  int64_t rank = spec.dims.size();
  // Weight-stationary: with resident weights, only dims that index them
  // are split, so every PE keeps a distinct weight tile instead of a copy.
  SmallVector<bool> allowed(rank, true);
  for (const OperandSpec &op : spec.operands) {
    if (!isStationary(spec, op))
      continue;
    SmallVector<bool> indexes(rank, false);
    for (int64_t dim : op.map)
      if (dim >= 0)
        indexes[dim] = true;
    for (int64_t d = 0; d < rank; ++d)
      allowed[d] = allowed[d] && indexes[d];
  }
  // Every y split with each x split of `xs` columns (in that order: ties
  // keep the first candidate).
  auto forEachY = [&](int64_t sx, int64_t sxInner, ArrayRef<int64_t> xs) {
    for (int64_t sy = -1; sy < rank; ++sy) {
      if (fixedY ? sy != fixedY->dim || sy == sx || sy == sxInner
                 : sy >= 0 && (spec.dims[sy] <= 1 || sy == sx ||
                               sy == sxInner || !allowed[sy]))
        continue;
      for (int64_t px : xs) {
        int64_t yLimit = std::min(target.height, maxPEs / px);
        if (yLimit < 1)
          continue;
        SmallVector<int64_t> ys =
            fixedY
                ? (fixedY->rows <= yLimit ? SmallVector<int64_t>{fixedY->rows}
                                          : SmallVector<int64_t>{})
            : sy >= 0 ? partCandidates(spec.dims[sy], yLimit)
                      : SmallVector<int64_t>{1};
        for (int64_t py : ys)
          fn(evaluate(spec, target, sx, sy, px, py, sxInner));
      }
    }
  };
  int64_t xLimit = std::min(target.width, maxPEs);
  for (int64_t sx = -1; which != Splits::SubRectangles && sx < rank; ++sx) {
    if (sx >= 0 && (spec.dims[sx] <= 1 || !allowed[sx]))
      continue;
    forEachY(sx, -1,
             sx >= 0 ? partCandidates(spec.dims[sx], xLimit)
                     : SmallVector<int64_t>{1});
  }
  // Sub-rectangles: one per index of a parallel dim (attention's heads),
  // side by side, their columns splitting a second parallel dim.
  for (int64_t sx = 0; which != Splits::One && sx < rank; ++sx) {
    int64_t groups = spec.dims[sx];
    if (groups <= 1 || 2 * groups > xLimit || !allowed[sx] ||
        !isSubRectangleDim(spec, sx))
      continue;
    for (int64_t si = 0; si < rank; ++si) {
      if (si == sx || spec.dims[si] <= 1 || !allowed[si] ||
          !isSubRectangleDim(spec, si))
        continue;
      SmallVector<int64_t> xs;
      for (int64_t pi : partCandidates(spec.dims[si], xLimit / groups))
        if (pi >= 2)
          xs.push_back(groups * pi);
      forEachY(sx, si, xs);
    }
  }
}

/// Strict order: cheaper, then fewer PEs, then less SRAM; ties keep the
/// first candidate, so the result is deterministic.
static bool better(const Distribution &a, const Distribution &b) {
  if (a.cycles != b.cycles)
    return a.cycles < b.cycles;
  // A kernel of several stages and its mirror image cost the same; its
  // allreduces run along rows, so its rows hold what the contractions
  // around it hold on theirs (the tokens run down the pipeline's rows).
  if (a.allreducesAlongY != b.allreducesAlongY)
    return !a.allreducesAlongY;
  if (a.numPEs() != b.numPEs())
    return a.numPEs() < b.numPEs();
  return a.sramBytes < b.sramBytes;
}

/// The cheapest candidate that fits SRAM: one split per axis, then, as
/// `sub` allows, sub-rectangles (SubRectangles).
static std::optional<Distribution>
bestFitting(const KernelSpec &spec, const TargetModel &target, int64_t maxPEs,
            SubRectangles sub, std::optional<FixedY> fixedY = std::nullopt) {
  std::optional<Distribution> best;
  auto keep = [&](const Distribution &d) {
    if (d.sramBytes > target.sramBudget)
      return;
    if (!best || better(d, *best))
      best = d;
  };
  forEachCandidate(spec, target, maxPEs, keep, Splits::One, fixedY);
  if (best && (sub == SubRectangles::Fit || 2 * best->numPEs() >= maxPEs))
    return best;
  forEachCandidate(spec, target, maxPEs, keep, Splits::SubRectangles, fixedY);
  return best;
}

std::optional<Distribution> bestDistribution(const KernelSpec &spec,
                                             const TargetModel &target,
                                             int64_t maxPEs,
                                             SubRectangles sub) {
  return bestFitting(spec, target, maxPEs, sub);
}

std::optional<Distribution>
bestDistributionForRows(const KernelSpec &spec, const TargetModel &target,
                        int64_t splitY, int64_t rows, int64_t maxPEs,
                        SubRectangles sub) {
  return bestFitting(spec, target, maxPEs, sub, FixedY{splitY, rows});
}

int64_t minSramBytes(const KernelSpec &spec, const TargetModel &target) {
  int64_t best = INT64_MAX;
  forEachCandidate(spec, target, target.numPEs(), [&](const Distribution &d) {
    best = std::min(best, d.sramBytes);
  });
  return best;
}

/// A kernel's fitting candidates as (PEs, estimated cycles), the Pareto
/// frontier: increasing PEs, strictly decreasing cycles. One split per
/// axis, or sub-rectangles when none fits: the candidates bestFitting takes
/// on any budget, whatever its policy, so its first point is the fewest PEs
/// the kernel fits on, and bestDistribution on a budget of a point's PEs
/// reaches at least that point's cycles (under SubRectangles::Idle it may
/// take a faster sub-rectangle). Enumerated on the whole mesh: the frontier
/// on a smaller budget is a prefix of it.
using Frontier = std::vector<std::pair<int64_t, double>>;
static Frontier paretoFrontier(const KernelSpec &spec,
                               const TargetModel &target) {
  Frontier points;
  auto keep = [&](const Distribution &d) {
    if (d.sramBytes <= target.sramBudget)
      points.push_back({d.numPEs(), d.cycles});
  };
  forEachCandidate(spec, target, target.numPEs(), keep, Splits::One);
  if (points.empty())
    forEachCandidate(spec, target, target.numPEs(), keep,
                     Splits::SubRectangles);
  llvm::sort(points);
  Frontier frontier;
  for (const auto &p : points)
    if (frontier.empty() || p.second < frontier.back().second)
      frontier.push_back(p);
  return frontier;
}

/// The fewest PEs on which a kernel with this frontier reaches `cycles`,
/// or -1.
static int64_t pesFor(const Frontier &frontier, double cycles) {
  // Cycles decrease along the frontier: the first point at or below.
  auto it = llvm::partition_point(
      frontier, [&](const auto &p) { return p.second > cycles; });
  return it == frontier.end() ? -1 : it->first;
}

/// Sizing::Balanced's floor per kernel: the PEs that reach the smallest
/// bottleneck the budget allows (never below the frontier's first point,
/// the SRAM minimum); `minPEs` when even the slowest level does not fit.
static std::vector<int64_t>
bottleneckFloors(const std::vector<Frontier> &frontiers, int64_t availablePEs,
                 const std::vector<int64_t> &minPEs) {
  std::vector<double> levels;
  for (const Frontier &f : frontiers)
    for (const auto &p : f)
      levels.push_back(p.second);
  llvm::sort(levels);
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  auto floors = [&](double t, std::vector<int64_t> &out) {
    out.assign(frontiers.size(), 0);
    int64_t total = 0;
    for (size_t k = 0; k < frontiers.size(); ++k) {
      out[k] = pesFor(frontiers[k], t);
      if (out[k] < 0)
        return false;
      total += out[k];
    }
    return total <= availablePEs;
  };
  // The PEs needed fall as the bottleneck rises: the least level that fits.
  std::vector<int64_t> best = minPEs, trial;
  size_t lo = 0, hi = levels.size();
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (floors(levels[mid], trial)) {
      best = trial;
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return best;
}

PipelineResult sizePipeline(const std::vector<KernelSpec> &kernels,
                            const TargetModel &target, int64_t availablePEs,
                            SubRectangles sub, Sizing sizing) {
  PipelineResult result;
  std::vector<Frontier> frontiers;
  std::vector<int64_t> minPEs(kernels.size());
  int64_t totalMin = 0;
  double totalWork = 0;
  for (size_t k = 0; k < kernels.size(); ++k) {
    frontiers.push_back(paretoFrontier(kernels[k], target));
    minPEs[k] = frontiers[k].empty() ? -1 : frontiers[k].front().first;
    if (minPEs[k] < 0) {
      result.failure = FitFailure{
          static_cast<int64_t>(k),
          formatv("needs {0} B of SRAM per PE at best, the budget is {1} B",
                  minSramBytes(kernels[k], target), target.sramBudget)
              .str()};
      return result;
    }
    totalMin += minPEs[k];
    totalWork += std::max<int64_t>(kernels[k].work, 1);
  }
  if (totalMin > availablePEs) {
    size_t worst =
        std::max_element(minPEs.begin(), minPEs.end()) - minPEs.begin();
    result.failure = FitFailure{
        static_cast<int64_t>(worst),
        formatv("the model needs at least {0} PEs to fit SRAM ({1} for this "
                "kernel), {2} PEs are free",
                totalMin, minPEs[worst], availablePEs)
            .str()};
    return result;
  }
  // Each kernel's floor: its SRAM minimum, or with Sizing::Balanced the
  // PEs of the smallest bottleneck. Spare PEs go in proportion to work.
  std::vector<int64_t> floors =
      sizing == Sizing::Balanced
          ? bottleneckFloors(frontiers, availablePEs, minPEs)
          : minPEs;
  int64_t spare = availablePEs;
  for (int64_t f : floors)
    spare -= f;
  for (size_t k = 0; k < kernels.size(); ++k) {
    double share = std::max<int64_t>(kernels[k].work, 1) / totalWork;
    int64_t limit = floors[k] + static_cast<int64_t>(std::floor(spare * share));
    std::optional<Distribution> d =
        bestDistribution(kernels[k], target, limit, sub);
    // floors[k] >= minPEs[k] and a fitting distribution of that size
    // exists.
    assert(d && "a fitting distribution must exist");
    result.distributions.push_back(*d);
  }
  return result;
}

} // namespace wafer::tile
