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
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "wafer/Dialect/Wafer/WaferDialect.h"
#include "wafer/Target/TargetModel.h"

#define GET_ATTRDEF_CLASSES
#include "wafer/Dialect/Wafer/WaferAttrs.h.inc"

#define GET_OP_CLASSES
#include "wafer/Dialect/Wafer/WaferOps.h.inc"

#endif // WAFER_DIALECT_WAFER_WAFEROPS_H
