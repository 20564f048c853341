//===- Map.cpp - tensor-level linalg -> wafer kernels and streams -*- C++
//-*-===//
//
// A thin adapter: the analysis below builds tile::KernelSpec problems from
// linalg indexing maps, the tiling library sizes the pipeline, and the pass
// writes the distributions back onto wafer.kernel ops.
//
//===----------------------------------------------------------------------===//
#include "wafer/Dialect/Wafer/KernelStages.h"
#include "wafer/Dialect/Wafer/Passes.h"
#include "wafer/Dialect/Wafer/WaferOps.h"
#include "wafer/Dialect/Wafer/WaferRoutes.h"
#include "wafer/Place/Placement.h"
#include "wafer/Tile/Tiling.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Debug.h"

#include <limits>

#define DEBUG_TYPE "wafer-map"

namespace wafer {
#define GEN_PASS_DEF_WAFERMAP
#include "wafer/Dialect/Wafer/Passes.h.inc"
} // namespace wafer

using namespace mlir;
using namespace wafer;
using llvm::Error;
using llvm::Expected;

/// The ONNX node names a location carries, joined with '+'.
std::string wafer::getNodeName(Location loc) {
  SmallVector<StringRef> names;
  loc->walk([&](Location l) {
    if (auto name = dyn_cast<NameLoc>(l))
      if (!llvm::is_contained(names, name.getName().getValue()))
        names.push_back(name.getName().getValue());
    return WalkResult::advance();
  });
  std::string out;
  for (auto [i, n] : llvm::enumerate(names)) {
    if (i == 3) {
      out += "+...";
      break;
    }
    if (i)
      out += "+";
    out += n.str();
  }
  return out;
}

namespace {

/// A symbol-safe name derived from an ONNX node name.
std::string sanitize(StringRef name) {
  std::string s;
  for (char c : name) {
    if (llvm::isAlnum(c))
      s += c;
    else if (!s.empty() && s.back() != '_')
      s += '_';
  }
  while (!s.empty() && s.back() == '_')
    s.pop_back();
  if (s.empty() || llvm::isDigit(s.front()))
    s = "k_" + s;
  if (s.size() > 48)
    s = s.substr(s.size() - 48);
  return s;
}

/// How many times mapping shrinks the PE budget to make rectangles pack.
constexpr int kMaxPackingAttempts = 12;

class Mapper {
public:
  Mapper(func::FuncOp func, const TargetModel &target, bool fuseNorms,
         tile::SubRectangles subRectangles, tile::Sizing sizing)
      : func(func), target(target), fuseNorms(fuseNorms),
        subRectangles(subRectangles), sizing(sizing) {}

  /// Builds the program before `func`; fails with a located error.
  FailureOr<ProgramOp> build();
  LogicalResult distribute(double utilization);

  SmallVector<KernelOp> kernels;
  SmallVector<StreamOp> streams;

private:
  bool isConstantDerived(Value v);
  void cloneConstantChain(Value v, OpBuilder &b, IRMapping &map);
  Value getStreamFor(Value v, Location loc);
  LogicalResult buildKernel(ArrayRef<linalg::LinalgOp> ops);
  void findNormalisations();
  bool fusible(linalg::GenericOp op, Operation *seed,
               const DenseSet<Value> &groupValues);
  FailureOr<Value> copyKernel(Value v);
  FailureOr<tile::KernelSpec> makeSpec(KernelOp kernel);
  void alignToProducers(const std::vector<tile::KernelSpec> &specs,
                        std::vector<tile::Distribution> &dists,
                        int64_t available);
  std::string uniqueName(StringRef base);

