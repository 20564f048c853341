//===- ONNXToLinalg.cpp - onnx -> tensor-level patterns ---------*- C++ -*-===//
//
// Every pattern emits only the subset of docs/tensor-level.md (the golden
// evaluator and the mapper consume exactly that), and every created op keeps
// the ONNX node's location so later errors name the node.
//
//===----------------------------------------------------------------------===//
#include "wafer/Conversion/ONNXToLinalg/Passes.h"
#include "wafer/Dialect/ONNX/ONNXOps.h"

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/TypeSwitch.h"

#include <numeric>

using namespace mlir;
namespace fe = wafer::onnx_fe;

namespace {

using BodyFn = function_ref<Value(OpBuilder &, Location, ValueRange)>;

RankedTensorType tensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}
ArrayRef<int64_t> shapeOf(Value v) { return tensorType(v).getShape(); }
int64_t product(ArrayRef<int64_t> s) {
  return std::accumulate(s.begin(), s.end(), int64_t(1),
                         std::multiplies<int64_t>());
}

Value constant(OpBuilder &b, Location loc, TypedAttr attr) {
  return arith::ConstantOp::create(b, loc, attr);
}
/// A scalar constant of `type` (f32, an integer type or index).
Value scalar(OpBuilder &b, Location loc, Type type, double v) {
  if (isa<FloatType>(type))
    return constant(b, loc, b.getFloatAttr(type, v));
  return constant(b, loc, b.getIntegerAttr(type, int64_t(v)));
}
Value indexConst(OpBuilder &b, Location loc, int64_t v) {
  return constant(b, loc, b.getIndexAttr(v));
}

Value emptyTensor(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                  Type elt) {
  return tensor::EmptyOp::create(b, loc, shape, elt);
}

/// A tensor of `shape` filled with `init` (tensor.empty + linalg.fill).
Value filled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
             TypedAttr init) {
  Value empty = emptyTensor(b, loc, shape, init.getType());
  return linalg::FillOp::create(b, loc, ValueRange{constant(b, loc, init)},
                                ValueRange{empty})
      .getResult(0);
}

/// The map from an iteration space of `iterShape` to an operand of `shape`
/// under numpy broadcasting: dims align right and a size-1 dim that is
/// broadcast reads element 0.
AffineMap broadcastMap(MLIRContext *ctx, ArrayRef<int64_t> shape,
                       ArrayRef<int64_t> iterShape) {
  unsigned lead = iterShape.size() - shape.size();
  SmallVector<AffineExpr> exprs;
  for (auto [i, d] : llvm::enumerate(shape)) {
    if (d == 1 && iterShape[lead + i] != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(lead + i, ctx));
  }
  return AffineMap::get(iterShape.size(), 0, exprs, ctx);
}

/// The map from a rank-`rank` iteration space to the dims not in `dropped`.
AffineMap keptDimsMap(MLIRContext *ctx, unsigned rank,
                      ArrayRef<int64_t> dropped) {
  SmallVector<AffineExpr> exprs;
  for (unsigned d = 0; d < rank; ++d)
    if (!llvm::is_contained(dropped, int64_t(d)))
      exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

SmallVector<int64_t> keptDims(ArrayRef<int64_t> shape,
                              ArrayRef<int64_t> dropped) {
  SmallVector<int64_t> out;
  for (auto [d, s] : llvm::enumerate(shape))
    if (!llvm::is_contained(dropped, int64_t(d)))
      out.push_back(s);
  return out;
}

/// One linalg.generic writing `init`; `maps` covers inputs then the output
/// and `body` gets the input scalars followed by the output scalar.
Value generic(OpBuilder &b, Location loc, Value init, ValueRange inputs,
              ArrayRef<AffineMap> maps, ArrayRef<utils::IteratorType> iterators,
              BodyFn body) {
  auto op = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl, body(nb, nl, args));
      });
  return op.getResult(0);
}

/// An elementwise linalg.generic over `resType` with numpy-broadcast inputs;
/// `body` gets the input scalars.
Value elementwise(OpBuilder &b, Location loc, RankedTensorType resType,
                  ValueRange inputs, BodyFn body) {
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> shape = resType.getShape();
  SmallVector<AffineMap> maps;
  for (Value in : inputs)
    maps.push_back(broadcastMap(ctx, shapeOf(in), shape));
  maps.push_back(AffineMap::getMultiDimIdentityMap(shape.size(), ctx));
  SmallVector<utils::IteratorType> iters(shape.size(),
                                         utils::IteratorType::parallel);
  Value init = emptyTensor(b, loc, shape, resType.getElementType());
  return generic(b, loc, init, inputs, maps, iters,
                 [&](OpBuilder &nb, Location nl, ValueRange args) {
                   return body(nb, nl, args.drop_back());
                 });
}

/// Reduces `inputs` (read through `inputMaps` from the iteration space
/// `iterShape`) over the sorted `axes`, starting from `init`; the result has
/// the kept dims. `body` gets the input scalars and the accumulator.
Value reduction(OpBuilder &b, Location loc, ArrayRef<int64_t> iterShape,
                ArrayRef<int64_t> axes, ValueRange inputs,
                ArrayRef<AffineMap> inputMaps, TypedAttr init, BodyFn body) {
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(keptDimsMap(ctx, iterShape.size(), axes));
  SmallVector<utils::IteratorType> iters;
  for (unsigned d = 0; d < iterShape.size(); ++d)
    iters.push_back(llvm::is_contained(axes, int64_t(d))
                        ? utils::IteratorType::reduction
                        : utils::IteratorType::parallel);
  Value acc = filled(b, loc, keptDims(iterShape, axes), init);
  return generic(b, loc, acc, inputs, maps, iters, body);
}

