//===- PEInterpreter.cpp - execute a routed program PE by PE --------------===//
//
// See include/wafer/Interpreter/PEInterpreter.h for the route form and the
// host convention. Approach, stated plainly:
// - Kernels run per PE: each PE gets copies of its resident-constant tiles,
//   its received input tiles and its output tile, and runs the linalg op on
//   its iteration box. A split reduction dim runs as a chain: the running
//   accumulator tile passes from chunk 0 to the last chunk along the mesh
//   axis, which then owns the result (so any reduction body combines).
// - A stream's movement body is evaluated by the golden evaluator on the
//   assembled producer tensors. Every element a consumer PE reads is traced
//   to its source element (by evaluating the body on element indices), its
//   owning producer PE, and the (source PE, destination PE) pair is checked
//   against the routes in the IR.
//
//===----------------------------------------------------------------------===//

#include "wafer/Interpreter/PEInterpreter.h"
#include "Errors.h"
#include "ProgramTiming.h"
#include "wafer/Dialect/Wafer/KernelStages.h"
#include "wafer/Dialect/Wafer/WaferLowered.h"
#include "wafer/Dialect/Wafer/WaferOps.h"
#include "wafer/Dialect/Wafer/WaferRoutes.h"
#include "wafer/Interpreter/Evaluator.h"
#include "wafer/Interpreter/Fabric.h"
#include "wafer/Interpreter/LinalgExecutor.h"
#include "wafer/Support/Sizes.h"
#include "wafer/Timing/Timing.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <map>

using namespace mlir;
using namespace wafer;
using namespace wafer::interp;
using llvm::Error;
using llvm::Expected;

static std::string pe(int64_t x, int64_t y) {
  return llvm::formatv("PE ({0},{1})", x, y).str();
}

namespace {

/// A kernel's rectangle-parameterised distribution.
struct Dist {
  int64_t ox = 0, oy = 0, w = 1, h = 1;
  SmallVector<int64_t> dims, tile;
  int64_t split[2] = {-1, -1};
  int64_t numChunks[2] = {1, 1};
  /// Sub-rectangles along x: the inner dim and its chunks (columns of one
  /// sub-rectangle); column i runs chunk i / innerChunks of split[0].
  int64_t inner = -1, innerChunks = 1;

