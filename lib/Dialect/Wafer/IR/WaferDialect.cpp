//===- WaferDialect.cpp - the wafer dialect ---------------------*- C++ -*-===//
#include "wafer/Dialect/Wafer/KernelStages.h"
#include "wafer/Dialect/Wafer/WaferOps.h"
#include "wafer/Dialect/Wafer/WaferRoutes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace wafer;

#include "wafer/Dialect/Wafer/WaferEnums.cpp.inc"
#include "wafer/Dialect/Wafer/WaferOpsDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "wafer/Dialect/Wafer/WaferAttrs.cpp.inc"

#define GET_OP_CLASSES
#include "wafer/Dialect/Wafer/WaferOps.cpp.inc"

void WaferDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "wafer/Dialect/Wafer/WaferAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "wafer/Dialect/Wafer/WaferOps.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// TargetAttr
//===----------------------------------------------------------------------===//

/// The model a target attribute's parameters describe; getModel() and the
/// verifier share it so they cannot disagree.
static TargetModel makeModel(StringAttr name, int64_t width, int64_t height,
                             int64_t sramBytes, int64_t sramBudget,
                             int64_t clockMHz, int64_t macsF32, int64_t macsF16,
                             int64_t linkBytes, int64_t colors,
                             int64_t reservedColors, int64_t hopLatency,
                             int64_t rampLatency) {
  TargetModel m;
  m.name = name.getValue().str();
  m.width = width;
  m.height = height;
  m.sramBytes = sramBytes;
  m.sramBudget = sramBudget;
  m.clockMHz = clockMHz;
  m.macsF32 = macsF32;
  m.macsF16 = macsF16;
  m.linkBytes = linkBytes;
  m.colors = colors;
  m.reservedColors = reservedColors;
  m.hopLatency = hopLatency;
  m.rampLatency = rampLatency;
  return m;
}

TargetModel TargetAttr::getModel() const {
  return makeModel(getName(), getWidth(), getHeight(), getSramBytes(),
                   getSramBudget(), getClockMhz(), getMacsF32(), getMacsF16(),
                   getLinkBytes(), getColors(), getReservedColors(),
                   getHopLatency(), getRampLatency());
}

TargetAttr TargetAttr::get(MLIRContext *ctx, const TargetModel &m) {
  return get(ctx, StringAttr::get(ctx, m.name), m.width, m.height, m.sramBytes,
             m.sramBudget, m.clockMHz, m.macsF32, m.macsF16, m.linkBytes,
             m.colors, m.reservedColors, m.hopLatency, m.rampLatency);
}

LogicalResult TargetAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 StringAttr name, int64_t width, int64_t height,
                                 int64_t sramBytes, int64_t sramBudget,
                                 int64_t clockMHz, int64_t macsF32,
                                 int64_t macsF16, int64_t linkBytes,
                                 int64_t colors, int64_t reservedColors,
                                 int64_t hopLatency, int64_t rampLatency) {
  std::string reason = makeModel(name, width, height, sramBytes, sramBudget,
                                 clockMHz, macsF32, macsF16, linkBytes, colors,
                                 reservedColors, hopLatency, rampLatency)
                           .check();
  if (!reason.empty())
    return emitError() << "invalid target '" << name.getValue()
                       << "': " << reason;
  return success();
}

//===----------------------------------------------------------------------===//
// ProgramOp
//===----------------------------------------------------------------------===//

LogicalResult ProgramOp::verify() {
  if (getArgNames().size() != getBodyBlock().getNumArguments())
    return emitOpError("expected ")
           << getBodyBlock().getNumArguments() << " argument names, got "
           << getArgNames().size();
  return success();
}