/// Reshapes `v` to `shape` (same element count) with tensor.collapse_shape /
/// tensor.expand_shape; when no single reassociation exists, collapses to
/// 1-D and expands from there.
Value reshapeTo(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> shape) {
  RankedTensorType srcType = tensorType(v);
  ArrayRef<int64_t> src = srcType.getShape();
  if (src == shape)
    return v;
  auto dstType = RankedTensorType::get(shape, srcType.getElementType());
  if (src.size() > shape.size()) {
    if (auto re = getReassociationIndicesForCollapse(src, shape))
      return tensor::CollapseShapeOp::create(b, loc, dstType, v, *re);
  } else if (src.size() < shape.size()) {
    if (auto re = getReassociationIndicesForCollapse(shape, src))
      return tensor::ExpandShapeOp::create(b, loc, dstType, v, *re);
  }
  // Through 1-D: one reassociation group holding every dim is valid for
  // any static shape of the same element count, zero-size ones included
  // (the search above may find none for those).
  auto allInOne = [](size_t rank) {
    SmallVector<ReassociationIndices> groups;
    if (rank == 0)
      return groups;
    groups.emplace_back();
    for (size_t d = 0; d < rank; ++d)
      groups.back().push_back(d);
    return groups;
  };
  // To or from a scalar: all dims are 1, no group.
  if (src.empty())
    return tensor::ExpandShapeOp::create(b, loc, dstType, v,
                                         SmallVector<ReassociationIndices>{});
  if (shape.empty())
    return tensor::CollapseShapeOp::create(b, loc, dstType, v,
                                           SmallVector<ReassociationIndices>{});
  Value flat = v;
  if (src.size() > 1) {
    auto flatType =
        RankedTensorType::get({product(src)}, srcType.getElementType());
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, v,
                                           allInOne(src.size()));
  }
  if (shape.size() == 1)
    return flat;
  return tensor::ExpandShapeOp::create(b, loc, dstType, flat,
                                       allInOne(shape.size()));
}

/// Materialises the numpy broadcast of `v` to `shape` (a copying generic).
Value broadcastTo(OpBuilder &b, Location loc, Value v,
                  ArrayRef<int64_t> shape) {
  if (shapeOf(v) == shape)
    return v;
  auto type = RankedTensorType::get(shape, tensorType(v).getElementType());
  return elementwise(b, loc, type, v,
                     [](OpBuilder &, Location, ValueRange a) { return a[0]; });
}

/// A 2-D linalg.matmul on a zero-filled init.
Value matmul2D(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  Type elt = tensorType(lhs).getElementType();
  SmallVector<int64_t> shape = {shapeOf(lhs)[0], shapeOf(rhs)[1]};
  Value init = filled(b, loc, shape, cast<TypedAttr>(b.getZeroAttr(elt)));
  return linalg::MatmulOp::create(b, loc, TypeRange{init.getType()},
                                  ValueRange{lhs, rhs}, ValueRange{init})
      .getResult(0);
}

bool isFloat(Type t) { return isa<FloatType>(t); }

Value selectCmpI(OpBuilder &b, Location loc, arith::CmpIPredicate pred, Value l,
                 Value r) {
  Value c = arith::CmpIOp::create(b, loc, pred, l, r);
  return arith::SelectOp::create(b, loc, c, l, r);
}

//===----------------------------------------------------------------------===//
// Scalar bodies of the elementwise ops. `elt` is the operands' element type.
//===----------------------------------------------------------------------===//

