//===- Tiling.h - distribute one op over a rectangle of PEs -----*- C++ -*-===//
//
// The IR-free tiling arithmetic of the mapping pass. A kernel is described
// by its iteration space and, per operand, which iteration dim indexes each
// tensor axis (its indexing map, projected to dims). A distribution splits
// at most one iteration dim along the mesh's x axis and one along y; PE
// (i, j) of a Px x Py rectangle runs the iterations whose x-dim lies in
// chunk i and y-dim in chunk j. Along x it may instead split two parallel
// dims, one sub-rectangle per index of the outer one (attention's heads)
// whose columns split the inner one (its keys or queries): column i runs
// index i / Pi of the outer dim and chunk i % Pi of the inner. Everything
// here is closed-form in the rectangle's shape: nothing is enumerated per
// PE.
//
//===----------------------------------------------------------------------===//
#ifndef WAFER_TILE_TILING_H
#define WAFER_TILE_TILING_H

#include "wafer/Target/TargetModel.h"

#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wafer::tile {

enum class OperandRole {
  /// Streamed in from a producer; the PE buffers its tile.
  Input,
  /// Constant data (weights): the PE keeps its tile resident.
  Resident,
  /// Needed whole on every PE (e.g. a gather table read by index).
  Whole,
  /// The result; the PE buffers its tile (and partial sums when a
  /// reduction dim is split).
  Output,
  /// An intermediate result of a kernel of several stages (a norm's mean
  /// or variance): buffered, never streamed out. When its stage reduces a
  /// dim the distribution splits, the PEs of that line allreduce it (and
  /// buffer the partial sums arriving).
  Scratch,
};

struct OperandSpec {
  /// Per tensor axis: the iteration dim that indexes it, or -1 when the
  /// axis is not indexed by a dim (a broadcast constant-0 result).
  llvm::SmallVector<int64_t> map;
  int64_t elementBytes = 4;
  OperandRole role = OperandRole::Input;
  /// Bytes of the whole tensor (used for Whole operands).
  int64_t totalBytes = 0;
  /// Scratch: the iteration dims its stage reduces (allreduced when split).
  llvm::SmallVector<int64_t> reduced;
};

struct KernelSpec {
  std::string name;
  llvm::SmallVector<int64_t> dims;
  llvm::SmallVector<bool> isReduction;
  llvm::SmallVector<OperandSpec> operands;
  /// Multiply-accumulates (contractions) or element operations per
  /// inference: what the PEs spend cycles on.
  int64_t work = 0;
};

struct Distribution {
  int64_t splitX = -1, splitY = -1;
  /// A second parallel dim split along x inside each index of `splitX`
  /// (-1: none): `splitX` gets one sub-rectangle of width / dims[splitX]
  /// columns per index (tile 1), whose columns split this dim.
  int64_t splitXInner = -1;
  int64_t width = 1, height = 1;
  llvm::SmallVector<int64_t> tile;
  /// The iteration dim processed in time (-1: none): a parallel dim that is
  /// split along neither axis and indexes no stationary weight, e.g. the
  /// tokens of a weight-stationary contraction. The operands it indexes
  /// are double-buffered one index at a time (streamedBytes()); the others
  /// stay whole in SRAM for the whole stream.
  int64_t streamDim = -1;
  /// Per-PE bytes: the sum of the three parts.
  int64_t sramBytes = 0;
  int64_t residentBytes = 0, bufferBytes = 0, partialBytes = 0;
  /// Bytes moved per inference to reduce partial sums along the split
  /// reduction axis (0 when no reduction dim is split); for a kernel of
  /// several stages, one pass of its allreduces.
  int64_t reduceBytes = 0;
  /// A stage's partial sums are allreduced along y.
  bool allreducesAlongY = false;
  /// The cost model's estimate, in cycles, of one inference on this
  /// rectangle (compute + input streaming + reduction).
  double cycles = 0;
  int64_t numPEs() const { return width * height; }
};

