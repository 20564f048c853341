//===- WaferRoutes.cpp - routes in the IR <-> the pattern library ---------===//
#include "wafer/Dialect/Wafer/WaferRoutes.h"
#include "wafer/Dialect/Wafer/KernelStages.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace wafer;
using llvm::Expected;

static llvm::Error err(const llvm::Twine &msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), msg);
}

//===----------------------------------------------------------------------===//
// PatternAttr: the one encoder/decoder
//===----------------------------------------------------------------------===//

static route::Pattern makePattern(CommPattern kind, FlowDir dir, int64_t x,
                                  int64_t y, int64_t w, int64_t h, FlowDir turn,
                                  int64_t bytes) {
  route::Pattern p;
  p.kind = route::PatternKind(static_cast<uint8_t>(kind));
  p.dir = route::Dir(static_cast<uint8_t>(dir));
  p.turn = route::Dir(static_cast<uint8_t>(turn));
  p.rect = route::Rect{x, y, w, h};
  p.bytes = bytes;
  return p;
}

route::Pattern PatternAttr::toPattern() const {
  return makePattern(getKind(), getDir(), getX(), getY(), getW(), getH(),
                     getTurn(), getBytes());
}

PatternAttr PatternAttr::get(MLIRContext *ctx, const route::Pattern &p,
                             ArrayRef<int64_t> colors, int64_t phase) {
  return get(ctx, static_cast<CommPattern>(p.kind), static_cast<FlowDir>(p.dir),
             p.rect.x, p.rect.y, p.rect.w, p.rect.h,
             static_cast<FlowDir>(p.turn), p.bytes, colors, phase);
}

LogicalResult PatternAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                  CommPattern kind, FlowDir dir, int64_t x,
                                  int64_t y, int64_t w, int64_t h, FlowDir turn,
                                  int64_t bytes, ArrayRef<int64_t> colors,
                                  int64_t phase) {
  // Far beyond any wafer, small enough that no rectangle arithmetic
  // overflows and no loop over phases runs long.
  constexpr int64_t kMaxCoordinate = int64_t(1) << 24, kMaxPhase = 1024;
  for (int64_t v : {x, y, w, h})
    if (v < 0 || v > kMaxCoordinate)
      return emitError() << "pattern coordinates must be in 0.."
                         << kMaxCoordinate << ", got " << v;
  if (phase > kMaxPhase)
    return emitError() << "phase " << phase << " exceeds " << kMaxPhase;
  for (auto [i, c] : llvm::enumerate(colors))
    if (llvm::is_contained(colors.take_front(i), c))
      return emitError() << "color " << c << " on two slots of one pattern";
  route::Pattern p = makePattern(kind, dir, x, y, w, h, turn, bytes);
  if (std::string why = p.check(); !why.empty())
    return emitError() << "invalid pattern: " << why;
  if (int64_t(colors.size()) != p.numColors())
    return emitError() << "pattern " << route::kindName(p.kind) << " needs "
                       << p.numColors() << " colors, got " << colors.size();
  if (phase < 0)
    return emitError() << "expected a non-negative phase, got " << phase;
  return success();
}

SmallVector<RoutedPattern> wafer::decodeRoutes(ArrayAttr routes) {
  SmallVector<RoutedPattern> out;
  if (!routes)
    return out;
  for (Attribute a : routes) {
    auto p = cast<PatternAttr>(a);
    out.push_back(
        {p.toPattern(),
         SmallVector<int64_t>(p.getColors().begin(), p.getColors().end()),
         p.getPhase()});
  }
  return out;
}

ArrayAttr wafer::encodeRoutes(MLIRContext *ctx, ArrayRef<RoutedPattern> rs) {
  SmallVector<Attribute> attrs;
  for (const RoutedPattern &r : rs)
    attrs.push_back(PatternAttr::get(ctx, r.pattern, r.colors, r.phase));
  return ArrayAttr::get(ctx, attrs);
}

//===----------------------------------------------------------------------===//
// Layouts from placed kernels
//===----------------------------------------------------------------------===//

