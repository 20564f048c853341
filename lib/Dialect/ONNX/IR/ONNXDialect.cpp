//===- ONNXDialect.cpp - the onnx frontend dialect --------------*- C++ -*-===//
#include "wafer/Dialect/ONNX/ONNXOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"

using namespace mlir;
using namespace wafer::onnx_fe;

#include "wafer/Dialect/ONNX/ONNXOpsDialect.cpp.inc"

void ONNXDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "wafer/Dialect/ONNX/ONNXOps.cpp.inc"
      >();
}
