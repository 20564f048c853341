//===- ONNXOps.cpp - onnx frontend operations -------------------*- C++ -*-===//
#include "wafer/Dialect/ONNX/ONNXOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace wafer::onnx_fe;

static ArrayRef<int64_t> shapeOf(Value v) {
  return cast<ShapedType>(v.getType()).getShape();
}

/// Prints a shape as `[2, 3]` in diagnostics.
namespace {
struct ShapeStr {
  ArrayRef<int64_t> shape;
};
} // namespace
static InFlightDiagnostic &&operator<<(InFlightDiagnostic &&d, ShapeStr s) {
  d << "[";
  llvm::interleaveComma(s.shape, d);
  return std::move(d << "]");
}
static InFlightDiagnostic &operator<<(InFlightDiagnostic &d, ShapeStr s) {
  d << "[";
  llvm::interleaveComma(s.shape, d);
  return d << "]";
}

bool wafer::onnx_fe::broadcastShapes(ArrayRef<ArrayRef<int64_t>> shapes,
                                     SmallVectorImpl<int64_t> &result) {
  size_t rank = 0;
  for (ArrayRef<int64_t> s : shapes)
    rank = std::max(rank, s.size());
  result.assign(rank, 1);
  for (ArrayRef<int64_t> s : shapes) {
    size_t lead = rank - s.size();
    for (auto [i, d] : llvm::enumerate(s)) {
      int64_t &r = result[lead + i];
      if (d == r || d == 1)
        continue;
      if (r != 1)
        return false;
      r = d;
    }
  }
  return true;
}

LogicalResult wafer::onnx_fe::verifyBroadcastResult(Operation *op) {
  SmallVector<ArrayRef<int64_t>> shapes;
  for (Value v : op->getOperands())
    shapes.push_back(shapeOf(v));
  SmallVector<int64_t> expected;
  if (!broadcastShapes(shapes, expected)) {
    InFlightDiagnostic d = op->emitOpError("operand shapes ");
    llvm::interleave(
        shapes, [&](ArrayRef<int64_t> s) { d << ShapeStr{s}; },
        [&] { d << ", "; });
    return d << " do not broadcast";
  }
  ArrayRef<int64_t> got = shapeOf(op->getResult(0));
  if (got != ArrayRef<int64_t>(expected))
    return op->emitOpError("expected result shape ")
           << ShapeStr{expected} << " (the broadcast of the operands), got "
           << ShapeStr{got};
  return success();
}

/// Checks `axis` against `rank` (axes are normalised to be non-negative).
static LogicalResult verifyAxis(Operation *op, int64_t axis, int64_t rank) {
  if (axis < 0 || axis >= rank)
    return op->emitOpError("expected axis in [0, ")
           << rank << "), got " << axis;
  return success();
}

