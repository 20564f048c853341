//===- ProgramTiming.cpp - cycles of an executed program ------------------===//
#include "ProgramTiming.h"
#include "Errors.h"

#include "wafer/Dialect/Wafer/KernelStages.h"
#include "wafer/Dialect/Wafer/WaferOps.h"
#include "wafer/Dialect/Wafer/WaferRoutes.h"
#include "wafer/Timing/Timing.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "llvm/ADT/DenseMap.h"

#include <map>

using namespace mlir;
using namespace wafer;
using namespace wafer::interp;

namespace {

/// The token slices a kernel's compute produces its results in: the extent
/// of its streamed dim (1 when nothing streams).
int64_t chunksOf(KernelOp k) {
  int64_t sd = k.getStreamDim();
  if (sd < 0 || sd >= int64_t(k.getDims().size()))
    return 1;
  return std::max<int64_t>(1, k.getDims()[sd]);
}

/// The axis of `producer`'s result `n` that its streamed dim indexes, if
/// any.
std::optional<int64_t> streamedResultAxis(KernelOp producer, unsigned n) {
  if (chunksOf(producer) <= 1)
    return std::nullopt;
  auto proj = getResultProjection(producer, n);
  if (!proj) {
    llvm::consumeError(proj.takeError());
    return std::nullopt;
  }
  auto it = llvm::find(*proj, producer.getStreamDim());
  if (it == proj->end())
    return std::nullopt;
  return it - proj->begin();
}

/// Whether the stream carries its producer's token slices in order, and
/// along which axis of the stream's tensor.
std::optional<int64_t> streamedAxis(StreamOp s) {
  if (s.getInputs().size() != 1)
    return std::nullopt;
  auto k = s.getInputs()[0].getDefiningOp<KernelOp>();
  if (!k)
    return std::nullopt;
  auto axis =
      streamedResultAxis(k, cast<OpResult>(s.getInputs()[0]).getResultNumber());
  if (!axis)
    return std::nullopt;
  std::vector<int64_t> map = getOrderKeepingAxisMap(s);
  if (map.empty() || *axis >= int64_t(map.size()) || map[*axis] < 0)
    return std::nullopt;
  return map[*axis];
}

/// Whether `consumer` reads its input `argNo` slice by slice: every use
/// indexes tensor axis `axis` by the consumer's own streamed dim.
bool consumesInOrder(KernelOp consumer, unsigned argNo, int64_t axis) {
  if (chunksOf(consumer) <= 1)
    return false;
  auto uses = getInputProjections(consumer, argNo);
  // A read by index (a gather table) needs the whole tensor.
  return !uses.empty() && llvm::all_of(uses, [&](const auto &proj) {
    return proj && axis < int64_t(proj->size()) &&
           (*proj)[axis] == int64_t(consumer.getStreamDim());
  });
}

} // namespace

