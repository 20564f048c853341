//===- wafer-translate.cpp - model formats <-> MLIR ------------*- C++ -*-===//
//
// An ONNX import prints its locations by default (`--mlir-print-debuginfo`,
// unless the command line sets it): they carry the ONNX node names, which
// --wafer-map copies onto every kernel (`node`) and every diagnostic names,
// so a textual pipeline (wafer-translate | wafer-opt) keeps them.
//
//===----------------------------------------------------------------------===//
#include "wafer/Import/OnnxImport.h"
#include "wafer/InitAll.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <vector>

static llvm::cl::opt<bool> listOps(
    "list-ops",
    llvm::cl::desc("print the ONNX ops --import-onnx supports, with their "
                   "opsets, as a Markdown table (docs/onnx-ops.md), and exit"));

int main(int argc, char **argv) {
  for (int i = 1; i < argc; ++i)
    if (llvm::StringRef(argv[i]) == "--list-ops" ||
        llvm::StringRef(argv[i]) == "-list-ops") {
      llvm::outs() << wafer::supportedOpsTable();
      return 0;
    }
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
