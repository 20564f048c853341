//===- wafer-fuzz-import.cpp - libFuzzer target for the ONNX front end ----===//
//
// Bytes are a serialized ModelProto: import it, lower it to the tensor level
// (wafer-tensor-pipeline) and, when the model is small, evaluate it with the
// golden evaluator on zero inputs. An llvm::Error or a failed pass is the
// expected answer to a bad model. A finding is a crash, an abort, a sanitizer
// report, or IR that does not verify (a bug in the importer or the lowering,
// not in the input).
//
//===----------------------------------------------------------------------===//
#include "wafer/Conversion/ONNXToLinalg/Passes.h"
#include "wafer/Import/OnnxImport.h"
#include "wafer/Interpreter/Evaluator.h"
#include "wafer/Support/Sizes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

using namespace mlir;

namespace {

/// Uniqued types and attributes (names, constants) live as long as their
/// context, so one context for a million inputs would grow without bound
/// and trip libFuzzer's RSS limit: start a fresh one this often.
constexpr unsigned kInputsPerContext = 500;
/// The evaluator runs only when every tensor has at most this many elements
/// and every linalg op at most kMaxEvalIterations loop iterations, so one
/// input stays in the millisecond range.
constexpr int64_t kMaxEvalElements = int64_t(1) << 16;
constexpr int64_t kMaxEvalIterations = int64_t(1) << 22;

/// The dialects wafer-run registers, less the wafer dialect (which only the
/// compile after the tensor level produces), so the lowering sees the same
/// interfaces and extensions.
DialectRegistry &getRegistry() {
  static DialectRegistry registry = [] {
    DialectRegistry r;
    wafer::registerOnnxImportDialects(r);
    registerAllDialects(r);
    registerAllExtensions(r);
    return r;
  }();
  return registry;
}

MLIRContext &getContext() {
  static std::unique_ptr<MLIRContext> context;
  static unsigned inputs = 0;
  if (!context || ++inputs % kInputsPerContext == 0)
    context = std::make_unique<MLIRContext>(getRegistry(),
                                            MLIRContext::Threading::DISABLED);
  return *context;
}

/// Stops the fuzzer on a bug that is not a crash, printing what MLIR said.
[[noreturn]] void finding(const std::string &what,
                          const std::string &diagnostics) {
  llvm::errs() << "wafer-fuzz-import: " << what << "\n" << diagnostics;
  llvm::errs().flush();
  std::abort();
}

/// Whether `func` is small enough to evaluate (see kMaxEvalElements).
bool isSmall(func::FuncOp func) {
  bool small = true;
  auto fits = [](Type type) {
    auto shaped = dyn_cast<ShapedType>(type);
    if (!shaped)
      return true;
    if (!shaped.hasStaticShape())
      return false;
    std::optional<int64_t> n = wafer::checkedNumElements(shaped.getShape());
    return n && *n <= kMaxEvalElements;
  };
  // Arguments count even when unused: the evaluator allocates them all.
  for (Type t : func.getArgumentTypes())
    small &= fits(t);
  func.walk([&](Operation *op) {
    for (Type t : op->getOperandTypes())
      small &= fits(t);
    for (Type t : op->getResultTypes())
      small &= fits(t);
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
      std::optional<int64_t> n =
          wafer::checkedNumElements(linalgOp.getStaticLoopRanges());
      small &= n && *n <= kMaxEvalIterations;
    }
    return small ? WalkResult::advance() : WalkResult::interrupt();
  });
  return small;
}

/// Lowers `module` to the tensor level and evaluates @main on zero inputs.
void lowerAndEvaluate(ModuleOp module, const std::string &diagnostics) {
  PassManager pm(module->getContext());
  wafer::buildTensorPipeline(pm);
  if (failed(pm.run(module))) {
    // A pass that rejects an op leaves valid IR; a pass that broke the IR
    // does not.
    if (failed(verify(module)))
      finding("wafer-tensor-pipeline produced IR that does not verify",
              diagnostics);
    return;
  }
  auto main = module.lookupSymbol<func::FuncOp>("main");
  if (!main || main.isExternal() || !isSmall(main))
    return;
  std::vector<wafer::interp::Tensor> args;
  for (Type type : main.getArgumentTypes()) {
    auto shaped = dyn_cast<ShapedType>(type);
    Type elt = shaped ? shaped.getElementType() : type;
    std::optional<wafer::interp::ElementKind> kind =
        wafer::interp::elementKindFromType(elt);
    if (!kind)
      return;
    args.emplace_back(*kind, shaped ? shaped.getShape() : ArrayRef<int64_t>());
  }
  if (auto results = wafer::interp::evaluateFunction(main, args); !results)
    llvm::consumeError(results.takeError());
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv) {
  // Refuse large tensors well below libFuzzer's 2 GB RSS limit: an import
  // may hold a constant twice (ConstTensor and its DenseElementsAttr) and
  // the evaluator a few more. Sizes.h reads this once, on first use.
  setenv("WAFER_MEMORY_LIMIT", "64M", /*overwrite=*/0);
  (void)getRegistry();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MLIRContext &context = getContext();
  // Diagnostics are kept for a finding's report, not printed on every input.
  std::string diagnostics;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    llvm::raw_string_ostream os(diagnostics);
    os << diag.getLocation() << ": " << diag << "\n";
    return success();
  });
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  auto module = wafer::importOnnxBuffer(bytes, "fuzz.onnx", context);
  if (!module) {
    std::string message = llvm::toString(module.takeError());
    // The importer's own consistency checks fail on a bug, whatever the
    // input. It reports bad input as an llvm::Error only, so a diagnostic
    // means its final verify() failed. (Searching the message for "importer
    // bug" instead lets libFuzzer, which watches string comparisons, write
    // those words into a node name.)
    if (!diagnostics.empty() ||
        llvm::StringRef(message).ends_with(
            "): internal error: no importer for this op"))
      finding(message, diagnostics);
    return 0;
  }
  lowerAndEvaluate(**module, diagnostics);
  return 0;
}
