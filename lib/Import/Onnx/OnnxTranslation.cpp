//===- OnnxTranslation.cpp - wafer-translate --import-onnx ----------------===//
#include "wafer/Import/OnnxImport.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;

void wafer::registerOnnxImportTranslation() {
  // Function-local so only drivers that register the translation get the
  // option.
  static llvm::cl::list<std::string> dimOptions(
      "dim",
      llvm::cl::desc("Bind a symbolic ONNX input dim for --import-onnx: "
                     "--dim NAME=VALUE (repeatable)"),
      llvm::cl::value_desc("NAME=VALUE"));

  TranslateToMLIRRegistration registration(
      "import-onnx", "import an ONNX model (.onnx protobuf)",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        // Errors name the file (and node) themselves: print them as the
        // tool's own one-line errors, not at an unknown MLIR location.
        auto error = [](const llvm::Twine &msg) {
          llvm::WithColor::error(llvm::errs(), "wafer-translate")
              << msg << "\n";
        };
        OnnxImportOptions options;
        for (const std::string &opt : dimOptions) {
          auto [name, value] = llvm::StringRef(opt).split('=');
          int64_t v;
          if (name.empty() || value.getAsInteger(10, v) || v <= 0) {
            error("--dim " + opt +
                  ": expected NAME=VALUE with a positive integer");
            return nullptr;
          }
          if (!options.dims.emplace(name.str(), v).second) {
            error("--dim " + name + " is given twice");
            return nullptr;
          }
        }
        auto module =
            importOnnxBuffer(buffer->getBuffer(), buffer->getBufferIdentifier(),
                             *context, options);
        if (!module) {
          error(llvm::toString(module.takeError()));
          return nullptr;
        }
        return OwningOpRef<Operation *>(module->release());
      },
      [](DialectRegistry &registry) { registerOnnxImportDialects(registry); });
}
