//===- Compile.h - the compile pipeline behind wafer-run --------*- C++ -*-===//
#ifndef WAFER_DRIVER_COMPILE_H
#define WAFER_DRIVER_COMPILE_H

#include "wafer/Target/TargetModel.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wafer {

struct CompileOptions {
  TargetModel target;
  /// Fractions of the mesh the kernels may use (see --wafer-map
  /// utilization); with more than one, compile() tries each (below).
  std::vector<double> utilizations = {0.85, 0.7};
  /// One kernel per normalisation (--wafer-map fuse-norms).
  bool fuseNorms = true;
  /// When a kernel may take sub-rectangles (--wafer-map sub-rectangles=):
  /// "fit", "idle" or "auto".
  std::string subRectangles = "auto";
  /// How kernels share the PEs (--wafer-map sizing=): "work", "balanced"
  /// or "auto". compile() compiles every combination of the
  /// sub-rectangle policies, sizings and utilizations asked for ("auto":
  /// both values) and keeps the program the timing model says is fastest,
  /// the earliest on ties (fit, work and the first utilization first).
  std::string sizing = "auto";
  /// Placement refinement after the serpentine (--wafer-place refine=):
  /// "none", "hops" or "links".
  std::string refinePlacement = "none";
  /// Reports a phase's progress on stderr when it takes over 2 s (set by
  /// tools when stderr is a terminal).
  bool progress = false;
};

/// Wall-clock seconds per compile phase, in order.
struct PhaseTimes {
  std::vector<std::pair<std::string, double>> phases;
  void add(llvm::StringRef name, double seconds) {
    phases.emplace_back(name.str(), seconds);
  }
};

/// The --wafer-map choices one compile runs with.
struct MappingVariant {
  std::string subRectangles = "fit", sizing = "work";
  double utilization = 0.85;
  /// "fit/work/0.85" and the like.
  std::string name() const;
};

/// What an "auto" compile chose, and the estimated cycles of each variant
/// that compiled, in the order tried.
struct CompileChoices {
  std::optional<MappingVariant> chosen;
  std::vector<std::pair<std::string, int64_t>> cycles;
};

/// Runs mapping, placement, routing and the lowering to per-PE programs
/// (level 6) on a tensor-level module (in place), timing each phase ("map",
/// "place", "route", "lower"; "alternatives" for the trial compile and the
/// estimates of an "auto" choice). Errors are reported through the
/// context's diagnostic handler and returned as a one-line summary naming
/// the phase.
llvm::Error compile(mlir::ModuleOp module, const CompileOptions &options,
                    PhaseTimes &times, CompileChoices *choices = nullptr);

/// What the compile decided, as JSON (docs/user-guide.md lists the fields):
/// target, mesh, PEs used, kernels and streams (counts, then details),
/// pattern instances per kind, colors_max and where, the busiest link,
/// routing phases, peak SRAM per PE, traffic x hops, compile seconds per
/// phase and, given `choices` that chose, the mapping variant and every
/// variant's estimated cycles ("mapping").
llvm::json::Object buildReport(mlir::ModuleOp module, const PhaseTimes &times,
                               const CompileChoices *choices = nullptr);

} // namespace wafer

#endif // WAFER_DRIVER_COMPILE_H