LogicalResult ProgramOp::verifyRegions() {
  auto output = cast<OutputOp>(getBodyBlock().getTerminator());
  if (getResultNames().size() != output.getValues().size())
    return emitOpError("expected ")
           << output.getValues().size() << " result names, got "
           << getResultNames().size();
  llvm::StringMap<Operation *> names;
  for (Operation &op : getBodyBlock()) {
    StringAttr name;
    if (auto k = dyn_cast<KernelOp>(op))
      name = k.getSymNameAttr();
    else if (auto s = dyn_cast<StreamOp>(op))
      name = s.getSymNameAttr();
    if (!name)
      continue;
    auto [it, inserted] = names.try_emplace(name.getValue(), &op);
    if (!inserted) {
      InFlightDiagnostic diag = op.emitOpError("redefines the name @")
                                << name.getValue();
      diag.attachNote(it->second->getLoc()) << "first defined here";
      return diag;
    }
  }
  // Placed rectangles must not overlap. Sort by x and sweep: a kernel can
  // only overlap those whose x-range is still open, which keeps this
  // O(n log n + overlaps) for a floorplan of n kernels.
  struct Rect {
    int64_t x0, y0, x1, y1;
    KernelOp op;
  };
  SmallVector<Rect> rects;
  for (KernelOp k : getBody().getOps<KernelOp>()) {
    std::optional<ArrayRef<int64_t>> origin = k.getOrigin();
    if (!origin || origin->size() != 2 || k.getShape().size() != 2)
      continue;
    rects.push_back({(*origin)[0], (*origin)[1], (*origin)[0] + k.getWidth(),
                     (*origin)[1] + k.getHeight(), k});
  }
  llvm::stable_sort(rects,
                    [](const Rect &a, const Rect &b) { return a.x0 < b.x0; });
  for (size_t i = 0; i < rects.size(); ++i) {
    for (size_t j = i + 1; j < rects.size() && rects[j].x0 < rects[i].x1; ++j) {
      Rect &a = rects[i], &b = rects[j];
      if (a.y0 < b.y1 && b.y0 < a.y1) {
        int64_t ox = std::max(a.x0, b.x0), oy = std::max(a.y0, b.y0);
        InFlightDiagnostic diag =
            b.op.emitOpError("rectangle overlaps kernel @")
            << a.op.getSymName() << " at PE (" << ox << "," << oy << ")";
        diag.attachNote(a.op.getLoc()) << "overlapping kernel is here";
        return diag;
      }
    }
  }
  return verifyRoutes(*this);
}

//===----------------------------------------------------------------------===//
// Shared region checks
//===----------------------------------------------------------------------===//

/// Block arguments match the operands and the yield matches the results.
static LogicalResult verifyBodySignature(Operation *op, Block &body,
                                         TypeRange inputs, TypeRange results) {
  if (body.getArgumentTypes() != inputs)
    return op->emitOpError("expected body arguments to match the operand "
                           "types, got ")
           << body.getNumArguments() << " arguments for " << inputs.size()
           << " operands";
  auto yield = body.empty() ? YieldOp() : dyn_cast<YieldOp>(body.back());
  if (!yield)
    return op->emitOpError("expected the body to end in wafer.yield");
  if (TypeRange(yield.getValues().getTypes()) != results)
    return op->emitOpError("expected the yielded types to match the result "
                           "types, got ")
           << yield.getValues().size() << " values for " << results.size()
           << " results";
  return success();
}

bool wafer::isBroadcastCopy(Operation *op) {
  auto g = dyn_cast<linalg::GenericOp>(op);
  if (!g || g.getNumDpsInputs() != 1 || g.getNumDpsInits() != 1 ||
      g.getNumReductionLoops() != 0)
    return false;
  Block &body = g.getRegion().front();
  auto yield = dyn_cast<linalg::YieldOp>(body.getTerminator());
  if (&body.front() != yield || yield.getNumOperands() != 1 ||
      yield.getOperand(0) != body.getArgument(0))
    return false;
  // The result is written in order; the input is read through a projection
  // (dims it lacks are broadcast, unit axes read at 0). Upstream's
  // linalg::isaBroadcastOpInterface rejects the reads at 0, which is how
  // ONNX Expand lowers (e.g. repeat_kv's (d0, 0, d2, d3)).
  SmallVector<AffineMap> maps = g.getIndexingMapsArray();
  if (!maps[1].isIdentity())
    return false;
  for (AffineExpr e : maps[0].getResults())
    if (!isa<AffineDimExpr>(e) &&
        !(isa<AffineConstantExpr>(e) &&
          cast<AffineConstantExpr>(e).getValue() == 0))
      return false;
  return true;
}

