//===- Evaluator.cpp - golden evaluation of a tensor-level func -----------===//
#include "wafer/Interpreter/Evaluator.h"
#include "wafer/Interpreter/LinalgExecutor.h"
#include "wafer/Support/Sizes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir;
using namespace wafer::interp;
using llvm::ArrayRef;
using llvm::SmallVector;

static llvm::Error opError(Operation *op, const llvm::Twine &msg) {
  return llvm::createStringError(describeOp(op) + ": " + msg);
}

static std::string typeString(Type t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << t;
  return s;
}

llvm::Expected<Tensor> wafer::interp::materializeConstant(Attribute value,
                                                          Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  Type elt = shaped ? shaped.getElementType() : type;
  auto kind = elementKindFromType(elt);
  if (!kind || (shaped && !shaped.hasStaticShape()))
    return llvm::createStringError("unsupported constant type " +
                                   typeString(type));
  SmallVector<int64_t, 4> shape;
  if (shaped)
    shape.assign(shaped.getShape().begin(), shaped.getShape().end());
  Tensor t(*kind, shape);
  int64_t n = t.getNumElements();

  auto setInt = [&](int64_t i, int64_t v) {
    switch (*kind) {
    case ElementKind::I64:
    case ElementKind::Index:
      t.dataAs<int64_t>()[i] = v;
      break;
    case ElementKind::I32:
      t.dataAs<int32_t>()[i] = static_cast<int32_t>(v);
      break;
    case ElementKind::I1:
      t.data()[i] = v & 1;
      break;
    case ElementKind::F32:
      break;
    }
  };

  if (auto f = dyn_cast<FloatAttr>(value)) {
    if (*kind != ElementKind::F32)
      return llvm::createStringError("float constant of type " +
                                     typeString(type));
    t.dataAs<float>()[0] = static_cast<float>(f.getValueAsDouble());
    return std::move(t);
  }
  if (auto i = dyn_cast<IntegerAttr>(value)) {
    if (*kind == ElementKind::F32)
      return llvm::createStringError("integer constant of type " +
                                     typeString(type));
    setInt(0, i.getValue().getSExtValue());
    return std::move(t);
  }
  if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    if (dense.isSplat()) {
      if (*kind == ElementKind::F32) {
        float v = dense.getSplatValue<APFloat>().convertToFloat();
        std::fill_n(t.dataAs<float>(), n, v);
      } else {
        int64_t v = dense.getSplatValue<APInt>().getSExtValue();
        for (int64_t i = 0; i < n; ++i)
          setInt(i, v);
      }
      return std::move(t);
    }
    int64_t i = 0;
    if (*kind == ElementKind::F32) {
      for (float v : dense.getValues<float>())
        t.dataAs<float>()[i++] = v;
    } else {
      for (const APInt &v : dense.getValues<APInt>())
        setInt(i++, v.getSExtValue());
    }
    return std::move(t);
  }
  if (auto res = dyn_cast<DenseResourceElementsAttr>(value)) {
    DenseResourceElementsHandle handle = res.getRawHandle();
    const AsmResourceBlob *blob = handle.getBlob();
    if (!blob)
      return llvm::createStringError(
          "dense_resource '" + handle.getKey() +
          "' has no data (missing from the file's dialect_resources?)");
    ArrayRef<char> data = blob->getData();
    if (data.size() != t.getNumBytes())
      return llvm::createStringError(llvm::formatv(
          "dense_resource '{0}' holds {1} bytes, {2} needs {3}",
          handle.getKey(), data.size(), typeString(type), t.getNumBytes()));
    std::memcpy(t.data(), data.data(), data.size());
    if (*kind == ElementKind::I1)
      for (int64_t j = 0; j < n; ++j)
        t.data()[j] = t.data()[j] != 0;
    return std::move(t);
  }
  return llvm::createStringError("unsupported constant attribute");
}