LogicalResult wafer::onnx_fe::verifyReduction(Operation *op) {
  auto axes = op->getAttrOfType<DenseI64ArrayAttr>("axes").asArrayRef();
  auto keepdimsAttr = op->getAttrOfType<BoolAttr>("keepdims");
  bool keepdims = !keepdimsAttr || keepdimsAttr.getValue();
  ArrayRef<int64_t> in = shapeOf(op->getOperand(0));
  int64_t rank = in.size();
  if (axes.empty())
    return op->emitOpError("expected at least one axis");
  for (auto [i, a] : llvm::enumerate(axes)) {
    if (a < 0 || a >= rank)
      return op->emitOpError("expected axes in [0, ") << rank << "), got " << a;
    if (i > 0 && axes[i - 1] >= a)
      return op->emitOpError("expected strictly increasing axes, got ")
             << ShapeStr{axes};
  }
  SmallVector<int64_t> expected;
  for (auto [d, size] : llvm::enumerate(in)) {
    if (!llvm::is_contained(axes, int64_t(d)))
      expected.push_back(size);
    else if (keepdims)
      expected.push_back(1);
  }
  ArrayRef<int64_t> got = shapeOf(op->getResult(0));
  if (got != ArrayRef<int64_t>(expected))
    return op->emitOpError("expected result shape ")
           << ShapeStr{expected} << ", got " << ShapeStr{got};
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

LogicalResult WhereOp::verify() { return verifyBroadcastResult(*this); }

LogicalResult CastOp::verify() {
  Type got = getResult().getType().getElementType();
  if (got != getTo())
    return emitOpError("expected result element type ")
           << getTo() << " (the 'to' attribute), got " << got;
  return success();
}

LogicalResult ClipOp::verify() {
  if (getMin() && getMax() &&
      getMinAttr().getValueAsDouble() > getMaxAttr().getValueAsDouble())
    return emitOpError("expected min <= max, got min ")
           << getMinAttr().getValueAsDouble() << " and max "
           << getMaxAttr().getValueAsDouble();
  return success();
}

LogicalResult GeluOp::verify() {
  if (getApproximate() != "none" && getApproximate() != "tanh")
    return emitOpError("expected approximate \"none\" or \"tanh\", got \"")
           << getApproximate() << "\"";
  return success();
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::verify() {
  ArrayRef<int64_t> a = shapeOf(getA()), b = shapeOf(getB());
  if (a.empty() || b.empty())
    return emitOpError("expected operands of rank >= 1, got ranks ")
           << a.size() << " and " << b.size();
  // numpy promotion of rank-1 operands.
  SmallVector<int64_t> pa(a), pb(b);
  if (a.size() == 1)
    pa.insert(pa.begin(), 1);
  if (b.size() == 1)
    pb.push_back(1);
  int64_t ka = pa.back(), kb = pb[pb.size() - 2];
  if (ka != kb)
    return emitOpError("contraction dims differ: ")
           << ShapeStr{a} << " x " << ShapeStr{b};
  SmallVector<int64_t> batch;
  if (!broadcastShapes({ArrayRef(pa).drop_back(2), ArrayRef(pb).drop_back(2)},
                       batch))
    return emitOpError("batch dims of ")
           << ShapeStr{a} << " and " << ShapeStr{b} << " do not broadcast";
  SmallVector<int64_t> expected(batch);
  if (a.size() != 1)
    expected.push_back(pa[pa.size() - 2]);
  if (b.size() != 1)
    expected.push_back(pb.back());
  ArrayRef<int64_t> got = shapeOf(getResult());
  if (got != ArrayRef<int64_t>(expected))
    return emitOpError("expected result shape ")
           << ShapeStr{expected} << ", got " << ShapeStr{got};
  return success();
}

LogicalResult GemmOp::verify() {
  ArrayRef<int64_t> a = shapeOf(getA()), b = shapeOf(getB());
  if (a.size() != 2 || b.size() != 2)
    return emitOpError("expected rank-2 a and b, got ranks ")
           << a.size() << " and " << b.size();
  int64_t m = getTransA() ? a[1] : a[0], ka = getTransA() ? a[0] : a[1];
  int64_t kb = getTransB() ? b[1] : b[0], n = getTransB() ? b[0] : b[1];
  if (ka != kb)
    return emitOpError("contraction dims differ: ")
           << ka << " (a) vs " << kb << " (b)";
  SmallVector<int64_t> expected = {m, n};
  if (Value c = getC()) {
    SmallVector<int64_t> bc;
    if (!broadcastShapes({shapeOf(c), expected}, bc) ||
        ArrayRef<int64_t>(bc) != ArrayRef<int64_t>(expected))
      return emitOpError("c of shape ")
             << ShapeStr{shapeOf(c)} << " does not broadcast to "
             << ShapeStr{expected};
  }
  ArrayRef<int64_t> got = shapeOf(getResult());
  if (got != ArrayRef<int64_t>(expected))
    return emitOpError("expected result shape ")
           << ShapeStr{expected} << ", got " << ShapeStr{got};
  return success();
}

//===----------------------------------------------------------------------===//
// Normalisations
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::verify() {
  return verifyAxis(*this, getAxis(), shapeOf(getX()).size());
}

LogicalResult LogSoftmaxOp::verify() {
  return verifyAxis(*this, getAxis(), shapeOf(getX()).size());
}

LogicalResult LayerNormalizationOp::verify() {
  ArrayRef<int64_t> x = shapeOf(getX());
  if (failed(verifyAxis(*this, getAxis(), x.size())))
    return failure();
  ArrayRef<int64_t> norm = x.drop_front(getAxis());
  for (auto [name, v] : {std::pair<StringRef, Value>{"scale", getScale()},
                         std::pair<StringRef, Value>{"bias", getBias()}}) {
    if (!v)
      continue;
    SmallVector<int64_t> bc;
    if (!broadcastShapes({shapeOf(v), norm}, bc) ||
        ArrayRef<int64_t>(bc) != norm)
      return emitOpError() << name << " of shape " << ShapeStr{shapeOf(v)}
                           << " does not broadcast to the normalised shape "
                           << ShapeStr{norm};
  }
  if (!getStats().empty()) {
    if (getStats().size() != 2)
      return emitOpError() << "expected no statistics or Mean and InvStdDev, "
                           << "got " << getStats().size() << " extra results";
    SmallVector<int64_t> statShape(x.take_front(getAxis()));
    statShape.resize(x.size(), 1);
    for (Value v : getStats())
      if (shapeOf(v) != ArrayRef<int64_t>(statShape))
        return emitOpError()
               << "Mean/InvStdDev of shape " << ShapeStr{shapeOf(v)}
               << ", expected " << ShapeStr{statShape};
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::verify() {
  ArrayRef<int64_t> x = shapeOf(getX()), perm = getPerm();
  if (perm.size() != x.size())
    return emitOpError("expected perm of size ")
           << x.size() << ", got " << ShapeStr{perm};
  SmallVector<bool> seen(x.size(), false);
  SmallVector<int64_t> expected;
  for (int64_t p : perm) {
    if (p < 0 || p >= int64_t(x.size()) || seen[p])
      return emitOpError("expected perm to be a permutation of [0, ")
             << x.size() << "), got " << ShapeStr{perm};
    seen[p] = true;
    expected.push_back(x[p]);
  }
  ArrayRef<int64_t> got = shapeOf(getResult());
  if (got != ArrayRef<int64_t>(expected))
    return emitOpError("expected result shape ")
           << ShapeStr{expected} << ", got " << ShapeStr{got};
  return success();
}

LogicalResult ReshapeOp::verify() {
  auto in = cast<ShapedType>(getX().getType());
  auto out = cast<ShapedType>(getResult().getType());
  if (in.getNumElements() != out.getNumElements())
    return emitOpError("expected the same element count, got ")
           << in.getNumElements() << " (input " << ShapeStr{in.getShape()}
           << ") and " << out.getNumElements() << " (result "
           << ShapeStr{out.getShape()} << ")";
  return success();
}

LogicalResult ExpandOp::verify() {
  ArrayRef<int64_t> x = shapeOf(getX()), got = shapeOf(getResult());
  SmallVector<int64_t> bc;
  if (x.size() > got.size() || !broadcastShapes({x, got}, bc) ||
      ArrayRef<int64_t>(bc) != got)
    return emitOpError("input shape ")
           << ShapeStr{x} << " does not broadcast to result shape "
           << ShapeStr{got};
  return success();
}

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError("expected at least one input");
  auto resTy = cast<ShapedType>(getResult().getType());
  ArrayRef<int64_t> res = resTy.getShape();
  int64_t axis = getAxis();
  if (failed(verifyAxis(*this, axis, res.size())))
    return failure();
  int64_t total = 0;
  for (auto [i, v] : llvm::enumerate(getInputs())) {
    auto ty = cast<ShapedType>(v.getType());
    if (ty.getElementType() != resTy.getElementType())
      return emitOpError("input ")
             << i << " has element type " << ty.getElementType()
             << ", expected " << resTy.getElementType();
    ArrayRef<int64_t> s = ty.getShape();
    if (s.size() != res.size())
      return emitOpError("input ")
             << i << " has rank " << s.size() << ", expected " << res.size();
    for (auto [d, size] : llvm::enumerate(s))
      if (int64_t(d) != axis && size != res[d])
        return emitOpError("input ") << i << " of shape " << ShapeStr{s}
                                     << " differs from the result "
                                     << ShapeStr{res} << " in dim " << d;
    total += s[axis];
  }
  if (total != res[axis])
    return emitOpError("input sizes along axis ")
           << axis << " add up to " << total << ", result has " << res[axis];
  return success();
}

LogicalResult SplitOp::verify() {
  if (getResults().empty())
    return emitOpError("expected at least one result");
  auto inTy = cast<ShapedType>(getX().getType());
  ArrayRef<int64_t> in = inTy.getShape();
  int64_t axis = getAxis();
  if (failed(verifyAxis(*this, axis, in.size())))
    return failure();
  int64_t total = 0;
  for (auto [i, v] : llvm::enumerate(getResults())) {
    auto ty = cast<ShapedType>(v.getType());
    if (ty.getElementType() != inTy.getElementType())
      return emitOpError("result ")
             << i << " has element type " << ty.getElementType()
             << ", expected " << inTy.getElementType();
    ArrayRef<int64_t> s = ty.getShape();
    if (s.size() != in.size())
      return emitOpError("result ")
             << i << " has rank " << s.size() << ", expected " << in.size();
    for (auto [d, size] : llvm::enumerate(s))
      if (int64_t(d) != axis && size != in[d])
        return emitOpError("result ")
               << i << " of shape " << ShapeStr{s} << " differs from the input "
               << ShapeStr{in} << " in dim " << d;
    total += s[axis];
  }
  if (total != in[axis])
    return emitOpError("result sizes along axis ")
           << axis << " add up to " << total << ", input has " << in[axis];
  return success();
}

LogicalResult SliceOp::verify() {
  ArrayRef<int64_t> x = shapeOf(getX()), res = shapeOf(getResult());
  ArrayRef<int64_t> starts = getStarts(), steps = getSteps();
  if (starts.size() != x.size() || steps.size() != x.size())
    return emitOpError("expected starts and steps of size ")
           << x.size() << " (the rank), got " << starts.size() << " and "
           << steps.size();
  if (res.size() != x.size())
    return emitOpError("expected result rank ")
           << x.size() << ", got " << res.size();
  for (size_t d = 0; d < x.size(); ++d) {
    if (steps[d] == 0)
      return emitOpError("expected non-zero steps, got ") << ShapeStr{steps};
    if (res[d] == 0)
      continue;
    int64_t last = starts[d] + (res[d] - 1) * steps[d];
    if (starts[d] < 0 || starts[d] >= x[d] || last < 0 || last >= x[d])
      return emitOpError("dim ")
             << d << " reads elements " << starts[d] << " to " << last
             << " (start, step " << steps[d] << ", size " << res[d]
             << "), out of [0, " << x[d] << ")";
  }
  return success();
}

LogicalResult GatherOp::verify() {
  ArrayRef<int64_t> data = shapeOf(getData()), idx = shapeOf(getIndices());
  int64_t axis = getAxis();
  if (failed(verifyAxis(*this, axis, data.size())))
    return failure();
  SmallVector<int64_t> expected(data.take_front(axis));
  llvm::append_range(expected, idx);
  llvm::append_range(expected, data.drop_front(axis + 1));
  ArrayRef<int64_t> got = shapeOf(getResult());
  if (got != ArrayRef<int64_t>(expected))
    return emitOpError("expected result shape ")
           << ShapeStr{expected} << ", got " << ShapeStr{got};
  return success();
}

LogicalResult TriluOp::verify() {
  if (shapeOf(getX()).size() < 2)
    return emitOpError("expected rank >= 2, got ") << shapeOf(getX()).size();
  return success();
}

LogicalResult wafer::onnx_fe::verifyMod(Operation *op) {
  if (failed(verifyBroadcastResult(op)))
    return failure();
  auto fmod = op->getAttrOfType<BoolAttr>("fmod");
  if (isa<FloatType>(getElementTypeOrSelf(op->getOperand(0).getType())) &&
      !(fmod && fmod.getValue()))
    return op->emitOpError("expected fmod = true for f32 operands");
  return success();
}

LogicalResult ArgMaxOp::verify() {
  ArrayRef<int64_t> in = shapeOf(getX());
  int64_t axis = getAxis();
  if (failed(verifyAxis(*this, axis, in.size())))
    return failure();
  if (!getResult().getType().getElementType().isInteger(64))
    return emitOpError("expected an i64 result");
  if (in[axis] == 0)
    return emitOpError("expected a non-empty axis ") << axis;
  SmallVector<int64_t> expected(in);
  if (getKeepdims())
    expected[axis] = 1;
  else
    expected.erase(expected.begin() + axis);
  ArrayRef<int64_t> got = shapeOf(getResult());
  if (got != ArrayRef<int64_t>(expected))
    return emitOpError("expected result shape ")
           << ShapeStr{expected} << ", got " << ShapeStr{got};
  return success();
}

LogicalResult CumSumOp::verify() {
  if (getX().getType().getElementType().isInteger(1))
    return emitOpError("expected f32 or i64 operand");
  return verifyAxis(*this, getAxis(), shapeOf(getX()).size());
}

FailureOr<EinsumEquation>
wafer::onnx_fe::parseEinsumEquation(StringRef eq, std::string &why) {
  auto [lhs, rhs] = eq.split("->");
  if (lhs.size() == eq.size()) {
    why = "has no '->'";
    return failure();
  }
  EinsumEquation r;
  auto letters = [&](StringRef s) {
    if (!llvm::all_of(s, [](char c) { return llvm::isAlpha(c); })) {
      why = "term '" + s.str() + "' is not all letters";
      return false;
    }
    for (size_t i = 0; i < s.size(); ++i)
      if (s.find(s[i], i + 1) != StringRef::npos) {
        why = "term '" + s.str() + "' repeats '" + std::string(1, s[i]) +
              "' (diagonals are not supported)";
        return false;
      }
    return true;
  };
  SmallVector<StringRef> terms;
  lhs.split(terms, ',');
  for (StringRef t : terms) {
    if (!letters(t))
      return failure();
    r.inputs.push_back(t.str());
  }
  if (!letters(rhs))
    return failure();
  for (char c : rhs)
    if (!llvm::any_of(r.inputs, [&](const std::string &t) {
          return t.find(c) != std::string::npos;
        })) {
      why = "output letter '" + std::string(1, c) + "' is in no input";
      return failure();
    }
  r.output = rhs.str();
  return r;
}

LogicalResult EinsumOp::verify() {
  std::string why;
  FailureOr<EinsumEquation> eq = parseEinsumEquation(getEquation(), why);
  if (failed(eq))
    return emitOpError("equation '") << getEquation() << "' " << why;
  if (eq->inputs.size() != getInputs().size())
    return emitOpError("equation has ") << eq->inputs.size() << " terms for "
                                        << getInputs().size() << " operands";
  llvm::DenseMap<char, int64_t> sizes;
  for (auto [term, v] : llvm::zip(eq->inputs, getInputs())) {
    ArrayRef<int64_t> s = shapeOf(v);
    if (s.size() != term.size())
      return emitOpError("term '")
             << term << "' has " << term.size() << " letters for an operand "
             << "of shape " << ShapeStr{s};
    for (auto [c, d] : llvm::zip(term, s)) {
      auto [it, inserted] = sizes.try_emplace(c, d);
      if (!inserted && it->second != d)
        return emitOpError("letter '")
               << std::string(1, c) << "' is " << it->second << " and " << d;
    }
  }
  SmallVector<int64_t> expected;
  for (char c : eq->output)
    expected.push_back(sizes[c]);
  ArrayRef<int64_t> got = shapeOf(getResult());
  if (got != ArrayRef<int64_t>(expected))
    return emitOpError("expected result shape ")
           << ShapeStr{expected} << ", got " << ShapeStr{got};
  return success();
}

#define GET_OP_CLASSES
#include "wafer/Dialect/ONNX/ONNXOps.cpp.inc"