bool wafer::isDataMovement(Operation *op) {
  // A transpose only permutes data and a broadcast only replicates it: they
  // fold into the layouts a stream connects (a broadcast is a multicast)
  // instead of becoming kernels that copy.
  return isa<tensor::TensorDialect>(op->getDialect()) ||
         isa<linalg::TransposeOp>(op) || isBroadcastCopy(op);
}

int64_t wafer::getElementBytes(Type t) {
  if (t.isInteger(1))
    return 1;
  if (t.isIndex())
    return 8;
  return std::max<int64_t>(1, t.getIntOrFloatBitWidth() / 8);
}

int64_t wafer::getTensorBytes(Type t) {
  auto shaped = cast<ShapedType>(t);
  return shaped.getNumElements() * getElementBytes(shaped.getElementType());
}

//===----------------------------------------------------------------------===//
// KernelOp
//===----------------------------------------------------------------------===//

Operation *KernelOp::getComputeOp() {
  Operation *found = nullptr;
  for (Operation &op : getBody().front())
    if (isa<linalg::LinalgOp>(op))
      found = &op;
  return found;
}

/// Chunks of iteration dim `d` (ceil(dim / tile)); 1 for an invalid dim.
static int64_t chunksOf(ArrayRef<int64_t> dims, ArrayRef<int64_t> tile,
                        int64_t d) {
  if (d < 0 || d >= int64_t(dims.size()) || d >= int64_t(tile.size()) ||
      tile[d] <= 0)
    return 1;
  return llvm::divideCeil(dims[d], tile[d]);
}

int64_t KernelOp::getNumInnerChunks() {
  int64_t inner = getSplitXInner();
  return inner < 0 ? 1 : chunksOf(getDims(), getTile(), inner);
}

int64_t KernelOp::getNumChunks(int axis) {
  ArrayRef<int64_t> split = getSplit();
  if (split.size() != 2 || split[axis] < 0)
    return 1;
  int64_t lines = axis ? getHeight() : getWidth();
  int64_t chunks = chunksOf(getDims(), getTile(), split[axis]);
  if (axis == 0)
    chunks *= getNumInnerChunks();
  return std::min<int64_t>(lines, chunks);
}

