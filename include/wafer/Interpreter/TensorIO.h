//===- TensorIO.h - numpy .npy and ONNX TensorProto files -------*- C++ -*-===//
//
// Conversion rule for element types the evaluator does not have: float64 is
// rounded to float32 and int32 is widened to int64 on read. Other dtypes
// (float16, uint8, big-endian data, Fortran order, ...) are rejected with an
// error naming the file and the dtype. Writing always produces `<f4`, `<i8` or
// `|b1` in C order (v1 header).
//
//===----------------------------------------------------------------------===//
#ifndef WAFER_INTERPRETER_TENSORIO_H
#define WAFER_INTERPRETER_TENSORIO_H

#include "wafer/Interpreter/Tensor.h"

#include "llvm/Support/Error.h"

namespace wafer::interp {

/// Parses the bytes of a .npy file; `fileName` only names it in errors.
llvm::Expected<Tensor> parseNpy(llvm::StringRef bytes,
                                llvm::StringRef fileName);
/// Reads a .npy file (v1, v2 or v3 header).
llvm::Expected<Tensor> readNpy(llvm::StringRef path);
/// Serialises `tensor` as .npy bytes (index is written as int64, i32 as <i4).
std::string serializeNpy(const Tensor &tensor);
/// Writes `tensor` to `path` as .npy.
llvm::Error writeNpy(llvm::StringRef path, const Tensor &tensor);

/// Parses a serialized ONNX TensorProto (float, double, int32, int64, bool;
/// raw_data or the typed fields). If `name` is non-null it receives the
/// proto's name field.
llvm::Expected<Tensor> parseTensorProto(llvm::StringRef bytes,
                                        llvm::StringRef fileName,
                                        std::string *name = nullptr);
/// Reads an ONNX TensorProto `.pb` file.
llvm::Expected<Tensor> readTensorProto(llvm::StringRef path,
                                       std::string *name = nullptr);

/// Reads `.npy` or `.pb` by extension.
llvm::Expected<Tensor> readTensorFile(llvm::StringRef path);

} // namespace wafer::interp

#endif // WAFER_INTERPRETER_TENSORIO_H