Value body(fe::AddOp, OpBuilder &b, Location loc, ValueRange a, Type elt) {
  if (isFloat(elt))
    return arith::AddFOp::create(b, loc, a[0], a[1]);
  return arith::AddIOp::create(b, loc, a[0], a[1]);
}
Value body(fe::SubOp, OpBuilder &b, Location loc, ValueRange a, Type elt) {
  if (isFloat(elt))
    return arith::SubFOp::create(b, loc, a[0], a[1]);
  return arith::SubIOp::create(b, loc, a[0], a[1]);
}
Value body(fe::MulOp, OpBuilder &b, Location loc, ValueRange a, Type elt) {
  if (isFloat(elt))
    return arith::MulFOp::create(b, loc, a[0], a[1]);
  return arith::MulIOp::create(b, loc, a[0], a[1]);
}
Value body(fe::DivOp, OpBuilder &b, Location loc, ValueRange a, Type elt) {
  if (isFloat(elt))
    return arith::DivFOp::create(b, loc, a[0], a[1]);
  // ONNX integer Div truncates toward zero, as divsi does.
  return arith::DivSIOp::create(b, loc, a[0], a[1]);
}
Value body(fe::PowOp, OpBuilder &b, Location loc, ValueRange a, Type) {
  return math::PowFOp::create(b, loc, a[0], a[1]);
}
Value body(fe::MinOp, OpBuilder &b, Location loc, ValueRange a, Type elt) {
  if (isFloat(elt))
    return arith::MinimumFOp::create(b, loc, a[0], a[1]);
  // minsi is outside the tensor-level subset.
  return selectCmpI(b, loc, arith::CmpIPredicate::slt, a[0], a[1]);
}
Value body(fe::MaxOp, OpBuilder &b, Location loc, ValueRange a, Type elt) {
  if (isFloat(elt))
    return arith::MaximumFOp::create(b, loc, a[0], a[1]);
  return selectCmpI(b, loc, arith::CmpIPredicate::sgt, a[0], a[1]);
}
Value body(fe::EqualOp, OpBuilder &b, Location loc, ValueRange a, Type elt) {
  if (isFloat(elt))
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, a[0], a[1]);
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, a[0], a[1]);
}
Value body(fe::LessOp, OpBuilder &b, Location loc, ValueRange a, Type elt) {
  if (isFloat(elt))
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, a[0], a[1]);
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, a[0], a[1]);
}
Value body(fe::GreaterOp, OpBuilder &b, Location loc, ValueRange a, Type elt) {
  if (isFloat(elt))
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, a[0], a[1]);
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, a[0], a[1]);
}
Value body(fe::AndOp, OpBuilder &b, Location loc, ValueRange a, Type) {
  return arith::AndIOp::create(b, loc, a[0], a[1]);
}
Value body(fe::OrOp, OpBuilder &b, Location loc, ValueRange a, Type) {
  return arith::OrIOp::create(b, loc, a[0], a[1]);
}
Value body(fe::NotOp, OpBuilder &b, Location loc, ValueRange a, Type elt) {
  return arith::XOrIOp::create(b, loc, a[0], scalar(b, loc, elt, 1));
}
Value body(fe::WhereOp, OpBuilder &b, Location loc, ValueRange a, Type) {
  return arith::SelectOp::create(b, loc, a[0], a[1], a[2]);
}
Value body(fe::SqrtOp, OpBuilder &b, Location loc, ValueRange a, Type) {
  return math::SqrtOp::create(b, loc, a[0]);
}
Value body(fe::ReciprocalOp, OpBuilder &b, Location loc, ValueRange a,
           Type elt) {
  return arith::DivFOp::create(b, loc, scalar(b, loc, elt, 1.0), a[0]);
}
Value body(fe::NegOp, OpBuilder &b, Location loc, ValueRange a, Type elt) {
  if (isFloat(elt))
    return arith::NegFOp::create(b, loc, a[0]);
  return arith::SubIOp::create(b, loc, scalar(b, loc, elt, 0), a[0]);
}
Value body(fe::ExpOp, OpBuilder &b, Location loc, ValueRange a, Type) {
  return math::ExpOp::create(b, loc, a[0]);
}
Value body(fe::LogOp, OpBuilder &b, Location loc, ValueRange a, Type) {
  return math::LogOp::create(b, loc, a[0]);
}
Value body(fe::TanhOp, OpBuilder &b, Location loc, ValueRange a, Type) {
  return math::TanhOp::create(b, loc, a[0]);
}
Value body(fe::ErfOp, OpBuilder &b, Location loc, ValueRange a, Type) {
  return math::ErfOp::create(b, loc, a[0]);
}
Value body(fe::ReluOp, OpBuilder &b, Location loc, ValueRange a, Type elt) {
  Value zero = scalar(b, loc, elt, 0);
  if (isFloat(elt))
    return arith::MaximumFOp::create(b, loc, a[0], zero);
  return selectCmpI(b, loc, arith::CmpIPredicate::sgt, a[0], zero);
}
Value body(fe::SigmoidOp, OpBuilder &b, Location loc, ValueRange a, Type elt) {
  Value one = scalar(b, loc, elt, 1.0);
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, a[0]));
  return arith::DivFOp::create(b, loc, one,
                               arith::AddFOp::create(b, loc, one, e));
}
Value body(fe::AbsOp, OpBuilder &b, Location loc, ValueRange a, Type elt) {
  if (isFloat(elt))
    return math::AbsFOp::create(b, loc, a[0]);
  Value zero = scalar(b, loc, elt, 0);
  Value neg =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, a[0], zero);
  return arith::SelectOp::create(
      b, loc, neg, arith::SubIOp::create(b, loc, zero, a[0]), a[0]);
}
Value body(fe::SignOp, OpBuilder &b, Location loc, ValueRange a, Type elt) {
  Value x = a[0], zero = scalar(b, loc, elt, 0);
  Value one = scalar(b, loc, elt, 1), minusOne = scalar(b, loc, elt, -1);
  Value pos, neg, rest = x;
  if (isFloat(elt)) {
    // 0 and NaN fail both comparisons and stay as they are.
    pos = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, zero);
    neg = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, zero);
  } else {
    pos = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, x, zero);
    neg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x, zero);
    rest = zero;
  }
  return arith::SelectOp::create(
      b, loc, pos, one, arith::SelectOp::create(b, loc, neg, minusOne, rest));
}
Value body(fe::FloorOp, OpBuilder &b, Location loc, ValueRange a, Type) {
  return math::FloorOp::create(b, loc, a[0]);
}
Value body(fe::CeilOp, OpBuilder &b, Location loc, ValueRange a, Type) {
  return math::CeilOp::create(b, loc, a[0]);
}
Value body(fe::SinOp, OpBuilder &b, Location loc, ValueRange a, Type) {
  return math::SinOp::create(b, loc, a[0]);
}
Value body(fe::CosOp, OpBuilder &b, Location loc, ValueRange a, Type) {
  return math::CosOp::create(b, loc, a[0]);
}
Value body(fe::ModOp op, OpBuilder &b, Location loc, ValueRange a, Type elt) {
  if (isFloat(elt)) // fmod: the sign of the dividend, as remf
    return arith::RemFOp::create(b, loc, a[0], a[1]);
  Value r = arith::RemSIOp::create(b, loc, a[0], a[1]);
  if (op.getFmod())
    return r;
  // The sign of the divisor: a non-zero remainder of the other sign moves
  // by one divisor.
  Value zero = scalar(b, loc, elt, 0);
  Value rNeg =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, r, zero);
  Value dNeg =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, a[1], zero);
  Value nonZero =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, r, zero);
  Value fix = arith::AndIOp::create(b, loc, nonZero,
                                    arith::XOrIOp::create(b, loc, rNeg, dNeg));
  return arith::SelectOp::create(b, loc, fix,
                                 arith::AddIOp::create(b, loc, r, a[1]), r);
}
Value body(fe::ClipOp op, OpBuilder &b, Location loc, ValueRange a, Type elt) {
  Value x = a[0];
  if (FloatAttr lo = op.getMinAttr())
    x = arith::MaximumFOp::create(b, loc, x,
                                  scalar(b, loc, elt, lo.getValueAsDouble()));
  if (FloatAttr hi = op.getMaxAttr())
    x = arith::MinimumFOp::create(b, loc, x,
                                  scalar(b, loc, elt, hi.getValueAsDouble()));
  return x;
}
Value body(fe::GeluOp op, OpBuilder &b, Location loc, ValueRange a, Type elt) {
  Value x = a[0];
  Value half = scalar(b, loc, elt, 0.5), one = scalar(b, loc, elt, 1.0);
  Value inner;
  if (op.getApproximate() == "tanh") {
    // tanh(sqrt(2/pi) * (x + 0.044715 x^3))
    Value x3 =
        arith::MulFOp::create(b, loc, arith::MulFOp::create(b, loc, x, x), x);
    Value poly = arith::AddFOp::create(
        b, loc, x,
        arith::MulFOp::create(b, loc, scalar(b, loc, elt, 0.044715), x3));
    inner = math::TanhOp::create(
        b, loc,
        arith::MulFOp::create(b, loc, scalar(b, loc, elt, 0.7978845608028654),
                              poly));
  } else {
    inner = math::ErfOp::create(
        b, loc,
        arith::MulFOp::create(b, loc, x,
                              scalar(b, loc, elt, 0.7071067811865476)));
  }
  Value hx = arith::MulFOp::create(b, loc, half, x);
  return arith::MulFOp::create(b, loc, hx,
                               arith::AddFOp::create(b, loc, one, inner));
}
Value body(fe::CastOp op, OpBuilder &b, Location loc, ValueRange a, Type elt) {
  Type to = op.getTo();
  Value x = a[0];
  if (to.isInteger(1)) {
    if (isFloat(elt))
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x,
                                   scalar(b, loc, elt, 0));
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x,
                                 scalar(b, loc, elt, 0));
  }
  if (elt.isInteger(1))
    return isFloat(to) ? Value(arith::UIToFPOp::create(b, loc, to, x))
                       : Value(arith::ExtUIOp::create(b, loc, to, x));
  if (isFloat(elt))
    return arith::FPToSIOp::create(b, loc, to, x); // truncates toward zero
  return arith::SIToFPOp::create(b, loc, to, x);
}

/// One linalg.generic for any elementwise onnx op (broadcasting included).
template <typename OpTy>
struct ElementwiseLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ValueRange inputs = adaptor.getOperands();
    // `where`'s first operand is the i1 condition; the data type is x's.
    Type elt = getElementTypeOrSelf(inputs.back().getType());
    auto resType = cast<RankedTensorType>(op->getResult(0).getType());
    if constexpr (std::is_same_v<OpTy, fe::CastOp>) {
      if (elt == resType.getElementType()) {
        rewriter.replaceOp(op, inputs[0]);
        return success();
      }
    }
    Value r = elementwise(rewriter, op.getLoc(), resType, inputs,
                          [&](OpBuilder &b, Location loc, ValueRange a) {
                            return body(op, b, loc, a, elt);
                          });
    rewriter.replaceOp(op, r);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

