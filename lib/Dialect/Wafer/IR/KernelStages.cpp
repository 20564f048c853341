//===- KernelStages.cpp - the linalg stages of a kernel -------------------===//
#include "wafer/Dialect/Wafer/KernelStages.h"
#include "wafer/Dialect/Wafer/WaferRoutes.h"

#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace wafer;
using llvm::Expected;

static llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// The value a stage operand stands for: the result an init becomes, else
/// the operand's value.
static Value keyOf(linalg::LinalgOp op, OpOperand &o) {
  if (op.isDpsInit(&o))
    return op.getTiedOpResult(&o);
  return o.get();
}

Expected<SmallVector<SmallVector<int64_t>>>
wafer::alignStages(ArrayRef<linalg::LinalgOp> stageList,
                   llvm::function_ref<bool(Value)> links) {
  SmallVector<linalg::LinalgOp> stages(stageList);
  size_t n = stages.size();
  SmallVector<SmallVector<int64_t>> dims(n);
  for (size_t s = 0; s < n; ++s)
    dims[s].assign(stages[s].getNumLoops(), -1);
  SmallVector<int64_t> extents = stages.back().getStaticLoopRanges();
  for (size_t d = 0; d < extents.size(); ++d)
    dims.back()[d] = d;
  auto name = [&](size_t s) {
    return llvm::formatv("stage {0} ({1})", s,
                         stages[s]->getName().getStringRef())
        .str();
  };
  // Kernel dim per axis of each shared tensor, once a stage fixes it.
  DenseMap<Value, SmallVector<int64_t>> axes;
  auto record = [&](size_t s) -> llvm::Error {
    for (OpOperand &o : stages[s]->getOpOperands()) {
      Value v = keyOf(stages[s], o);
      if (!links(v))
        continue;
      auto proj = getProjection(stages[s].getMatchingIndexingMap(&o));
      if (!proj)
        continue;
      SmallVector<int64_t> kd;
      for (int64_t p : *proj)
        kd.push_back(p >= 0 ? dims[s][p] : -1);
      auto [it, fresh] = axes.try_emplace(v, kd);
      if (!fresh && it->second != kd)
        return fail(name(s) + " indexes a tensor it shares with another "
                              "stage by different dims");
    }
    return llvm::Error::success();
  };
  if (llvm::Error e = record(n - 1))
    return std::move(e);
  SmallVector<bool> done(n, false);
  done.back() = true;
  for (bool progress = true; progress;) {
    progress = false;
    for (size_t s = 0; s + 1 < n; ++s) {
      if (done[s])
        continue;
      for (OpOperand &o : stages[s]->getOpOperands()) {
        auto it = axes.find(keyOf(stages[s], o));
        if (it == axes.end())
          continue;
        auto proj = getProjection(stages[s].getMatchingIndexingMap(&o));
        if (!proj)
          continue;
        for (auto [a, p] : llvm::enumerate(*proj)) {
          int64_t kd = it->second[a];
          if (p < 0 || kd < 0)
            continue;
          if (dims[s][p] < 0)
            dims[s][p] = kd;
          else if (dims[s][p] != kd)
            return fail(llvm::formatv("{0}: loop {1} indexes tensors the "
                                      "other stages index by kernel dims {2} "
                                      "and {3}",
                                      name(s), p, dims[s][p], kd)
                            .str());
        }
      }
      if (llvm::is_contained(dims[s], -1))
        continue;
      done[s] = progress = true;
      if (llvm::Error e = record(s))
        return std::move(e);
    }
  }
  for (size_t s = 0; s < n; ++s) {
    if (!done[s])
      return fail(name(s) + " has loops that no tensor it shares with the "
                            "last stage ties to the kernel's dims");
    SmallVector<int64_t> ranges = stages[s].getStaticLoopRanges();
    SmallVector<bool> seen(extents.size(), false);
    for (auto [p, kd] : llvm::enumerate(dims[s])) {
      if (seen[kd])
        return fail(name(s) + " maps two loops onto kernel dim " +
                    llvm::Twine(kd));
      seen[kd] = true;
      if (ranges[p] != extents[kd])
        return fail(llvm::formatv("{0}: loop {1} has {2} iterations, kernel "
                                  "dim {3} has {4}",
                                  name(s), p, ranges[p], kd, extents[kd])
                        .str());
    }
  }
  return dims;
}

