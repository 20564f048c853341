//===- LinalgExecutor.cpp - run a linalg op over an iteration box ---------===//
//
// A linalg body is compiled once into a flat list of register instructions;
// the per-element loop then only dispatches over that list, never over MLIR
// ops. Each operand's address is an affine function of the iteration indices
// (coefficients from its indexing map and its view's strides), advanced
// along the innermost loop. Contractions with an f32 multiply-add body go to
// the blocked kernel instead.
//
//===----------------------------------------------------------------------===//
#include "wafer/Interpreter/LinalgExecutor.h"
#include "wafer/Interpreter/MatmulKernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineExpr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace mlir;
using namespace wafer::interp;
using llvm::ArrayRef;
using llvm::SmallVector;

std::string wafer::interp::describeOp(Operation *op) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "'" << op->getName() << "' at ";
  op->getLoc().print(os);
  return s;
}

static llvm::Error opError(Operation *op, const llvm::Twine &msg) {
  return llvm::createStringError(describeOp(op) + ": " + msg);
}

namespace {
/// One register: f32 values use `f`, every integer-like value (i1 as 0/1,
/// other widths sign-extended to 64 bits, index) uses `i`.
union Reg {
  float f;
  int64_t i;
};

enum class Opc : uint8_t {
  AddF,
  SubF,
  MulF,
  DivF,
  NegF,
  MaximumF,
  MinimumF,
  MaxNumF,
  MinNumF,
  CmpF,
  Select,
  AddI,
  SubI,
  MulI,
  DivSI,
  RemSI,
  CmpI,
  AndI,
  OrI,
  XorI,
  ExtUI,
  ExtSI,
  TruncI,
  SIToFP,
  UIToFP,
  FPToSI,
  IndexCast,
  Exp,
  Log,
  Tanh,
  Erf,
  Sqrt,
  Rsqrt,
  PowF,
  AbsF,
  Floor,
  Ceil,
  Sin,
  Cos,
  RemF,
  FPowI,
  Index,
  Extract
};

/// `width` is the integer bit width the instruction works in (source width
/// for extensions and int-to-float conversions, result width otherwise);
/// `pred` is a comparison predicate. Index reads dim `b`; Extract reads
/// capture `e` at the `c` index registers listed from `extractArgs[b]`.
struct Instr {
  Opc opc;
  uint8_t pred = 0;
  uint8_t width = 64;
  uint8_t width2 = 64;
  int32_t dst = 0, a = 0, b = 0, c = 0, e = 0;
};

/// The address of an operand element as an affine function of the iteration
/// indices: coef[d] * idx[d] summed plus `constant`, one per map result.
struct LinearExpr {
  SmallVector<int64_t, 4> coef;
  int64_t constant = 0;
};

struct Load {
  int32_t reg;
  int32_t operand;
  ElementKind kind;
};
} // namespace

namespace wafer::interp::detail {
struct CompiledBody {
  Operation *op = nullptr;
  int64_t numLoops = 0;
  int64_t numInputs = 0;
  int64_t numOutputs = 0;
  SmallVector<int64_t, 4> loopRanges;
  /// Per operand (inputs then outputs): element kind and map results.
  SmallVector<ElementKind> kinds;
  SmallVector<SmallVector<LinearExpr, 4>> maps;
  SmallVector<Value> captures;
  SmallVector<ElementKind> captureKinds;
  std::vector<Reg> initialRegs;
  std::vector<Instr> code;
  std::vector<int32_t> extractArgs;
  std::vector<Load> loads;
  /// Register yielded into each output.
  SmallVector<int32_t> yields;
  /// Contraction kernel: dims (-1 when absent) and batch dims.
  bool contraction = false;
  int64_t dimM = -1, dimN = -1, dimK = -1;
  SmallVector<int64_t> batchDims;
};
} // namespace wafer::interp::detail

using wafer::interp::detail::CompiledBody;

//===----------------------------------------------------------------------===//
// Integer helpers: values live sign-extended in 64 bits, i1 as 0/1.
//===----------------------------------------------------------------------===//

static inline int64_t normalize(unsigned w, int64_t v) {
  if (w >= 64)
    return v;
  if (w == 1)
    return v & 1;
  unsigned sh = 64 - w;
  return static_cast<int64_t>(static_cast<uint64_t>(v) << sh) >> sh;
}
static inline int64_t signedVal(unsigned w, int64_t v) {
  return w == 1 ? -(v & 1) : v;
}
static inline uint64_t unsignedVal(unsigned w, int64_t v) {
  if (w >= 64)
    return static_cast<uint64_t>(v);
  return static_cast<uint64_t>(v) & ((uint64_t(1) << w) - 1);
}

static unsigned intWidth(Type t) {
  if (t.isIndex())
    return 64;
  if (auto it = dyn_cast<IntegerType>(t))
    return it.getWidth();
  return 0;
}

//===----------------------------------------------------------------------===//
// Compilation
//===----------------------------------------------------------------------===//