struct MatMulLowering : OpConversionPattern<fe::MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(fe::MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    Value a = adaptor.getA(), w = adaptor.getB();
    Type elt = tensorType(a).getElementType();
    // numpy promotion of rank-1 operands.
    if (shapeOf(a).size() == 1)
      a = reshapeTo(b, loc, a, {1, shapeOf(a)[0]});
    if (shapeOf(w).size() == 1)
      w = reshapeTo(b, loc, w, {shapeOf(w)[0], 1});
    ArrayRef<int64_t> as = shapeOf(a), ws = shapeOf(w);
    int64_t m = as[as.size() - 2], k = as.back(), n = ws.back();
    SmallVector<int64_t> batchA(as.drop_back(2)), batchW(ws.drop_back(2));
    // A weight whose batch dims are all 1 is one 2-D matrix.
    if (!batchW.empty() && product(batchW) == 1) {
      w = reshapeTo(b, loc, w, {k, n});
      batchW.clear();
    }
    ArrayRef<int64_t> resShape = shapeOf(op.getResult());
    Value full;
    if (batchW.empty()) {
      // [.., M, K] x [K, N]: the leading dims become rows of one 2-D
      // contraction, which keeps a constant weight a single operand.
      Value a2 = reshapeTo(b, loc, a, {product(batchA) * m, k});
      full = matmul2D(b, loc, a2, w);
    } else {
      SmallVector<int64_t> batch;
      (void)fe::broadcastShapes({batchA, batchW}, batch);
      SmallVector<int64_t> aFull(batch), wFull(batch);
      aFull.append({m, k});
      wFull.append({k, n});
      int64_t p = product(batch);
      Value a3 = reshapeTo(b, loc, broadcastTo(b, loc, a, aFull), {p, m, k});
      Value w3 = reshapeTo(b, loc, broadcastTo(b, loc, w, wFull), {p, k, n});
      Value init =
          filled(b, loc, {p, m, n}, cast<TypedAttr>(b.getZeroAttr(elt)));
      full = linalg::BatchMatmulOp::create(b, loc, TypeRange{init.getType()},
                                           ValueRange{a3, w3}, ValueRange{init})
                 .getResult(0);
    }
    rewriter.replaceOp(op, reshapeTo(b, loc, full, resShape));
    return success();
  }
};

Value transpose2D(OpBuilder &b, Location loc, Value v) {
  ArrayRef<int64_t> s = shapeOf(v);
  Value init =
      emptyTensor(b, loc, {s[1], s[0]}, tensorType(v).getElementType());
  return linalg::TransposeOp::create(b, loc, v, init, ArrayRef<int64_t>{1, 0})
      .getResult()[0];
}

