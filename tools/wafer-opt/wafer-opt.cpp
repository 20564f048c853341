//===- wafer-opt.cpp - wafer's optimizer driver -----------------*- C++ -*-===//
#include "TestPasses.h"
#include "wafer/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  wafer::registerAllDialects(registry);
  wafer::registerAllPasses();
  wafer::test::registerTestPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv,
      "wafer optimizer: passes over the wafer dialect and the "
      "upstream dialects it lowers through\n",
      registry));
}