static bool decomposeAffine(AffineExpr e, int64_t numDims, LinearExpr &out,
                            int64_t scale) {
  if (auto d = dyn_cast<AffineDimExpr>(e)) {
    out.coef[d.getPosition()] += scale;
    return true;
  }
  if (auto c = dyn_cast<AffineConstantExpr>(e)) {
    out.constant += scale * c.getValue();
    return true;
  }
  auto bin = dyn_cast<AffineBinaryOpExpr>(e);
  if (!bin)
    return false;
  if (e.getKind() == AffineExprKind::Add)
    return decomposeAffine(bin.getLHS(), numDims, out, scale) &&
           decomposeAffine(bin.getRHS(), numDims, out, scale);
  if (e.getKind() == AffineExprKind::Mul) {
    if (auto c = dyn_cast<AffineConstantExpr>(bin.getRHS()))
      return decomposeAffine(bin.getLHS(), numDims, out, scale * c.getValue());
    if (auto c = dyn_cast<AffineConstantExpr>(bin.getLHS()))
      return decomposeAffine(bin.getRHS(), numDims, out, scale * c.getValue());
  }
  return false;
}

namespace {
class BodyCompiler {
public:
  BodyCompiler(CompiledBody &body) : body(body) {}

  llvm::Error compile(linalg::LinalgOp op);

private:
  llvm::Expected<int32_t> reg(Value v, Operation *user);
  int32_t newReg() {
    body.initialRegs.push_back(Reg{});
    body.initialRegs.back().i = 0;
    return body.initialRegs.size() - 1;
  }
  llvm::Error compileOp(Operation *op);
  void emit(Instr in) { body.code.push_back(in); }

  CompiledBody &body;
  llvm::DenseMap<Value, int32_t> regs;
  llvm::DenseMap<Value, int32_t> captureIndex;
};
} // namespace

llvm::Expected<int32_t> BodyCompiler::reg(Value v, Operation *user) {
  auto it = regs.find(v);
  if (it != regs.end())
    return it->second;
  // A scalar defined outside the body: only constants are allowed.
  Attribute cst;
  Operation *def = v.getDefiningOp();
  if (def && isa<arith::ConstantOp>(def))
    cst = cast<arith::ConstantOp>(def).getValue();
  if (!cst)
    return opError(body.op, "body of the op uses a value defined outside it "
                            "that is not a scalar constant (used by '" +
                                user->getName().getStringRef() + "')");
  int32_t r = newReg();
  if (auto f = dyn_cast<FloatAttr>(cst)) {
    if (!f.getType().isF32())
      return opError(body.op, "unsupported constant type in the body");
    body.initialRegs[r].f = static_cast<float>(f.getValueAsDouble());
  } else if (auto i = dyn_cast<IntegerAttr>(cst)) {
    unsigned w = intWidth(i.getType());
    body.initialRegs[r].i = normalize(w, i.getValue().getSExtValue());
  } else {
    return opError(body.op, "unsupported constant in the body");
  }
  regs[v] = r;
  return r;
}

static bool isSupportedScalar(Type t) {
  return t.isF32() || t.isIndex() || t.isSignlessInteger(1) ||
         t.isSignlessInteger(8) || t.isSignlessInteger(16) ||
         t.isSignlessInteger(32) || t.isSignlessInteger(64);
}