std::optional<SmallVector<int64_t>> wafer::getProjection(AffineMap map) {
  SmallVector<int64_t> out;
  for (AffineExpr e : map.getResults()) {
    if (auto d = dyn_cast<AffineDimExpr>(e))
      out.push_back(d.getPosition());
    else if (auto c = dyn_cast<AffineConstantExpr>(e))
      out.push_back(-1 - c.getValue());
    else
      return std::nullopt;
  }
  return out;
}

namespace {
struct KernelGeometry {
  route::Rect rect;
  ArrayRef<int64_t> split, tile;
  /// KernelOp::getNumChunks per axis.
  int64_t chunks[2] = {1, 1};
  /// Sub-rectangles along x: the inner dim and their width.
  int64_t inner = -1, innerLines = 1;
};

Expected<KernelGeometry> geometry(KernelOp k) {
  std::optional<ArrayRef<int64_t>> origin = k.getOrigin();
  if (!origin)
    return err("kernel @" + k.getSymName() +
               " is not placed (no origin); run --wafer-place");
  KernelGeometry g;
  g.rect = route::Rect{(*origin)[0], (*origin)[1], k.getWidth(), k.getHeight()};
  g.split = k.getSplit();
  g.tile = k.getTile();
  for (int axis = 0; axis < 2; ++axis)
    g.chunks[axis] = k.getNumChunks(axis);
  g.inner = k.getSplitXInner();
  g.innerLines = k.getNumInnerChunks();
  return g;
}

/// The layout of a tensor indexed by `proj` (nullopt: needed whole) on a
/// kernel: a split dim that indexes the tensor partitions it; one that does
/// not leaves it at the end of a reduction chain (`reduced`) or replicated.
route::Layout layoutOf(const KernelGeometry &g,
                       const std::optional<SmallVector<int64_t>> &proj,
                       bool reduced) {
  route::Layout l;
  l.rect = g.rect;
  for (int axis = 0; axis < 2; ++axis) {
    route::AxisLayout a;
    int64_t d = g.split[axis];
    a.chunks = g.chunks[axis];
    // The tensor axis `dim` indexes, or -1.
    auto axisOf = [&](int64_t dim) -> int64_t {
      if (!proj || dim < 0)
        return -1;
      auto it = llvm::find(*proj, dim);
      return it == proj->end() ? -1 : it - proj->begin();
    };
    int64_t inner = axis == 0 ? g.inner : -1;
    if (d < 0) {
      a.kind = route::AxisLayout::Single;
    } else if (axisOf(d) >= 0 || axisOf(inner) >= 0) {
      a.kind = route::AxisLayout::Partitioned;
      a.tensorAxis = axisOf(d);
      a.tile = g.tile[d];
      if (inner >= 0) {
        a.innerLines = g.innerLines;
        a.innerAxis = axisOf(inner);
        a.innerTile = g.tile[inner];
        // Unless both dims index it, a PE's part repeats along the line
        // (per sub-rectangle, or across them): a multicast along the line,
        // every PE keeping its own part, not a scatter arming a filter at
        // every router (and charging each line 1/width of the bytes).
        if (a.innerAxis < 0 || a.tensorAxis < 0)
          a.kind = route::AxisLayout::Replicated;
      }
    } else {
      a.kind =
          reduced ? route::AxisLayout::Last : route::AxisLayout::Replicated;
    }
    (axis ? l.y : l.x) = a;
  }
  return l;
}
} // namespace

Expected<SmallVector<int64_t>> wafer::getResultProjection(KernelOp k,
                                                          unsigned result) {
  auto op = cast<linalg::LinalgOp>(k.getComputeOp());
  auto proj = getProjection(
      op.getIndexingMapMatchingResult(cast<OpResult>(op->getResult(result))));
  if (!proj)
    return err("kernel @" + k.getSymName() +
               ": output indexing map is not a projection");
  return *proj;
}

Expected<route::Layout> wafer::getResultLayout(KernelOp k, unsigned result) {
  auto g = geometry(k);
  if (!g)
    return g.takeError();
  auto proj = getResultProjection(k, result);
  if (!proj)
    return proj.takeError();
  return layoutOf(*g, *proj, /*reduced=*/true);
}