struct GemmLowering : OpConversionPattern<fe::GemmOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(fe::GemmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    Value a = adaptor.getA(), w = adaptor.getB(), c = adaptor.getC();
    if (op.getTransA())
      a = transpose2D(b, loc, a);
    if (op.getTransB())
      w = transpose2D(b, loc, w);
    Value y = matmul2D(b, loc, a, w);
    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    if (alpha != 1.0 || c) {
      auto resType = cast<RankedTensorType>(op.getType());
      SmallVector<Value> inputs = {y};
      if (c)
        inputs.push_back(c);
      Type elt = resType.getElementType();
      y = elementwise(
          b, loc, resType, inputs,
          [&](OpBuilder &nb, Location nl, ValueRange s) {
            Value r = s[0];
            if (alpha != 1.0)
              r = arith::MulFOp::create(nb, nl, scalar(nb, nl, elt, alpha), r);
            if (s.size() > 1) {
              Value cv = s[1];
              if (beta != 1.0)
                cv = arith::MulFOp::create(nb, nl, scalar(nb, nl, elt, beta),
                                           cv);
              r = arith::AddFOp::create(nb, nl, r, cv);
            }
            return r;
          });
    }
    rewriter.replaceOp(op, y);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Normalisations
//===----------------------------------------------------------------------===//

TypedAttr negInf(OpBuilder &b, Type elt) {
  return b.getFloatAttr(
      elt, APFloat::getInf(cast<FloatType>(elt).getFloatSemantics(), true));
}

/// Softmax and log-softmax: max-reduce, exp(x - max), sum-reduce, then
/// divide (softmax) or (x - max) - log(sum) (log-softmax).
template <typename OpTy, bool IsLog>
struct SoftmaxLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    MLIRContext *ctx = b.getContext();
    Value x = adaptor.getX();
    auto type = tensorType(x);
    ArrayRef<int64_t> shape = type.getShape();
    Type elt = type.getElementType();
    int64_t axes[] = {int64_t(op.getAxis())};
    unsigned rank = shape.size();
    AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap rowMap = keptDimsMap(ctx, rank, axes);
    SmallVector<utils::IteratorType> par(rank, utils::IteratorType::parallel);

    Value max =
        reduction(b, loc, shape, axes, x, {id}, negInf(b, elt),
                  [](OpBuilder &nb, Location nl, ValueRange s) {
                    return arith::MaximumFOp::create(nb, nl, s[0], s[1]);
                  });
    Value e = generic(b, loc, emptyTensor(b, loc, shape, elt), {x, max},
                      {id, rowMap, id}, par,
                      [](OpBuilder &nb, Location nl, ValueRange s) {
                        return math::ExpOp::create(
                            nb, nl, arith::SubFOp::create(nb, nl, s[0], s[1]));
                      });
    Value sum = reduction(b, loc, shape, axes, e, {id},
                          cast<TypedAttr>(b.getZeroAttr(elt)),
                          [](OpBuilder &nb, Location nl, ValueRange s) {
                            return arith::AddFOp::create(nb, nl, s[0], s[1]);
                          });
    Value r;
    if constexpr (IsLog) {
      r = generic(b, loc, emptyTensor(b, loc, shape, elt), {x, max, sum},
                  {id, rowMap, rowMap, id}, par,
                  [](OpBuilder &nb, Location nl, ValueRange s) {
                    Value d = arith::SubFOp::create(nb, nl, s[0], s[1]);
                    return arith::SubFOp::create(
                        nb, nl, d, math::LogOp::create(nb, nl, s[2]));
                  });
    } else {
      r = generic(b, loc, emptyTensor(b, loc, shape, elt), {e, sum},
                  {id, rowMap, id}, par,
                  [](OpBuilder &nb, Location nl, ValueRange s) {
                    return arith::DivFOp::create(nb, nl, s[0], s[1]);
                  });
    }
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// LayerNorm: mean = sum(x) / n; var = sum((x - mean)^2) / n (biased);
/// y = (x - mean) / sqrt(var + eps) * scale + bias, as ONNX specifies.
struct LayerNormLowering : OpConversionPattern<fe::LayerNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(fe::LayerNormalizationOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    MLIRContext *ctx = b.getContext();
    Value x = adaptor.getX();
    auto type = tensorType(x);
    ArrayRef<int64_t> shape = type.getShape();
    Type elt = type.getElementType();
    unsigned rank = shape.size();
    int64_t axis = op.getAxis();
    SmallVector<int64_t> axes;
    for (int64_t d = axis; d < int64_t(rank); ++d)
      axes.push_back(d);
    double n = double(product(shape.drop_front(axis)));
    AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap rowMap = keptDimsMap(ctx, rank, axes);
    TypedAttr zero = cast<TypedAttr>(b.getZeroAttr(elt));
    auto outerType = RankedTensorType::get(shape.take_front(axis), elt);

    Value sum = reduction(b, loc, shape, axes, x, {id}, zero,
                          [](OpBuilder &nb, Location nl, ValueRange s) {
                            return arith::AddFOp::create(nb, nl, s[0], s[1]);
                          });
    Value mean = elementwise(
        b, loc, outerType, sum, [&](OpBuilder &nb, Location nl, ValueRange s) {
          return arith::DivFOp::create(nb, nl, s[0], scalar(nb, nl, elt, n));
        });
    Value sq =
        reduction(b, loc, shape, axes, {x, mean}, {id, rowMap}, zero,
                  [](OpBuilder &nb, Location nl, ValueRange s) {
                    Value d = arith::SubFOp::create(nb, nl, s[0], s[1]);
                    return arith::AddFOp::create(
                        nb, nl, s[2], arith::MulFOp::create(nb, nl, d, d));
                  });
    SmallVector<Value> inputs = {x, mean, sq, adaptor.getScale()};
    SmallVector<AffineMap> maps = {
        id, rowMap, rowMap, broadcastMap(ctx, shapeOf(inputs[3]), shape)};
    if (Value bias = adaptor.getBias()) {
      inputs.push_back(bias);
      maps.push_back(broadcastMap(ctx, shapeOf(bias), shape));
    }
    maps.push_back(id);
    double eps = op.getEpsilon().convertToDouble();
    SmallVector<utils::IteratorType> par(rank, utils::IteratorType::parallel);
    Value y = generic(
        b, loc, emptyTensor(b, loc, shape, elt), inputs, maps, par,
        [&](OpBuilder &nb, Location nl, ValueRange s) {
          Value var =
              arith::DivFOp::create(nb, nl, s[2], scalar(nb, nl, elt, n));
          Value denom = math::SqrtOp::create(
              nb, nl,
              arith::AddFOp::create(nb, nl, var, scalar(nb, nl, elt, eps)));
          Value d = arith::SubFOp::create(nb, nl, s[0], s[1]);
          Value r = arith::MulFOp::create(
              nb, nl, arith::DivFOp::create(nb, nl, d, denom), s[3]);
          if (s.size() > 5)
            r = arith::AddFOp::create(nb, nl, r, s[4]);
          return r;
        });
    if (op.getStats().empty()) {
      rewriter.replaceOp(op, y);
      return success();
    }
    // Mean and InvStdDev, kept dims as ones.
    Value invStd = elementwise(
        b, loc, outerType, sq, [&](OpBuilder &nb, Location nl, ValueRange s) {
          Value var =
              arith::DivFOp::create(nb, nl, s[0], scalar(nb, nl, elt, n));
          Value denom = math::SqrtOp::create(
              nb, nl,
              arith::AddFOp::create(nb, nl, var, scalar(nb, nl, elt, eps)));
          return arith::DivFOp::create(nb, nl, scalar(nb, nl, elt, 1.0), denom);
        });
    ArrayRef<int64_t> statShape = shapeOf(op.getStats()[0]);
    rewriter.replaceOp(op, {y, reshapeTo(b, loc, mean, statShape),
                            reshapeTo(b, loc, invStd, statShape)});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

enum class ReduceKind { Sum, Mean, Max, Min, Prod };

template <typename OpTy, ReduceKind Kind>
struct ReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    Value x = adaptor.getX();
    auto type = tensorType(x);
    ArrayRef<int64_t> shape = type.getShape();
    Type elt = type.getElementType();
    ArrayRef<int64_t> axes = op.getAxes();
    AffineMap id =
        AffineMap::getMultiDimIdentityMap(shape.size(), b.getContext());
    bool f = isFloat(elt);
    TypedAttr init = cast<TypedAttr>(b.getZeroAttr(elt));
    if (Kind == ReduceKind::Max)
      init = f ? negInf(b, elt)
               : TypedAttr(b.getIntegerAttr(
                     elt, std::numeric_limits<int64_t>::min()));
    if (Kind == ReduceKind::Min)
      init =
          f ? TypedAttr(
                  b.getFloatAttr(elt, std::numeric_limits<double>::infinity()))
            : TypedAttr(
                  b.getIntegerAttr(elt, std::numeric_limits<int64_t>::max()));
    if (Kind == ReduceKind::Prod)
      init = f ? TypedAttr(b.getFloatAttr(elt, 1.0))
               : TypedAttr(b.getIntegerAttr(elt, 1));
    Value r = reduction(
        b, loc, shape, axes, x, {id}, init,
        [&](OpBuilder &nb, Location nl, ValueRange s) -> Value {
          switch (Kind) {
          case ReduceKind::Max:
            return f ? Value(arith::MaximumFOp::create(nb, nl, s[0], s[1]))
                     : selectCmpI(nb, nl, arith::CmpIPredicate::sgt, s[0],
                                  s[1]);
          case ReduceKind::Min:
            return f ? Value(arith::MinimumFOp::create(nb, nl, s[0], s[1]))
                     : selectCmpI(nb, nl, arith::CmpIPredicate::slt, s[0],
                                  s[1]);
          case ReduceKind::Prod:
            return f ? Value(arith::MulFOp::create(nb, nl, s[0], s[1]))
                     : Value(arith::MulIOp::create(nb, nl, s[0], s[1]));
          case ReduceKind::Sum:
          case ReduceKind::Mean:
            break;
          }
          return f ? Value(arith::AddFOp::create(nb, nl, s[0], s[1]))
                   : Value(arith::AddIOp::create(nb, nl, s[0], s[1]));
        });
    if (Kind == ReduceKind::Mean) {
      double count = 1;
      for (int64_t a : axes)
        count *= double(shape[a]);
      r = elementwise(b, loc, tensorType(r), r,
                      [&](OpBuilder &nb, Location nl, ValueRange s) {
                        return arith::DivFOp::create(
                            nb, nl, s[0], scalar(nb, nl, elt, count));
                      });
    }
    // keepdims: the reduced dims come back as size 1.
    rewriter.replaceOp(op, reshapeTo(b, loc, r, shapeOf(op.getResult())));
    return success();
  }
};

