//===- TargetModel.h - the wafer-scale machine ------------------*- C++ -*-===//
//
// A plain C++ description of the target machine (after mlir-aie's
// AIETargetModel): mesh size, SRAM, clock, compute rate, links, colors and
// latencies. Every algorithm (tiling, placement, routing, timing) reads the
// machine from here; the `#wafer.target` attribute mirrors it in IR.
//
//===----------------------------------------------------------------------===//
#ifndef WAFER_TARGET_TARGETMODEL_H
#define WAFER_TARGET_TARGETMODEL_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <cstdint>
#include <optional>
#include <string>

namespace wafer {

struct TargetModel {
  std::string name = "wse2";
  int64_t width = 750;
  int64_t height = 994;
  /// Physical SRAM per PE.
  int64_t sramBytes = 49152;
  /// What the compiler may allocate per PE; the rest is the runtime's
  /// reserve (code, stack, I/O buffers).
  int64_t sramBudget = 45056;
  int64_t clockMHz = 850;
  /// Multiply-accumulates per PE per cycle.
  int64_t macsF32 = 1;
  int64_t macsF16 = 4;
  /// Bytes per cycle per link direction (one 32-bit wavelet).
  int64_t linkBytes = 4;
  int64_t colors = 24;
  int64_t reservedColors = 3;
  /// Cycles per router hop and between core and router.
  int64_t hopLatency = 1;
  int64_t rampLatency = 2;

  int64_t numPEs() const { return width * height; }
  int64_t usableColors() const { return colors - reservedColors; }
  double cyclesToMicroseconds(double cycles) const {
    return cycles / static_cast<double>(clockMHz);
  }

  /// A preset (`wse2`, `wse3`) or a custom mesh `WxH` (WSE-2 defaults for
  /// everything but the mesh).
  static llvm::Expected<TargetModel> fromSpec(llvm::StringRef spec);
  /// Sets one field by its JSON/CLI key (`width`, `sram_budget`, ...).
  llvm::Error set(llvm::StringRef key, int64_t value);
  /// Applies `key=value` (a comma-separated list is accepted).
  llvm::Error applyOverrides(llvm::StringRef overrides);
  /// Applies a JSON object of overrides; `"preset"` selects a preset first.
  llvm::Error applyJSON(llvm::StringRef json);
  /// Reason the model is unusable, or an empty string.
  std::string check() const;

  llvm::json::Object toJSON() const;
  /// Keys accepted by set(), for --help and diagnostics.
  static llvm::StringRef keyList();
};

} // namespace wafer

#endif // WAFER_TARGET_TARGETMODEL_H
