//===- ConstTensor.h - small host tensors folded at ONNX import -*- C++ -*-===//
//
// The importer evaluates shape sub-graphs (Shape/Gather/Concat/...) and any
// node whose inputs are all constants on these host tensors, with ONNX
// semantics. Kept IR-free so folding is plain C++.
//
//===----------------------------------------------------------------------===//
#ifndef WAFER_LIB_IMPORT_ONNX_CONSTTENSOR_H
#define WAFER_LIB_IMPORT_ONNX_CONSTTENSOR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wafer::onnx_import {

/// Element types the frontend dialect knows (f32, i64, i1).
enum class DType { F32, I64, I1 };

llvm::StringRef dtypeName(DType t);

using Shape = llvm::SmallVector<int64_t, 4>;

/// The element count of a shape, saturated at INT64_MAX when the product
/// overflows (callers compare it against a limit).
int64_t numElements(llvm::ArrayRef<int64_t> shape);

/// A dense host tensor. F32 values live in `f`, I64 and I1 (0/1) in `i`.
struct ConstTensor {
  DType dtype = DType::F32;
  Shape shape;
  std::vector<float> f;
  std::vector<int64_t> i;

  int64_t size() const { return numElements(shape); }
  bool isFloat() const { return dtype == DType::F32; }
  double at(int64_t k) const { return isFloat() ? f[k] : double(i[k]); }
  int64_t intAt(int64_t k) const { return isFloat() ? int64_t(f[k]) : i[k]; }
  bool isSplat() const;

  static ConstTensor zeros(DType t, llvm::ArrayRef<int64_t> shape);
  static ConstTensor ints(llvm::ArrayRef<int64_t> values,
                          llvm::ArrayRef<int64_t> shape);
  static ConstTensor ints1D(llvm::ArrayRef<int64_t> values) {
    return ints(values, {int64_t(values.size())});
  }
  void set(int64_t k, double v);
};

/// numpy/ONNX multidirectional broadcast; nullopt when incompatible.
std::optional<Shape> broadcastShapes(llvm::ArrayRef<int64_t> a,
                                     llvm::ArrayRef<int64_t> b);

/// Binary elementwise ops by ONNX op type (Add, Sub, Mul, Div, Pow, Min, Max,
/// Equal, Less, Greater, LessOrEqual, GreaterOrEqual, And, Or). Operand
/// dtypes must agree except Pow. Returns an error message on failure.
std::optional<std::string> evalBinary(llvm::StringRef op, const ConstTensor &a,
                                      const ConstTensor &b, ConstTensor &out);
/// Unary elementwise ops by ONNX op type.
std::optional<std::string> evalUnary(llvm::StringRef op, const ConstTensor &x,
                                     ConstTensor &out);
ConstTensor evalCast(const ConstTensor &x, DType to);
ConstTensor evalWhere(const ConstTensor &c, const ConstTensor &x,
                      const ConstTensor &y, llvm::ArrayRef<int64_t> outShape);
ConstTensor evalClip(const ConstTensor &x, std::optional<float> lo,
                     std::optional<float> hi);
/// Broadcasts x to outShape (Expand).
ConstTensor evalExpand(const ConstTensor &x, llvm::ArrayRef<int64_t> outShape);
ConstTensor evalTranspose(const ConstTensor &x, llvm::ArrayRef<int64_t> perm);
ConstTensor evalConcat(llvm::ArrayRef<const ConstTensor *> xs, int64_t axis);
/// Normalised slice (full-rank starts/steps, result shape given).
ConstTensor evalSlice(const ConstTensor &x, llvm::ArrayRef<int64_t> starts,
                      llvm::ArrayRef<int64_t> steps,
                      llvm::ArrayRef<int64_t> outShape);
/// Gather along axis; indices already wrapped into range.
ConstTensor evalGather(const ConstTensor &data, const ConstTensor &indices,
                       int64_t axis);
ConstTensor evalTrilu(const ConstTensor &x, bool upper, int64_t k);
/// CumSum along a non-negative axis.
ConstTensor evalCumSum(const ConstTensor &x, int64_t axis, bool exclusive,
                       bool reverse);
/// Reduce{Sum,Mean,Max,Min,Prod} over sorted non-negative axes.
ConstTensor evalReduce(llvm::StringRef op, const ConstTensor &x,
                       llvm::ArrayRef<int64_t> axes, bool keepdims);

} // namespace wafer::onnx_import

#endif // WAFER_LIB_IMPORT_ONNX_CONSTTENSOR_H
