//===- InitAll.cpp - register wafer's dialects and passes -------*- C++ -*-===//
#include "wafer/InitAll.h"

#include "wafer/Dialect/Wafer/Passes.h"
#include "wafer/Dialect/Wafer/WaferOps.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"

void wafer::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<wafer::WaferDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
}

void wafer::registerAllPasses() {
  mlir::registerAllPasses();
  wafer::registerWaferPasses();
}

void wafer::registerAllTranslations() {}