/// The bytes a PE buffers for an operand tile of `tileBytes` whose extent
/// along the streamed dim is `extent` (0: not indexed by it): two slices
/// (double buffering) instead of the whole tile. The PE interpreter checks
/// its buffers with the same rule.
int64_t streamedBytes(int64_t tileBytes, int64_t extent);

/// The dim a distribution streams in time (see Distribution::streamDim).
int64_t chooseStreamDim(const KernelSpec &spec, int64_t splitX, int64_t splitY,
                        int64_t splitXInner = -1);

/// Whether dim `d` may be split in sub-rectangles (either dim of
/// Distribution::splitXInner's pair): a parallel dim no stage reduces.
bool isSubRectangleDim(const KernelSpec &spec, int64_t d);

/// Per-PE SRAM and cost of a given split and rectangle; with `splitXInner`,
/// `width` is dims[splitX] sub-rectangles of width / dims[splitX] columns.
Distribution evaluate(const KernelSpec &spec, const TargetModel &target,
                      int64_t splitX, int64_t splitY, int64_t width,
                      int64_t height, int64_t splitXInner = -1);

/// When sub-rectangles (Distribution::splitXInner) compete with one split
/// per axis. A sub-rectangle split keeps neither of its dims whole to
/// stream in time and lines up with no neighbour that splits one dim along
/// x: costs of the program, not of the kernel the search scores. Measured
/// (docs/mapping.md), letting them in wherever one split per axis leaves
/// PEs idle made the committed fixtures up to 46% slower on wse2 and the
/// large blocks no faster.
enum class SubRectangles : uint8_t {
  /// Only when no split of one dim per axis fits SRAM (the default).
  Fit,
  /// Also when those leave more than half of the kernel's PEs idle (its
  /// dims cap them, as 4 heads of 16 tokens cap attention's).
  Idle,
};

/// The cheapest distribution using at most `maxPEs` PEs whose per-PE SRAM
/// fits the target's budget and whose rectangle fits the mesh, or nothing.
std::optional<Distribution>
bestDistribution(const KernelSpec &spec, const TargetModel &target,
                 int64_t maxPEs, SubRectangles sub = SubRectangles::Fit);

/// The cheapest such distribution among those splitting iteration dim
/// `splitY` over exactly `rows` rows (any x split and width).
std::optional<Distribution>
bestDistributionForRows(const KernelSpec &spec, const TargetModel &target,
                        int64_t splitY, int64_t rows, int64_t maxPEs,
                        SubRectangles sub = SubRectangles::Fit);
/// The smallest per-PE SRAM any distribution of the kernel reaches on the
/// mesh (the "at best" figure of a does-not-fit diagnostic).
int64_t minSramBytes(const KernelSpec &spec, const TargetModel &target);

/// Why a pipeline does not fit, as data: the kernel, what it needs, what is
/// free.
struct FitFailure {
  int64_t kernel = -1;
  std::string reason;
};

struct PipelineResult {
  std::vector<Distribution> distributions;
  std::optional<FitFailure> failure;
};

/// How sizePipeline shares the PEs out.
enum class Sizing : uint8_t {
  /// Every kernel its SRAM minimum, the rest in proportion to work (the
  /// default): equal time per kernel if the pipeline overlapped perfectly.
  Work,
  /// First the smallest bottleneck: the least T such that every kernel
  /// reaches an estimated T cycles on the PEs left (its Pareto frontier of
  /// PEs against cycles), then the rest in proportion to work. Kernels that
  /// cannot overlap (attention waits for all its keys) get the PEs their
  /// work share would starve them of.
  Balanced,
};

/// Sizes every kernel of a layer pipeline on at most `availablePEs` PEs,
/// never fewer than a kernel needs for its SRAM (see Sizing).
PipelineResult sizePipeline(const std::vector<KernelSpec> &kernels,
                            const TargetModel &target, int64_t availablePEs,
                            SubRectangles sub = SubRectangles::Fit,
                            Sizing sizing = Sizing::Work);

} // namespace wafer::tile

#endif // WAFER_TILE_TILING_H