  func::FuncOp func;
  TargetModel target;
  bool fuseNorms;
  tile::SubRectangles subRectangles;
  tile::Sizing sizing;
  ProgramOp program;
  OpBuilder builder{func.getContext()};
  /// Func values -> program values (block args and kernel results).
  IRMapping produced;
  DenseMap<Value, bool> constantCache;
  llvm::StringSet<> usedNames;
  unsigned streamCount = 0;
  /// Normalisations fused into one kernel: first op -> the ops, and the
  /// later ops of each (built with the first).
  DenseMap<Operation *, SmallVector<linalg::LinalgOp>> groups;
  DenseSet<Operation *> inGroup;
};

/// Tensor ops that only move or reshape data.
bool isMovement(Operation *op) { return isDataMovement(op); }

bool Mapper::isConstantDerived(Value v) {
  auto it = constantCache.find(v);
  if (it != constantCache.end())
    return it->second;
  Operation *def = v.getDefiningOp();
  bool result = false;
  if (def && (isa<arith::ConstantOp, tensor::EmptyOp>(def))) {
    result = true;
  } else if (def && (isMovement(def) || isa<linalg::FillOp>(def))) {
    result = llvm::all_of(def->getOperands(),
                          [&](Value o) { return isConstantDerived(o); });
  }
  constantCache[v] = result;
  return result;
}

/// Clones the ops computing constant-derived `v` (in program order).
void Mapper::cloneConstantChain(Value v, OpBuilder &b, IRMapping &map) {
  if (map.contains(v))
    return;
  Operation *def = v.getDefiningOp();
  for (Value o : def->getOperands())
    cloneConstantChain(o, b, map);
  b.clone(*def, map);
}

std::string Mapper::uniqueName(StringRef base) {
  std::string name = base.str();
  for (unsigned i = 1; !usedNames.insert(name).second; ++i)
    name = (base + "_" + Twine(i)).str();
  return name;
}

/// A stream delivering func value `v` (not constant-derived) to a kernel:
/// the movement ops between `v` and the kernels/program inputs that
/// produce it form the stream's body.
Value Mapper::getStreamFor(Value v, Location loc) {
  // Backward slice through movement ops; leaves are produced values.
  SetVector<Operation *> slice;
  SetVector<Value> leaves;
  SmallVector<Value> work{v};
  while (!work.empty()) {
    Value cur = work.pop_back_val();
    if (produced.contains(cur)) {
      leaves.insert(cur);
      continue;
    }
    if (isConstantDerived(cur))
      continue;
    Operation *def = cur.getDefiningOp();
    assert(def && isMovement(def) && "non-movement producers are kernels");
    if (slice.insert(def))
      for (Value o : def->getOperands())
        work.push_back(o);
  }
  SmallVector<Operation *> ordered(slice.begin(), slice.end());
  llvm::sort(ordered,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  SmallVector<Value> inputs;
  SmallVector<Value> leafList(leaves.begin(), leaves.end());
  // Deterministic operand order: program order of the producers.
  llvm::stable_sort(leafList, [&](Value a, Value b) {
    Value pa = produced.lookup(a), pb = produced.lookup(b);
    auto argA = dyn_cast<BlockArgument>(pa), argB = dyn_cast<BlockArgument>(pb);
    if (argA || argB) {
      if (argA && argB)
        return argA.getArgNumber() < argB.getArgNumber();
      return static_cast<bool>(argA);
    }
    return pa.getDefiningOp()->isBeforeInBlock(pb.getDefiningOp());
  });
  bool fromHost = true;
  for (Value leaf : leafList) {
    Value p = produced.lookup(leaf);
    inputs.push_back(p);
    fromHost &= isa<BlockArgument>(p);
  }
  auto type = cast<RankedTensorType>(v.getType());
  std::string name = uniqueName(("s" + Twine(streamCount++)).str());
  auto stream = StreamOp::create(
      builder, loc, type, builder.getStringAttr(name),
      StreamKindAttr::get(builder.getContext(),
                          fromHost ? StreamKind::HostIn : StreamKind::P2P),
      inputs, builder.getI64IntegerAttr(getTensorBytes(type)),
      /*routes=*/ArrayAttr());
  Block *body = new Block;
  stream.getBody().push_back(body);
  IRMapping map;
  for (auto [leaf, in] : llvm::zip(leafList, inputs))
    map.map(leaf, body->addArgument(in.getType(), in.getLoc()));
  OpBuilder b = OpBuilder::atBlockEnd(body);
  for (Operation *op : ordered) {
    for (Value o : op->getOperands())
      if (!map.contains(o) && isConstantDerived(o))
        cloneConstantChain(o, b, map);
    b.clone(*op, map);
  }
  YieldOp::create(b, loc, ValueRange{map.lookup(v)});
  streams.push_back(stream);
  return stream.getResult();
}

/// One kernel running `ops` (one linalg op, or the stages of a fused
/// normalisation, in program order; the last produces the results).
LogicalResult Mapper::buildKernel(ArrayRef<linalg::LinalgOp> ops) {
  linalg::LinalgOp op = ops.back();
  DenseSet<Value> internal;
  for (linalg::LinalgOp o : ops)
    internal.insert(o->result_begin(), o->result_end());
  // What the ops read: their operands and values captured by their bodies
  // (e.g. a gather table read with tensor.extract), minus each other's
  // results.
  SetVector<Value> needed;
  for (linalg::LinalgOp o : ops) {
    for (Value v : o->getOperands())
      if (!internal.contains(v))
        needed.insert(v);
    SetVector<Value> captured;
    getUsedValuesDefinedAbove(o->getRegions(), captured);
    for (Value c : captured)
      needed.insert(c);
  }

  SmallVector<Value> streamed, kernelInputs;
  SmallVector<Location> locs;
  for (linalg::LinalgOp o : ops)
    locs.push_back(o->getLoc());
  Location loc =
      ops.size() == 1 ? op->getLoc() : FusedLoc::get(func.getContext(), locs);
  for (Value v : needed) {
    if (isConstantDerived(v))
      continue;
    if (!isa<RankedTensorType>(v.getType()))
      return op->emitError("wafer-map: expected tensor operands, got ")
             << v.getType();
    streamed.push_back(v);
    kernelInputs.push_back(getStreamFor(v, op->getLoc()));
  }
  std::string node = getNodeName(loc);
  std::string base =
      sanitize(node.empty() ? op->getName().stripDialect() : StringRef(node));
  std::string name = uniqueName(base);
  int64_t rank = op.getNumLoops();
  SmallVector<int64_t> ones(rank, 1), none{-1, -1};
  auto kernel = KernelOp::create(
      builder, loc, op->getResultTypes(), builder.getStringAttr(name),
      kernelInputs, builder.getDenseI64ArrayAttr({1, 1}), DenseI64ArrayAttr(),
      builder.getI64IntegerAttr(0),
      builder.getDenseI64ArrayAttr(op.getStaticLoopRanges()),
      builder.getDenseI64ArrayAttr(none), builder.getDenseI64ArrayAttr(ones),
      builder.getI64IntegerAttr(0), builder.getI64IntegerAttr(0),
      builder.getStringAttr(node), /*stream_dim=*/builder.getI64IntegerAttr(-1),
      /*split_x_inner=*/builder.getI64IntegerAttr(-1), /*routes=*/ArrayAttr());
  Block *body = new Block;
  kernel.getBody().push_back(body);
  IRMapping map;
  for (auto [v, in] : llvm::zip(streamed, kernelInputs))
    map.map(v, body->addArgument(in.getType(), in.getLoc()));
  OpBuilder b = OpBuilder::atBlockEnd(body);
  for (Value v : needed)
    if (isConstantDerived(v))
      cloneConstantChain(v, b, map);
  Operation *clone = nullptr;
  for (linalg::LinalgOp o : ops)
    clone = b.clone(*o, map);
  YieldOp::create(b, op->getLoc(), clone->getResults());
  for (auto [r, k] : llvm::zip(op->getResults(), kernel.getResults()))
    produced.map(r, k);
  kernels.push_back(kernel);
  return success();
}

/// Whether `op` can join a normalisation seeded at `seed`: an elementwise
/// op or a row reduction over projections (no contraction, no gather) whose
/// inputs are the group's values, constants or values available before the
/// seed, and whose inits are constants.
static bool isAllreducible(linalg::GenericOp op);

bool Mapper::fusible(linalg::GenericOp op, Operation *seed,
                     const DenseSet<Value> &groupValues) {
  if (linalg::isaContractionOpInterface(op) || op.getNumReductionLoops() > 1 ||
      (op.getNumReductionLoops() == 1 && !isAllreducible(op)))
    return false;
  for (AffineMap m : op.getIndexingMapsArray())
    if (!getProjection(m))
      return false;
  SetVector<Value> captured;
  getUsedValuesDefinedAbove(op->getRegions(), captured);
  if (llvm::any_of(captured,
                   [](Value v) { return isa<RankedTensorType>(v.getType()); }))
    return false;
  for (OpOperand &o : op->getOpOperands()) {
    Value v = o.get();
    if (isConstantDerived(v))
      continue;
    if (op.isDpsInit(&o))
      return false;
    if (groupValues.contains(v))
      continue;
    Operation *def = v.getDefiningOp();
    if (def && !def->isBeforeInBlock(seed))
      return false;
  }
  return true;
}

/// Whether a reduction's partial sums may be combined in any grouping, each
/// PE's starting from the init (an allreduce): the body folds each element
/// into the output with addf, maximumf/maxnumf or minimumf/minnumf, and the
/// init is a fill with that combiner's identity (0, -inf, +inf).
static bool isAllreducible(linalg::GenericOp op) {
  if (op.getNumDpsInits() != 1)
    return false;
  Block &body = op->getRegion(0).front();
  Value out = body.getArgument(op.getNumDpsInputs());
  Operation *combine =
      cast<linalg::YieldOp>(body.getTerminator()).getOperand(0).getDefiningOp();
  if (!combine || combine->getNumOperands() != 2 || !out.hasOneUse() ||
      !llvm::is_contained(combine->getOperands(), out))
    return false;
  double identity;
  if (isa<arith::AddFOp>(combine))
    identity = 0.0;
  else if (isa<arith::MaximumFOp, arith::MaxNumFOp>(combine))
    identity = -std::numeric_limits<double>::infinity();
  else if (isa<arith::MinimumFOp, arith::MinNumFOp>(combine))
    identity = std::numeric_limits<double>::infinity();
  else
    return false;
  auto fill = op.getDpsInits()[0].getDefiningOp<linalg::FillOp>();
  FloatAttr value;
  return fill && matchPattern(fill.getDpsInputs()[0], m_Constant(&value)) &&
         value.getValueAsDouble() == identity;
}

/// The indexing map that reads a reshape's source where `map` reads its
/// result, when the reshape only inserts or drops unit dims; else none.
static std::optional<AffineMap> throughUnitReshape(Operation *reshape,
                                                   AffineMap map) {
  auto src = cast<RankedTensorType>(reshape->getOperand(0).getType());
  auto dst = cast<RankedTensorType>(reshape->getResult(0).getType());
  MLIRContext *ctx = reshape->getContext();
  bool expand = isa<tensor::ExpandShapeOp>(reshape);
  SmallVector<ReassociationIndices> groups;
  if (auto e = dyn_cast<tensor::ExpandShapeOp>(reshape))
    groups = e.getReassociationIndices();
  else if (auto c = dyn_cast<tensor::CollapseShapeOp>(reshape))
    groups = c.getReassociationIndices();
  else
    return std::nullopt;
  // Within a group, the one axis of extent > 1 (or the first).
  RankedTensorType split = expand ? dst : src;
  SmallVector<AffineExpr> results;
  for (auto [a, g] : llvm::enumerate(groups)) {
    int64_t pick = -1;
    for (int64_t i : g)
      if (split.getDimSize(i) != 1) {
        if (pick >= 0)
          return std::nullopt; // merges or splits a real axis
        pick = i;
      }
    if (pick < 0)
      pick = g.front();
    if (expand) {
      results.push_back(map.getResult(pick));
      continue;
    }
    for (int64_t i : g)
      results.push_back(i == pick ? map.getResult(a)
                                  : getAffineConstantExpr(0, ctx));
  }
  return AffineMap::get(map.getNumDims(), 0, results, ctx);
}

/// Makes every reader of a reshape that only inserts or drops unit dims
/// read its source instead (all readers must be linalg.generic inputs);
/// returns whether it did, leaving the reshape unused.
static bool foldUnitReshape(Operation *reshape) {
  if (!isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(reshape))
    return false;
  Value result = reshape->getResult(0);
  SmallVector<std::pair<OpOperand *, AffineMap>> rewrites;
  for (OpOperand &use : result.getUses()) {
    auto g = dyn_cast<linalg::GenericOp>(use.getOwner());
    if (!g || g.isDpsInit(&use))
      return false;
    auto map = throughUnitReshape(reshape, g.getMatchingIndexingMap(&use));
    if (!map)
      return false;
    rewrites.push_back({&use, *map});
  }
  for (auto [use, map] : rewrites) {
    auto g = cast<linalg::GenericOp>(use->getOwner());
    SmallVector<Attribute> maps(g.getIndexingMaps().getValue());
    maps[use->getOperandNumber()] = AffineMapAttr::get(map);
    g.setIndexingMapsAttr(ArrayAttr::get(g.getContext(), maps));
    use->set(reshape->getOperand(0));
  }
  return true;
}

/// A normalisation (LayerNorm, RMSNorm, softmax: row reductions and
/// elementwise ops over the same rows) becomes one kernel whose stages
/// allreduce along the line that splits the reduced dim, instead of a chain
/// of small kernels. A group starts at a row reduction, takes the following
/// ops that read its values (fusible), and keeps the longest prefix that
/// ends in an elementwise op over all the dims, aligns (alignStages) and
/// whose inner values stay inside.
void Mapper::findNormalisations() {
  Block &block = func.getBody().front();
  for (Operation &first : block) {
    auto seed = dyn_cast<linalg::GenericOp>(first);
    if (!seed || inGroup.contains(seed) || groups.count(seed) ||
        seed.getNumReductionLoops() != 1 || seed.getNumParallelLoops() == 0 ||
        !fusible(seed, seed, {}))
      continue;
    SmallVector<linalg::LinalgOp> members{seed};
    DenseSet<Value> values(seed->result_begin(), seed->result_end());
    for (Operation *next = seed->getNextNode(), *after; next; next = after) {
      after = next->getNextNode();
      if (!llvm::any_of(next->getOperands(),
                        [&](Value v) { return values.contains(v); }))
        continue;
      // A keepdims reduction's [rows, 1] view of a statistic: its readers
      // read the statistic itself.
      if (foldUnitReshape(next)) {
        constantCache.erase(next->getResult(0));
        next->erase();
        continue;
      }
      auto g = dyn_cast<linalg::GenericOp>(next);
      if (!g || !fusible(g, seed, values))
        break;
      members.push_back(g);
      values.insert(g->result_begin(), g->result_end());
    }
    for (size_t n = members.size(); n >= 2; --n) {
      ArrayRef<linalg::LinalgOp> prefix(members.data(), n);
      linalg::LinalgOp last = prefix.back();
      if (last.getNumReductionLoops() != 0 ||
          llvm::any_of(prefix, [&](linalg::LinalgOp o) {
            return o.getNumLoops() > last.getNumLoops();
          }))
        continue;
      DenseSet<Operation *> ops;
      for (linalg::LinalgOp o : prefix)
        ops.insert(o);
      bool escapes = false;
      for (linalg::LinalgOp o : prefix.drop_back())
        for (Operation *user : o->getUsers())
          escapes |= !ops.contains(user);
      if (escapes)
        continue;
      auto dims =
          alignStages(prefix, [&](Value v) { return !isConstantDerived(v); });
      if (!dims) {
        std::string why = llvm::toString(dims.takeError());
        LLVM_DEBUG(llvm::dbgs()
                   << "no fusion at " << seed->getLoc() << ": " << why << "\n");
        continue;
      }
      groups[seed] = SmallVector<linalg::LinalgOp>(prefix);
      for (linalg::LinalgOp o : prefix.drop_front())
        inGroup.insert(o);
      break;
    }
  }
}

/// A kernel copying func value `v` (an identity linalg.generic inserted
/// at the tensor level next to the value and mapped like any other op):
/// for a model output that no kernel computes.
FailureOr<Value> Mapper::copyKernel(Value v) {
  Operation *def = v.getDefiningOp();
  OpBuilder fb(func.getBody().front().getTerminator());
  Location loc = def ? def->getLoc() : v.getLoc();
  auto type = cast<RankedTensorType>(v.getType());
  Value init =
      tensor::EmptyOp::create(fb, loc, type.getShape(), type.getElementType());
  SmallVector<AffineMap> maps(2, fb.getMultiDimIdentityMap(type.getRank()));
  SmallVector<utils::IteratorType> iterators(type.getRank(),
                                             utils::IteratorType::parallel);
  auto copy = linalg::GenericOp::create(
      fb, loc, TypeRange{type}, ValueRange{v}, ValueRange{init}, maps,
      iterators, [](OpBuilder &b, Location l, ValueRange args) {
        linalg::YieldOp::create(b, l, args[0]);
      });
  auto copyOp = cast<linalg::LinalgOp>(copy.getOperation());
  if (failed(buildKernel(copyOp)))
    return failure();
  return produced.lookup(copy->getResult(0));
}

FailureOr<ProgramOp> Mapper::build() {
  MLIRContext *ctx = func.getContext();
  builder.setInsertionPoint(func);
  SmallVector<Attribute> argNames, resultNames;
  for (unsigned i = 0; i < func.getNumArguments(); ++i) {
    auto n = func.getArgAttrOfType<StringAttr>(i, "onnx.name");
    argNames.push_back(n ? n : builder.getStringAttr("arg" + Twine(i)));
  }
  for (unsigned i = 0; i < func.getNumResults(); ++i) {
    auto n = func.getResultAttrOfType<StringAttr>(i, "onnx.name");
    resultNames.push_back(n ? n : builder.getStringAttr("out" + Twine(i)));
  }
  program = ProgramOp::create(
      builder, func.getLoc(), func.getSymName(), TargetAttr::get(ctx, target),
      builder.getArrayAttr(argNames), builder.getArrayAttr(resultNames));
  Block *body = new Block;
  program.getBody().push_back(body);
  for (BlockArgument arg : func.getArguments())
    produced.map(arg, body->addArgument(arg.getType(), arg.getLoc()));
  builder.setInsertionPointToEnd(body);

  if (fuseNorms)
    findNormalisations();
  for (Operation &op : func.getBody().front()) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      SmallVector<Value> outs;
      for (Value v : ret.getOperands()) {
        if (produced.contains(v)) {
          outs.push_back(produced.lookup(v));
          continue;
        }
        // A reshape, slice or concatenation of kernel results: a stream
        // returns it to the host.
        if (!isConstantDerived(v)) {
          Value s = getStreamFor(v, ret.getLoc());
          auto stream = s.getDefiningOp<StreamOp>();
          if (stream.getKind() != StreamKind::HostIn) {
            stream.setKind(StreamKind::HostOut);
            outs.push_back(s);
            continue;
          }
          streams.pop_back();
          stream.erase();
        }
        // Pure data movement of model inputs (a transpose, slice, reshape
        // or concatenation of them) or a constant: a copy kernel computes
        // it on the mesh, so every output leaves from a kernel's PEs.
        FailureOr<Value> copied = copyKernel(v);
        if (failed(copied))
          return failure();
        outs.push_back(*copied);
      }
      OutputOp::create(builder, ret.getLoc(), outs);
      continue;
    }
    if (op.getNumResults() == 1 && isConstantDerived(op.getResult(0)))
      continue;
    if (isMovement(&op))
      continue; // becomes part of the stream to each consumer
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
      if (!linalgOp.hasPureTensorSemantics())
        return op.emitError("wafer-map: expected linalg on tensors");
      if (inGroup.contains(&op))
        continue; // built with the first op of its normalisation
      auto group = groups.find(&op);
      if (failed(group != groups.end() ? buildKernel(group->second)
                                       : buildKernel(linalgOp)))
        return failure();
      continue;
    }
    return op.emitError("wafer-map: unsupported op '")
           << op.getName() << "' at the tensor level (ONNX node '"
           << getNodeName(op.getLoc()) << "')";
  }
  return program;
}