namespace {
class FunctionEvaluator {
public:
  llvm::Expected<std::vector<Tensor>> run(func::FuncOp func,
                                          ArrayRef<Tensor> args);

private:
  llvm::Error evalOp(Operation *op);
  llvm::Error evalLinalg(linalg::LinalgOp op);
  llvm::Error evalExtractSlice(tensor::ExtractSliceOp op);
  llvm::Error evalInsertSlice(tensor::InsertSliceOp op);
  llvm::Error evalReshape(Operation *op);
  llvm::Expected<const Tensor *> get(Operation *user, Value v);
  void set(Value v, Tensor t) { env[v] = std::move(t); }

  llvm::DenseMap<Value, Tensor> env;
  std::vector<Tensor> results;
};
} // namespace

llvm::Expected<const Tensor *> FunctionEvaluator::get(Operation *user,
                                                      Value v) {
  auto it = env.find(v);
  if (it == env.end())
    return opError(user, "operand has no value (defined by an op the "
                         "evaluator skipped?)");
  return &it->second;
}

/// Copies the box `sizes` between two strided index spaces of `t`'s kind.
static void copyStrided(const char *src, ArrayRef<int64_t> srcStrides,
                        char *dst, ArrayRef<int64_t> dstStrides,
                        ArrayRef<int64_t> sizes, size_t es) {
  int64_t rank = sizes.size();
  if (shapeNumElements(sizes) == 0)
    return;
  SmallVector<int64_t, 6> idx(rank, 0);
  while (true) {
    int64_t s = 0, d = 0;
    for (int64_t r = 0; r < rank; ++r) {
      s += idx[r] * srcStrides[r];
      d += idx[r] * dstStrides[r];
    }
    std::memcpy(dst + d * es, src + s * es, es);
    int64_t r = rank - 1;
    for (; r >= 0; --r) {
      if (++idx[r] < sizes[r])
        break;
      idx[r] = 0;
    }
    if (r < 0)
      return;
  }
}

llvm::Error FunctionEvaluator::evalExtractSlice(tensor::ExtractSliceOp op) {
  auto src = get(op, op.getSource());
  if (!src)
    return src.takeError();
  if (op.getSourceType().getRank() !=
          static_cast<int64_t>(op.getStaticOffsets().size()) ||
      ShapedType::isDynamicShape(op.getStaticOffsets()) ||
      ShapedType::isDynamicShape(op.getStaticSizes()) ||
      ShapedType::isDynamicShape(op.getStaticStrides()))
    return opError(op, "dynamic offsets, sizes or strides are not supported");
  ArrayRef<int64_t> offsets = op.getStaticOffsets(),
                    sizes = op.getStaticSizes(),
                    strides = op.getStaticStrides();
  const Tensor &s = **src;
  auto srcStrides = rowMajorStrides(s.getShape());
  int64_t start = 0;
  SmallVector<int64_t, 4> walk;
  for (size_t r = 0; r < offsets.size(); ++r) {
    int64_t last = offsets[r] + (sizes[r] - 1) * strides[r];
    if (sizes[r] > 0 && (offsets[r] < 0 || offsets[r] >= s.getShape()[r] ||
                         last < 0 || last >= s.getShape()[r]))
      return opError(op, llvm::formatv("slice dim {0} reads [{1}, {2}] of a "
                                       "dim of size {3}",
                                       r, offsets[r], last, s.getShape()[r])
                             .str());
    start += offsets[r] * srcStrides[r];
    walk.push_back(srcStrides[r] * strides[r]);
  }
  Tensor out(s.getKind(), sizes);
  size_t es = elementSize(s.getKind());
  copyStrided(s.data() + start * es, walk, out.data(), rowMajorStrides(sizes),
              sizes, es);
  out.reshape(op.getResultType().getShape());
  set(op.getResult(), std::move(out));
  return llvm::Error::success();
}

