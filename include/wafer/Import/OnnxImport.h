//===- OnnxImport.h - ONNX protobuf -> onnx frontend dialect ----*- C++ -*-===//
//
// Imports an ONNX model into one `func.func @main` over the `onnx` frontend
// dialect (docs/frontend-dialect.md). Every shape is made static: dynamic
// input dims are bound with `dims`, shape sub-graphs are folded at import,
// and graph inputs that decide a shape are specialised with `inputValues`.
//
//===----------------------------------------------------------------------===//
#ifndef WAFER_IMPORT_ONNXIMPORT_H
#define WAFER_IMPORT_ONNXIMPORT_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <string>

namespace mlir {
class DialectRegistry;
class MLIRContext;
} // namespace mlir

namespace wafer {

struct OnnxImportOptions {
  /// Values for symbolic input dims (`--dim batch=2`), keyed by dim_param.
  /// Every dynamic input dim needs one; a name no input uses is an error.
  std::map<std::string, int64_t> dims;
  /// Known values of graph inputs, keyed by ONNX input name. The input stays
  /// a `func.func` argument (callers bind inputs by name), but ops whose
  /// shape depends on it (Reshape's shape, Slice's starts, ...) are
  /// specialised to this value. Shape and element type must match the input.
  std::map<std::string, mlir::DenseElementsAttr> inputValues;
};

/// Name of the `func.func` argument/result attribute holding the ONNX graph
/// input/output name (a StringAttr), in graph order.
inline constexpr llvm::StringLiteral kOnnxNameAttr = "onnx.name";

/// Imports the ONNX model in `path`. Errors are one line naming what the user
/// knows (file, node name, op type, tensor name, dims).
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
importOnnxFile(llvm::StringRef path, mlir::MLIRContext &context,
               const OnnxImportOptions &options = {});

/// Imports a serialized ModelProto held in memory; `bufferName` (usually the
/// file name) is used in messages.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
importOnnxBuffer(llvm::StringRef bytes, llvm::StringRef bufferName,
                 mlir::MLIRContext &context,
                 const OnnxImportOptions &options = {});

/// Adds the dialects the importer emits (func, arith, onnx) to `registry`.
void registerOnnxImportDialects(mlir::DialectRegistry &registry);

/// Registers `--import-onnx` (with `--dim NAME=VALUE`) for mlir-translate
/// style drivers.
void registerOnnxImportTranslation();

/// The importer's supported ops as a Markdown table, sorted by op: the op,
/// the opsets it is imported at (13-17 natively; 7-12 through ONNX's version
/// converter) and the versions of its ONNX schema in that range. This is
/// `wafer-translate --list-ops` and docs/onnx-ops.md.
std::string supportedOpsTable();

} // namespace wafer

#endif // WAFER_IMPORT_ONNXIMPORT_H
