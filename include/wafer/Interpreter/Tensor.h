//===- Tensor.h - dense tensors and strided views ---------------*- C++ -*-===//
//
// The value types of the golden evaluator and the per-PE interpreter: a
// `Tensor` owns contiguous row-major storage; a `View` is a strided window
// onto (part of) a tensor that knows which global coordinates it covers, so a
// PE holding only a tile can run the same kernels as the whole-tensor run.
//
//===----------------------------------------------------------------------===//
#ifndef WAFER_INTERPRETER_TENSOR_H
#define WAFER_INTERPRETER_TENSOR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlir {
class Type;
} // namespace mlir

namespace wafer::interp {

/// Element kinds the evaluator handles. i1 is stored as one byte (0 or 1),
/// index as int64_t.
enum class ElementKind : uint8_t { F32, I64, I32, I1, Index };

/// Bytes per stored element.
size_t elementSize(ElementKind kind);
/// "f32", "i64", "i32", "i1", "index".
llvm::StringRef elementKindName(ElementKind kind);
/// The kind for an MLIR element type, or nullopt when unsupported.
std::optional<ElementKind> elementKindFromType(mlir::Type type);

/// Number of elements of a static shape (1 for rank 0).
int64_t shapeNumElements(llvm::ArrayRef<int64_t> shape);
/// Row-major strides (in elements) of a contiguous tensor of `shape`.
llvm::SmallVector<int64_t, 4> rowMajorStrides(llvm::ArrayRef<int64_t> shape);
/// "2x3xf32"-style description used in diagnostics.
std::string describeShape(llvm::ArrayRef<int64_t> shape, ElementKind kind);

struct View;

/// A dense tensor with static shape and contiguous row-major storage. Copies
/// are deep; storage is zero-initialised.
class Tensor {
public:
  Tensor() = default;
  Tensor(ElementKind kind, llvm::ArrayRef<int64_t> shape);

  ElementKind getKind() const { return kind; }
  llvm::ArrayRef<int64_t> getShape() const { return shape; }
  int64_t getRank() const { return shape.size(); }
  int64_t getNumElements() const { return shapeNumElements(shape); }
  size_t getNumBytes() const { return storage.size(); }

  char *data() { return storage.data(); }
  const char *data() const { return storage.data(); }
  template <typename T> T *dataAs() { return reinterpret_cast<T *>(data()); }
  template <typename T> const T *dataAs() const {
    return reinterpret_cast<const T *>(data());
  }

  /// Reinterprets the storage with a new shape of the same element count.
  void reshape(llvm::ArrayRef<int64_t> newShape);

  /// A view of the whole tensor (global offset 0). The const overload is for
  /// read-only operands; the evaluator never writes through input views.
  View view();
  View view() const;

  /// Element `linear` (row-major) converted to double / int64, for printing
  /// and tests.
  double getAsDouble(int64_t linear) const;
  int64_t getAsInt(int64_t linear) const;

private:
  ElementKind kind = ElementKind::F32;
  llvm::SmallVector<int64_t, 4> shape;
  std::vector<char> storage;
};

/// A strided window onto tensor data. Element 0 of the view (`data`) has the
/// global coordinates `offset`; the view covers [offset, offset + shape).
/// Strides are in elements. Kernels address views by global coordinates.
struct View {
  char *data = nullptr;
  ElementKind kind = ElementKind::F32;
  llvm::SmallVector<int64_t, 4> shape;
  llvm::SmallVector<int64_t, 4> strides;
  llvm::SmallVector<int64_t, 4> offset;

  int64_t getRank() const { return shape.size(); }
  /// A sub-view covering global coordinates [lo, lo + sizes).
  View subView(llvm::ArrayRef<int64_t> lo, llvm::ArrayRef<int64_t> sizes) const;
};

/// How far `got` is from `want` (numpy.allclose semantics: an element
/// passes when |got - want| <= atol + rtol * |want|; NaN passes only against
/// NaN, infinities only against the same infinity).
struct Comparison {
  bool passed = true;
  /// Different kinds or shapes: nothing else is meaningful.
  bool mismatchedShape = false;
  double maxAbsErr = 0, maxRelErr = 0;
  /// The element furthest beyond its tolerance (or the largest absolute
  /// error when all pass), row-major; -1 for an empty tensor.
  int64_t worst = -1;
  double gotValue = 0, wantValue = 0;
};
Comparison compareTensors(const Tensor &got, const Tensor &want, double atol,
                          double rtol);

/// "[1, 0, 3]": the multi-index of row-major element `linear`.
std::string formatIndex(llvm::ArrayRef<int64_t> shape, int64_t linear);

} // namespace wafer::interp

#endif // WAFER_INTERPRETER_TENSOR_H