llvm::Error FunctionEvaluator::evalInsertSlice(tensor::InsertSliceOp op) {
  auto src = get(op, op.getSource());
  if (!src)
    return src.takeError();
  auto dst = get(op, op.getDest());
  if (!dst)
    return dst.takeError();
  if (ShapedType::isDynamicShape(op.getStaticOffsets()) ||
      ShapedType::isDynamicShape(op.getStaticSizes()) ||
      ShapedType::isDynamicShape(op.getStaticStrides()))
    return opError(op, "dynamic offsets, sizes or strides are not supported");
  ArrayRef<int64_t> offsets = op.getStaticOffsets(),
                    sizes = op.getStaticSizes(),
                    strides = op.getStaticStrides();
  Tensor out = **dst;
  auto dstStrides = rowMajorStrides(out.getShape());
  int64_t start = 0;
  SmallVector<int64_t, 4> walk;
  for (size_t r = 0; r < offsets.size(); ++r) {
    int64_t last = offsets[r] + (sizes[r] - 1) * strides[r];
    if (sizes[r] > 0 && (offsets[r] < 0 || last >= out.getShape()[r] ||
                         offsets[r] >= out.getShape()[r] || last < 0))
      return opError(op, llvm::formatv("slice dim {0} writes [{1}, {2}] of a "
                                       "dim of size {3}",
                                       r, offsets[r], last, out.getShape()[r])
                             .str());
    start += offsets[r] * dstStrides[r];
    walk.push_back(dstStrides[r] * strides[r]);
  }
  const Tensor &s = **src;
  if (shapeNumElements(sizes) != s.getNumElements())
    return opError(op, "source size does not match the slice sizes");
  size_t es = elementSize(out.getKind());
  copyStrided(s.data(), rowMajorStrides(sizes), out.data() + start * es, walk,
              sizes, es);
  set(op.getResult(), std::move(out));
  return llvm::Error::success();
}

llvm::Error FunctionEvaluator::evalReshape(Operation *op) {
  auto src = get(op, op->getOperand(0));
  if (!src)
    return src.takeError();
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  if (!type.hasStaticShape())
    return opError(op, "dynamic result shape is not supported");
  Tensor out = **src;
  if (out.getNumElements() != type.getNumElements())
    return opError(op, "element count changes in a reshape");
  out.reshape(type.getShape());
  set(op->getResult(0), std::move(out));
  return llvm::Error::success();
}

llvm::Error FunctionEvaluator::evalLinalg(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics())
    return opError(op, "only linalg ops on tensors are supported");
  auto compiled = CompiledLinalgOp::compile(op);
  if (!compiled)
    return compiled.takeError();
  SmallVector<View> inputs, outputs, captures;
  for (Value v : op.getDpsInputs()) {
    auto t = get(op, v);
    if (!t)
      return t.takeError();
    inputs.push_back((*t)->view());
  }
  // Outputs start as copies of the inits: the init may have other users.
  SmallVector<Tensor> outs;
  for (Value v : op.getDpsInits()) {
    auto t = get(op, v);
    if (!t)
      return t.takeError();
    outs.push_back(**t);
  }
  for (Tensor &t : outs)
    outputs.push_back(t.view());
  for (Value v : compiled->getCaptures()) {
    auto t = get(op, v);
    if (!t)
      return t.takeError();
    captures.push_back((*t)->view());
  }
  SmallVector<int64_t> lo(compiled->getLoopRanges().size(), 0);
  if (auto err = compiled->run(lo, compiled->getLoopRanges(), inputs, outputs,
                               captures))
    return err;
  for (auto [res, t] : llvm::zip(op->getResults(), outs))
    set(res, std::move(t));
  return llvm::Error::success();
}