FailureOr<tile::KernelSpec> Mapper::makeSpec(KernelOp kernel) {
  auto stages = analyzeKernel(kernel);
  if (!stages)
    return kernel.emitError("wafer-map: ")
           << llvm::toString(stages.takeError());
  auto op = cast<linalg::LinalgOp>(kernel.getComputeOp());
  tile::KernelSpec spec;
  spec.name = kernel.getSymName().str();
  for (int64_t d : op.getStaticLoopRanges())
    spec.dims.push_back(d);
  for (utils::IteratorType t : op.getIteratorTypesArray())
    spec.isReduction.push_back(t == utils::IteratorType::reduction);
  for (const KernelTensor &t : stages->tensors) {
    tile::OperandSpec o;
    auto type = cast<RankedTensorType>(t.value.getType());
    o.elementBytes = getElementBytes(type.getElementType());
    o.totalBytes = getTensorBytes(type);
    if (t.proj)
      for (int64_t p : *t.proj)
        o.map.push_back(p >= 0 ? p : -1);
    switch (t.kind) {
    case BufferKind::Output:
      o.role = tile::OperandRole::Output;
      break;
    case BufferKind::Scratch:
      o.role = tile::OperandRole::Scratch;
      o.reduced = t.reduced;
      break;
    default:
      o.role = !t.proj                       ? tile::OperandRole::Whole
               : t.kind == BufferKind::Input ? tile::OperandRole::Input
                                             : tile::OperandRole::Resident;
    }
    spec.operands.push_back(o);
  }
  // Contractions cost one MAC per iteration; other ops one cycle per
  // scalar op of the body per iteration; a kernel of several stages the
  // sum over its stages.
  for (linalg::LinalgOp stage : stages->ops) {
    int64_t iterations = 1;
    for (int64_t d : stage.getStaticLoopRanges())
      iterations *= d;
    bool contraction = isa<linalg::MatmulOp, linalg::BatchMatmulOp>(stage) ||
                       linalg::isaContractionOpInterface(stage);
    int64_t bodyOps = 0;
    if (!stage->getRegions().empty() && !stage->getRegion(0).empty())
      bodyOps = std::distance(stage->getRegion(0).front().begin(),
                              stage->getRegion(0).front().end()) -
                1;
    spec.work +=
        contraction ? iterations : iterations * std::max<int64_t>(1, bodyOps);
  }
  return spec;
}

