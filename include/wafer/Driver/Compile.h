//===- Compile.h - the compile pipeline behind wafer-run --------*- C++ -*-===//
#ifndef WAFER_DRIVER_COMPILE_H
#define WAFER_DRIVER_COMPILE_H

#include "wafer/Target/TargetModel.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <string>
#include <utility>
#include <vector>

namespace wafer {

struct CompileOptions {
  TargetModel target;
  /// Fraction of the mesh the kernels may use (see --wafer-map).
  double utilization = 0.85;
};

/// Wall-clock seconds per compile phase, in order.
struct PhaseTimes {
  std::vector<std::pair<std::string, double>> phases;
  void add(llvm::StringRef name, double seconds) {
    phases.emplace_back(name.str(), seconds);
  }
};

/// Runs mapping and placement on a tensor-level module (in place). Errors
/// are reported through the context's diagnostic handler and returned as a
/// one-line summary.
llvm::Error mapAndPlace(mlir::ModuleOp module, const CompileOptions &options,
                        PhaseTimes &times);

/// What the compile decided, as JSON: target, mesh, PEs used, per-kernel
/// rectangle/distribution/SRAM, streams with bytes and endpoints, traffic x
/// hops and compile seconds per phase.
llvm::json::Object buildPlacementReport(mlir::ModuleOp module,
                                        const PhaseTimes &times);

} // namespace wafer

#endif // WAFER_DRIVER_COMPILE_H