llvm::Error BodyCompiler::compileOp(Operation *op) {
  for (Type t : op->getResultTypes())
    if (!isSupportedScalar(t)) {
      std::string ts;
      llvm::raw_string_ostream os(ts);
      os << t;
      return opError(body.op, "unsupported type " + ts + " of '" +
                                  op->getName().getStringRef() +
                                  "' in the body");
    }
  SmallVector<int32_t, 3> ops;
  for (Value v : op->getOperands()) {
    if (isa<RankedTensorType>(v.getType())) {
      ops.push_back(-1);
      continue;
    }
    auto r = reg(v, op);
    if (!r)
      return r.takeError();
    ops.push_back(*r);
  }
  int32_t dst = op->getNumResults() == 1 ? newReg() : -1;
  auto unary = [&](Opc opc) { emit(Instr{opc, 0, 64, 64, dst, ops[0]}); };
  auto binary = [&](Opc opc, unsigned w = 64) {
    emit(Instr{opc, 0, static_cast<uint8_t>(w), 64, dst, ops[0], ops[1]});
  };
  unsigned resW =
      op->getNumResults() ? intWidth(op->getResult(0).getType()) : 0;
  unsigned srcW =
      op->getNumOperands() ? intWidth(op->getOperand(0).getType()) : 0;
  bool ok = true;
  llvm::TypeSwitch<Operation *>(op)
      .Case([&](arith::ConstantOp c) {
        // Give the constant's value to the destination register directly.
        body.initialRegs.pop_back();
        auto r = reg(c.getResult(), op);
        if (!r) {
          llvm::consumeError(r.takeError());
          ok = false;
          return;
        }
        dst = *r;
      })
      .Case([&](arith::AddFOp) { binary(Opc::AddF); })
      .Case([&](arith::SubFOp) { binary(Opc::SubF); })
      .Case([&](arith::MulFOp) { binary(Opc::MulF); })
      .Case([&](arith::DivFOp) { binary(Opc::DivF); })
      .Case([&](arith::NegFOp) { unary(Opc::NegF); })
      .Case([&](arith::MaximumFOp) { binary(Opc::MaximumF); })
      .Case([&](arith::MinimumFOp) { binary(Opc::MinimumF); })
      .Case([&](arith::MaxNumFOp) { binary(Opc::MaxNumF); })
      .Case([&](arith::MinNumFOp) { binary(Opc::MinNumF); })
      .Case([&](arith::CmpFOp c) {
        emit(Instr{Opc::CmpF, static_cast<uint8_t>(c.getPredicate()), 64, 64,
                   dst, ops[0], ops[1]});
      })
      .Case([&](arith::SelectOp) {
        emit(Instr{Opc::Select, 0, 64, 64, dst, ops[0], ops[1], ops[2]});
      })
      .Case([&](arith::AddIOp) { binary(Opc::AddI, resW); })
      .Case([&](arith::SubIOp) { binary(Opc::SubI, resW); })
      .Case([&](arith::MulIOp) { binary(Opc::MulI, resW); })
      .Case([&](arith::DivSIOp) { binary(Opc::DivSI, resW); })
      .Case([&](arith::RemSIOp) { binary(Opc::RemSI, resW); })
      .Case([&](arith::AndIOp) { binary(Opc::AndI, resW); })
      .Case([&](arith::OrIOp) { binary(Opc::OrI, resW); })
      .Case([&](arith::XOrIOp) { binary(Opc::XorI, resW); })
      .Case([&](arith::CmpIOp c) {
        emit(Instr{Opc::CmpI, static_cast<uint8_t>(c.getPredicate()),
                   static_cast<uint8_t>(srcW), 64, dst, ops[0], ops[1]});
      })
      .Case([&](arith::ExtUIOp) {
        emit(Instr{Opc::ExtUI, 0, static_cast<uint8_t>(srcW),
                   static_cast<uint8_t>(resW), dst, ops[0]});
      })
      .Case([&](arith::ExtSIOp) {
        emit(Instr{Opc::ExtSI, 0, static_cast<uint8_t>(srcW),
                   static_cast<uint8_t>(resW), dst, ops[0]});
      })
      .Case([&](arith::TruncIOp) {
        emit(
            Instr{Opc::TruncI, 0, static_cast<uint8_t>(resW), 64, dst, ops[0]});
      })
      .Case([&](arith::SIToFPOp) {
        emit(
            Instr{Opc::SIToFP, 0, static_cast<uint8_t>(srcW), 64, dst, ops[0]});
      })
      .Case([&](arith::UIToFPOp) {
        emit(
            Instr{Opc::UIToFP, 0, static_cast<uint8_t>(srcW), 64, dst, ops[0]});
      })
      .Case([&](arith::FPToSIOp) {
        emit(
            Instr{Opc::FPToSI, 0, static_cast<uint8_t>(resW), 64, dst, ops[0]});
      })
      .Case([&](arith::IndexCastOp) {
        emit(Instr{Opc::IndexCast, 0, static_cast<uint8_t>(resW), 64, dst,
                   ops[0]});
      })
      .Case([&](math::ExpOp) { unary(Opc::Exp); })
      .Case([&](math::LogOp) { unary(Opc::Log); })
      .Case([&](math::TanhOp) { unary(Opc::Tanh); })
      .Case([&](math::ErfOp) { unary(Opc::Erf); })
      .Case([&](math::SqrtOp) { unary(Opc::Sqrt); })
      .Case([&](math::RsqrtOp) { unary(Opc::Rsqrt); })
      .Case([&](math::AbsFOp) { unary(Opc::AbsF); })
      .Case([&](math::FloorOp) { unary(Opc::Floor); })
      .Case([&](math::CeilOp) { unary(Opc::Ceil); })
      .Case([&](math::SinOp) { unary(Opc::Sin); })
      .Case([&](math::CosOp) { unary(Opc::Cos); })
      .Case([&](arith::RemFOp) { binary(Opc::RemF); })
      .Case([&](math::PowFOp) { binary(Opc::PowF); })
      .Case([&](math::FPowIOp) { binary(Opc::FPowI); })
      .Case([&](linalg::IndexOp i) {
        emit(Instr{Opc::Index, 0, 64, 64, dst, 0,
                   static_cast<int32_t>(i.getDim())});
      })
      .Case([&](tensor::ExtractOp e) {
        Value t = e.getTensor();
        auto [it, inserted] = captureIndex.try_emplace(
            t, static_cast<int32_t>(body.captures.size()));
        if (inserted) {
          body.captures.push_back(t);
          auto kind = elementKindFromType(e.getType());
          if (!kind) {
            ok = false;
            return;
          }
          body.captureKinds.push_back(*kind);
        }
        int32_t first = body.extractArgs.size();
        for (size_t i = 1; i < ops.size(); ++i)
          body.extractArgs.push_back(ops[i]);
        emit(Instr{Opc::Extract, 0, 64, 64, dst, 0, first,
                   static_cast<int32_t>(ops.size() - 1), it->second});
      })
      .Default([&](Operation *) { ok = false; });
  if (!ok)
    return opError(body.op, "unsupported op '" + op->getName().getStringRef() +
                                "' in the body");
  if (dst >= 0)
    regs[op->getResult(0)] = dst;
  return llvm::Error::success();
}