Expected<route::Layout> wafer::getInputLayout(KernelOp k, unsigned input) {
  auto g = geometry(k);
  if (!g)
    return g.takeError();
  // One layout when every read uses the same projection; otherwise (or a
  // read by index, e.g. a gather table) the tensor is needed whole.
  auto uses = getInputProjections(k, input);
  if (uses.empty() || !llvm::all_equal(uses))
    return layoutOf(*g, std::nullopt, /*reduced=*/false);
  return layoutOf(*g, uses.front(), /*reduced=*/false);
}

std::vector<int64_t> wafer::getOrderKeepingAxisMap(StreamOp s) {
  Block &body = s.getBody().front();
  if (body.getNumArguments() != 1)
    return {};
  // Only reshapes may sit between the argument and the yield.
  for (Operation &op : body.without_terminator())
    if (!isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(op))
      return {};
  auto in = cast<RankedTensorType>(body.getArgument(0).getType());
  auto out = cast<RankedTensorType>(s.getResult().getType());
  // The data keeps its order when the non-unit dims are the same, in the
  // same order: the reshapes only add or drop unit dims.
  SmallVector<int64_t> outAxes;
  for (int64_t a = 0; a < out.getRank(); ++a)
    if (out.getDimSize(a) != 1)
      outAxes.push_back(a);
  std::vector<int64_t> map;
  size_t next = 0;
  for (int64_t a = 0; a < in.getRank(); ++a) {
    if (in.getDimSize(a) == 1) {
      map.push_back(-1);
      continue;
    }
    if (next == outAxes.size() ||
        out.getDimSize(outAxes[next]) != in.getDimSize(a))
      return {};
    map.push_back(outAxes[next++]);
  }
  if (next != outAxes.size())
    return {};
  return map;
}

std::vector<int64_t> wafer::getAxisCorrespondence(StreamOp s) {
  Block &body = s.getBody().front();
  if (body.getNumArguments() != 1)
    return {};
  Value cur = body.getArgument(0);
  auto in = cast<RankedTensorType>(cur.getType());
  std::vector<int64_t> map(in.getRank());
  for (int64_t a = 0; a < in.getRank(); ++a)
    map[a] = in.getDimSize(a) == 1 ? -1 : a;
  Value yielded = body.getTerminator()->getOperand(0);
  while (cur != yielded) {
    if (!cur.hasOneUse())
      return {};
    Operation *op = *cur.getUsers().begin();
    auto type = cast<RankedTensorType>(cur.getType());
    // pos[a]: the axis of `op`'s result holding axis a of `cur`, or -1.
    SmallVector<int64_t> pos(type.getRank(), -1);
    if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op)) {
      if (slice.getSource() != cur)
        return {};
      llvm::SmallBitVector dropped = slice.getDroppedDims();
      int64_t next = 0;
      for (int64_t a = 0; a < type.getRank(); ++a) {
        if (dropped.test(a))
          continue;
        int64_t off = slice.getStaticOffsets()[a];
        int64_t size = slice.getStaticSizes()[a];
        int64_t stride = slice.getStaticStrides()[a];
        if (off == 0 && size == type.getDimSize(a) && stride == 1)
          pos[a] = next;
        ++next;
      }
    } else if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op)) {
      auto out = expand.getResultType();
      for (auto [a, group] :
           llvm::enumerate(expand.getReassociationIndices())) {
        int64_t only = -1, nonUnit = 0;
        for (int64_t d : group)
          if (out.getDimSize(d) != 1) {
            only = d;
            ++nonUnit;
          }
        if (nonUnit == 1 && out.getDimSize(only) == type.getDimSize(a))
          pos[a] = only;
      }
    } else if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op)) {
      for (auto [j, group] :
           llvm::enumerate(collapse.getReassociationIndices())) {
        int64_t nonUnit = 0;
        for (int64_t d : group)
          nonUnit += type.getDimSize(d) != 1;
        if (nonUnit == 1)
          for (int64_t d : group)
            if (type.getDimSize(d) != 1)
              pos[d] = j;
      }
    } else if (auto transpose = dyn_cast<linalg::TransposeOp>(op)) {
      if (transpose.getInput() != cur)
        return {};
      for (auto [j, a] : llvm::enumerate(transpose.getPermutation()))
        pos[a] = j;
    } else {
      return {};
    }
    for (int64_t &m : map)
      if (m >= 0)
        m = pos[m];
    cur = op->getResult(0);
  }
  return map;
}