/// Layouts chosen with the neighbours in mind: a kernel whose input arrives
/// from a producer that partitions the tensor down its rows, with that axis
/// whole and in order after the stream's slices, reshapes and transposes
/// (getAxisCorrespondence), takes the same partition (the same tensor
/// axis, tile and number of rows), so the stream becomes straight lanes
/// between facing edges instead of all-to-alls or a turn. The largest such
/// input wins, and only a stream of at least half the largest input
/// counts.
/// The dim may be one the kernel reduces (a LayerNorm's mean, a
/// contraction's k): its partial sums then chain down the columns. Kept
/// only where it fits SRAM, the mesh and the PE budget.
void Mapper::alignToProducers(const std::vector<tile::KernelSpec> &specs,
                              std::vector<tile::Distribution> &dists,
                              int64_t available) {
  DenseMap<Operation *, size_t> index;
  for (auto [i, k] : llvm::enumerate(kernels))
    index[k] = i;
  int64_t used = 0;
  for (const tile::Distribution &d : dists)
    used += d.numPEs();
  // The consumer's distribution aligned to the producer of stream `main`,
  // when the producer's row partition reaches it whole and in order.
  auto alignment =
      [&](size_t i, KernelOp k,
          StreamOp main) -> std::optional<std::pair<int64_t, int64_t>> {
    std::vector<int64_t> axisMap = getAxisCorrespondence(main);
    if (axisMap.empty())
      return std::nullopt;
    auto producer = main.getInputs()[0].getDefiningOp<KernelOp>();
    const tile::Distribution &pd = dists[index[producer]];
    auto pout = getResultProjection(
        producer, cast<OpResult>(main.getInputs()[0]).getResultNumber());
    if (!pout) {
      llvm::consumeError(pout.takeError());
      return std::nullopt;
    }
    if (pd.splitY < 0)
      return std::nullopt;
    auto pAxis = llvm::find(*pout, pd.splitY);
    if (pAxis == pout->end())
      return std::nullopt; // a reduction chain: the result is on the last row
    int64_t cAxis = axisMap[pAxis - pout->begin()];
    // The consumer's iteration dim that indexes that tensor axis (every
    // stage reading the input the same way).
    unsigned argNo =
        llvm::find(k.getInputs(), main.getResult()) - k.getInputs().begin();
    auto uses = getInputProjections(k, argNo);
    if (cAxis < 0 || uses.empty() || !llvm::all_equal(uses) || !uses.front())
      return std::nullopt;
    auto cin = uses.front();
    if ((*cin)[cAxis] < 0)
      return std::nullopt;
    int64_t dim = (*cin)[cAxis];
    const tile::KernelSpec &spec = specs[i];
    // Aligning on a reduced dim chains the partial sums down the rows, so
    // the result leaves by the bottom edge, not the one facing the next
    // kernel, and its stream funnels. Worth it only when the result is
    // smaller than the input it saves reshuffling.
    if (spec.isReduction[dim]) {
      int64_t resultBytes = 0;
      for (Value r : k.getResults())
        resultBytes += getTensorBytes(cast<RankedTensorType>(r.getType()));
      if (uint64_t(resultBytes) > main.getBytes())
        return std::nullopt;
    }
    if (spec.dims[dim] != specs[index[producer]].dims[pd.splitY])
      return std::nullopt;
    int64_t rows = std::min<int64_t>(
        pd.height, llvm::divideCeil(spec.dims[dim], pd.tile[pd.splitY]));
    return std::make_pair(dim, rows);
  };
  for (auto [i, k] : llvm::enumerate(kernels)) {
    // Input streams from one kernel, largest first (program order on ties):
    // the kernel aligns to the first whose partition reaches it. Aligning
    // saves reshuffling that one stream, so only a stream of at least half
    // the kernel's largest input (from anywhere) is worth the rows it would
    // impose: a rotary table of 2 rows must not narrow the attention it
    // feeds.
    SmallVector<StreamOp> candidates;
    uint64_t largest = 0;
    for (Value in : k.getInputs())
      if (auto s = in.getDefiningOp<StreamOp>()) {
        largest = std::max<uint64_t>(largest, s.getBytes());
        if (s.getInputs().size() == 1 &&
            s.getInputs()[0].getDefiningOp<KernelOp>())
          candidates.push_back(s);
      }
    llvm::erase_if(candidates,
                   [&](StreamOp s) { return 2 * s.getBytes() < largest; });
    llvm::stable_sort(candidates, [](StreamOp a, StreamOp b) {
      return a.getBytes() > b.getBytes();
    });
    std::optional<std::pair<int64_t, int64_t>> aligned;
    StreamOp main;
    for (StreamOp s : candidates)
      if ((aligned = alignment(i, k, s))) {
        main = s;
        break;
      }
    if (!aligned)
      continue;
    auto [dim, rows] = *aligned;
    const tile::KernelSpec &spec = specs[i];
    tile::Distribution &cur = dists[i];
    if (cur.splitY == dim && cur.height == rows)
      continue;
    // Keep the rows, then the cheapest x split on at most the PEs the
    // kernel had (or one column): aligning must not leave a kernel that
    // split the aligned dim along x one column wide.
    int64_t budget = std::min(std::max(cur.numPEs(), rows),
                              available - (used - cur.numPEs()));
    std::optional<tile::Distribution> d =
        rows > target.height
            ? std::nullopt
            : tile::bestDistributionForRows(spec, target, dim, rows, budget,
                                            subRectangles);
    if (!d)
      continue;
    int64_t after = used - cur.numPEs() + d->numPEs();
    LLVM_DEBUG(llvm::dbgs() << "align @" << k.getSymName() << " to stream @"
                            << main.getSymName() << ": " << rows
                            << " rows on dim " << dim << "\n");
    used = after;
    cur = *d;
  }
}

