//===- Tensor.cpp - dense tensors and strided views -----------------------===//
#include "wafer/Interpreter/Tensor.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/raw_ostream.h"

#include <cassert>
#include <cmath>
#include <limits>
#include <cstring>

using namespace wafer::interp;

size_t wafer::interp::elementSize(ElementKind kind) {
  switch (kind) {
  case ElementKind::F32:
  case ElementKind::I32:
    return 4;
  case ElementKind::I64:
  case ElementKind::Index:
    return 8;
  case ElementKind::I1:
    return 1;
  }
  llvm_unreachable("unknown element kind");
}

llvm::StringRef wafer::interp::elementKindName(ElementKind kind) {
  switch (kind) {
  case ElementKind::F32:
    return "f32";
  case ElementKind::I64:
    return "i64";
  case ElementKind::I32:
    return "i32";
  case ElementKind::I1:
    return "i1";
  case ElementKind::Index:
    return "index";
  }
  llvm_unreachable("unknown element kind");
}

std::optional<ElementKind> wafer::interp::elementKindFromType(mlir::Type type) {
  if (type.isF32())
    return ElementKind::F32;
  if (type.isIndex())
    return ElementKind::Index;
  if (type.isSignlessInteger(64))
    return ElementKind::I64;
  if (type.isSignlessInteger(32))
    return ElementKind::I32;
  if (type.isSignlessInteger(1))
    return ElementKind::I1;
  return std::nullopt;
}

int64_t wafer::interp::shapeNumElements(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

llvm::SmallVector<int64_t, 4>
wafer::interp::rowMajorStrides(llvm::ArrayRef<int64_t> shape) {
  llvm::SmallVector<int64_t, 4> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

std::string wafer::interp::describeShape(llvm::ArrayRef<int64_t> shape,
                                         ElementKind kind) {
  std::string s;
  llvm::raw_string_ostream os(s);
  for (int64_t d : shape)
    os << d << "x";
  os << elementKindName(kind);
  return s;
}

Tensor::Tensor(ElementKind kind, llvm::ArrayRef<int64_t> shape)
    : kind(kind), shape(shape.begin(), shape.end()),
      storage(shapeNumElements(shape) * elementSize(kind), 0) {}

void Tensor::reshape(llvm::ArrayRef<int64_t> newShape) {
  assert(shapeNumElements(newShape) == getNumElements() &&
         "reshape must keep the element count");
  shape.assign(newShape.begin(), newShape.end());
}

View Tensor::view() {
  View v;
  v.data = data();
  v.kind = kind;
  v.shape.assign(shape.begin(), shape.end());
  v.strides = rowMajorStrides(shape);
  v.offset.assign(shape.size(), 0);
  return v;
}

View Tensor::view() const { return const_cast<Tensor *>(this)->view(); }

double Tensor::getAsDouble(int64_t linear) const {
  if (kind == ElementKind::F32)
    return dataAs<float>()[linear];
  return static_cast<double>(getAsInt(linear));
}

int64_t Tensor::getAsInt(int64_t linear) const {
  switch (kind) {
  case ElementKind::F32:
    return static_cast<int64_t>(dataAs<float>()[linear]);
  case ElementKind::I64:
  case ElementKind::Index:
    return dataAs<int64_t>()[linear];
  case ElementKind::I32:
    return dataAs<int32_t>()[linear];
  case ElementKind::I1:
    return data()[linear] != 0;
  }
  llvm_unreachable("unknown element kind");
}

View View::subView(llvm::ArrayRef<int64_t> lo,
                   llvm::ArrayRef<int64_t> sizes) const {
  View v = *this;
  int64_t linear = 0;
  for (size_t d = 0; d < shape.size(); ++d) {
    assert(lo[d] >= offset[d] && lo[d] + sizes[d] <= offset[d] + shape[d] &&
           "sub-view outside the view");
    linear += (lo[d] - offset[d]) * strides[d];
    v.shape[d] = sizes[d];
    v.offset[d] = lo[d];
  }
  v.data = data + linear * static_cast<int64_t>(elementSize(kind));
  return v;
}

Comparison wafer::interp::compareTensors(const Tensor &got, const Tensor &want,
                                         double atol, double rtol) {
  Comparison c;
  if (got.getKind() != want.getKind() || got.getShape() != want.getShape()) {
    c.passed = false;
    c.mismatchedShape = true;
    return c;
  }
  // How far beyond its tolerance the worst element is (<= 0: within).
  double worstExcess = -std::numeric_limits<double>::infinity();
  for (int64_t i = 0, n = got.getNumElements(); i < n; ++i) {
    double g = got.getAsDouble(i), w = want.getAsDouble(i);
    double abs = std::fabs(g - w);
    bool ok, special = std::isnan(g) || std::isnan(w) || std::isinf(g) ||
                       std::isinf(w);
    if (special) {
      ok = (std::isnan(g) && std::isnan(w)) || g == w;
      abs = ok ? 0 : std::numeric_limits<double>::infinity();
    } else {
      ok = abs <= atol + rtol * std::fabs(w);
    }
    double rel = w != 0 ? abs / std::fabs(w) : (abs == 0 ? 0 : abs);
    c.maxAbsErr = std::max(c.maxAbsErr, abs);
    c.maxRelErr = std::max(c.maxRelErr, rel);
    double excess = abs - (atol + rtol * std::fabs(w));
    if (!ok)
      c.passed = false;
    if (c.worst < 0 || excess > worstExcess) {
      worstExcess = excess;
      c.worst = i;
      c.gotValue = g;
      c.wantValue = w;
    }
  }
  return c;
}

std::string wafer::interp::formatIndex(llvm::ArrayRef<int64_t> shape,
                                       int64_t linear) {
  llvm::SmallVector<int64_t> idx(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    idx[d] = shape[d] ? linear % shape[d] : 0;
    linear = shape[d] ? linear / shape[d] : 0;
  }
  std::string s = "[";
  for (size_t d = 0; d < idx.size(); ++d)
    s += (d ? ", " : "") + std::to_string(idx[d]);
  return s + "]";
}
