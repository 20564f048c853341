//===- wafer-translate.cpp - wafer's translation driver ---------*- C++ -*-===//
#include "wafer/InitAll.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  wafer::registerAllTranslations();
  return mlir::failed(mlir::mlirTranslateMain(
      argc, argv, "wafer translation driver: model formats <-> MLIR\n"));
}
