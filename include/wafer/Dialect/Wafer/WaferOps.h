//===- WaferOps.h - wafer operations ----------------------------*- C++ -*-===//
#ifndef WAFER_DIALECT_WAFER_WAFEROPS_H
#define WAFER_DIALECT_WAFER_WAFEROPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/RegionKindInterface.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "wafer/Dialect/Wafer/WaferDialect.h"
#include "wafer/Route/Patterns.h"
#include "wafer/Target/TargetModel.h"

#include "wafer/Dialect/Wafer/WaferEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "wafer/Dialect/Wafer/WaferAttrs.h.inc"

#define GET_OP_CLASSES
#include "wafer/Dialect/Wafer/WaferOps.h.inc"

namespace wafer {
/// Bytes of one element in SRAM and on the links (i1 takes a byte).
/// Ops that only move data (reshape, slice, concatenate, transpose,
/// broadcast copy): they belong in a stream's body, not in a kernel.
bool isDataMovement(mlir::Operation *op);
/// A linalg.generic that copies its one input to its result in order,
/// replicating it along the dims its indexing map lacks (ONNX Expand).
bool isBroadcastCopy(mlir::Operation *op);
int64_t getElementBytes(mlir::Type elementType);
/// Bytes of a statically shaped tensor.
int64_t getTensorBytes(mlir::Type tensorType);
/// How the operand `inputIndex` of `consumer` spreads over its rectangle,
/// derived from the body's indexing maps and the kernel's split.
StreamKind inferStreamKind(KernelOp consumer, unsigned inputIndex);
/// The ONNX node names a location carries (NameLocs, joined with '+').
std::string getNodeName(mlir::Location loc);
} // namespace wafer

#endif // WAFER_DIALECT_WAFER_WAFEROPS_H