Expected<route::StreamSpec> wafer::getStreamSpec(StreamOp s) {
  route::StreamSpec spec;
  spec.name = s.getSymName().str();
  spec.bytes = s.getBytes();
  if (!s.getResult().hasOneUse())
    return err("stream @" + s.getSymName() + " has no single consumer");
  OpOperand &use = *s.getResult().use_begin();
  spec.toHost = isa<OutputOp>(use.getOwner());
  if (!spec.toHost) {
    auto consumer = dyn_cast<KernelOp>(use.getOwner());
    if (!consumer)
      return err("stream @" + s.getSymName() + " is not consumed by a kernel");
    auto c = getInputLayout(consumer, use.getOperandNumber());
    if (!c)
      return c.takeError();
    spec.consumer = *c;
  }
  for (Value in : s.getInputs()) {
    route::StreamEnd end;
    end.bytes = getTensorBytes(in.getType());
    if (auto k = in.getDefiningOp<KernelOp>()) {
      auto l = getResultLayout(k, cast<OpResult>(in).getResultNumber());
      if (!l)
        return l.takeError();
      end.layout = *l;
    }
    spec.producers.push_back(end);
  }
  spec.axisMap = getAxisCorrespondence(s);
  return spec;
}

Expected<std::pair<bool, bool>> wafer::getAllreduceAxes(KernelOp k) {
  auto stages = analyzeKernel(k);
  if (!stages)
    return stages.takeError();
  std::pair<bool, bool> along = {false, false};
  if (stages->fused())
    for (const KernelTensor &t : stages->tensors)
      if (t.kind == BufferKind::Scratch) {
        auto [x, y] = getReducedAxes(k, t);
        along.first |= x;
        along.second |= y;
      }
  return along;
}

Expected<route::PlacedTraffic> wafer::getPlacedTraffic(ProgramOp program) {
  route::PlacedTraffic traffic;
  DenseMap<Operation *, int> block;
  for (KernelOp k : program.getBody().getOps<KernelOp>())
    block[k] = block.size();
  using Item = route::PlacedTraffic::Item;
  // A kernel's partial sums or a model output: a layout on one block.
  auto addLayoutItem = [&](Item::Kind kind, KernelOp k, unsigned result,
                           int64_t bytes) -> llvm::Error {
    auto l = getResultLayout(k, result);
    if (!l)
      return l.takeError();
    Item item;
    item.kind = kind;
    item.layout = *l;
    item.block = block.lookup(k);
    item.bytes = bytes;
    traffic.items.push_back(std::move(item));
    return llvm::Error::success();
  };
  for (Operation &op : program.getBodyBlock()) {
    if (auto k = dyn_cast<KernelOp>(op)) {
      if (llvm::Error e =
              addLayoutItem(Item::Reduction, k, 0, k.getReduceBytes()))
        return std::move(e);
      auto axes = getAllreduceAxes(k);
      if (!axes)
        return axes.takeError();
      traffic.items.back().allreduceX = axes->first;
      traffic.items.back().allreduceY = axes->second;
    } else if (auto s = dyn_cast<StreamOp>(op)) {
      auto spec = getStreamSpec(s);
      if (!spec)
        return spec.takeError();
      Item item;
      item.stream = std::move(*spec);
      for (Value in : s.getInputs()) {
        auto k = in.getDefiningOp<KernelOp>();
        item.producerBlocks.push_back(k ? block.lookup(k) : -1);
      }
      Operation *user = *s.getResult().getUsers().begin();
      item.consumerBlock = isa<KernelOp>(user) ? block.lookup(user) : -1;
      traffic.items.push_back(std::move(item));
    } else if (auto out = dyn_cast<OutputOp>(op)) {
      for (Value v : out.getValues()) {
        auto k = v.getDefiningOp<KernelOp>();
        if (!k)
          continue;
        if (llvm::Error e = addLayoutItem(Item::Output, k,
                                          cast<OpResult>(v).getResultNumber(),
                                          getTensorBytes(v.getType())))
          return std::move(e);
      }
    }
  }
  return traffic;
}

