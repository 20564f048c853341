//===- InitAll.cpp - register wafer's dialects and passes -------*- C++ -*-===//
#include "wafer/InitAll.h"

#include "wafer/Conversion/ONNXToLinalg/Passes.h"
#include "wafer/Dialect/ONNX/ONNXDialect.h"
#include "wafer/Dialect/Wafer/Passes.h"
#include "wafer/Dialect/Wafer/WaferOps.h"
#include "wafer/Import/OnnxImport.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"

void wafer::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<wafer::WaferDialect>();
  registry.insert<wafer::onnx_fe::ONNXDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
}

void wafer::registerAllPasses() {
  mlir::registerAllPasses();
  wafer::registerWaferPasses();
  wafer::registerONNXToLinalgPasses();
  wafer::registerTensorPipeline();
}

void wafer::registerAllTranslations() {
  wafer::registerOnnxImportTranslation();
}