LogicalResult KernelOp::verify() {
  ArrayRef<int64_t> shape = getShape();
  if (shape.size() != 2)
    return emitOpError("expected shape [width, height], got ")
           << shape.size() << " values";
  if (shape[0] <= 0 || shape[1] <= 0)
    return emitOpError("expected a positive rectangle, got ")
           << shape[0] << "x" << shape[1];
  if (getSramBytes() < 0)
    return emitOpError("expected non-negative SRAM bytes, got ")
           << getSramBytes();
  auto program = (*this)->getParentOfType<ProgramOp>();
  TargetModel target = program.getTarget().getModel();
  if (getSramBytes() > target.sramBudget)
    return emitOpError("needs ")
           << getSramBytes() << " B of SRAM per PE, the target's budget is "
           << target.sramBudget << " B";
  if (std::optional<ArrayRef<int64_t>> origin = getOrigin()) {
    if (origin->size() != 2)
      return emitOpError("expected origin [x, y], got ")
             << origin->size() << " values";
    int64_t x = (*origin)[0], y = (*origin)[1];
    if (x < 0 || y < 0 || x + shape[0] > target.width ||
        y + shape[1] > target.height)
      return emitOpError("rectangle ")
             << shape[0] << "x" << shape[1] << " at (" << x << "," << y
             << ") exceeds the " << target.width << "x" << target.height
             << " mesh";
  }

  // The distribution.
  ArrayRef<int64_t> dims = getDims(), split = getSplit(), tile = getTile();
  if (split.size() != 2)
    return emitOpError("expected split [dx, dy], got ")
           << split.size() << " values";
  if (tile.size() != dims.size())
    return emitOpError("expected a tile size per iteration dim (")
           << dims.size() << "), got " << tile.size();
  if (split[0] >= 0 && split[0] == split[1])
    return emitOpError("splits iteration dim ")
           << split[0] << " along both mesh axes";
  int64_t inner = getSplitXInner();
  for (unsigned axis = 0; axis < 2; ++axis) {
    int64_t d = split[axis];
    const char *axisName = axis == 0 ? "x" : "y";
    if (d < -1 || d >= static_cast<int64_t>(dims.size()))
      return emitOpError("split dim along ")
             << axisName << " is " << d << ", the op has " << dims.size()
             << " iteration dims";
    if (d == -1) {
      if (shape[axis] != 1)
        return emitOpError("has ") << shape[axis] << " PEs along " << axisName
                                   << " but no iteration dim split along it";
      continue;
    }
    if (axis == 0 && inner >= 0)
      continue; // sub-rectangles: checked below
    if (shape[axis] > dims[d])
      return emitOpError("splits iteration dim ")
             << d << " of size " << dims[d] << " over " << shape[axis]
             << " PEs along " << axisName;
  }
  // Sub-rectangles along x: dims split[0] (outer) and inner.
  if (inner != -1) {
    if (inner < 0 || inner >= static_cast<int64_t>(dims.size()))
      return emitOpError("split_x_inner is ")
             << inner << ", the op has " << dims.size() << " iteration dims";
    if (split[0] < 0 || inner == split[0] || inner == split[1])
      return emitOpError("split_x_inner ")
             << inner << " must differ from both split dims, inside an x "
             << "split (split = [" << split[0] << ", " << split[1] << "])";
    int64_t outerChunks = chunksOf(dims, tile, split[0]);
    int64_t columns = chunksOf(dims, tile, inner);
    if (outerChunks * columns != shape[0] ||
        tile[split[0]] !=
            int64_t(llvm::divideCeil(dims[split[0]], outerChunks)) ||
        tile[inner] != int64_t(llvm::divideCeil(dims[inner], columns)))
      return emitOpError("sub-rectangles along x: ")
             << shape[0] << " columns are not " << outerChunks
             << " chunks of iteration dim " << split[0] << " (size "
             << dims[split[0]] << ", tile " << tile[split[0]] << ") times "
             << columns << " chunks of dim " << inner << " (size "
             << dims[inner] << ", tile " << tile[inner] << ")";
  }
  for (size_t d = 0; d < dims.size(); ++d) {
    if (inner >= 0 && (int64_t(d) == inner || int64_t(d) == split[0]))
      continue; // sub-rectangles: checked above
    int64_t parts = 1;
    if (split[0] == static_cast<int64_t>(d))
      parts = shape[0];
    if (split[1] == static_cast<int64_t>(d))
      parts = shape[1];
    int64_t expected = llvm::divideCeil(dims[d], parts);
    if (tile[d] != expected)
      return emitOpError("expected tile ")
             << expected << " for iteration dim " << d << " (size " << dims[d]
             << " over " << parts << " PEs), got " << tile[d];
  }
  if (getMacsAttr().getInt() < 0 || getReduceBytesAttr().getInt() < 0)
    return emitOpError("expected non-negative macs and reduce_bytes");
  int64_t streamDim = getStreamDim();
  if (streamDim < -1 || streamDim >= static_cast<int64_t>(dims.size()))
    return emitOpError("stream_dim is ")
           << streamDim << ", the op has " << dims.size() << " iteration dims";
  if (streamDim >= 0 &&
      (split[0] == streamDim || split[1] == streamDim || inner == streamDim))
    return emitOpError("streams iteration dim ")
           << streamDim << " in time but also splits it over PEs";

  if (failed(verifyBodySignature(*this, getBody().front(),
                                 getInputs().getTypes(), getResultTypes())))
    return failure();
  Operation *compute = getComputeOp();
  if (!compute)
    return emitOpError("expected a linalg op in the body");
  SmallVector<int64_t> ranges =
      cast<linalg::LinalgOp>(compute).getStaticLoopRanges();
  if (ArrayRef<int64_t>(ranges) != dims)
    return emitOpError("expected dims to be the iteration space of the body's ")
           << "last " << compute->getName() << " (" << ranges.size()
           << " dims)";
  auto stages = analyzeKernel(*this);
  if (!stages)
    return emitOpError(llvm::toString(stages.takeError()));
  if (streamDim >= 0)
    for (const KernelTensor &t : stages->tensors)
      if (llvm::is_contained(t.reduced, streamDim))
        return emitOpError("streams iteration dim ")
               << streamDim << " in time, but it is a reduction";
  // Sub-rectangles split parallel dims only: a reduction across them would
  // have to chain within each sub-rectangle.
  if (inner >= 0) {
    auto iters = cast<linalg::LinalgOp>(compute).getIteratorTypesArray();
    for (int64_t d : {split[0], inner}) {
      bool reduced = iters[d] == utils::IteratorType::reduction;
      for (const KernelTensor &t : stages->tensors)
        reduced |= llvm::is_contained(t.reduced, d);
      if (reduced)
        return emitOpError("splits iteration dim ")
               << d << " in sub-rectangles along x, but it is a reduction";
    }
  }
  return success();
}

