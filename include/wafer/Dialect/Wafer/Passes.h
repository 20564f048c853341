//===- Passes.h - wafer passes ----------------------------------*- C++ -*-===//
#ifndef WAFER_DIALECT_WAFER_PASSES_H
#define WAFER_DIALECT_WAFER_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "wafer/Place/Placement.h"

namespace wafer {
class ProgramOp;

/// The placement problem of a program: kernels in program (pipeline) order,
/// one edge per producer of every stream.
place::PlacementProblem buildPlacementProblem(ProgramOp program);

/// Writes every lowered program of `module` as the JSON document of
/// docs/lowering.md (format "wafer-pe/1"); an error on a program that is
/// not lowered.
mlir::LogicalResult exportLoweredJSON(mlir::ModuleOp module,
                                      llvm::raw_ostream &os);

#define GEN_PASS_DECL
#include "wafer/Dialect/Wafer/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "wafer/Dialect/Wafer/Passes.h.inc"

} // namespace wafer

#endif // WAFER_DIALECT_WAFER_PASSES_H