//===----------------------------------------------------------------------===//
// Whole-program routes and their verification
//===----------------------------------------------------------------------===//

std::string wafer::getDataKey(StreamOp s) {
  std::string key;
  llvm::raw_string_ostream os(key);
  for (Value in : s.getInputs()) {
    if (auto k = in.getDefiningOp<KernelOp>())
      os << "@" << k.getSymName() << "#" << cast<OpResult>(in).getResultNumber()
         << ",";
    else
      os << "input#" << cast<BlockArgument>(in).getArgNumber() << ",";
  }
  OpPrintingFlags flags;
  flags.printGenericOpForm().useLocalScope();
  for (Operation &op : s.getBody().front()) {
    op.print(os, flags);
    os << ";";
  }
  return key;
}

std::string wafer::getDataKey(KernelOp k) {
  return ("partial sums of @" + k.getSymName()).str();
}

std::string wafer::getOutputDataKey(Value v) {
  auto k = v.getDefiningOp<KernelOp>();
  if (!k)
    return "";
  return ("output @" + k.getSymName() + "#" +
          Twine(cast<OpResult>(v).getResultNumber()))
      .str();
}

bool wafer::isRouted(ProgramOp program) {
  for (Operation &op : program.getBodyBlock())
    if (op.getAttr("routes"))
      return true;
  return false;
}

ProgramRoutes wafer::collectRoutes(ProgramOp program) {
  ProgramRoutes pr;
  pr.problem = route::PatternProblem::forTarget(program.getTarget().getModel());
  auto add = [&](ArrayAttr routes, const std::string &owner,
                 const std::string &dataKey) {
    for (RoutedPattern &r : decodeRoutes(routes)) {
      pr.problem.patterns.push_back(r.pattern);
      pr.problem.owners.push_back(owner);
      pr.problem.dataKeys.push_back(dataKey);
      pr.solution.colors.push_back(
          std::vector<int>(r.colors.begin(), r.colors.end()));
      pr.solution.phase.push_back(int(r.phase));
    }
  };
  for (Operation &op : program.getBodyBlock()) {
    if (auto k = dyn_cast<KernelOp>(op))
      add(k.getRoutesAttr(), "kernel @" + k.getSymName().str(), getDataKey(k));
    else if (auto s = dyn_cast<StreamOp>(op))
      add(s.getRoutesAttr(), "stream @" + s.getSymName().str(), getDataKey(s));
    else if (auto o = dyn_cast<OutputOp>(op))
      if (ArrayAttr chains = o.getRoutesAttr())
        for (auto [i, chain] : llvm::enumerate(chains))
          add(cast<ArrayAttr>(chain), "output #" + std::to_string(i),
              i < o.getValues().size() ? getOutputDataKey(o.getValues()[i])
                                       : "");
  }
  route::measure(pr.problem, pr.solution);
  return pr;
}