  static Expected<Dist> of(KernelOp k) {
    Dist d;
    if (!k.getOrigin())
      return err("kernel @" + k.getSymName() +
                 " is not placed (no origin); run --wafer-place");
    d.ox = (*k.getOrigin())[0];
    d.oy = (*k.getOrigin())[1];
    d.w = k.getWidth();
    d.h = k.getHeight();
    d.dims.assign(k.getDims().begin(), k.getDims().end());
    d.tile.assign(k.getTile().begin(), k.getTile().end());
    d.split[0] = k.getSplit()[0];
    d.split[1] = k.getSplit()[1];
    if (d.split[0] >= 0 && d.split[0] == d.split[1])
      return err("kernel @" + k.getSymName() +
                 ": one dim split along both mesh axes is not supported");
    for (int axis = 0; axis < 2; ++axis)
      d.numChunks[axis] = k.getNumChunks(axis);
    d.inner = k.getSplitXInner();
    d.innerChunks = k.getNumInnerChunks();
    return d;
  }
  /// The chunk of iteration dim `d` (one of the split dims) at line
  /// `line` of mesh axis `axis`.
  int64_t chunkAt(int axis, int64_t d, int64_t line) const {
    if (axis == 1 || inner < 0)
      return line;
    return d == inner ? line % innerChunks : line / innerChunks;
  }
  /// The line of mesh axis `axis` holding chunks `c` of its split dim and
  /// `ci` of the inner one.
  int64_t lineOf(int axis, int64_t c, int64_t ci) const {
    return axis == 1 || inner < 0 ? c : c * innerChunks + ci;
  }
  /// Non-empty chunks along `axis` (0: x, 1: y).
  int64_t chunks(int axis) const { return numChunks[axis]; }
  /// The iteration box of PE (i, j); false when it is empty.
  bool box(int64_t i, int64_t j, SmallVectorImpl<int64_t> &lo,
           SmallVectorImpl<int64_t> &hi) const {
    lo.assign(dims.size(), 0);
    hi.assign(dims.begin(), dims.end());
    int64_t c[2] = {i, j};
    for (int a = 0; a < 2; ++a) {
      int64_t d = split[a];
      if (d < 0) {
        if (c[a] != 0)
          return false;
        continue;
      }
      for (int64_t e : {d, a == 0 ? inner : int64_t(-1)}) {
        if (e < 0)
          continue;
        lo[e] = chunkAt(a, e, c[a]) * tile[e];
        hi[e] = std::min(dims[e], lo[e] + tile[e]);
        if (lo[e] >= hi[e])
          return false;
      }
    }
    return true;
  }
};

/// The image of the iteration box under a projection.
void image(ArrayRef<int64_t> proj, ArrayRef<int64_t> lo, ArrayRef<int64_t> hi,
           SmallVectorImpl<int64_t> &olo, SmallVectorImpl<int64_t> &osz) {
  olo.clear();
  osz.clear();
  for (int64_t p : proj) {
    if (p >= 0) {
      olo.push_back(lo[p]);
      osz.push_back(hi[p] - lo[p]);
    } else {
      olo.push_back(-1 - p);
      osz.push_back(1);
    }
  }
}

/// Calls f(linear index in `shape`) for every element of the box, row-major.
template <typename F>
void forEachInBox(ArrayRef<int64_t> shape, ArrayRef<int64_t> lo,
                  ArrayRef<int64_t> sz, F f) {
  for (int64_t s : sz)
    if (s <= 0)
      return;
  SmallVector<int64_t> strides = rowMajorStrides(shape);
  SmallVector<int64_t> idx(lo.size(), 0);
  size_t rank = lo.size();
  while (true) {
    int64_t linear = 0;
    for (size_t d = 0; d < rank; ++d)
      linear += (lo[d] + idx[d]) * strides[d];
    f(linear);
    size_t d = rank;
    while (d > 0) {
      --d;
      if (++idx[d] < sz[d])
        break;
      idx[d] = 0;
      if (d == 0)
        return;
    }
    if (rank == 0)
      return;
  }
}

/// Copies box [lo, lo+sz) of `src` into a new tile (or back, `toTile` false),
/// one memcpy per innermost row of the box.
void copyBox(const Tensor &whole, Tensor &tile, ArrayRef<int64_t> lo,
             ArrayRef<int64_t> sz, bool toTile) {
  size_t es = elementSize(whole.getKind());
  size_t rank = lo.size();
  if (rank == 0) {
    if (toTile)
      std::memcpy(tile.data(), whole.data(), es);
    else
      std::memcpy(const_cast<char *>(whole.data()), tile.data(), es);
    return;
  }
  for (int64_t s : sz)
    if (s <= 0)
      return;
  // Iterate the outer dims; the innermost run is contiguous in both.
  SmallVector<int64_t> outerLo(lo.drop_back()), outerSz(sz.drop_back());
  SmallVector<int64_t> outerShape(whole.getShape().drop_back());
  int64_t inner = whole.getShape().back();
  size_t run = size_t(sz.back()) * es;
  int64_t t = 0;
  auto copyRow = [&](int64_t outerLinear) {
    char *w = const_cast<char *>(whole.data()) +
              (outerLinear * inner + lo.back()) * es;
    char *p = tile.data() + t * run;
    if (toTile)
      std::memcpy(p, w, run);
    else
      std::memcpy(w, p, run);
    ++t;
  };
  if (rank == 1)
    copyRow(0);
  else
    forEachInBox(outerShape, outerLo, outerSz, copyRow);
}

View tileView(Tensor &t, ArrayRef<int64_t> lo) {
  View v = t.view();
  v.offset.assign(lo.begin(), lo.end());
  return v;
}

/// Runs a block's ops (up to, not including, `stop` or the terminator) as a
/// temporary function returning `results`, with the golden evaluator.
/// With `indexMode`, every tensor becomes i64: values that depend on the
/// block arguments are retyped, the others become -1 splats, so the result
/// tells which argument element each element came from.
Expected<std::vector<Tensor>> evalBlock(Block &block, ArrayRef<Value> results,
                                        ArrayRef<Tensor> args, bool indexMode,
                                        Operation *stop = nullptr) {
  MLIRContext *ctx = block.getParentOp()->getContext();
  Location loc = block.getParentOp()->getLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  OpBuilder b = OpBuilder::atBlockEnd(module->getBody());
  auto retype = [&](Type t) -> Type {
    auto rt = dyn_cast<RankedTensorType>(t);
    if (!indexMode || !rt)
      return t;
    return RankedTensorType::get(rt.getShape(), b.getI64Type());
  };
  SmallVector<Type> argTypes, resTypes;
  for (BlockArgument a : block.getArguments())
    argTypes.push_back(retype(a.getType()));
  for (Value v : results)
    resTypes.push_back(retype(v.getType()));
  auto func = func::FuncOp::create(b, loc, "wafer_tmp",
                                   b.getFunctionType(argTypes, resTypes));
  Block *entry = func.addEntryBlock();
  b.setInsertionPointToEnd(entry);
  IRMapping map;
  DenseSet<Value> dependent;
  for (auto [a, e] : llvm::zip(block.getArguments(), entry->getArguments())) {
    map.map(a, e);
    dependent.insert(a);
  }
  auto splat = [&](Value v) -> Value {
    auto rt = cast<RankedTensorType>(retype(v.getType()));
    return arith::ConstantOp::create(
        b, loc, rt, DenseElementsAttr::get(rt, b.getI64IntegerAttr(-1)));
  };
  for (Operation &op : block) {
    if (&op == stop || op.hasTrait<OpTrait::IsTerminator>())
      break;
    bool dep = llvm::any_of(op.getOperands(),
                            [&](Value o) { return dependent.contains(o); });
    if (!indexMode || !dep) {
      if (!indexMode)
        b.clone(op, map);
      continue;
    }
    for (Value o : op.getOperands())
      if (!dependent.contains(o) && !map.contains(o))
        map.map(o, splat(o));
    Operation *clone = b.clone(op, map);
    for (auto [r, c] : llvm::zip(op.getResults(), clone->getResults())) {
      c.setType(retype(r.getType()));
      dependent.insert(r);
    }
    // A broadcast copy's body yields its input element: an index too.
    if (auto g = dyn_cast<linalg::GenericOp>(clone))
      for (BlockArgument a : g.getRegion().front().getArguments())
        a.setType(b.getI64Type());
  }
  SmallVector<Value> rets;
  for (Value v : results) {
    if (indexMode && !dependent.contains(v))
      rets.push_back(splat(v));
    else
      rets.push_back(map.lookupOrDefault(v));
  }
  func::ReturnOp::create(b, loc, rets);
  (void)ctx;
  return evaluateFunction(func, args);
}

uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

KernelOp consumerOf(StreamOp s) {
  for (Operation *u : s.getResult().getUsers())
    if (auto k = dyn_cast<KernelOp>(u))
      return k;
  return {};
}

/// Where each output element of a kernel ends up: the PE whose chunk of a
/// split parallel dim holds it, or the last PE of a reduction chain.
struct Owner {
  Dist dist;
  SmallVector<int64_t> proj; // output map of the result
  SmallVector<int64_t> strides, shape;
  std::pair<int64_t, int64_t> of(int64_t linear) const {
    int64_t c[2] = {0, 0};
    for (int a = 0; a < 2; ++a) {
      int64_t d = dist.split[a];
      if (d < 0)
        continue;
      auto it = llvm::find(proj, d);
      if (it == proj.end()) {
        c[a] = dist.chunks(a) - 1;
        continue;
      }
      auto chunk = [&](int64_t dim) -> int64_t {
        auto at = llvm::find(proj, dim);
        if (at == proj.end())
          return 0;
        size_t r = at - proj.begin();
        return (linear / strides[r]) % shape[r] / dist.tile[dim];
      };
      c[a] = dist.lineOf(a, chunk(d),
                         a == 0 && dist.inner >= 0 ? chunk(dist.inner) : 0);
    }
    return {dist.ox + c[0], dist.oy + c[1]};
  }
};

Expected<Owner> ownerOf(KernelOp k, unsigned result) {
  auto d = Dist::of(k);
  if (!d)
    return d.takeError();
  auto proj = getResultProjection(k, result);
  if (!proj)
    return proj.takeError();
  Owner o{*d, *proj, {}, {}};
  auto type = cast<RankedTensorType>(k.getResult(result).getType());
  o.strides = rowMajorStrides(type.getShape());
  o.shape.assign(type.getShape().begin(), type.getShape().end());
  return o;
}

/// Source index of every element of the stream's result (-1: constant).
Expected<std::vector<int64_t>> sourceMap(StreamOp s,
                                         SmallVectorImpl<int64_t> &offsets) {
  Block &body = s.getBody().front();
  SmallVector<Tensor> args;
  int64_t total = 0;
  for (Value in : s.getInputs()) {
    auto t = cast<RankedTensorType>(in.getType());
    Tensor idx(ElementKind::I64, t.getShape());
    for (int64_t e = 0; e < idx.getNumElements(); ++e)
      idx.dataAs<int64_t>()[e] = total + e;
    offsets.push_back(total);
    total += idx.getNumElements();
    args.push_back(std::move(idx));
  }
  offsets.push_back(total);
  Value yielded = body.getTerminator()->getOperand(0);
  auto r = evalBlock(body, {yielded}, args, /*indexMode=*/true);
  if (!r)
    return r.takeError();
  const Tensor &t = (*r)[0];
  return std::vector<int64_t>(t.dataAs<int64_t>(),
                              t.dataAs<int64_t>() + t.getNumElements());
}

} // namespace