/// Recognises `out + a * b` (any operand order) over f32 with projected
/// permutation maps in which a dim k reduces A and B into C.
static void detectContraction(linalg::LinalgOp op, CompiledBody &body) {
  if (body.numInputs != 2 || body.numOutputs != 1)
    return;
  for (ElementKind k : body.kinds)
    if (k != ElementKind::F32)
      return;
  Block *block = op.getBlock();
  if (block->getOperations().size() != 3)
    return;
  auto mul = dyn_cast<arith::MulFOp>(&block->front());
  auto add =
      dyn_cast_if_present<arith::AddFOp>(mul ? mul->getNextNode() : nullptr);
  auto yield = dyn_cast<linalg::YieldOp>(block->getTerminator());
  if (!mul || !add || !yield || yield.getNumOperands() != 1 ||
      yield.getOperand(0) != add.getResult())
    return;
  Value a0 = block->getArgument(0), a1 = block->getArgument(1),
        acc = block->getArgument(2);
  bool mulOk = (mul.getLhs() == a0 && mul.getRhs() == a1) ||
               (mul.getLhs() == a1 && mul.getRhs() == a0);
  bool addOk = (add.getLhs() == acc && add.getRhs() == mul.getResult()) ||
               (add.getRhs() == acc && add.getLhs() == mul.getResult());
  if (!mulOk || !addOk || mul.getFastmath() != arith::FastMathFlags::none ||
      add.getFastmath() != arith::FastMathFlags::none)
    return;
  // Which operands each loop dim appears in; every map result must be a
  // single dim (or constant) with coefficient 1.
  SmallVector<unsigned> presence(body.numLoops, 0);
  for (int o = 0; o < 3; ++o)
    for (const LinearExpr &e : body.maps[o]) {
      int nonzero = 0;
      for (int64_t d = 0; d < body.numLoops; ++d)
        if (e.coef[d] != 0) {
          if (e.coef[d] != 1)
            return;
          ++nonzero;
          presence[d] |= 1u << o;
        }
      if (nonzero > 1)
        return;
    }
  auto iters = op.getIteratorTypesArray();
  int64_t m = -1, n = -1, k = -1;
  SmallVector<int64_t> batch;
  for (int64_t d = 0; d < body.numLoops; ++d) {
    bool red = iters[d] == utils::IteratorType::reduction;
    unsigned p = presence[d];
    if (red && p == 0b011 && k < 0)
      k = d;
    else if (!red && p == 0b101 && m < 0)
      m = d;
    else if (!red && p == 0b110 && n < 0)
      n = d;
    else if (!red && p == 0b111)
      batch.push_back(d);
    else
      return;
  }
  if (k < 0)
    return;
  body.contraction = true;
  body.dimM = m;
  body.dimN = n;
  body.dimK = k;
  body.batchDims = std::move(batch);
}