/// ArgMax: the maximum along the axis, then the first (or last) index at
/// which the input equals it, as a min (or max) reduction over indices.
struct ArgMaxLowering : OpConversionPattern<fe::ArgMaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(fe::ArgMaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    MLIRContext *ctx = b.getContext();
    Value x = adaptor.getX();
    ArrayRef<int64_t> shape = shapeOf(x);
    Type elt = tensorType(x).getElementType();
    bool f = isFloat(elt);
    int64_t axis = op.getAxis();
    bool last = op.getSelectLastIndex();
    AffineMap id = AffineMap::getMultiDimIdentityMap(shape.size(), ctx);
    TypedAttr lowest = f ? negInf(b, elt)
                         : TypedAttr(b.getIntegerAttr(
                               elt, std::numeric_limits<int64_t>::min()));
    Value max = reduction(
        b, loc, shape, axis, x, {id}, lowest,
        [&](OpBuilder &nb, Location nl, ValueRange s) -> Value {
          return f ? Value(arith::MaximumFOp::create(nb, nl, s[0], s[1]))
                   : selectCmpI(nb, nl, arith::CmpIPredicate::sgt, s[0], s[1]);
        });
    Type i64 = b.getI64Type();
    // Indices are below the axis size, so `size` (first) or -1 (last) never
    // wins over a real match.
    TypedAttr none = b.getIntegerAttr(i64, last ? -1 : shape[axis]);
    Value r = reduction(
        b, loc, shape, axis, ValueRange{x, max},
        {id, keptDimsMap(ctx, shape.size(), axis)}, none,
        [&](OpBuilder &nb, Location nl, ValueRange s) -> Value {
          // A NaN makes the maximum NaN, which equals nothing: then the
          // NaNs are the matches (numpy picks the first NaN).
          Value eq;
          if (f)
            eq = arith::OrIOp::create(
                nb, nl,
                arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OEQ, s[0],
                                      s[1]),
                arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::UNO, s[0],
                                      s[0]));
          else
            eq = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::eq, s[0],
                                       s[1]);
          Value k = arith::IndexCastOp::create(
              nb, nl, i64, linalg::IndexOp::create(nb, nl, axis));
          Value cand = arith::SelectOp::create(
              nb, nl, eq, k, scalar(nb, nl, i64, last ? -1 : shape[axis]));
          return selectCmpI(nb, nl,
                            last ? arith::CmpIPredicate::sgt
                                 : arith::CmpIPredicate::slt,
                            cand, s[2]);
        });
    rewriter.replaceOp(op, reshapeTo(b, loc, r, shapeOf(op.getResult())));
    return success();
  }
};

/// CumSum as a masked reduction over a second copy `j` of the axis:
/// y[.., i, ..] = sum over j of (j <= i ? x[.., j, ..] : 0), with the
/// comparison strict for `exclusive` and reversed for `reverse`. Quadratic
/// in the axis length, and an ordinary reduction kernel for the mapper.
struct CumSumLowering : OpConversionPattern<fe::CumSumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(fe::CumSumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    MLIRContext *ctx = b.getContext();
    Value x = adaptor.getX();
    ArrayRef<int64_t> shape = shapeOf(x);
    Type elt = tensorType(x).getElementType();
    unsigned rank = shape.size(), axis = op.getAxis(), j = rank;
    SmallVector<AffineExpr> in;
    for (unsigned d = 0; d < rank; ++d)
      in.push_back(getAffineDimExpr(d == axis ? j : d, ctx));
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank + 1, 0, in, ctx),
        AffineMap::getMultiDimIdentityMap(rank + 1, ctx).getMajorSubMap(rank)};
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
    iters.push_back(utils::IteratorType::reduction);
    arith::CmpIPredicate pred =
        op.getReverse() ? (op.getExclusive() ? arith::CmpIPredicate::sgt
                                             : arith::CmpIPredicate::sge)
                        : (op.getExclusive() ? arith::CmpIPredicate::slt
                                             : arith::CmpIPredicate::sle);
    Value init = filled(b, loc, shape, cast<TypedAttr>(b.getZeroAttr(elt)));
    Value r =
        generic(b, loc, init, x, maps, iters,
                [&](OpBuilder &nb, Location nl, ValueRange s) -> Value {
                  Value take = arith::CmpIOp::create(
                      nb, nl, pred, linalg::IndexOp::create(nb, nl, j),
                      linalg::IndexOp::create(nb, nl, axis));
                  Value v = arith::SelectOp::create(nb, nl, take, s[0],
                                                    scalar(nb, nl, elt, 0));
                  return isFloat(elt)
                             ? Value(arith::AddFOp::create(nb, nl, s[1], v))
                             : Value(arith::AddIOp::create(nb, nl, s[1], v));
                });
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// Einsum: one linalg.generic over every letter (output letters first, in
/// output order, then the summed ones in first-use order); the body
/// multiplies the operands and accumulates. Two operands give a
/// contraction the mapper and the evaluator's matmul kernel recognise.
struct EinsumLowering : OpConversionPattern<fe::EinsumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(fe::EinsumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    MLIRContext *ctx = b.getContext();
    std::string why;
    FailureOr<fe::EinsumEquation> eq =
        fe::parseEinsumEquation(op.getEquation(), why);
    if (failed(eq))
      return rewriter.notifyMatchFailure(op, why);
    std::string letters = eq->output;
    for (const std::string &term : eq->inputs)
      for (char c : term)
        if (letters.find(c) == std::string::npos)
          letters.push_back(c);
    auto dim = [&](char c) {
      return getAffineDimExpr(unsigned(letters.find(c)), ctx);
    };
    SmallVector<AffineMap> maps;
    for (const std::string &term : eq->inputs) {
      SmallVector<AffineExpr> exprs;
      for (char c : term)
        exprs.push_back(dim(c));
      maps.push_back(AffineMap::get(letters.size(), 0, exprs, ctx));
    }
    SmallVector<AffineExpr> outExprs;
    for (char c : eq->output)
      outExprs.push_back(dim(c));
    maps.push_back(AffineMap::get(letters.size(), 0, outExprs, ctx));
    SmallVector<utils::IteratorType> iters;
    for (size_t d = 0; d < letters.size(); ++d)
      iters.push_back(d < eq->output.size() ? utils::IteratorType::parallel
                                            : utils::IteratorType::reduction);
    auto resType = cast<RankedTensorType>(op.getType());
    Type elt = resType.getElementType();
    Value init =
        filled(b, loc, resType.getShape(), cast<TypedAttr>(b.getZeroAttr(elt)));
    Value r = generic(b, loc, init, adaptor.getInputs(), maps, iters,
                      [&](OpBuilder &nb, Location nl, ValueRange s) -> Value {
                        Value p = s[0];
                        for (Value v : s.drop_front().drop_back())
                          p = arith::MulFOp::create(nb, nl, p, v);
                        return arith::AddFOp::create(nb, nl, s.back(), p);
                      });
    rewriter.replaceOp(op, r);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

struct TransposeLowering : OpConversionPattern<fe::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(fe::TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    ArrayRef<int64_t> perm = op.getPerm();
    Value x = adaptor.getX();
    bool identity = llvm::all_of(llvm::enumerate(perm), [](auto p) {
      return int64_t(p.index()) == p.value();
    });
    if (identity) {
      rewriter.replaceOp(op, x);
      return success();
    }
    auto resType = cast<RankedTensorType>(op.getType());
    Value init = emptyTensor(rewriter, op.getLoc(), resType.getShape(),
                             resType.getElementType());
    rewriter.replaceOp(
        op, linalg::TransposeOp::create(rewriter, op.getLoc(), x, init, perm)
                .getResult()[0]);
    return success();
  }
};