Expected<StreamNeeds> wafer::interp::analyzeStream(StreamOp stream) {
  auto fail = [&](const llvm::Twine &m) {
    return err("stream @" + stream.getSymName() + ": " + m);
  };
  KernelOp consumer = consumerOf(stream);
  if (!consumer)
    return fail("has no consumer kernel");
  auto cd = Dist::of(consumer);
  if (!cd)
    return cd.takeError();
  SmallVector<int64_t> offsets;
  auto src = sourceMap(stream, offsets);
  if (!src)
    return src.takeError();
  // Producers of each stream input.
  std::vector<std::optional<Owner>> owners;
  StreamNeeds needs;
  needs.fromHost = true;
  for (Value in : stream.getInputs()) {
    if (auto k = in.getDefiningOp<KernelOp>()) {
      auto o = ownerOf(k, cast<OpResult>(in).getResultNumber());
      if (!o)
        return o.takeError();
      owners.push_back(*o);
      needs.fromHost = false;
    } else {
      owners.push_back(std::nullopt);
    }
  }
  auto rtype = cast<RankedTensorType>(stream.getType());
  needs.elementBytes = wafer::elementBytes(rtype.getElementType());
  // The consumer's operands reading this stream.
  unsigned argNo = llvm::find(consumer.getInputs(), stream.getResult()) -
                   consumer.getInputs().begin();
  auto uses = getInputProjections(consumer, argNo);

  // PEs whose boxes read the same part of the stream (a matmul input shared
  // along the other mesh axis) share one histogram of source PEs, so each
  // distinct box is traced element by element once. A host source (-1)
  // becomes the west-edge PE of the destination's row.
  struct Source {
    int64_t id, elements;
    uint64_t signature;
  };
  std::map<SmallVector<int64_t>, std::vector<Source>> histograms;
  SmallVector<int64_t> lo, hi, blo, bsz, ilo, isz;
  int64_t meshW =
      stream->getParentOfType<ProgramOp>().getTarget().getModel().width;
  for (int64_t j = 0; j < cd->h; ++j)
    for (int64_t i = 0; i < cd->w; ++i) {
      if (!cd->box(i, j, lo, hi))
        continue;
      // Bounding box of every image of the PE's box in the stream tensor.
      blo.clear();
      bsz.clear();
      for (auto &u : uses) {
        if (!u) {
          blo.assign(rtype.getRank(), 0);
          bsz.assign(rtype.getShape().begin(), rtype.getShape().end());
          break;
        }
        image(*u, lo, hi, ilo, isz);
        if (blo.empty()) {
          blo = ilo;
          bsz = isz;
          continue;
        }
        for (size_t d = 0; d < blo.size(); ++d) {
          int64_t e = std::max(blo[d] + bsz[d], ilo[d] + isz[d]);
          blo[d] = std::min(blo[d], ilo[d]);
          bsz[d] = e - blo[d];
        }
      }
      if (uses.empty())
        continue;
      SmallVector<int64_t> key(blo);
      key.append(bsz.begin(), bsz.end());
      auto [it, fresh] = histograms.try_emplace(key);
      if (fresh) {
        DenseMap<int64_t, std::pair<int64_t, uint64_t>> agg;
        forEachInBox(rtype.getShape(), blo, bsz, [&](int64_t e) {
          int64_t s = (*src)[e];
          if (s < 0)
            return;
          size_t k = llvm::upper_bound(offsets, s) - offsets.begin() - 1;
          int64_t id = -1;
          if (owners[k]) {
            auto p = owners[k]->of(s - offsets[k]);
            id = p.second * meshW + p.first;
          }
          auto &a = agg[id];
          a.first += 1;
          a.second += mix(uint64_t(s));
        });
        for (auto &[id, a] : agg)
          it->second.push_back({id, a.first, a.second});
        llvm::sort(it->second, [](const Source &a, const Source &b) {
          return a.id < b.id;
        });
      }
      int64_t qx = cd->ox + i, qy = cd->oy + j;
      for (const Source &src : it->second) {
        int64_t sx = src.id < 0 ? 0 : src.id % meshW;
        int64_t sy = src.id < 0 ? qy : src.id / meshW;
        needs.pairs.push_back({sx, sy, qx, qy, src.elements, src.signature});
      }
    }
  return needs;
}