llvm::Error BodyCompiler::compile(linalg::LinalgOp op) {
  body.op = op;
  if (!op.hasPureTensorSemantics() && !op.hasPureBufferSemantics())
    return opError(op, "mixed tensor and buffer operands are not supported");
  body.numLoops = op.getNumLoops();
  body.numInputs = op.getNumDpsInputs();
  body.numOutputs = op.getNumDpsInits();
  body.loopRanges = op.getStaticLoopRanges();
  for (int64_t r : body.loopRanges)
    if (ShapedType::isDynamic(r))
      return opError(op, "dynamic loop ranges are not supported");
  for (OpOperand &operand : op->getOpOperands()) {
    Type elt = getElementTypeOrSelf(operand.get().getType());
    auto kind = elementKindFromType(elt);
    if (!kind) {
      std::string ts;
      llvm::raw_string_ostream os(ts);
      os << operand.get().getType();
      return opError(op, "unsupported operand type " + ts);
    }
    body.kinds.push_back(*kind);
    AffineMap map = op.getMatchingIndexingMap(&operand);
    if (map.getNumSymbols() != 0)
      return opError(op, "indexing maps with symbols are not supported");
    SmallVector<LinearExpr, 4> exprs;
    for (AffineExpr e : map.getResults()) {
      LinearExpr le;
      le.coef.assign(body.numLoops, 0);
      if (!decomposeAffine(e, body.numLoops, le, 1))
        return opError(op, "indexing map is not affine-linear in the loop "
                           "indices");
      exprs.push_back(std::move(le));
    }
    body.maps.push_back(std::move(exprs));
  }
  Block *block = op.getBlock();
  if (!block)
    return opError(op, "op has no body");
  for (BlockArgument arg : block->getArguments()) {
    int32_t r = newReg();
    regs[arg] = r;
    if (!arg.use_empty())
      body.loads.push_back(Load{r, static_cast<int32_t>(arg.getArgNumber()),
                                body.kinds[arg.getArgNumber()]});
  }
  for (Operation &inner : block->without_terminator())
    if (auto err = compileOp(&inner))
      return err;
  auto yield = dyn_cast<linalg::YieldOp>(block->getTerminator());
  if (!yield || yield.getNumOperands() != body.numOutputs)
    return opError(op, "body must end in linalg.yield of one value per output");
  for (Value v : yield.getOperands()) {
    auto r = reg(v, yield);
    if (!r)
      return r.takeError();
    body.yields.push_back(*r);
  }
  detectContraction(op, body);
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Execution
//===----------------------------------------------------------------------===//

static inline float maximumF(float a, float b) {
  if (std::isnan(a) || std::isnan(b))
    return std::numeric_limits<float>::quiet_NaN();
  if (a == b)
    return std::signbit(a) ? b : a;
  return a > b ? a : b;
}
static inline float minimumF(float a, float b) {
  if (std::isnan(a) || std::isnan(b))
    return std::numeric_limits<float>::quiet_NaN();
  if (a == b)
    return std::signbit(a) ? a : b;
  return a < b ? a : b;
}

static inline bool cmpF(unsigned pred, float a, float b) {
  bool unord = std::isnan(a) || std::isnan(b);
  switch (pred) {
  case 0:
    return false;
  case 1:
    return !unord && a == b;
  case 2:
    return !unord && a > b;
  case 3:
    return !unord && a >= b;
  case 4:
    return !unord && a < b;
  case 5:
    return !unord && a <= b;
  case 6:
    return !unord && a != b;
  case 7:
    return !unord;
  case 8:
    return unord || a == b;
  case 9:
    return unord || a > b;
  case 10:
    return unord || a >= b;
  case 11:
    return unord || a < b;
  case 12:
    return unord || a <= b;
  case 13:
    return unord || a != b;
  case 14:
    return unord;
  default:
    return true;
  }
}

static inline bool cmpI(unsigned pred, unsigned w, int64_t a, int64_t b) {
  int64_t sa = signedVal(w, a), sb = signedVal(w, b);
  uint64_t ua = unsignedVal(w, a), ub = unsignedVal(w, b);
  switch (pred) {
  case 0:
    return ua == ub;
  case 1:
    return ua != ub;
  case 2:
    return sa < sb;
  case 3:
    return sa <= sb;
  case 4:
    return sa > sb;
  case 5:
    return sa >= sb;
  case 6:
    return ua < ub;
  case 7:
    return ua <= ub;
  case 8:
    return ua > ub;
  default:
    return ua >= ub;
  }
}

static inline int64_t fpToSI(float f, unsigned w) {
  // Out-of-range conversion is undefined in MLIR; saturate deterministically.
  if (std::isnan(f))
    return 0;
  double d = std::trunc(static_cast<double>(f));
  if (d >= 9.2233720368547758e18)
    return normalize(w, std::numeric_limits<int64_t>::max());
  if (d <= -9.2233720368547758e18)
    return normalize(w, std::numeric_limits<int64_t>::min());
  return normalize(w, static_cast<int64_t>(d));
}

static inline void loadElement(const char *p, ElementKind kind, Reg &r) {
  switch (kind) {
  case ElementKind::F32:
    std::memcpy(&r.f, p, 4);
    return;
  case ElementKind::I64:
  case ElementKind::Index:
    std::memcpy(&r.i, p, 8);
    return;
  case ElementKind::I32: {
    int32_t v;
    std::memcpy(&v, p, 4);
    r.i = v;
    return;
  }
  case ElementKind::I1:
    r.i = *p != 0;
    return;
  }
}

static inline void storeElement(char *p, ElementKind kind, const Reg &r) {
  switch (kind) {
  case ElementKind::F32:
    std::memcpy(p, &r.f, 4);
    return;
  case ElementKind::I64:
  case ElementKind::Index:
    std::memcpy(p, &r.i, 8);
    return;
  case ElementKind::I32: {
    int32_t v = static_cast<int32_t>(r.i);
    std::memcpy(p, &v, 4);
    return;
  }
  case ElementKind::I1:
    *p = static_cast<char>(r.i & 1);
    return;
  }
}

namespace {
/// State of one `run`: the first runtime error stops the loop.
struct RunState {
  const CompiledBody &body;
  ArrayRef<View> captures;
  std::string error;
};
} // namespace

/// Executes the body once; returns false on a runtime error.
static bool execute(RunState &st, Reg *regs, const int64_t *idx) {
  const CompiledBody &body = st.body;
  for (const Instr &in : body.code) {
    Reg &d = regs[in.dst];
    const Reg &a = regs[in.a];
    switch (in.opc) {
    case Opc::AddF:
      d.f = a.f + regs[in.b].f;
      break;
    case Opc::SubF:
      d.f = a.f - regs[in.b].f;
      break;
    case Opc::MulF:
      d.f = a.f * regs[in.b].f;
      break;
    case Opc::DivF:
      d.f = a.f / regs[in.b].f;
      break;
    case Opc::NegF:
      d.f = -a.f;
      break;
    case Opc::MaximumF:
      d.f = maximumF(a.f, regs[in.b].f);
      break;
    case Opc::MinimumF:
      d.f = minimumF(a.f, regs[in.b].f);
      break;
    case Opc::MaxNumF:
      d.f = std::fmax(a.f, regs[in.b].f);
      break;
    case Opc::MinNumF:
      d.f = std::fmin(a.f, regs[in.b].f);
      break;
    case Opc::CmpF:
      d.i = cmpF(in.pred, a.f, regs[in.b].f);
      break;
    case Opc::Select:
      d = a.i ? regs[in.b] : regs[in.c];
      break;
    case Opc::AddI:
      d.i = normalize(
          in.width, static_cast<int64_t>(static_cast<uint64_t>(a.i) +
                                         static_cast<uint64_t>(regs[in.b].i)));
      break;
    case Opc::SubI:
      d.i = normalize(
          in.width, static_cast<int64_t>(static_cast<uint64_t>(a.i) -
                                         static_cast<uint64_t>(regs[in.b].i)));
      break;
    case Opc::MulI:
      d.i = normalize(
          in.width, static_cast<int64_t>(static_cast<uint64_t>(a.i) *
                                         static_cast<uint64_t>(regs[in.b].i)));
      break;
    case Opc::DivSI:
    case Opc::RemSI: {
      int64_t x = signedVal(in.width, a.i),
              y = signedVal(in.width, regs[in.b].i);
      if (y == 0) {
        st.error = "integer division by zero in the body";
        return false;
      }
      int64_t q, r;
      if (x == std::numeric_limits<int64_t>::min() && y == -1) {
        q = x;
        r = 0;
      } else {
        q = x / y;
        r = x % y;
      }
      d.i = normalize(in.width, in.opc == Opc::DivSI ? q : r);
      break;
    }
    case Opc::CmpI:
      d.i = cmpI(in.pred, in.width, a.i, regs[in.b].i);
      break;
    case Opc::AndI:
      d.i = a.i & regs[in.b].i;
      break;
    case Opc::OrI:
      d.i = a.i | regs[in.b].i;
      break;
    case Opc::XorI:
      d.i = normalize(in.width, a.i ^ regs[in.b].i);
      break;
    case Opc::ExtUI:
      d.i = normalize(in.width2,
                      static_cast<int64_t>(unsignedVal(in.width, a.i)));
      break;
    case Opc::ExtSI:
      d.i = normalize(in.width2, signedVal(in.width, a.i));
      break;
    case Opc::TruncI:
      d.i = normalize(in.width, a.i);
      break;
    case Opc::SIToFP:
      d.f = static_cast<float>(signedVal(in.width, a.i));
      break;
    case Opc::UIToFP:
      d.f = static_cast<float>(unsignedVal(in.width, a.i));
      break;
    case Opc::FPToSI:
      d.i = fpToSI(a.f, in.width);
      break;
    case Opc::IndexCast:
      d.i = normalize(in.width, signedVal(64, a.i));
      break;
    case Opc::Exp:
      d.f = std::exp(a.f);
      break;
    case Opc::Log:
      d.f = std::log(a.f);
      break;
    case Opc::Tanh:
      d.f = std::tanh(a.f);
      break;
    case Opc::Erf:
      d.f = std::erf(a.f);
      break;
    case Opc::Sqrt:
      d.f = std::sqrt(a.f);
      break;
    case Opc::Rsqrt:
      d.f = 1.0f / std::sqrt(a.f);
      break;
    case Opc::AbsF:
      d.f = std::fabs(a.f);
      break;
    case Opc::Floor:
      d.f = std::floor(a.f);
      break;
    case Opc::Ceil:
      d.f = std::ceil(a.f);
      break;
    case Opc::Sin:
      d.f = std::sin(a.f);
      break;
    case Opc::Cos:
      d.f = std::cos(a.f);
      break;
    case Opc::RemF:
      d.f = std::fmod(a.f, regs[in.b].f);
      break;
    case Opc::PowF:
      d.f = std::pow(a.f, regs[in.b].f);
      break;
    case Opc::FPowI:
      d.f = static_cast<float>(std::pow(static_cast<double>(a.f),
                                        static_cast<double>(regs[in.b].i)));
      break;
    case Opc::Index:
      d.i = idx[in.b];
      break;
    case Opc::Extract: {
      const View &v = st.captures[in.e];
      int64_t linear = 0;
      for (int32_t r = 0; r < in.c; ++r) {
        int64_t g = regs[body.extractArgs[in.b + r]].i;
        int64_t local = g - v.offset[r];
        if (local < 0 || local >= v.shape[r]) {
          std::string s;
          llvm::raw_string_ostream os(s);
          os << "tensor.extract index " << g << " in dim " << r
             << " is outside [" << v.offset[r] << ", "
             << v.offset[r] + v.shape[r] << ")";
          st.error = s;
          return false;
        }
        linear += local * v.strides[r];
      }
      loadElement(v.data + linear * static_cast<int64_t>(elementSize(v.kind)),
                  v.kind, d);
      break;
    }
    }
  }
  return true;
}

/// Checks a view against an operand: kind, rank, and that the image of the
/// box [lo, hi) under the map lies inside the view.
static llvm::Error checkView(const CompiledBody &body, Operation *op,
                             llvm::StringRef what, int64_t index,
                             ElementKind kind, ArrayRef<LinearExpr> map,
                             const View &v, ArrayRef<int64_t> lo,
                             ArrayRef<int64_t> hi) {
  auto fail = [&](const llvm::Twine &msg) {
    return opError(op, what + " " + llvm::Twine(index) + ": " + msg);
  };
  if (v.kind != kind)
    return fail("view has element type " + elementKindName(v.kind) +
                ", expected " + elementKindName(kind));
  if (v.getRank() != static_cast<int64_t>(map.size()) ||
      v.strides.size() != v.shape.size() || v.offset.size() != v.shape.size())
    return fail("view has rank " + llvm::Twine(v.getRank()) + ", expected " +
                llvm::Twine(map.size()));
  if (!v.data && shapeNumElements(v.shape) > 0)
    return fail("view has no data");
  for (size_t r = 0; r < map.size(); ++r) {
    int64_t mn = map[r].constant, mx = map[r].constant;
    for (int64_t d = 0; d < body.numLoops; ++d) {
      int64_t c = map[r].coef[d];
      mn += c * (c > 0 ? lo[d] : hi[d] - 1);
      mx += c * (c > 0 ? hi[d] - 1 : lo[d]);
    }
    if (mn < v.offset[r] || mx >= v.offset[r] + v.shape[r])
      return fail(llvm::formatv("accesses [{0}, {1}] in dim {2}, but the view "
                                "covers [{3}, {4})",
                                mn, mx, r, v.offset[r],
                                v.offset[r] + v.shape[r])
                      .str());
  }
  return llvm::Error::success();
}

/// Per-operand byte address as base + sum(coef[d] * idx[d]).
struct Addressing {
  char *base;
  SmallVector<int64_t, 6> byteCoef;
};

static Addressing makeAddressing(const CompiledBody &body,
                                 ArrayRef<LinearExpr> map, const View &v) {
  Addressing a;
  int64_t es = elementSize(v.kind);
  a.byteCoef.assign(body.numLoops, 0);
  int64_t linear = 0;
  for (size_t r = 0; r < map.size(); ++r) {
    linear += (map[r].constant - v.offset[r]) * v.strides[r];
    for (int64_t d = 0; d < body.numLoops; ++d)
      a.byteCoef[d] += map[r].coef[d] * v.strides[r] * es;
  }
  a.base = v.data + linear * es;
  return a;
}

static void runContraction(const CompiledBody &body, ArrayRef<Addressing> addr,
                           ArrayRef<int64_t> lo, ArrayRef<int64_t> hi) {
  auto size = [&](int64_t d) { return d < 0 ? 1 : hi[d] - lo[d]; };
  // Strides in floats; an absent dim has size 1 and stride 0.
  auto stride = [&](int o, int64_t d) -> int64_t {
    return d < 0 ? 0 : addr[o].byteCoef[d] / 4;
  };
  SmallVector<int64_t> bidx;
  for (int64_t d : body.batchDims)
    bidx.push_back(lo[d]);
  while (true) {
    // Pointers at (batch, lo_m, lo_n, lo_k).
    char *p[3];
    for (int o = 0; o < 3; ++o) {
      p[o] = addr[o].base;
      for (int64_t d = 0; d < body.numLoops; ++d) {
        auto it = llvm::find(body.batchDims, d);
        int64_t i = it != body.batchDims.end()
                        ? bidx[it - body.batchDims.begin()]
                        : lo[d];
        p[o] += addr[o].byteCoef[d] * i;
      }
    }
    matmulF32(size(body.dimM), size(body.dimN), size(body.dimK),
              reinterpret_cast<float *>(p[0]), stride(0, body.dimM),
              stride(0, body.dimK), reinterpret_cast<float *>(p[1]),
              stride(1, body.dimK), stride(1, body.dimN),
              reinterpret_cast<float *>(p[2]), stride(2, body.dimM),
              stride(2, body.dimN));
    int64_t b = static_cast<int64_t>(bidx.size()) - 1;
    for (; b >= 0; --b) {
      int64_t d = body.batchDims[b];
      if (++bidx[b] < hi[d])
        break;
      bidx[b] = lo[d];
    }
    if (b < 0)
      return;
  }
}

static llvm::Error runBody(const CompiledBody &body, ArrayRef<int64_t> lo,
                           ArrayRef<int64_t> hi, ArrayRef<View> inputs,
                           ArrayRef<View> outputs, ArrayRef<View> captures,
                           bool allowKernel) {
  Operation *op = body.op;
  if (static_cast<int64_t>(lo.size()) != body.numLoops ||
      static_cast<int64_t>(hi.size()) != body.numLoops)
    return opError(op, llvm::formatv("iteration box has rank {0}/{1}, the op "
                                     "has {2} loops",
                                     lo.size(), hi.size(), body.numLoops)
                           .str());
  if (static_cast<int64_t>(inputs.size()) != body.numInputs ||
      static_cast<int64_t>(outputs.size()) != body.numOutputs)
    return opError(op, llvm::formatv("got {0} input and {1} output views, the "
                                     "op has {2} inputs and {3} outputs",
                                     inputs.size(), outputs.size(),
                                     body.numInputs, body.numOutputs)
                           .str());
  if (captures.size() != body.captures.size())
    return opError(op, llvm::formatv("got {0} captured tensor views, the body "
                                     "reads {1}",
                                     captures.size(), body.captures.size())
                           .str());
  for (int64_t d = 0; d < body.numLoops; ++d) {
    if (lo[d] >= hi[d])
      return llvm::Error::success(); // Empty box.
    if (lo[d] < 0 || hi[d] > body.loopRanges[d])
      return opError(op, llvm::formatv("iteration box [{0}, {1}) in dim {2} "
                                       "exceeds the loop range [0, {3})",
                                       lo[d], hi[d], d, body.loopRanges[d])
                             .str());
  }
  SmallVector<Addressing> addr;
  int64_t numOperands = body.numInputs + body.numOutputs;
  for (int64_t o = 0; o < numOperands; ++o) {
    bool isIn = o < body.numInputs;
    const View &v = isIn ? inputs[o] : outputs[o - body.numInputs];
    if (auto err = checkView(body, op, isIn ? "input" : "output",
                             isIn ? o : o - body.numInputs, body.kinds[o],
                             body.maps[o], v, lo, hi))
      return err;
    addr.push_back(makeAddressing(body, body.maps[o], v));
  }
  for (size_t c = 0; c < captures.size(); ++c) {
    const View &v = captures[c];
    if (v.kind != body.captureKinds[c])
      return opError(op, llvm::formatv("captured tensor {0}: view has element "
                                       "type {1}, expected {2}",
                                       c, elementKindName(v.kind),
                                       elementKindName(body.captureKinds[c]))
                             .str());
    auto type = cast<ShapedType>(body.captures[c].getType());
    if (v.getRank() != type.getRank())
      return opError(op, llvm::formatv("captured tensor {0}: view has rank "
                                       "{1}, expected {2}",
                                       c, v.getRank(), type.getRank())
                             .str());
  }

  if (body.contraction && allowKernel) {
    runContraction(body, addr, lo, hi);
    return llvm::Error::success();
  }

  RunState st{body, captures, {}};
  std::vector<Reg> regs = body.initialRegs;
  SmallVector<int64_t, 6> idx(lo.begin(), lo.end());
  int64_t inner = body.numLoops - 1;
  SmallVector<char *, 8> ptr(numOperands);
  SmallVector<int64_t, 8> step(numOperands, 0);
  for (int64_t o = 0; o < numOperands; ++o)
    step[o] = inner >= 0 ? addr[o].byteCoef[inner] : 0;
  int64_t innerLo = inner >= 0 ? lo[inner] : 0;
  int64_t innerHi = inner >= 0 ? hi[inner] : 1;
  while (true) {
    for (int64_t o = 0; o < numOperands; ++o) {
      char *p = addr[o].base;
      for (int64_t d = 0; d < inner; ++d)
        p += addr[o].byteCoef[d] * idx[d];
      if (inner >= 0)
        p += addr[o].byteCoef[inner] * innerLo;
      ptr[o] = p;
    }
    for (int64_t j = innerLo; j < innerHi; ++j) {
      if (inner >= 0)
        idx[inner] = j;
      for (const Load &l : body.loads)
        loadElement(ptr[l.operand], l.kind, regs[l.reg]);
      if (!execute(st, regs.data(), idx.data())) {
        std::string at;
        llvm::raw_string_ostream os(at);
        os << " (at iteration [";
        llvm::interleaveComma(idx, os);
        os << "])";
        return opError(op, st.error + at);
      }
      for (int64_t o = 0; o < body.numOutputs; ++o)
        storeElement(ptr[body.numInputs + o], body.kinds[body.numInputs + o],
                     regs[body.yields[o]]);
      for (int64_t o = 0; o < numOperands; ++o)
        ptr[o] += step[o];
    }
    int64_t d = inner - 1;
    for (; d >= 0; --d) {
      if (++idx[d] < hi[d])
        break;
      idx[d] = lo[d];
    }
    if (d < 0)
      return llvm::Error::success();
  }
}

//===----------------------------------------------------------------------===//
// Public API
//===----------------------------------------------------------------------===//

CompiledLinalgOp::CompiledLinalgOp() : impl(std::make_unique<CompiledBody>()) {}
CompiledLinalgOp::CompiledLinalgOp(CompiledLinalgOp &&) = default;
CompiledLinalgOp &CompiledLinalgOp::operator=(CompiledLinalgOp &&) = default;
CompiledLinalgOp::~CompiledLinalgOp() = default;

llvm::Expected<CompiledLinalgOp>
CompiledLinalgOp::compile(linalg::LinalgOp op) {
  CompiledLinalgOp result;
  BodyCompiler compiler(*result.impl);
  if (auto err = compiler.compile(op))
    return std::move(err);
  return std::move(result);
}

ArrayRef<int64_t> CompiledLinalgOp::getLoopRanges() const {
  return impl->loopRanges;
}
ArrayRef<Value> CompiledLinalgOp::getCaptures() const { return impl->captures; }
bool CompiledLinalgOp::isContraction() const { return impl->contraction; }

llvm::Error CompiledLinalgOp::run(ArrayRef<int64_t> lo, ArrayRef<int64_t> hi,
                                  ArrayRef<View> inputs, ArrayRef<View> outputs,
                                  ArrayRef<View> captures,
                                  bool useContractionKernel) const {
  return runBody(*impl, lo, hi, inputs, outputs, captures,
                 useContractionKernel);
}

llvm::Error wafer::interp::executeOp(linalg::LinalgOp op, ArrayRef<int64_t> lo,
                                     ArrayRef<int64_t> hi,
                                     ArrayRef<View> inputs,
                                     ArrayRef<View> outputs,
                                     ArrayRef<View> captures) {
  auto compiled = CompiledLinalgOp::compile(op);
  if (!compiled)
    return compiled.takeError();
  return compiled->run(lo, hi, inputs, outputs, captures);
}
