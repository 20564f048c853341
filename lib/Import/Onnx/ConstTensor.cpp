//===- ConstTensor.cpp - small host tensors folded at ONNX import ---------===//
#include "ConstTensor.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace wafer::onnx_import;
using llvm::ArrayRef;

llvm::StringRef wafer::onnx_import::dtypeName(DType t) {
  switch (t) {
  case DType::F32:
    return "FLOAT";
  case DType::I64:
    return "INT64";
  case DType::I1:
    return "BOOL";
  }
  return "?";
}

int64_t wafer::onnx_import::numElements(ArrayRef<int64_t> shape) {
  if (llvm::is_contained(shape, 0))
    return 0;
  int64_t n = 1;
  for (int64_t d : shape)
    if (__builtin_mul_overflow(n, d, &n))
      return std::numeric_limits<int64_t>::max();
  return n;
}

bool ConstTensor::isSplat() const {
  int64_t n = size();
  for (int64_t k = 1; k < n; ++k)
    if (isFloat() ? f[k] != f[0] : i[k] != i[0])
      return false;
  return true;
}

ConstTensor ConstTensor::zeros(DType t, ArrayRef<int64_t> shape) {
  ConstTensor c;
  c.dtype = t;
  c.shape.assign(shape.begin(), shape.end());
  if (t == DType::F32)
    c.f.assign(c.size(), 0.0f);
  else
    c.i.assign(c.size(), 0);
  return c;
}

ConstTensor ConstTensor::ints(ArrayRef<int64_t> values,
                              ArrayRef<int64_t> shape) {
  ConstTensor c;
  c.dtype = DType::I64;
  c.shape.assign(shape.begin(), shape.end());
  c.i.assign(values.begin(), values.end());
  return c;
}

void ConstTensor::set(int64_t k, double v) {
  if (dtype == DType::F32)
    f[k] = float(v);
  else if (dtype == DType::I1)
    i[k] = v != 0;
  else
    i[k] = int64_t(v);
}