//===----------------------------------------------------------------------===//
// Routes from the IR
//===----------------------------------------------------------------------===//

namespace {

/// A routed stream: its pattern chain and where its data starts.
struct StreamRoute {
  std::vector<route::Pattern> chain;
  SmallVector<SmallVector<int64_t>> colors;
  std::vector<route::Rect> start, needs;
  /// Bytes on the chain's busiest link and hops along the chain.
  int64_t maxLinkBytes = 0, hops = 0;
  /// Index of the pattern with the busiest link (a timing resource).
  int busiest = -1;
};

struct RoutedProgram {
  SmallVector<StreamRoute> streams;
  uint64_t maxLinkLoad = 0;
  int maxColors = 0;
  /// Routing phases and the cycles spent reconfiguring between them.
  int phases = 1;
  double reconfigCycles = 0;
};

Expected<RoutedProgram> buildRoutes(ProgramOp program,
                                    ArrayRef<StreamOp> streams) {
  RoutedProgram rp;
  for (StreamOp s : streams) {
    if (!s.getRoutesAttr())
      return err("stream @" + s.getSymName() +
                 ": has no routes; run --wafer-route");
    auto spec = getStreamSpec(s);
    if (!spec)
      return spec.takeError();
    StreamRoute sr;
    for (const RoutedPattern &r : decodeRoutes(s.getRoutesAttr())) {
      if (r.pattern.bytesPerLink() > sr.maxLinkBytes) {
        sr.maxLinkBytes = r.pattern.bytesPerLink();
        sr.busiest = int(sr.chain.size());
      }
      sr.hops += r.pattern.hopsPerLine();
      sr.chain.push_back(r.pattern);
      sr.colors.push_back(r.colors);
    }
    sr.start = route::streamStart(*spec);
    sr.needs = route::streamNeeds(*spec);
    rp.streams.push_back(std::move(sr));
  }
  ProgramRoutes pr = collectRoutes(program);
  if (auto why = pr.problem.check())
    return err("invalid route: " + *why);
  if (auto why = route::verify(pr.problem, pr.solution))
    return err("routes conflict: " + *why);
  rp.maxLinkLoad = pr.solution.maxLink.value;
  rp.maxColors = int(pr.solution.colorsMax.value);
  rp.phases = pr.solution.numPhases;
  rp.reconfigCycles = pr.solution.reconfigCycles;
  return rp;
}

/// Checks every (source, destination) pair of a stream against its chain:
/// the source must hold the stream's data where the chain starts, and the
/// chain must deliver to the destination.
/// Level 6: what the routers delivered for a stream and on which colors
/// its consumer's PE program receives it.
struct Lowered {
  const Deliveries *traced = nullptr;
  uint64_t recvColors = 0;
  int64_t meshWidth = 0;
};

std::string joinInts(ArrayRef<int64_t> v) {
  std::string s;
  for (int64_t x : v)
    s += (s.empty() ? "" : ", ") + std::to_string(x);
  return s;
}

std::string colorList(uint64_t mask) {
  std::string s;
  for (int c = 0; c < 64; ++c)
    if (mask & (uint64_t(1) << c))
      s += (s.empty() ? "" : ", ") + std::to_string(c);
  return s;
}

Error checkDelivery(StreamOp s, const StreamNeeds &needs,
                    const StreamRoute &route, int64_t &checked,
                    const Lowered *lowered = nullptr) {
  KernelOp consumer = consumerOf(s);
  std::optional<route::ChainGap> gap;
  for (const route::Rect &need : route.needs)
    if (!gap)
      gap = route::checkChain(route.start, route.chain, need);
  if (gap) {
    if (gap->pattern == -2)
      return err(llvm::formatv("stream @{0}: no route picks up the data at {1}",
                               s.getSymName(), pe(gap->x, gap->y))
                     .str());
    if (gap->pattern >= 0)
      return err(llvm::formatv("stream @{0} color {1}: route #{2} ({3}) "
                               "starts at {4}, where no data of the stream "
                               "has arrived",
                               s.getSymName(), route.colors[gap->pattern][0],
                               gap->pattern, route.chain[gap->pattern].str(),
                               pe(gap->x, gap->y))
                     .str());
    return err(llvm::formatv("stream @{0}: no route reaches {1} of kernel "
                             "@{2}",
                             s.getSymName(), pe(gap->x, gap->y),
                             consumer.getSymName())
                   .str());
  }
  std::vector<route::Rect> reached = route.start;
  for (const route::Pattern &p : route.chain)
    reached.push_back(p.sinks());
  // A chain whose every step runs along rows (columns) never moves data to
  // another row (column): the lanes of lined-up layouts. Each pair must
  // then stay on its line, or the layouts were not lined up after all.
  auto along = [&](bool rows) {
    return !route.chain.empty() &&
           llvm::all_of(route.chain, [&](const route::Pattern &p) {
             return p.kind != route::PatternKind::StoreForward &&
                    route::isHorizontal(p.dir) == rows;
           });
  };
  bool rowsOnly = !needs.fromHost && along(true);
  bool colsOnly = !needs.fromHost && along(false);
  // Pairs come grouped by destination: check each source and each
  // destination once per run of equal ones.
  int64_t lastSrc = -1, lastDst = -1;
  for (const StreamPair &p : needs.pairs) {
    ++checked;
    auto from = [&] {
      return (needs.fromHost ? "the host at " : "") + pe(p.srcX, p.srcY);
    };
    int64_t srcId = p.srcY * (int64_t(1) << 32) + p.srcX;
    int64_t dstId = p.dstY * (int64_t(1) << 32) + p.dstX;
    bool sameSrc = srcId == lastSrc, sameDst = dstId == lastDst;
    lastSrc = srcId;
    lastDst = dstId;
    if (sameDst && sameSrc)
      continue;
    if ((rowsOnly && p.srcY != p.dstY) || (colsOnly && p.srcX != p.dstX))
      return err(llvm::formatv("stream @{0}: its routes run along {1} only, "
                               "but {2} of kernel @{3} needs data from {4}",
                               s.getSymName(), rowsOnly ? "rows" : "columns",
                               pe(p.dstX, p.dstY), consumer.getSymName(),
                               from())
                     .str());
    bool sourced =
        sameSrc || llvm::any_of(route.start, [&](const route::Rect &r) {
          return r.contains(p.srcX, p.srcY);
        });
    if (!sourced)
      return err(llvm::formatv("stream @{0}: no route carries data from {1} "
                               "to {2} of kernel @{3}",
                               s.getSymName(), from(), pe(p.dstX, p.dstY),
                               consumer.getSymName())
                     .str());
    if (sameDst)
      continue;
    if (lowered) {
      // Data moves only through the configured routers (Fabric).
      bool local = llvm::any_of(route.start, [&](const route::Rect &r) {
        return r.contains(p.dstX, p.dstY);
      });
      if (local)
        continue;
      auto it =
          lowered->traced->colors.find(p.dstY * lowered->meshWidth + p.dstX);
      if (it == lowered->traced->colors.end())
        return err(llvm::formatv("{0} of kernel @{1} waits on color(s) [{2}] "
                                 "for stream @{3}, which no router delivers "
                                 "there (its data comes from {4})",
                                 pe(p.dstX, p.dstY), consumer.getSymName(),
                                 colorList(lowered->recvColors), s.getSymName(),
                                 from())
                       .str());
      if (!(it->second & lowered->recvColors))
        return err(llvm::formatv("{0} of kernel @{1} receives stream @{2} on "
                                 "color(s) [{3}], but its routers deliver it "
                                 "on color(s) [{4}]",
                                 pe(p.dstX, p.dstY), consumer.getSymName(),
                                 s.getSymName(), colorList(lowered->recvColors),
                                 colorList(it->second))
                       .str());
      continue;
    }
    bool delivered = llvm::any_of(reached, [&](const route::Rect &r) {
      return r.contains(p.dstX, p.dstY);
    });
    if (!delivered)
      return err(llvm::formatv("stream @{0}: data from {1} does not reach {2} "
                               "of kernel @{3}",
                               s.getSymName(), from(), pe(p.dstX, p.dstY),
                               consumer.getSymName())
                     .str());
  }
  return Error::success();
}

/// Level 6: every producer kernel's PE program sends the stream on a color
/// its route starts on (the first step's colors).
Error checkSends(StreamOp s, const llvm::StringMap<PECodeOp> &codes,
                 const Fabric &fabric, StringRef owner) {
  uint64_t start = 0;
  for (const RouterGroup &g : fabric.groups())
    if (g.owner == owner && g.step == 0)
      start |= uint64_t(1) << (g.color & 63);
  if (!start)
    return err("stream @" + s.getSymName() +
               ": no wafer.router carries it (routes dropped?)");
  for (Value in : s.getInputs()) {
    auto k = in.getDefiningOp<KernelOp>();
    if (!k)
      continue;
    PECodeOp code = codes.lookup(k.getSymName());
    SmallVector<int64_t> sent;
    for (SendOp send : code.getBodyBlock().getOps<SendOp>())
      if (send.getStream() == s.getSymName())
        sent.append(send.getColors().begin(), send.getColors().end());
    if (sent.empty())
      return err("kernel @" + k.getSymName() + " never sends stream @" +
                 s.getSymName() + ": its PE program has no wafer.send for it");
    if (!llvm::any_of(
            sent, [&](int64_t c) { return start & (uint64_t(1) << (c & 63)); }))
      return err(llvm::formatv("kernel @{0} sends stream @{1} on color(s) "
                               "[{2}], but the stream's routers start on "
                               "color(s) [{3}]",
                               k.getSymName(), s.getSymName(), joinInts(sent),
                               colorList(start))
                     .str());
  }
  return Error::success();
}

//===----------------------------------------------------------------------===//
// Kernels
//===----------------------------------------------------------------------===//

/// Runs a kernel PE by PE, stage by stage; returns its assembled results.
/// A stage that reduces a split dim accumulates along the mesh axis in
/// chain order; in a kernel of several stages that is an allreduce, and
/// the next stage reads the whole result on every PE of the line.
Expected<std::vector<Tensor>> runKernel(KernelOp k,
                                        ArrayRef<const Tensor *> streamed,
                                        const ExecOptions &options,
                                        ExecutionResult &res,
                                        PECodeOp code = {}) {
  // Level 6: the buffers the PE program declares, by (operand, partial).
  std::map<std::pair<int64_t, bool>, BufferOp> declared;
  if (code)
    for (BufferOp b : code.getBodyBlock().getOps<BufferOp>())
      declared[{b.getOperand(), b.getKind() == BufferKind::Partial}] = b;
  auto dist = Dist::of(k);
  if (!dist)
    return dist.takeError();
  auto ks = analyzeKernel(k);
  if (!ks)
    return ks.takeError();
  Block &body = k.getBody().front();
  std::vector<CompiledLinalgOp> compiled;
  for (linalg::LinalgOp op : ks->ops) {
    auto c = CompiledLinalgOp::compile(op);
    if (!c)
      return c.takeError();
    compiled.push_back(std::move(*c));
  }
  // Whole constant-derived operands, inits and captures, materialised
  // once; PEs copy their tiles out of them.
  auto isArg = [&](Value v) {
    auto a = dyn_cast<BlockArgument>(v);
    return a && a.getOwner() == &body;
  };
  llvm::SmallPtrSet<Operation *, 4> stageOps;
  for (linalg::LinalgOp op : ks->ops)
    stageOps.insert(op);
  auto isStageResult = [&](Value v) {
    return v.getDefiningOp() && stageOps.contains(v.getDefiningOp());
  };
  SmallVector<Value> constVals;
  auto addConst = [&](Value v) {
    if (!isArg(v) && !isStageResult(v) && !llvm::is_contained(constVals, v))
      constVals.push_back(v);
  };
  for (auto [s, op] : llvm::enumerate(ks->ops)) {
    for (Value v : op->getOperands())
      addConst(v);
    for (Value v : compiled[s].getCaptures())
      addConst(v);
  }
  SmallVector<Tensor> noArgs;
  for (BlockArgument a : body.getArguments())
    noArgs.push_back(*streamed[a.getArgNumber()]);
  auto consts = evalBlock(body, constVals, noArgs, false, ks->ops.front());
  if (!consts)
    return consts.takeError();
  // Stage results, whole, as the stages complete.
  DenseMap<Value, Tensor> stageResults;
  auto wholeOf = [&](Value v) -> const Tensor * {
    if (isArg(v))
      return streamed[cast<BlockArgument>(v).getArgNumber()];
    if (isStageResult(v))
      return &stageResults.find(v)->second;
    return &(*consts)[llvm::find(constVals, v) - constVals.begin()];
  };

  // Every buffer a PE fills must fit the one its program declares.
  SmallVector<int64_t> lo, hi, olo, osz;
  SmallVector<bool> chained;
  for (const KernelTensor &kt : ks->tensors) {
    auto [x, y] = getReducedAxes(k, kt);
    chained.push_back(x || y);
  }
  for (int64_t j = 0; j < dist->h; ++j)
    for (int64_t i = 0; i < dist->w; ++i) {
      if (!dist->box(i, j, lo, hi))
        continue;
      int64_t bytes = 0;
      int64_t px = dist->ox + i, py = dist->oy + j;
      auto account = [&](int64_t operand, bool partial,
                         int64_t actual) -> Error {
        bytes += actual;
        if (!code || !options.checkSram)
          return Error::success();
        auto it = declared.find({operand, partial});
        if (it == declared.end())
          return err(llvm::formatv("kernel @{0}: its PE program declares no "
                                   "buffer for {1}operand {2}",
                                   k.getSymName(),
                                   partial ? "the partial "
                                             "sums of "
                                           : "",
                                   operand)
                         .str());
        if (actual > int64_t(it->second.getBytes()))
          return err(llvm::formatv("kernel @{0}: buffer @{1} at {2} holds {3} "
                                   "B, but the PE's tile needs {4} B",
                                   k.getSymName(), it->second.getSymName(),
                                   pe(px, py), it->second.getBytes(), actual)
                         .str());
        return Error::success();
      };
      for (auto [t, kt] : llvm::enumerate(ks->tensors)) {
        auto type = cast<RankedTensorType>(kt.value.getType());
        int64_t actual =
            type.getNumElements() * wafer::elementBytes(type.getElementType());
        if (kt.proj) {
          image(*kt.proj, lo, hi, olo, osz);
          int64_t n = 1;
          for (int64_t e : osz)
            n *= e;
          actual = heldBytes(k, n * wafer::elementBytes(type.getElementType()),
                             *kt.proj, osz);
        }
        if (auto e = account(kt.operand, false, actual))
          return std::move(e);
        if (chained[t])
          if (auto e = account(kt.operand, true, actual))
            return std::move(e);
      }
      if (bytes > res.peakPEBytes) {
        res.peakPEBytes = bytes;
        res.peakPEX = px;
        res.peakPEY = py;
      }
      if (options.checkSram && bytes > k.getSramBytes())
        return err(llvm::formatv("kernel @{0}: {1} needs {2} B of buffers, "
                                 "more than its sram budget of {3} B",
                                 k.getSymName(), pe(px, py), bytes,
                                 k.getSramBytes())
                       .str());
    }

  std::vector<Tensor> results;
  SmallVector<int64_t> slo, shi;
  for (auto [s, op] : llvm::enumerate(ks->ops)) {
    ArrayRef<int64_t> dims = ks->dims[s];
    SmallVector<std::optional<SmallVector<int64_t>>> projs;
    for (OpOperand &o : op->getOpOperands())
      projs.push_back(getProjection(op.getMatchingIndexingMap(&o)));
    bool reduce[2];
    int64_t chainLen = 1;
    for (int a = 0; a < 2; ++a) {
      int64_t d = dist->split[a];
      auto loop = llvm::find(dims, d);
      reduce[a] = d >= 0 && loop != dims.end() &&
                  op.getIteratorTypesArray()[loop - dims.begin()] ==
                      utils::IteratorType::reduction;
      if (reduce[a])
        chainLen *= dist->chunks(a);
    }
    unsigned numIns = op.getNumDpsInputs();
    results.clear();
    for (Value init : op.getDpsInits())
      results.push_back(Tensor(*wholeOf(init)));

    struct Acc {
      std::vector<Tensor> tiles;
      SmallVector<SmallVector<int64_t>> lo, sz;
      int64_t seen = 0;
    };
    std::map<std::pair<int64_t, int64_t>, Acc> inFlight;
    std::vector<Tensor> local;
    for (int64_t j = 0; j < dist->h; ++j)
      for (int64_t i = 0; i < dist->w; ++i) {
        if (!dist->box(i, j, lo, hi))
          continue;
        // The stage's own iteration box.
        slo.clear();
        shi.clear();
        for (int64_t d : dims) {
          slo.push_back(lo[d]);
          shi.push_back(hi[d]);
        }
        local.clear();
        local.reserve(numIns);
        SmallVector<View> ins, outs, caps;
        for (unsigned n = 0; n < numIns; ++n) {
          const Tensor *whole = wholeOf(op->getOperand(n));
          if (!projs[n]) {
            ins.push_back(whole->view());
            continue;
          }
          image(*projs[n], slo, shi, olo, osz);
          local.emplace_back(whole->getKind(), osz);
          copyBox(*whole, local.back(), olo, osz, true);
          ins.push_back(tileView(local.back(), olo));
        }
        for (Value v : compiled[s].getCaptures())
          caps.push_back(wholeOf(v)->view());
        std::pair<int64_t, int64_t> key = {reduce[0] ? -1 : i,
                                           reduce[1] ? -1 : j};
        Acc &acc = inFlight[key];
        bool first = acc.seen == 0;
        for (unsigned n = 0; n < op.getNumDpsInits(); ++n) {
          unsigned opn = numIns + n;
          if (!projs[opn])
            return err("kernel @" + k.getSymName() +
                       ": output indexing map is not a projection");
          image(*projs[opn], slo, shi, olo, osz);
          if (first) {
            acc.tiles.emplace_back(results[n].getKind(), osz);
            copyBox(results[n], acc.tiles.back(), olo, osz, true);
            acc.lo.push_back(olo);
            acc.sz.push_back(osz);
          }
          outs.push_back(tileView(acc.tiles[n], acc.lo[n]));
        }
        if (auto e = compiled[s].run(slo, shi, ins, outs, caps))
          return std::move(e);
        if (++acc.seen == chainLen) {
          for (unsigned n = 0; n < acc.tiles.size(); ++n)
            copyBox(results[n], acc.tiles[n], acc.lo[n], acc.sz[n], false);
          inFlight.erase(key);
        }
      }
    if (!inFlight.empty())
      return err("kernel @" + k.getSymName() +
                 ": a reduction chain did not complete");
    if (s + 1 < ks->ops.size())
      for (auto [r, t] : llvm::zip(op->getResults(), results))
        stageResults.try_emplace(r, std::move(t));
  }
  return results;
}

} // namespace