llvm::Error wafer::interp::timeProgram(ProgramOp program,
                                       ArrayRef<StreamTiming> streams,
                                       ExecutionResult &res) {
  TargetModel target = program.getTarget().getModel();
  Block &block = program.getBodyBlock();
  timing::TimingProblem tp;
  tp.target = target;
  DenseMap<Operation *, int> doneTask; // kernel or stream -> its last task
  std::map<route::Pattern, int> linkResource;
  DenseMap<Operation *, int> kernelResource;
  for (KernelOp k : block.getOps<KernelOp>())
    kernelResource[k] = tp.numResources++;
  unsigned streamNo = 0;
  int64_t maxHops = 0;
  for (Operation &op : block) {
    if (auto s = dyn_cast<StreamOp>(op)) {
      timing::Task t;
      t.name = ("stream @" + s.getSymName()).str();
      t.kind = timing::TaskKind::Transfer;
      t.bytes = s.getBytes();
      if (!streams.empty()) {
        const StreamTiming &st = streams[streamNo];
        t.bytes = st.maxLinkBytes;
        t.hops = st.hops;
        if (st.busiest) {
          auto [it, fresh] =
              linkResource.try_emplace(*st.busiest, tp.numResources);
          if (fresh)
            ++tp.numResources;
          t.resources.push_back(it->second);
        }
      }
      maxHops = std::max(maxHops, t.hops);
      std::optional<int64_t> axis = streamedAxis(s);
      for (Value in : s.getInputs())
        if (auto k = in.getDefiningOp<KernelOp>()) {
          int producer = doneTask.lookup(k);
          t.deps.push_back({producer, axis ? timing::DepKind::AfterFirstChunk
                                           : timing::DepKind::AfterEnd});
          if (axis)
            t.chunks = tp.tasks[producer].chunks;
        }
      doneTask[s] = tp.tasks.size();
      tp.tasks.push_back(std::move(t));
      ++streamNo;
    } else if (auto k = dyn_cast<KernelOp>(op)) {
      timing::Task t;
      t.name = ("kernel @" + k.getSymName()).str();
      t.kind = timing::TaskKind::Compute;
      t.ops = k.getMacs();
      t.pes = k.getNumPEs();
      t.chunks = chunksOf(k);
      t.resources.push_back(kernelResource[k]);
      for (auto [argNo, in] : llvm::enumerate(k.getInputs())) {
        auto s = in.getDefiningOp<StreamOp>();
        if (!s)
          continue;
        std::optional<int64_t> axis = streamedAxis(s);
        bool inOrder = axis && consumesInOrder(k, argNo, *axis);
        t.deps.push_back(
            {doneTask.lookup(s), inOrder ? timing::DepKind::AfterFirstChunk
                                         : timing::DepKind::AfterEnd});
      }
      res.totalMacs += k.getMacs();
      res.pesUsed += k.getNumPEs();
      int id = tp.tasks.size();
      int64_t chunks = t.chunks;
      tp.tasks.push_back(std::move(t));
      doneTask[k] = id;
      // A split reduction's chain: the closed form of its chain_reduce
      // route (one output tile per link, pipelined along the chain); a
      // kernel of several stages runs one allreduce per reducing stage,
      // each on its share of the pattern's bytes, one after another.
      std::optional<route::Pattern> chain;
      double chainCycles = 0;
      if (ArrayAttr routes = k.getRoutesAttr()) {
        auto stages = analyzeKernel(k);
        if (!stages)
          return stages.takeError();
        for (const RoutedPattern &r : decodeRoutes(routes)) {
          route::Pattern p = r.pattern;
          // The stages reducing the dim split along the pattern's axis.
          int64_t rounds = 0;
          for (const KernelTensor &t : stages->tensors) {
            auto [x, y] = getReducedAxes(k, t);
            rounds += t.kind == BufferKind::Scratch &&
                      (route::isHorizontal(p.dir) ? x : y);
          }
          rounds = std::max<int64_t>(1, rounds);
          if (p.kind == route::PatternKind::ChainReduce) {
            chainCycles += p.cycles(target);
          } else if (p.kind == route::PatternKind::Allreduce) {
            p.bytes = (p.bytes + rounds - 1) / rounds;
            chainCycles += rounds * p.cycles(target);
          } else {
            continue;
          }
          if (!chain)
            chain = r.pattern;
          maxHops = std::max(maxHops, p.hopsPerLine());
        }
      }
      if (chain || k.getReduceBytes() > 0) {
        timing::Task r;
        r.name = ("reduce @" + k.getSymName()).str();
        if (chain) {
          r.kind = timing::TaskKind::Fixed;
          r.cycles = int64_t(std::ceil(chainCycles));
        } else {
          r.kind = timing::TaskKind::Transfer;
          r.bytes = k.getReduceBytes();
        }
        r.chunks = chunks;
        // The chain holds its links, not the PEs' compute: it adds the
        // partial sums of one token slice while the next is computed.
        if (chain) {
          auto [it, fresh] = linkResource.try_emplace(*chain, tp.numResources);
          if (fresh)
            ++tp.numResources;
          r.resources.push_back(it->second);
        } else {
          r.resources.push_back(kernelResource[k]);
        }
        r.deps.push_back({id, chunks > 1 ? timing::DepKind::AfterFirstChunk
                                         : timing::DepKind::AfterEnd});
        doneTask[k] = tp.tasks.size();
        tp.tasks.push_back(std::move(r));
      }
    }
  }
  if (auto f = tp.check())
    return err("timing: " + f->message);
  timing::Schedule sched = timing::simulate(tp);
  if (!sched.succeeded())
    return err("timing: " + sched.failure->message);
  // Routers are reconfigured between routing phases (PatternRouter.h);
  // the schedule does not overlap that with the tasks.
  res.cycles = sched.totalCycles + res.reconfigurationCycles;
  res.microseconds = target.cyclesToMicroseconds(res.cycles);
  res.computeBoundCycles =
      res.pesUsed ? timing::computeBound(double(res.totalMacs), res.pesUsed,
                                         target.macsF32)
                  : 0;
  res.commBoundCycles =
      timing::cutBound(double(res.maxLinkLoad), 1, target.linkBytes);
  res.latencyBoundCycles = timing::latencyBound(target, maxHops);
  res.criticalPathCycles = timing::criticalPathBound(tp);
  for (auto [t, s] : llvm::zip(tp.tasks, sched.tasks)) {
    StringRef kind = t.kind == timing::TaskKind::Compute       ? "compute"
                     : StringRef(t.name).starts_with("reduce") ? "reduce"
                                                               : "transfer";
    res.phases.push_back({t.name, kind.str(), s.start, s.end});
  }
  res.criticalPath = sched.criticalPath;
  return llvm::Error::success();
}