struct ReshapeLowering : OpConversionPattern<fe::ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(fe::ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), adaptor.getX(),
                                     shapeOf(op.getResult())));
    return success();
  }
};

struct ExpandLowering : OpConversionPattern<fe::ExpandOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(fe::ExpandOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, broadcastTo(rewriter, op.getLoc(), adaptor.getX(),
                                       shapeOf(op.getResult())));
    return success();
  }
};

SmallVector<OpFoldResult> indexAttrs(OpBuilder &b, ArrayRef<int64_t> v) {
  return llvm::map_to_vector(
      v, [&](int64_t x) -> OpFoldResult { return b.getIndexAttr(x); });
}

struct ConcatLowering : OpConversionPattern<fe::ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(fe::ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    auto resType = cast<RankedTensorType>(op.getType());
    int64_t axis = op.getAxis();
    unsigned rank = resType.getRank();
    Value acc =
        emptyTensor(b, loc, resType.getShape(), resType.getElementType());
    SmallVector<int64_t> offsets(rank, 0), strides(rank, 1);
    for (Value in : adaptor.getInputs()) {
      ArrayRef<int64_t> s = shapeOf(in);
      if (s[axis] != 0)
        acc = tensor::InsertSliceOp::create(
            b, loc, in, acc, indexAttrs(b, offsets), indexAttrs(b, s),
            indexAttrs(b, strides));
      offsets[axis] += s[axis];
    }
    rewriter.replaceOp(op, acc);
    return success();
  }
};

