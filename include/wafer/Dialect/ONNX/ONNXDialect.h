//===- ONNXDialect.h - the onnx frontend dialect ----------------*- C++ -*-===//
#ifndef WAFER_DIALECT_ONNX_ONNXDIALECT_H
#define WAFER_DIALECT_ONNX_ONNXDIALECT_H

#include "mlir/IR/Dialect.h"

#include "wafer/Dialect/ONNX/ONNXOpsDialect.h.inc"

#endif // WAFER_DIALECT_ONNX_ONNXDIALECT_H