LogicalResult Mapper::distribute(double utilization) {
  std::vector<tile::KernelSpec> specs;
  for (KernelOp k : kernels) {
    FailureOr<tile::KernelSpec> spec = makeSpec(k);
    if (failed(spec))
      return failure();
    specs.push_back(std::move(*spec));
  }
  // Size the pipeline, then check that the rectangles pack on the mesh with
  // the same serpentine solver wafer-place uses; when they do not, give the
  // kernels fewer PEs and try again.
  tile::PipelineResult r;
  // Why the first, largest budget did not pack: the cause to report when
  // the smaller budgets after it stop fitting SRAM.
  std::optional<std::pair<KernelOp, std::string>> unpacked;
  auto cannotPlace = [&](KernelOp k, StringRef why) {
    return k.emitError("kernel @")
           << k.getSymName() << " (ONNX node '" << k.getNode()
           << "') cannot be placed on the " << target.width << "x"
           << target.height << " mesh: " << why;
  };
  for (int attempt = 0;; ++attempt) {
    int64_t available = static_cast<int64_t>(target.numPEs() * utilization);
    r = tile::sizePipeline(specs, target, available, subRectangles, sizing);
    if (r.failure && unpacked)
      return cannotPlace(unpacked->first,
                         unpacked->second + "; with fewer PEs (" +
                             std::to_string(available) +
                             ") to pack, the kernels do not fit SRAM");
    if (r.failure) {
      KernelOp k = kernels[r.failure->kernel];
      return k.emitError("kernel @")
             << k.getSymName() << " (ONNX node '" << k.getNode()
             << "') does not fit the " << target.width << "x" << target.height
             << " mesh: " << r.failure->reason;
    }
    alignToProducers(specs, r.distributions, available);
    place::PlacementProblem problem;
    problem.meshWidth = target.width;
    problem.meshHeight = target.height;
    for (auto [k, d] : llvm::zip(kernels, r.distributions))
      problem.blocks.push_back({k.getSymName().str(), d.width, d.height});
    place::PlaceResult placed = place::placeSerpentine(problem);
    if (placed.succeeded())
      break;
    LLVM_DEBUG(llvm::dbgs()
               << "utilization " << utilization
               << " does not pack: " << placed.failure->message << "\n");
    KernelOp k = placed.failure->blocks.empty()
                     ? kernels.front()
                     : kernels[placed.failure->blocks.front()];
    if (!unpacked)
      unpacked.emplace(k, placed.failure->message);
    if (attempt == kMaxPackingAttempts)
      return cannotPlace(k, placed.failure->message);
    utilization *= 0.85;
  }
  Builder b(func.getContext());
  for (auto [k, d] : llvm::zip(kernels, r.distributions)) {
    k.setShapeAttr(b.getDenseI64ArrayAttr({d.width, d.height}));
    k.setSplitAttr(b.getDenseI64ArrayAttr({d.splitX, d.splitY}));
    k.setTileAttr(b.getDenseI64ArrayAttr(d.tile));
    k.setSramAttr(b.getI64IntegerAttr(d.sramBytes));
    k.setReduceBytesAttr(b.getI64IntegerAttr(d.reduceBytes));
    k.setStreamDimAttr(b.getI64IntegerAttr(d.streamDim));
    k.setSplitXInnerAttr(b.getI64IntegerAttr(d.splitXInner));
  }
  for (auto [k, s] : llvm::zip(kernels, specs))
    k.setMacsAttr(b.getI64IntegerAttr(s.work));
  for (StreamOp s : streams) {
    if (s.getKind() == StreamKind::HostIn || s.getKind() == StreamKind::HostOut)
      continue;
    OpOperand &use = *s.getResult().use_begin();
    s.setKind(inferStreamKind(cast<KernelOp>(use.getOwner()),
                              use.getOperandNumber()));
  }
  return success();
}