std::optional<Shape> wafer::onnx_import::broadcastShapes(ArrayRef<int64_t> a,
                                                         ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  Shape out(rank, 1);
  for (size_t k = 0; k < rank; ++k) {
    int64_t da = k < rank - a.size() ? 1 : a[k - (rank - a.size())];
    int64_t db = k < rank - b.size() ? 1 : b[k - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      return std::nullopt;
    out[k] = da == 1 ? db : da;
  }
  return out;
}

namespace {
/// Maps a linear index of `outShape` to the linear index of a tensor of shape
/// `inShape` broadcast to it (size-1 and missing leading dims repeat).
struct BroadcastIndexer {
  Shape outShape;
  llvm::SmallVector<int64_t, 4> inStride; // 0 on broadcast dims
  BroadcastIndexer(ArrayRef<int64_t> in, ArrayRef<int64_t> out)
      : outShape(out.begin(), out.end()), inStride(out.size(), 0) {
    int64_t stride = 1;
    for (int64_t k = int64_t(in.size()) - 1; k >= 0; --k) {
      int64_t ok = k + int64_t(out.size() - in.size());
      inStride[ok] = in[k] == 1 ? 0 : stride;
      stride *= in[k];
    }
  }
  int64_t operator()(int64_t linear) const {
    int64_t idx = 0;
    for (int64_t k = int64_t(outShape.size()) - 1; k >= 0; --k) {
      int64_t d = outShape[k];
      idx += (linear % d) * inStride[k];
      linear /= d;
    }
    return idx;
  }
};

llvm::SmallVector<int64_t, 4> stridesOf(ArrayRef<int64_t> shape) {
  llvm::SmallVector<int64_t, 4> s(shape.size(), 1);
  for (int64_t k = int64_t(shape.size()) - 2; k >= 0; --k)
    s[k] = s[k + 1] * shape[k + 1];
  return s;
}

/// Integer power by squaring, wrapping on overflow as the run time does.
int64_t ipow(int64_t b, int64_t e) {
  if (e < 0)
    return b == 1 ? 1 : (b == -1 ? (e % 2 ? -1 : 1) : 0);
  uint64_t r = 1, base = uint64_t(b);
  for (uint64_t n = uint64_t(e); n; n >>= 1, base *= base)
    if (n & 1)
      r *= base;
  return int64_t(r);
}

/// Wrapping int64 arithmetic (two's complement), as the run time does.
int64_t wrapAdd(int64_t x, int64_t y) { return int64_t(uint64_t(x) + y); }
int64_t wrapSub(int64_t x, int64_t y) { return int64_t(uint64_t(x) - y); }
int64_t wrapMul(int64_t x, int64_t y) {
  return int64_t(uint64_t(x) * uint64_t(y));
}
} // namespace

std::optional<std::string> wafer::onnx_import::evalBinary(llvm::StringRef op,
                                                          const ConstTensor &a,
                                                          const ConstTensor &b,
                                                          ConstTensor &out) {
  std::optional<Shape> shape = broadcastShapes(a.shape, b.shape);
  if (!shape)
    return std::string("operand shapes do not broadcast");
  bool cmp = llvm::is_contained(
      {"Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual"}, op);
  bool logic = op == "And" || op == "Or";
  if (op != "Pow" && a.dtype != b.dtype)
    return std::string("operand dtypes differ (") + dtypeName(a.dtype).str() +
           " vs " + dtypeName(b.dtype).str() + ")";
  if (logic && a.dtype != DType::I1)
    return std::string("operands must be BOOL");
  out = ConstTensor::zeros(cmp || logic ? DType::I1 : a.dtype, *shape);
  BroadcastIndexer ia(a.shape, *shape), ib(b.shape, *shape);
  int64_t n = out.size();
  bool isFloat = a.isFloat() || (op == "Pow" && b.isFloat());
  for (int64_t k = 0; k < n; ++k) {
    int64_t ka = ia(k), kb = ib(k);
    if (isFloat || cmp) {
      double x = a.at(ka), y = b.at(kb), r;
      if (op == "Add")
        r = float(x) + float(y);
      else if (op == "Sub")
        r = float(x) - float(y);
      else if (op == "Mul")
        r = float(x) * float(y);
      else if (op == "Div") {
        if (!a.isFloat()) {
          if (b.intAt(kb) == 0)
            return std::string("integer division by zero");
          r = double(a.intAt(ka) / b.intAt(kb));
        } else
          r = float(x) / float(y);
      } else if (op == "Pow")
        r = std::pow(float(x), float(y));
      else if (op == "FMod")
        r = std::fmod(float(x), float(y));
      else if (op == "Min")
        r = std::min(x, y);
      else if (op == "Max")
        r = std::max(x, y);
      else if (op == "Equal")
        r = a.isFloat() ? float(x) == float(y) : a.i[ka] == b.i[kb];
      else if (op == "Less")
        r = a.isFloat() ? x < y : a.i[ka] < b.i[kb];
      else if (op == "Greater")
        r = a.isFloat() ? x > y : a.i[ka] > b.i[kb];
      else if (op == "LessOrEqual")
        r = a.isFloat() ? x <= y : a.i[ka] <= b.i[kb];
      else if (op == "GreaterOrEqual")
        r = a.isFloat() ? x >= y : a.i[ka] >= b.i[kb];
      else
        return "cannot evaluate '" + op.str() + "'";
      if (op == "Pow" && !a.isFloat())
        r = double(int64_t(r));
      out.set(k, r);
      continue;
    }
    // Integer and bool arithmetic stays exact in int64.
    int64_t x = a.i[ka], y = b.intAt(kb), r;
    bool modOp = op == "Mod" || op == "FMod";
    if ((op == "Div" || modOp) && y == 0)
      return std::string("integer division by zero");
    if (op == "Add")
      r = wrapAdd(x, y);
    else if (op == "Sub")
      r = wrapSub(x, y);
    else if (op == "Mul")
      r = wrapMul(x, y);
    else if (op == "Div")
      r = y == -1 ? wrapSub(0, x) : x / y;
    else if (modOp) {
      r = y == -1 ? 0 : x % y;
      // Mod without fmod takes the divisor's sign, as Python's %.
      if (op == "Mod" && r != 0 && (r < 0) != (y < 0))
        r += y;
    } else if (op == "Pow")
      r = ipow(x, y);
    else if (op == "Min")
      r = std::min(x, y);
    else if (op == "Max")
      r = std::max(x, y);
    else if (op == "And")
      r = x && y;
    else if (op == "Or")
      r = x || y;
    else
      return "cannot evaluate '" + op.str() + "'";
    out.i[k] = r;
  }
  return std::nullopt;
}

std::optional<std::string> wafer::onnx_import::evalUnary(llvm::StringRef op,
                                                         const ConstTensor &x,
                                                         ConstTensor &out) {
  out = x;
  int64_t n = x.size();
  if (op == "Not") {
    if (x.dtype != DType::I1)
      return std::string("operand must be BOOL");
    for (int64_t k = 0; k < n; ++k)
      out.i[k] = !x.i[k];
    return std::nullopt;
  }
  if (!x.isFloat()) {
    for (int64_t k = 0; k < n; ++k) {
      int64_t v = x.i[k];
      if (op == "Neg")
        out.i[k] = wrapSub(0, v);
      else if (op == "Abs")
        out.i[k] = v < 0 ? wrapSub(0, v) : v;
      else if (op == "Relu")
        out.i[k] = v < 0 ? 0 : v;
      else if (op == "Sign")
        out.i[k] = (v > 0) - (v < 0);
      else
        return "'" + op.str() + "' needs a FLOAT operand, got " +
               dtypeName(x.dtype).str();
    }
    return std::nullopt;
  }
  for (int64_t k = 0; k < n; ++k) {
    float v = x.f[k], r;
    if (op == "Sqrt")
      r = std::sqrt(v);
    else if (op == "Reciprocal")
      r = 1.0f / v;
    else if (op == "Neg")
      r = -v;
    else if (op == "Exp")
      r = std::exp(v);
    else if (op == "Log")
      r = std::log(v);
    else if (op == "Tanh")
      r = std::tanh(v);
    else if (op == "Erf")
      r = std::erf(v);
    else if (op == "Relu")
      r = v < 0 ? 0.0f : v;
    else if (op == "Sigmoid")
      r = 1.0f / (1.0f + std::exp(-v));
    else if (op == "Abs")
      r = std::fabs(v);
    else if (op == "Sign")
      r = v > 0 ? 1.0f : (v < 0 ? -1.0f : v);
    else if (op == "Floor")
      r = std::floor(v);
    else if (op == "Ceil")
      r = std::ceil(v);
    else if (op == "Sin")
      r = std::sin(v);
    else if (op == "Cos")
      r = std::cos(v);
    else
      return "cannot evaluate '" + op.str() + "'";
    out.f[k] = r;
  }
  return std::nullopt;
}

ConstTensor wafer::onnx_import::evalCast(const ConstTensor &x, DType to) {
  ConstTensor out = ConstTensor::zeros(to, x.shape);
  int64_t n = x.size();
  for (int64_t k = 0; k < n; ++k) {
    if (to == DType::F32)
      out.f[k] = x.isFloat() ? x.f[k] : float(x.i[k]);
    else if (to == DType::I1)
      out.i[k] = x.isFloat() ? x.f[k] != 0.0f : x.i[k] != 0;
    else // f32 -> i64 truncates toward zero
      out.i[k] = x.isFloat() ? int64_t(x.f[k]) : x.i[k];
  }
  return out;
}

ConstTensor wafer::onnx_import::evalWhere(const ConstTensor &c,
                                          const ConstTensor &x,
                                          const ConstTensor &y,
                                          ArrayRef<int64_t> outShape) {
  ConstTensor out = ConstTensor::zeros(x.dtype, outShape);
  BroadcastIndexer ic(c.shape, outShape), ix(x.shape, outShape),
      iy(y.shape, outShape);
  for (int64_t k = 0, n = out.size(); k < n; ++k) {
    bool cond = c.i[ic(k)] != 0;
    if (out.isFloat())
      out.f[k] = cond ? x.f[ix(k)] : y.f[iy(k)];
    else
      out.i[k] = cond ? x.i[ix(k)] : y.i[iy(k)];
  }
  return out;
}

ConstTensor wafer::onnx_import::evalClip(const ConstTensor &x,
                                         std::optional<float> lo,
                                         std::optional<float> hi) {
  ConstTensor out = x;
  for (int64_t k = 0, n = x.size(); k < n; ++k) {
    double v = x.at(k);
    if (lo && v < *lo)
      v = *lo;
    if (hi && v > *hi)
      v = *hi;
    out.set(k, v);
  }
  return out;
}

ConstTensor wafer::onnx_import::evalExpand(const ConstTensor &x,
                                           ArrayRef<int64_t> outShape) {
  ConstTensor out = ConstTensor::zeros(x.dtype, outShape);
  BroadcastIndexer ix(x.shape, outShape);
  for (int64_t k = 0, n = out.size(); k < n; ++k) {
    if (out.isFloat())
      out.f[k] = x.f[ix(k)];
    else
      out.i[k] = x.i[ix(k)];
  }
  return out;
}

ConstTensor wafer::onnx_import::evalTranspose(const ConstTensor &x,
                                              ArrayRef<int64_t> perm) {
  Shape outShape;
  for (int64_t p : perm)
    outShape.push_back(x.shape[p]);
  ConstTensor out = ConstTensor::zeros(x.dtype, outShape);
  auto inStrides = stridesOf(x.shape);
  size_t rank = perm.size();
  for (int64_t k = 0, n = out.size(); k < n; ++k) {
    int64_t rem = k, src = 0;
    for (int64_t d = int64_t(rank) - 1; d >= 0; --d) {
      src += (rem % outShape[d]) * inStrides[perm[d]];
      rem /= outShape[d];
    }
    if (out.isFloat())
      out.f[k] = x.f[src];
    else
      out.i[k] = x.i[src];
  }
  return out;
}

ConstTensor wafer::onnx_import::evalConcat(ArrayRef<const ConstTensor *> xs,
                                           int64_t axis) {
  Shape outShape = xs[0]->shape;
  outShape[axis] = 0;
  for (const ConstTensor *x : xs)
    outShape[axis] += x->shape[axis];
  ConstTensor out = ConstTensor::zeros(xs[0]->dtype, outShape);
  int64_t outer = numElements(ArrayRef<int64_t>(outShape).take_front(axis));
  int64_t inner = numElements(ArrayRef<int64_t>(outShape).drop_front(axis + 1));
  int64_t pos = 0;
  for (int64_t o = 0; o < outer; ++o)
    for (const ConstTensor *x : xs) {
      int64_t chunk = x->shape[axis] * inner;
      for (int64_t k = 0; k < chunk; ++k, ++pos) {
        if (out.isFloat())
          out.f[pos] = x->f[o * chunk + k];
        else
          out.i[pos] = x->i[o * chunk + k];
      }
    }
  return out;
}

ConstTensor wafer::onnx_import::evalSlice(const ConstTensor &x,
                                          ArrayRef<int64_t> starts,
                                          ArrayRef<int64_t> steps,
                                          ArrayRef<int64_t> outShape) {
  ConstTensor out = ConstTensor::zeros(x.dtype, outShape);
  auto inStrides = stridesOf(x.shape);
  for (int64_t k = 0, n = out.size(); k < n; ++k) {
    int64_t rem = k, src = 0;
    for (int64_t d = int64_t(outShape.size()) - 1; d >= 0; --d) {
      int64_t idx = rem % outShape[d];
      rem /= outShape[d];
      src += (starts[d] + idx * steps[d]) * inStrides[d];
    }
    if (out.isFloat())
      out.f[k] = x.f[src];
    else
      out.i[k] = x.i[src];
  }
  return out;
}

ConstTensor wafer::onnx_import::evalGather(const ConstTensor &data,
                                           const ConstTensor &indices,
                                           int64_t axis) {
  ArrayRef<int64_t> ds = data.shape;
  Shape outShape(ds.take_front(axis));
  outShape.append(indices.shape.begin(), indices.shape.end());
  outShape.append(ds.begin() + axis + 1, ds.end());
  ConstTensor out = ConstTensor::zeros(data.dtype, outShape);
  int64_t outer = numElements(ds.take_front(axis));
  int64_t inner = numElements(ds.drop_front(axis + 1));
  int64_t nIdx = indices.size(), pos = 0;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < nIdx; ++j) {
      int64_t base = (o * ds[axis] + indices.i[j]) * inner;
      for (int64_t k = 0; k < inner; ++k, ++pos) {
        if (out.isFloat())
          out.f[pos] = data.f[base + k];
        else
          out.i[pos] = data.i[base + k];
      }
    }
  return out;
}