std::pair<bool, bool> wafer::getReducedAxes(KernelOp k, const KernelTensor &t) {
  ArrayRef<int64_t> split = k.getSplit();
  bool along[2] = {false, false};
  for (int axis = 0; axis < 2; ++axis)
    along[axis] = split[axis] >= 0 &&
                  llvm::is_contained(t.reduced, split[axis]) &&
                  k.getNumChunks(axis) > 1;
  return {along[0], along[1]};
}

std::optional<SmallVector<int64_t>>
KernelStages::projection(size_t stage, OpOperand &operand) const {
  linalg::LinalgOp op = ops[stage];
  auto proj = getProjection(op.getMatchingIndexingMap(&operand));
  if (!proj)
    return std::nullopt;
  for (int64_t &p : *proj)
    if (p >= 0)
      p = dims[stage][p];
  return proj;
}

Expected<KernelStages> wafer::analyzeKernel(KernelOp k) {
  KernelStages ks;
  Block &body = k.getBody().front();
  // The stages: linalg ops reading what the kernel receives, and the last
  // one. Constant-derived ones (a linalg.fill initialising an output, a
  // bias broadcast) are part of the constants.
  llvm::SmallPtrSet<Operation *, 8> dependent;
  linalg::LinalgOp last;
  for (Operation &op : body) {
    bool dep = false;
    op.walk([&](Operation *n) {
      for (Value v : n->getOperands())
        dep |= (isa<BlockArgument>(v) &&
                cast<BlockArgument>(v).getOwner() == &body) ||
               (v.getDefiningOp() && dependent.contains(v.getDefiningOp()));
    });
    if (dep)
      dependent.insert(&op);
    if (auto l = dyn_cast<linalg::LinalgOp>(op)) {
      last = l;
      if (dep)
        ks.ops.push_back(l);
    }
  }
  if (last && (ks.ops.empty() || ks.ops.back() != last))
    ks.ops.push_back(last);
  auto where = [&]() { return "kernel @" + k.getSymName().str() + ": "; };
  if (ks.ops.empty())
    return fail(where() + "expected a linalg op in the body");
  llvm::SmallPtrSet<Operation *, 4> stageOps;
  for (linalg::LinalgOp op : ks.ops)
    stageOps.insert(op);
  auto links = [&](Value v) {
    if (auto a = dyn_cast<BlockArgument>(v))
      return a.getOwner() == &body;
    return v.getDefiningOp() && stageOps.contains(v.getDefiningOp());
  };
  auto yield = dyn_cast<YieldOp>(body.getTerminator());
  if (!yield || yield.getOperands() != ValueRange(ks.ops.back()->getResults()))
    return fail(where() + "the body must yield the results of its last " +
                (ks.fused() ? "stage" : "linalg op"));
  if (ks.fused()) {
    auto dims = alignStages(ks.ops, links);
    if (!dims)
      return fail(where() + llvm::toString(dims.takeError()));
    ks.dims = std::move(*dims);
    for (linalg::LinalgOp op : ArrayRef(ks.ops).drop_back())
      for (Value r : op->getResults())
        for (Operation *user : r.getUsers())
          if (!stageOps.contains(user))
            return fail(where() + "a stage's result is used by " +
                        user->getName().getStringRef().str() +
                        ", not by a later stage");
    // Its partial sums would need a chain after the allreduces.
    if (ks.ops.back().getNumReductionLoops() != 0)
      return fail(where() + "the last stage of a kernel of several stages "
                            "must not reduce");
    // The PE computes its constants once, before the stages run.
    for (Operation *op = ks.ops.front()->getNextNode(); op;
         op = op->getNextNode())
      if (!stageOps.contains(op) && !op->hasTrait<OpTrait::IsTerminator>())
        return fail(where() + "'" + op->getName().getStringRef().str() +
                    "' sits between stages; a kernel of several stages "
                    "defines its constants before its first stage");
  } else {
    ks.dims.emplace_back();
    for (int64_t d = 0, e = ks.ops[0].getNumLoops(); d < e; ++d)
      ks.dims[0].push_back(d);
  }

  int64_t next = 0;
  DenseMap<Value, int> byValue; // tensors of earlier stages
  for (auto [s, op] : llvm::enumerate(ks.ops)) {
    ks.offset.push_back(next);
    SmallVector<int64_t> reduced;
    for (auto [d, t] : llvm::enumerate(op.getIteratorTypesArray()))
      if (t == utils::IteratorType::reduction)
        reduced.push_back(ks.dims[s][d]);
    DenseMap<Value, int> mine;
    SmallVector<int> of;
    for (OpOperand &o : op->getOpOperands()) {
      bool init = op.isDpsInit(&o);
      Value key = keyOf(op, o);
      auto proj = ks.projection(s, o);
      if (!init) {
        auto it = byValue.find(key);
        if (it != byValue.end() && ks.tensors[it->second].proj == proj) {
          of.push_back(it->second);
          continue;
        }
        if (key.getDefiningOp() && stageOps.contains(key.getDefiningOp()))
          return fail(where() + "stage " + llvm::Twine(s) +
                      " reads an earlier stage's result by other dims than "
                      "that stage wrote it");
      }
      KernelTensor t;
      t.value = key;
      if (init)
        t.init = o.get();
      t.operand = next + o.getOperandNumber();
      t.proj = proj;
      if (init) {
        t.kind =
            s + 1 == ks.ops.size() ? BufferKind::Output : BufferKind::Scratch;
        t.stage = s;
        t.reduced = reduced;
        if (!proj)
          return fail(where() + "output indexing map is not a projection");
      } else {
        auto arg = dyn_cast<BlockArgument>(key);
        t.kind = arg && arg.getOwner() == &body ? BufferKind::Input
                                                : BufferKind::Weight;
      }
      of.push_back(ks.tensors.size());
      mine.try_emplace(key, ks.tensors.size());
      ks.tensors.push_back(std::move(t));
    }
    for (auto [v, i] : mine)
      byValue.try_emplace(v, i);
    ks.tensorOf.push_back(std::move(of));
    next += op->getNumOperands();
  }
  // Tensors read from inside a stage's body (gather tables): whole.
  llvm::SetVector<Value> above;
  for (linalg::LinalgOp op : ks.ops) {
    llvm::SetVector<Value> mine;
    getUsedValuesDefinedAbove(op->getRegion(0), mine);
    above.insert(mine.begin(), mine.end());
  }
  for (Value v : above) {
    if (!isa<RankedTensorType>(v.getType()))
      continue;
    KernelTensor t;
    t.value = v;
    t.kind = BufferKind::Weight;
    t.operand = next++;
    ks.captures.push_back(ks.tensors.size());
    ks.tensors.push_back(std::move(t));
  }
  return ks;
}

SmallVector<std::optional<SmallVector<int64_t>>>
wafer::getInputProjections(KernelOp k, unsigned argNo) {
  SmallVector<std::optional<SmallVector<int64_t>>> out;
  auto ks = analyzeKernel(k);
  if (!ks) {
    llvm::consumeError(ks.takeError());
    out.push_back(std::nullopt);
    return out;
  }
  Value arg = k.getBody().front().getArgument(argNo);
  llvm::SmallPtrSet<Operation *, 4> stageOps;
  for (auto [s, op] : llvm::enumerate(ks->ops)) {
    stageOps.insert(op);
    for (OpOperand &o : op->getOpOperands())
      if (o.get() == arg)
        out.push_back(ks->projection(s, o));
  }
  // Read by index inside a body, or by another op: needed whole.
  for (Operation *user : arg.getUsers())
    if (!stageOps.contains(user)) {
      out.push_back(std::nullopt);
      break;
    }
  return out;
}