struct SplitLowering : OpConversionPattern<fe::SplitOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(fe::SplitOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    int64_t axis = op.getAxis();
    unsigned rank = shapeOf(adaptor.getX()).size();
    SmallVector<int64_t> offsets(rank, 0), strides(rank, 1);
    SmallVector<Value> results;
    for (Value r : op.getResults()) {
      auto type = cast<RankedTensorType>(r.getType());
      // A zero-size part reads nothing (extract_slice would reject an
      // offset at the end of the axis).
      if (type.getNumElements() == 0) {
        results.push_back(
            emptyTensor(b, loc, type.getShape(), type.getElementType()));
        continue;
      }
      results.push_back(tensor::ExtractSliceOp::create(
          b, loc, type, adaptor.getX(), indexAttrs(b, offsets),
          indexAttrs(b, type.getShape()), indexAttrs(b, strides)));
      offsets[axis] += type.getShape()[axis];
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct SliceLowering : OpConversionPattern<fe::SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(fe::SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    auto resType = cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> starts = op.getStarts(), steps = op.getSteps();
    Value x = adaptor.getX();
    // An empty result reads nothing (its clamped start may be the end of
    // the axis, which extract_slice rejects).
    if (resType.getNumElements() == 0) {
      rewriter.replaceOp(op, emptyTensor(b, loc, resType.getShape(),
                                         resType.getElementType()));
      return success();
    }
    if (llvm::all_of(steps, [](int64_t s) { return s > 0; })) {
      rewriter.replaceOp(op, tensor::ExtractSliceOp::create(
                                 b, loc, resType, x, indexAttrs(b, starts),
                                 indexAttrs(b, resType.getShape()),
                                 indexAttrs(b, steps)));
      return success();
    }
    // Negative steps walk backwards, which extract_slice cannot express:
    // read x[start + i * step] per element.
    unsigned rank = resType.getRank();
    SmallVector<utils::IteratorType> par(rank, utils::IteratorType::parallel);
    Value init =
        emptyTensor(b, loc, resType.getShape(), resType.getElementType());
    Value r = generic(b, loc, init, {},
                      {AffineMap::getMultiDimIdentityMap(rank, b.getContext())},
                      par, [&](OpBuilder &nb, Location nl, ValueRange) {
                        SmallVector<Value> idx;
                        for (unsigned d = 0; d < rank; ++d) {
                          Value i = linalg::IndexOp::create(nb, nl, d);
                          if (steps[d] != 1)
                            i = arith::MulIOp::create(
                                nb, nl, i, indexConst(nb, nl, steps[d]));
                          if (starts[d] != 0)
                            i = arith::AddIOp::create(
                                nb, nl, i, indexConst(nb, nl, starts[d]));
                          idx.push_back(i);
                        }
                        return tensor::ExtractOp::create(nb, nl, x, idx);
                      });
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// Gather: a generic over the result whose body reads the index, wraps a
/// negative one, and extracts from the data tensor.
struct GatherLowering : OpConversionPattern<fe::GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(fe::GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    OpBuilder &b = rewriter;
    MLIRContext *ctx = b.getContext();
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    auto resType = cast<RankedTensorType>(op.getType());
    unsigned rank = resType.getRank();
    int64_t axis = op.getAxis();
    unsigned ri = shapeOf(indices).size();
    unsigned rd = shapeOf(data).size();
    int64_t dimSize = shapeOf(data)[axis];
    SmallVector<AffineExpr> idxExprs;
    for (unsigned i = 0; i < ri; ++i)
      idxExprs.push_back(getAffineDimExpr(axis + i, ctx));
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank, 0, idxExprs, ctx),
        AffineMap::getMultiDimIdentityMap(rank, ctx)};
    SmallVector<utils::IteratorType> par(rank, utils::IteratorType::parallel);
    Value init =
        emptyTensor(b, loc, resType.getShape(), resType.getElementType());
    Value r = generic(
        b, loc, init, indices, maps, par,
        [&](OpBuilder &nb, Location nl, ValueRange s) {
          Type i64 = s[0].getType();
          Value neg = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt,
                                            s[0], scalar(nb, nl, i64, 0));
          Value wrapped = arith::SelectOp::create(
              nb, nl, neg,
              arith::AddIOp::create(nb, nl, s[0],
                                    scalar(nb, nl, i64, double(dimSize))),
              s[0]);
          SmallVector<Value> idx;
          for (unsigned d = 0; d < rd; ++d) {
            if (int64_t(d) < axis)
              idx.push_back(linalg::IndexOp::create(nb, nl, d));
            else if (int64_t(d) == axis)
              idx.push_back(arith::IndexCastOp::create(
                  nb, nl, nb.getIndexType(), wrapped));
            else
              idx.push_back(linalg::IndexOp::create(nb, nl, d - 1 + ri));
          }
          return tensor::ExtractOp::create(nb, nl, data, idx);
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// Trilu: keep x where (col - row) >= k (upper) or <= k (lower), else 0.
struct TriluLowering : OpConversionPattern<fe::TriluOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(fe::TriluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resType = cast<RankedTensorType>(op.getType());
    unsigned rank = resType.getRank();
    Type elt = resType.getElementType();
    bool upper = op.getUpper();
    int64_t k = op.getK();
    Value r = elementwise(
        rewriter, op.getLoc(), resType, adaptor.getX(),
        [&](OpBuilder &nb, Location nl, ValueRange s) {
          Value row = linalg::IndexOp::create(nb, nl, rank - 2);
          Value col = linalg::IndexOp::create(nb, nl, rank - 1);
          Value diff = arith::SubIOp::create(nb, nl, col, row);
          Value keep = arith::CmpIOp::create(nb, nl,
                                             upper ? arith::CmpIPredicate::sge
                                                   : arith::CmpIPredicate::sle,
                                             diff, indexConst(nb, nl, k));
          return arith::SelectOp::create(nb, nl, keep, s[0],
                                         scalar(nb, nl, elt, 0));
        });
    rewriter.replaceOp(op, r);
    return success();
  }
};

} // namespace

LogicalResult wafer::checkONNXLowerable(Operation *op) {
  if (op->getNumOperands() == 0)
    return success();
  Type elt = getElementTypeOrSelf(op->getOperand(0).getType());
  bool isF32 = elt.isF32(), isI64 = elt.isInteger(64);
  auto reject = [&](StringRef expected) {
    return op->emitOpError("cannot be lowered: element type ")
           << elt << " is not supported (expected " << expected << ")";
  };
  return TypeSwitch<Operation *, LogicalResult>(op)
      .Case<fe::AddOp, fe::SubOp, fe::MulOp, fe::DivOp, fe::MinOp, fe::MaxOp,
            fe::LessOp, fe::GreaterOp, fe::NegOp, fe::AbsOp, fe::ReluOp,
            fe::MatMulOp, fe::ReduceSumOp, fe::ReduceMaxOp, fe::ReduceMinOp,
            fe::ReduceProdOp, fe::SignOp, fe::ArgMaxOp, fe::CumSumOp>(
          [&](Operation *) {
            return isF32 || isI64 ? success() : reject("f32 or i64");
          })
      .Case<fe::ModOp>([&](Operation *) {
        return isF32 || isI64 ? success() : reject("f32 or i64");
      })
      .Case<fe::PowOp, fe::ReduceMeanOp>(
          [&](Operation *) { return isF32 ? success() : reject("f32"); })
      .Default([](Operation *) { return success(); });
}

void wafer::populateONNXToLinalgPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns
      .add<ElementwiseLowering<fe::AddOp>, ElementwiseLowering<fe::SubOp>,
           ElementwiseLowering<fe::MulOp>, ElementwiseLowering<fe::DivOp>,
           ElementwiseLowering<fe::PowOp>, ElementwiseLowering<fe::MinOp>,
           ElementwiseLowering<fe::MaxOp>, ElementwiseLowering<fe::EqualOp>,
           ElementwiseLowering<fe::LessOp>, ElementwiseLowering<fe::GreaterOp>,
           ElementwiseLowering<fe::AndOp>, ElementwiseLowering<fe::OrOp>,
           ElementwiseLowering<fe::WhereOp>, ElementwiseLowering<fe::SqrtOp>,
           ElementwiseLowering<fe::ReciprocalOp>,
           ElementwiseLowering<fe::NegOp>, ElementwiseLowering<fe::ExpOp>,
           ElementwiseLowering<fe::LogOp>, ElementwiseLowering<fe::TanhOp>,
           ElementwiseLowering<fe::ErfOp>, ElementwiseLowering<fe::ReluOp>,
           ElementwiseLowering<fe::SigmoidOp>, ElementwiseLowering<fe::AbsOp>,
           ElementwiseLowering<fe::NotOp>, ElementwiseLowering<fe::CastOp>,
           ElementwiseLowering<fe::ClipOp>, ElementwiseLowering<fe::GeluOp>,
           ElementwiseLowering<fe::SignOp>, ElementwiseLowering<fe::FloorOp>,
           ElementwiseLowering<fe::CeilOp>, ElementwiseLowering<fe::SinOp>,
           ElementwiseLowering<fe::CosOp>, ElementwiseLowering<fe::ModOp>,
           ReduceLowering<fe::ReduceMinOp, ReduceKind::Min>,
           ReduceLowering<fe::ReduceProdOp, ReduceKind::Prod>, ArgMaxLowering,
           CumSumLowering, EinsumLowering, MatMulLowering, GemmLowering,
           SoftmaxLowering<fe::SoftmaxOp, false>,
           SoftmaxLowering<fe::LogSoftmaxOp, true>, LayerNormLowering,
           ReduceLowering<fe::ReduceSumOp, ReduceKind::Sum>,
           ReduceLowering<fe::ReduceMeanOp, ReduceKind::Mean>,
           ReduceLowering<fe::ReduceMaxOp, ReduceKind::Max>, TransposeLowering,
           ReshapeLowering, ExpandLowering, ConcatLowering, SplitLowering,
           SliceLowering, GatherLowering, TriluLowering>(ctx);
}
