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

#define GEN_PASS_DECL
#include "wafer/Dialect/Wafer/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "wafer/Dialect/Wafer/Passes.h.inc"

} // namespace wafer

#endif // WAFER_DIALECT_WAFER_PASSES_H