LogicalResult wafer::verifyRoutes(ProgramOp program) {
  if (!isRouted(program))
    return success();
  ProgramRoutes pr = collectRoutes(program);
  if (auto why = pr.problem.check())
    return program.emitOpError("invalid route: ") << *why;
  auto geometryOf = [](ArrayAttr routes) {
    std::vector<route::Pattern> chain;
    for (const RoutedPattern &r : decodeRoutes(routes))
      chain.push_back(r.pattern);
    return chain;
  };
  for (Operation &op : program.getBodyBlock()) {
    if (auto k = dyn_cast<KernelOp>(op)) {
      // A split reduction's partial sums travel on its chain reduce (the
      // stages of a fused kernel: on allreduces).
      auto layout = getResultLayout(k, 0);
      if (!layout)
        return k.emitOpError() << llvm::toString(layout.takeError());
      auto axes = getAllreduceAxes(k);
      if (!axes)
        return k.emitOpError() << llvm::toString(axes.takeError());
      std::vector<route::Pattern> expected =
          axes->first || axes->second
              ? route::allreducePatterns(*layout, axes->first, axes->second,
                                         k.getReduceBytes())
              : route::reductionPatterns(*layout, k.getReduceBytes());
      if (!k.getRoutesAttr() && !expected.empty())
        return k.emitOpError("is not routed, but other ops of the program "
                             "are");
      if (k.getRoutesAttr() && geometryOf(k.getRoutesAttr()) != expected)
        return k.emitOpError("routes do not reduce its partial sums: "
                             "expected ")
               << (expected.empty() ? std::string("no pattern")
                                    : expected.front().str());
      continue;
    }
    if (auto out = dyn_cast<OutputOp>(op)) {
      ArrayAttr chains = out.getRoutesAttr();
      if (!chains || chains.size() != out.getValues().size())
        return out.emitOpError("expected one route chain per output (")
               << out.getValues().size() << "), got "
               << (chains ? chains.size() : 0);
      for (auto [i, v] : llvm::enumerate(out.getValues())) {
        auto k = v.getDefiningOp<KernelOp>();
        if (!k)
          continue;
        auto layout = getResultLayout(k, cast<OpResult>(v).getResultNumber());
        if (!layout)
          return k.emitOpError() << llvm::toString(layout.takeError());
        route::Rect po = layout->occupied();
        if (auto gap =
                route::checkChain({po}, geometryOf(cast<ArrayAttr>(chains[i])),
                                  route::Rect{0, po.y, 1, po.h}))
          return out.emitOpError("routes of output #")
                 << i << " do not bring it to the host's edge: PE (" << gap->x
                 << "," << gap->y << ")";
      }
      continue;
    }
    if (auto s = dyn_cast<StreamOp>(op)) {
      if (!s.getRoutesAttr())
        return s.emitOpError("is not routed, but other streams of the "
                             "program are");
      auto spec = getStreamSpec(s);
      if (!spec)
        return s.emitOpError() << llvm::toString(spec.takeError());
      SmallVector<RoutedPattern> routed = decodeRoutes(s.getRoutesAttr());
      std::vector<route::Pattern> chain;
      for (const RoutedPattern &r : routed)
        chain.push_back(r.pattern);
      Operation *consumer = *s.getResult().getUsers().begin();
      std::optional<route::ChainGap> gap;
      for (const route::Rect &need : route::streamNeeds(*spec))
        if (!gap)
          gap = route::checkChain(route::streamStart(*spec), chain, need);
      if (gap) {
        if (gap->pattern == -2)
          return s.emitOpError()
                 << "no route picks up the data one of its producers holds "
                    "at PE ("
                 << gap->x << "," << gap->y << ")";
        if (gap->pattern >= 0) {
          const RoutedPattern &r = routed[gap->pattern];
          return s.emitOpError()
                 << "route #" << gap->pattern << " (" << r.pattern.str()
                 << ", color " << r.colors.front() << ") starts at PE ("
                 << gap->x << "," << gap->y
                 << "), where no data of the stream has arrived";
        }
        InFlightDiagnostic d = s.emitOpError() << "routes leave PE (" << gap->x
                                               << "," << gap->y << ") of ";
        if (auto k = dyn_cast<KernelOp>(consumer))
          d << "kernel @" << k.getSymName();
        else
          d << "the host's edge";
        d << " unserved";
        if (!routed.empty())
          d << " (last route #" << routed.size() - 1 << ": "
            << routed.back().pattern.str() << " on color "
            << routed.back().colors.front() << ")";
        d.attachNote(consumer->getLoc()) << "consumer is here";
        return d;
      }
    }
  }
  if (auto why = route::verify(pr.problem, pr.solution))
    return program.emitOpError("invalid routes: ") << *why;
  return success();
}
