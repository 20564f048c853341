//===- InitAll.h - register wafer's dialects and passes ---------*- C++ -*-===//
#ifndef WAFER_INITALL_H
#define WAFER_INITALL_H

#include "mlir/IR/DialectRegistry.h"

namespace wafer {
/// Registers wafer's dialects and the upstream dialects its pipeline uses.
void registerAllDialects(mlir::DialectRegistry &registry);
/// Registers wafer's passes and the upstream passes its pipelines use.
void registerAllPasses();
/// Registers wafer's translations (ONNX import).
void registerAllTranslations();
} // namespace wafer

#endif // WAFER_INITALL_H
