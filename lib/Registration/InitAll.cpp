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
#include "mlir/Tools/mlir-translate/Translation.h"

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
  static mlir::TranslateFromMLIRRegistration exportPE(
      "export-pe-json",
      "write a lowered wafer.program (--wafer-lower-pe) as the JSON a "
      "hardware back end consumes: PE programs and router configurations "
      "(docs/lowering.md)",
      [](mlir::Operation *op, llvm::raw_ostream &os) -> mlir::LogicalResult {
        auto module = llvm::dyn_cast<mlir::ModuleOp>(op);
        if (!module)
          return op->emitError("expected a module");
        return wafer::exportLoweredJSON(module, os);
      },
      [](mlir::DialectRegistry &registry) {
        wafer::registerAllDialects(registry);
      });
}