llvm::Error FunctionEvaluator::evalOp(Operation *op) {
  for (Type t : op->getResultTypes()) {
    auto shaped = dyn_cast<ShapedType>(t);
    if (shaped && !shaped.hasStaticShape())
      return opError(op,
                     "dynamic shape " + typeString(t) + " is not supported");
    if (!elementKindFromType(getElementTypeOrSelf(t)))
      return opError(op, "unsupported element type in " + typeString(t));
  }
  return llvm::TypeSwitch<Operation *, llvm::Error>(op)
      .Case([&](arith::ConstantOp c) -> llvm::Error {
        auto t = materializeConstant(c.getValue(), c.getType());
        if (!t)
          return opError(op, llvm::toString(t.takeError()));
        set(c.getResult(), std::move(*t));
        return llvm::Error::success();
      })
      .Case([&](tensor::EmptyOp e) -> llvm::Error {
        set(e.getResult(),
            Tensor(*elementKindFromType(e.getType().getElementType()),
                   e.getType().getShape()));
        return llvm::Error::success();
      })
      .Case([&](tensor::ExtractSliceOp s) { return evalExtractSlice(s); })
      .Case([&](tensor::InsertSliceOp s) { return evalInsertSlice(s); })
      .Case<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(
          [&](Operation *r) { return evalReshape(r); })
      .Case<linalg::GenericOp, linalg::MatmulOp, linalg::BatchMatmulOp,
            linalg::FillOp, linalg::TransposeOp, linalg::BroadcastOp>(
          [&](Operation *l) { return evalLinalg(cast<linalg::LinalgOp>(l)); })
      .Case([&](func::ReturnOp r) -> llvm::Error {
        for (Value v : r.getOperands()) {
          auto t = get(op, v);
          if (!t)
            return t.takeError();
          results.push_back(**t);
        }
        return llvm::Error::success();
      })
      .Default([&](Operation *) {
        return opError(op, "op is not in the tensor-level subset the "
                           "evaluator runs");
      });
}

llvm::Expected<std::vector<Tensor>>
FunctionEvaluator::run(func::FuncOp func, ArrayRef<Tensor> args) {
  if (func.isExternal() || !func.getBody().hasOneBlock())
    return opError(func, "expected a function with a single-block body");
  Block &entry = func.getBody().front();
  if (args.size() != entry.getNumArguments())
    return opError(func, llvm::formatv("got {0} arguments, the function takes "
                                       "{1}",
                                       args.size(), entry.getNumArguments())
                             .str());
  for (auto [i, arg] : llvm::enumerate(entry.getArguments())) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    Type elt = getElementTypeOrSelf(arg.getType());
    auto kind = elementKindFromType(elt);
    if (!kind || (type && !type.hasStaticShape()))
      return opError(func, llvm::formatv("argument {0} has unsupported type "
                                         "{1}",
                                         i, typeString(arg.getType()))
                               .str());
    ArrayRef<int64_t> shape = type ? type.getShape() : ArrayRef<int64_t>();
    if (args[i].getKind() != *kind || args[i].getShape() != shape)
      return opError(func, llvm::formatv("argument {0}: expected {1}, got {2}",
                                         i, describeShape(shape, *kind),
                                         describeShape(args[i].getShape(),
                                                       args[i].getKind()))
                               .str());
    env[arg] = args[i];
  }
  // Free each value after its last top-level user so peak memory stays near
  // the live set (weights of large models dominate otherwise).
  llvm::DenseMap<Operation *, SmallVector<Value>> dying;
  {
    llvm::DenseMap<Value, Operation *> lastUser;
    for (Operation &op : entry)
      op.walk([&](Operation *nested) {
        for (Value v : nested->getOperands())
          if (v.getParentBlock() == &entry)
            lastUser[v] = &op;
      });
    // Order by block position for determinism.
    for (Operation &op : entry)
      for (Value r : op.getResults())
        if (Operation *u = lastUser.lookup(r))
          dying[u].push_back(r);
    for (BlockArgument a : entry.getArguments())
      if (Operation *u = lastUser.lookup(a))
        dying[u].push_back(a);
  }
  for (Operation &op : entry) {
    // Refuse a result that cannot be allocated before trying (a Expand
    // or broadcast to a huge shape), naming the op.
    for (Value r : op.getResults())
      if (auto rt = dyn_cast<RankedTensorType>(r.getType());
          rt && rt.hasStaticShape()) {
        std::string why = wafer::checkAllocation(
            rt.getShape(), wafer::elementBytes(rt.getElementType()));
        if (!why.empty())
          return opError(&op, "result " + why);
      }
    if (auto err = evalOp(&op))
      return std::move(err);
    for (Value v : dying.lookup(&op))
      env.erase(v);
  }
  return std::move(results);
}

llvm::Expected<std::vector<Tensor>>
wafer::interp::evaluateFunction(func::FuncOp func, ArrayRef<Tensor> args) {
  FunctionEvaluator evaluator;
  return evaluator.run(func, args);
}
