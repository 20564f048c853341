//===- wafer-translate.cpp - model formats <-> MLIR ------------*- C++ -*-===//
//
// An ONNX import prints its locations by default (`--mlir-print-debuginfo`,
// unless the command line sets it): they carry the ONNX node names, which
// --wafer-map copies onto every kernel (`node`) and every diagnostic names,
// so a textual pipeline (wafer-translate | wafer-opt) keeps them.
//
//===----------------------------------------------------------------------===//
#include "wafer/InitAll.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "llvm/ADT/StringRef.h"

#include <vector>

int main(int argc, char **argv) {
  wafer::registerAllTranslations();
  std::vector<char *> args(argv, argv + argc);
  bool import = false, locsChosen = false;
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef a(argv[i]);
    import |= a == "--import-onnx" || a == "-import-onnx";
    locsChosen |= a.contains("mlir-print-debuginfo");
  }
  static char printLocs[] = "--mlir-print-debuginfo";
  if (import && !locsChosen)
    args.push_back(printLocs);
  return mlir::failed(mlir::mlirTranslateMain(
      int(args.size()), args.data(),
      "wafer translation driver: model formats <-> MLIR\n"));
}