/// `value` of pass option `option` as one of `choices`, or an error
/// naming the option, the choices and the value.
template <typename T>
std::optional<T>
parseChoice(ModuleOp module, StringRef option, StringRef value,
            std::initializer_list<std::pair<StringRef, T>> choices) {
  for (const auto &[name, choice] : choices)
    if (value == name)
      return choice;
  SmallVector<StringRef> names;
  for (const auto &c : choices)
    names.push_back(c.first);
  module.emitError("wafer-map: ")
      << option << " must be " << llvm::join(names, " or ") << ", got '"
      << value << "'";
  return std::nullopt;
}

struct MapPass : public wafer::impl::WaferMapBase<MapPass> {
  using WaferMapBase::WaferMapBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    Expected<TargetModel> t = TargetModel::fromSpec(target);
    if (!t) {
      module.emitError("wafer-map: ") << llvm::toString(t.takeError());
      return signalPassFailure();
    }
    if (Error e = t->applyOverrides(targetOverrides)) {
      module.emitError("wafer-map: ") << llvm::toString(std::move(e));
      return signalPassFailure();
    }
    if (std::string reason = t->check(); !reason.empty()) {
      module.emitError("wafer-map: invalid target: ") << reason;
      return signalPassFailure();
    }
    if (utilization <= 0 || utilization > 1) {
      module.emitError("wafer-map: utilization must be in (0, 1], got ")
          << utilization;
      return signalPassFailure();
    }
    auto sub = parseChoice<tile::SubRectangles>(
        module, "sub-rectangles", subRectangles,
        {{"fit", tile::SubRectangles::Fit},
         {"idle", tile::SubRectangles::Idle}});
    auto sizes = parseChoice<tile::Sizing>(
        module, "sizing", sizing,
        {{"work", tile::Sizing::Work}, {"balanced", tile::Sizing::Balanced}});
    if (!sub || !sizes)
      return signalPassFailure();
    func::FuncOp func;
    for (auto f : module.getOps<func::FuncOp>()) {
      if (f.isExternal())
        continue;
      if (!entry.empty() ? f.getSymName() == entry : f.isPublic()) {
        if (func) {
          module.emitError("wafer-map: several public functions; choose one "
                           "with entry=<name>");
          return signalPassFailure();
        }
        func = f;
      }
    }
    if (!func) {
      module.emitError("wafer-map: no function to map")
          << (entry.empty() ? std::string()
                            : " (entry '" + entry.getValue() + "')");
      return signalPassFailure();
    }
    Mapper mapper(func, *t, fuseNorms, *sub, *sizes);
    FailureOr<ProgramOp> program = mapper.build();
    if (failed(program) || failed(mapper.distribute(utilization))) {
      if (succeeded(program))
        (*program)->erase();
      return signalPassFailure();
    }
    numKernels += mapper.kernels.size();
    numStreams += mapper.streams.size();
    for (KernelOp k : mapper.kernels)
      numPEs += k.getNumPEs();
    func.erase();
  }
};

} // namespace