//===----------------------------------------------------------------------===//
// StreamOp
//===----------------------------------------------------------------------===//

StreamKind wafer::inferStreamKind(KernelOp consumer, unsigned inputIndex) {
  ArrayRef<int64_t> split = consumer.getSplit();
  // A value the stages do not read through an indexing map (e.g. a gather
  // table read with tensor.extract) is needed whole on every PE.
  auto uses = getInputProjections(consumer, inputIndex);
  auto indexed = [&](int64_t d) {
    if (d < 0)
      return true;
    return llvm::all_of(
        uses, [&](const auto &p) { return p && llvm::is_contained(*p, d); });
  };
  // Sub-rectangles replicate a tensor their inner dim does not index over
  // each one's columns.
  int64_t inner = consumer.getSplitXInner();
  bool alongX = !indexed(split[0]) || (inner >= 0 && !indexed(inner));
  bool alongY = !indexed(split[1]);
  if (alongX && alongY)
    return StreamKind::Broadcast;
  if (alongX)
    return StreamKind::MulticastRow;
  if (alongY)
    return StreamKind::MulticastCol;
  return StreamKind::P2P;
}

LogicalResult StreamOp::verify() {
  if (failed(verifyBodySignature(*this, getBody().front(),
                                 getInputs().getTypes(),
                                 getResult().getType())))
    return failure();
  for (Operation &op : getBody().front().without_terminator())
    if (!isDataMovement(&op))
      return emitOpError("body may only move data (tensor dialect ops, "
                         "linalg.transpose and broadcast copies), got ")
             << op.getName();
  int64_t expectedBytes = getTensorBytes(getResult().getType());
  if (int64_t(getBytes()) != expectedBytes)
    return emitOpError("carries ")
           << expectedBytes << " B per inference, got bytes " << getBytes();
  bool fromHost =
      llvm::all_of(getInputs(), [](Value v) { return isa<BlockArgument>(v); });
  for (Value in : getInputs())
    if (!isa<BlockArgument>(in) && !in.getDefiningOp<KernelOp>())
      return emitOpError("expected producers to be kernels or program "
                         "inputs, got ")
             << in.getDefiningOp()->getName();
  if (fromHost != (getKind() == StreamKind::HostIn))
    return emitOpError("kind ")
           << stringifyStreamKind(getKind())
           << (fromHost ? " but all producers are program inputs"
                        : " but a producer is a kernel");
  if (!getResult().hasOneUse())
    return emitOpError("expected exactly one consumer, got ")
           << std::distance(getResult().use_begin(), getResult().use_end());
  OpOperand &use = *getResult().use_begin();
  bool toHost = isa<OutputOp>(use.getOwner());
  if (toHost != (getKind() == StreamKind::HostOut))
    return emitOpError("kind ") << stringifyStreamKind(getKind())
                                << (toHost ? " but wafer.output consumes it"
                                           : " but a kernel consumes it");
  if (toHost)
    return success();
  auto consumer = dyn_cast<KernelOp>(use.getOwner());
  if (!consumer)
    return emitOpError("expected a kernel to consume the stream, got ")
           << use.getOwner()->getName();
  if (fromHost)
    return success();
  StreamKind expected = inferStreamKind(consumer, use.getOperandNumber());
  if (expected != getKind()) {
    InFlightDiagnostic diag = emitOpError("kind ")
                              << stringifyStreamKind(getKind())
                              << " does not match the distribution of @"
                              << consumer.getSymName() << ", which needs "
                              << stringifyStreamKind(expected);
    diag.attachNote(consumer.getLoc()) << "consumer is here";
    return diag;
  }
  return success();
}