ConstTensor wafer::onnx_import::evalTrilu(const ConstTensor &x, bool upper,
                                          int64_t k) {
  ConstTensor out = x;
  size_t r = x.shape.size();
  int64_t rows = x.shape[r - 2], cols = x.shape[r - 1];
  for (int64_t e = 0, n = x.size(); e < n; ++e) {
    int64_t col = e % cols, row = (e / cols) % rows;
    bool keep = upper ? col - row >= k : col - row <= k;
    if (!keep)
      out.set(e, 0);
  }
  return out;
}

ConstTensor wafer::onnx_import::evalCumSum(const ConstTensor &x, int64_t axis,
                                           bool exclusive, bool reverse) {
  ConstTensor out = ConstTensor::zeros(x.dtype, x.shape);
  int64_t len = x.shape[axis], inner = 1;
  for (size_t d = axis + 1; d < x.shape.size(); ++d)
    inner *= x.shape[d];
  int64_t outer = len * inner == 0 ? 0 : x.size() / (len * inner);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t in = 0; in < inner; ++in) {
      float fs = 0;
      int64_t is = 0;
      for (int64_t step = 0; step < len; ++step) {
        int64_t i = reverse ? len - 1 - step : step;
        int64_t e = (o * len + i) * inner + in;
        if (!exclusive) {
          fs += x.isFloat() ? x.f[e] : 0;
          is = x.isFloat() ? 0 : wrapAdd(is, x.i[e]);
        }
        if (out.isFloat())
          out.f[e] = fs;
        else
          out.i[e] = is;
        if (exclusive) {
          fs += x.isFloat() ? x.f[e] : 0;
          is = x.isFloat() ? 0 : wrapAdd(is, x.i[e]);
        }
      }
    }
  return out;
}