//===----------------------------------------------------------------------===//
// Program
//===----------------------------------------------------------------------===//

namespace {
/// The timing model on a routed program (`rp` null: no routes, every
/// stream over one link): the routes' figures, then timeProgram.
Error timeRouted(ProgramOp program, const RoutedProgram *rp,
                 ExecutionResult &res) {
  std::vector<StreamTiming> streamTimes;
  if (rp) {
    res.maxLinkLoad = rp->maxLinkLoad;
    res.maxColorsPerRouter = rp->maxColors;
    res.routePhases = rp->phases;
    res.reconfigurationCycles = int64_t(std::ceil(rp->reconfigCycles));
    for (const StreamRoute &sr : rp->streams) {
      StreamTiming st;
      st.maxLinkBytes = sr.maxLinkBytes;
      st.hops = sr.hops;
      if (sr.busiest >= 0)
        st.busiest = sr.chain[sr.busiest];
      streamTimes.push_back(st);
    }
  }
  return timeProgram(program, streamTimes, res);
}
} // namespace

Expected<ExecutionResult>
wafer::interp::executeProgram(ProgramOp program, ArrayRef<Tensor> inputs,
                              const ExecOptions &options) {
  program->getContext()->getOrLoadDialect<func::FuncDialect>();
  program->getContext()->getOrLoadDialect<arith::ArithDialect>();
  TargetModel target = program.getTarget().getModel();
  Block &block = program.getBodyBlock();
  if (inputs.size() != block.getNumArguments())
    return err(llvm::formatv("program @{0}: got {1} inputs, expected {2}",
                             program.getSymName(), inputs.size(),
                             block.getNumArguments())
                   .str());
  ExecutionResult res;
  DenseMap<Value, Tensor> env;
  // Golden whole-tensor values, with compareKernels.
  DenseMap<Value, Tensor> ref;
  for (auto [a, t] : llvm::zip(block.getArguments(), inputs)) {
    auto type = cast<RankedTensorType>(a.getType());
    auto kind = elementKindFromType(type.getElementType());
    if (!kind || *kind != t.getKind() || type.getShape() != t.getShape())
      return err(llvm::formatv("program @{0}: input #{1} expected {2}, got {3}",
                               program.getSymName(), a.getArgNumber(),
                               describeShape(type.getShape(),
                                             kind.value_or(ElementKind::F32)),
                               describeShape(t.getShape(), t.getKind()))
                     .str());
    env[a] = t;
    if (options.compareKernels)
      ref[a] = t;
  }
  SmallVector<StreamOp> streams(block.getOps<StreamOp>());
  RoutedProgram rp;
  if (options.checkRoutes) {
    auto r = buildRoutes(program, streams);
    if (!r)
      return r.takeError();
    rp = std::move(*r);
  }
  // Level 6: the PE programs and the routers they configure. Data then
  // moves only as the router configurations say.
  std::optional<Fabric> fabric;
  llvm::StringMap<PECodeOp> codes;
  for (PECodeOp c : block.getOps<PECodeOp>())
    codes[c.getKernel()] = c;
  bool lowered = !codes.empty();
  if (lowered && options.checkRoutes) {
    auto f = Fabric::build(program);
    if (!f)
      return f.takeError();
    fabric = std::move(*f);
    if (auto e = fabric->traceAll())
      return std::move(e);
    res.routersVisited = fabric->routersVisited();
  }
  if (lowered)
    for (KernelOp k : block.getOps<KernelOp>())
      if (!codes.count(k.getSymName()))
        return err("kernel @" + k.getSymName() +
                   " has no wafer.pe_code; lower the program again with "
                   "--wafer-lower-pe");
  // Free each value after its last user.
  DenseMap<Operation *, SmallVector<Value>> dying;
  {
    DenseMap<Value, Operation *> last;
    for (Operation &op : block)
      for (Value v : op.getOperands())
        last[v] = &op;
    for (Operation &op : block)
      for (Value v : op.getResults())
        if (Operation *u = last.lookup(v))
          dying[u].push_back(v);
    for (BlockArgument a : block.getArguments())
      if (Operation *u = last.lookup(a))
        dying[u].push_back(a);
  }
  unsigned streamNo = 0;
  for (Operation &op : block) {
    if (auto s = dyn_cast<StreamOp>(op)) {
      SmallVector<Tensor> args;
      for (Value in : s.getInputs())
        args.push_back(env.lookup(in));
      Block &body = s.getBody().front();
      auto r =
          evalBlock(body, {body.getTerminator()->getOperand(0)}, args, false);
      if (!r)
        return r.takeError();
      if (options.checkRoutes && s.getKind() != StreamKind::HostOut) {
        auto needs = analyzeStream(s);
        if (!needs)
          return needs.takeError();
        Lowered low;
        if (fabric && s.getRoutesAttr() && !s.getRoutesAttr().empty()) {
          std::string owner = ("stream @" + s.getSymName()).str();
          low.traced = &fabric->deliveriesOf(owner);
          low.meshWidth = target.width;
          if (auto e = checkSends(s, codes, *fabric, owner))
            return std::move(e);
          PECodeOp code = codes.lookup(consumerOf(s).getSymName());
          for (RecvOp r : code.getBodyBlock().getOps<RecvOp>())
            if (r.getStream() == s.getSymName())
              for (int64_t c : r.getColors())
                low.recvColors |= uint64_t(1) << c;
          if (!low.recvColors)
            return err("kernel @" + consumerOf(s).getSymName() +
                       " never receives stream @" + s.getSymName() +
                       ": its PE program has no wafer.recv for it");
        }
        if (auto e =
                checkDelivery(s, *needs, rp.streams[streamNo], res.checkedPairs,
                              low.traced ? &low : nullptr))
          return std::move(e);
      }
      env[s.getResult()] = std::move((*r)[0]);
      if (options.compareKernels) {
        SmallVector<Tensor> refArgs;
        for (Value in : s.getInputs())
          refArgs.push_back(ref.lookup(in));
        auto g = evalBlock(body, {body.getTerminator()->getOperand(0)}, refArgs,
                           false);
        if (!g)
          return g.takeError();
        ref[s.getResult()] = std::move((*g)[0]);
      }
      ++streamNo;
    } else if (auto k = dyn_cast<KernelOp>(op)) {
      SmallVector<const Tensor *> streamed;
      for (Value in : k.getInputs())
        streamed.push_back(&env.find(in)->second);
      auto r =
          runKernel(k, streamed, options, res, codes.lookup(k.getSymName()));
      if (!r)
        return r.takeError();
      if (k.getSymName() == options.perturbKernel && !r->empty() &&
          (*r)[0].getNumElements() > 0) {
        Tensor &t = (*r)[0];
        if (t.getKind() == ElementKind::F32)
          t.dataAs<float>()[0] += 1.0f;
        else if (t.getKind() == ElementKind::I64)
          t.dataAs<int64_t>()[0] += 1;
      }
      if (options.compareKernels) {
        Block &body = k.getBody().front();
        SmallVector<Tensor> refArgs;
        for (Value in : k.getInputs())
          refArgs.push_back(ref.lookup(in));
        SmallVector<Value> yields(body.getTerminator()->getOperands());
        auto g = evalBlock(body, yields, refArgs, false);
        if (!g)
          return g.takeError();
        for (auto [n, v] : llvm::enumerate(k.getResults())) {
          Comparison c =
              compareTensors((*r)[n], (*g)[n], options.atol, options.rtol);
          if (!res.divergence && !c.passed) {
            KernelDivergence d;
            d.kernel = k.getSymName().str();
            d.nodes = k.getNode().str();
            d.result = n;
            d.maxAbsErr = c.maxAbsErr;
            if (c.worst >= 0) {
              d.index = formatIndex((*g)[n].getShape(), c.worst);
              d.got = c.gotValue;
              d.want = c.wantValue;
            }
            res.divergence = d;
          }
          ref[v] = std::move((*g)[n]);
        }
      }
      for (auto [v, t] : llvm::zip(k.getResults(), *r))
        env[v] = std::move(t);
    } else if (auto out = dyn_cast<OutputOp>(op)) {
      for (Value v : out.getValues())
        res.outputs.push_back(env.lookup(v));
    }
    for (Value v : dying.lookup(&op))
      if (!isa<OutputOp>(op)) {
        env.erase(v);
        ref.erase(v);
      }
  }

  if (auto e = timeRouted(program, options.checkRoutes ? &rp : nullptr, res))
    return std::move(e);
  return res;
}

Expected<ExecutionResult> wafer::interp::estimateProgram(ProgramOp program) {
  SmallVector<StreamOp> streams(program.getBodyBlock().getOps<StreamOp>());
  auto rp = buildRoutes(program, streams);
  if (!rp)
    return rp.takeError();
  ExecutionResult res;
  if (auto e = timeRouted(program, &*rp, res))
    return std::move(e);
  return res;
}
