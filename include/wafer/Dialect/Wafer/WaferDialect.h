//===- WaferDialect.h - the wafer dialect -----------------------*- C++ -*-===//
#ifndef WAFER_DIALECT_WAFER_WAFERDIALECT_H
#define WAFER_DIALECT_WAFER_WAFERDIALECT_H

#include "mlir/IR/Dialect.h"

#include "wafer/Dialect/Wafer/WaferOpsDialect.h.inc"

#endif // WAFER_DIALECT_WAFER_WAFERDIALECT_H