ConstTensor wafer::onnx_import::evalReduce(llvm::StringRef op,
                                           const ConstTensor &x,
                                           ArrayRef<int64_t> axes,
                                           bool keepdims) {
  Shape keptShape = x.shape;
  for (int64_t a : axes)
    keptShape[a] = 1;
  ConstTensor acc = ConstTensor::zeros(x.dtype, keptShape);
  std::vector<bool> seen(acc.size(), false);
  BroadcastIndexer toKept(keptShape, x.shape);
  for (int64_t k = 0, n = x.size(); k < n; ++k) {
    int64_t dst = toKept(k);
    if (!acc.isFloat()) { // exact (wrapping) in int64
      int64_t v = x.i[k], &a = acc.i[dst];
      if (op == "ReduceMax")
        a = seen[dst] ? std::max(a, v) : v;
      else if (op == "ReduceMin")
        a = seen[dst] ? std::min(a, v) : v;
      else if (op == "ReduceProd")
        a = seen[dst] ? wrapMul(a, v) : v;
      else
        a = wrapAdd(a, v);
    } else {
      float v = x.f[k], &a = acc.f[dst];
      // Max and min propagate NaN, as the run time's maximumf/minimumf.
      if ((op == "ReduceMax" || op == "ReduceMin") && seen[dst] &&
          (std::isnan(a) || std::isnan(v)))
        a = std::numeric_limits<float>::quiet_NaN();
      else if (op == "ReduceMax")
        a = seen[dst] ? std::max(a, v) : v;
      else if (op == "ReduceMin")
        a = seen[dst] ? std::min(a, v) : v;
      else if (op == "ReduceProd")
        a = seen[dst] ? a * v : v;
      else
        a += v;
    }
    seen[dst] = true;
  }
  // Reducing nothing gives the identity.
  for (int64_t k = 0, n = acc.size(); k < n; ++k) {
    if (seen[k])
      continue;
    double inf = std::numeric_limits<double>::infinity();
    if (op == "ReduceProd")
      acc.set(k, 1);
    else if (op == "ReduceMin" || op == "ReduceMax") {
      bool min = op == "ReduceMin";
      if (acc.isFloat())
        acc.f[k] = float(min ? inf : -inf);
      else
        acc.i[k] = min ? std::numeric_limits<int64_t>::max()
                       : std::numeric_limits<int64_t>::min();
    }
  }
  if (op == "ReduceMean") {
    int64_t count = x.size() / std::max<int64_t>(acc.size(), 1);
    for (int64_t k = 0, n = acc.size(); k < n; ++k)
      acc.set(k, acc.isFloat() ? acc.at(k) / double(count)
                               : double(acc.i[k] / count));
  }
  if (!keepdims) {
    Shape s;
    for (size_t d = 0; d < x.shape.size(); ++d)
      if (!llvm::is_contained(axes, int64_t(d)))
        s.push_back(x.shape[d]);
    acc.shape = s;
  }
  return acc;
}
