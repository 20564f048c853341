//===- WaferLowered.cpp - level 6: PE programs and router roles -----------===//
//
// The verifiers and the RoleAttr encoder/decoder of the lowered level
// (wafer.pe_code, wafer.buffer, wafer.router, #wafer.role). The lowering
// itself is lib/Dialect/Wafer/Transforms/LowerPE.cpp.
//
//===----------------------------------------------------------------------===//
#include "wafer/Dialect/Wafer/WaferLowered.h"
#include "wafer/Dialect/Wafer/KernelStages.h"
#include "wafer/Dialect/Wafer/WaferRoutes.h"
#include "wafer/Support/Sizes.h"
#include "wafer/Tile/Tiling.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace wafer;

//===----------------------------------------------------------------------===//
// RoleAttr
//===----------------------------------------------------------------------===//

static constexpr llvm::StringLiteral kPortLetters = "EWNSR";

route::Role RoleAttr::toRole() const {
  route::Role r;
  r.routers = route::Rect{getX(), getY(), getW(), getH()};
  r.parity = route::Parity(static_cast<uint8_t>(getParity()));
  r.config.input = route::Port(static_cast<uint8_t>(getInput()));
  for (char c : getOutputs())
    r.config.outputs |=
        route::portBit(route::Port(uint8_t(kPortLetters.find(c))));
  r.switchPositions = int(getSwitchPositions());
  r.filter = getFilter();
  return r;
}

RoleAttr RoleAttr::get(MLIRContext *ctx, const route::Role &r) {
  std::string outs;
  for (int p = 0; p < route::kNumPorts; ++p)
    if (r.config.outputs & route::portBit(route::Port(p)))
      outs.push_back(kPortLetters[p]);
  return get(ctx, r.routers.x, r.routers.y, r.routers.w, r.routers.h,
             static_cast<RoleParity>(r.parity),
             static_cast<RouterPort>(r.config.input), outs, r.switchPositions,
             r.filter);
}

LogicalResult RoleAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               int64_t x, int64_t y, int64_t w, int64_t h,
                               RoleParity parity, RouterPort input,
                               StringRef outputs, int64_t switchPositions,
                               bool filter) {
  constexpr int64_t kMaxCoordinate = int64_t(1) << 24;
  for (int64_t v : {x, y, w, h})
    if (v < 0 || v > kMaxCoordinate)
      return emitError() << "role coordinates must be in 0.." << kMaxCoordinate
                         << ", got " << v;
  if (outputs.empty())
    return emitError() << "a role needs at least one output port";
  for (auto [i, c] : llvm::enumerate(outputs)) {
    if (kPortLetters.find(c) == StringRef::npos)
      return emitError() << "unknown output port '" << c
                         << "' (expected letters of EWNSR)";
    if (outputs.take_front(i).contains(c))
      return emitError() << "output port '" << c << "' listed twice";
  }
  if (outputs.contains(kPortLetters[static_cast<int>(input)]) &&
      input != RouterPort::Ramp)
    return emitError() << "a role sends color back out of its input port "
                       << stringifyRouterPort(input);
  if (switchPositions < 1 || switchPositions > 4)
    return emitError() << "switch positions must be in 1..4, got "
                       << switchPositions;
  return success();
}

//===----------------------------------------------------------------------===//
// Ops
//===----------------------------------------------------------------------===//

LogicalResult PECodeOp::verify() {
  if (getRect().size() != 4 || getRect()[2] < 1 || getRect()[3] < 1)
    return emitOpError("expected rect [x, y, w, h] with w, h >= 1");
  auto program = (*this)->getParentOfType<ProgramOp>();
  int64_t total = 0;
  for (BufferOp b : getBodyBlock().getOps<BufferOp>())
    if (__builtin_add_overflow(total, b.getBytesAttr().getInt(), &total))
      return emitOpError("buffers' bytes overflow 64 bits");
  if (total != getSramAttr().getInt())
    return emitOpError("sram ")
           << getSram() << " is not the sum of its buffers (" << total << " B)";
  int64_t budget = program.getTarget().getModel().sramBudget;
  if (total > budget)
    return emitOpError("buffers need ")
           << total << " B per PE, more than the target's SRAM budget of "
           << budget << " B";
  int64_t numColors = program.getTarget().getModel().colors;
  for (Operation &op : getBodyBlock()) {
    FlatSymbolRefAttr buffer;
    ArrayRef<int64_t> colors;
    if (auto r = dyn_cast<RecvOp>(op))
      buffer = r.getBufferAttr(), colors = r.getColors();
    else if (auto s = dyn_cast<SendOp>(op))
      buffer = s.getBufferAttr(), colors = s.getColors();
    else if (auto s = dyn_cast<ReduceStepOp>(op))
      buffer = s.getBufferAttr(), colors = s.getColors();
    for (int64_t c : colors)
      if (c < 0 || c >= numColors)
        return op.emitOpError("color ")
               << c << " is outside the target's 0.." << numColors - 1;
    if (buffer && !::mlir::SymbolTable::lookupSymbolIn(*this, buffer.getAttr()))
      return op.emitOpError("uses unknown buffer @") << buffer.getValue();
  }
  return success();
}

LogicalResult BufferOp::verify() {
  if (getBytesAttr().getInt() < 0)
    return emitOpError("expected non-negative bytes, got ")
           << getBytesAttr().getInt();
  if (getOperandAttr().getInt() < 0)
    return emitOpError("expected a non-negative operand number");
  return success();
}

LogicalResult RouterOp::verify() {
  int64_t colors = getPattern().getColors().size();
  int64_t numColors =
      (*this)->getParentOfType<ProgramOp>().getTarget().getModel().colors;
  for (int64_t c : getPattern().getColors())
    if (c < 0 || c >= numColors)
      return emitOpError("color ")
             << c << " is outside the target's 0.." << numColors - 1;
  int64_t slot = getSlotAttr().getInt();
  if (slot < 0 || slot >= colors)
    return emitOpError("slot ")
           << slot << " of a pattern with " << colors << " colors";
  if (getRoles().empty())
    return emitOpError("configures no router");
  route::Rect bound = getPattern().toPattern().rect;
  for (Attribute a : getRoles()) {
    route::Rect r = cast<RoleAttr>(a).toRole().routers;
    if (r.x < bound.x || r.y < bound.y || r.x1() > bound.x1() ||
        r.y1() > bound.y1())
      return emitOpError("role [")
             << r.x << ", " << r.y << ", " << r.w << ", " << r.h
             << "] lies outside its pattern's rectangle";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Buffers of a kernel's PE program
//===----------------------------------------------------------------------===//

int64_t wafer::heldBytes(KernelOp kernel, int64_t tileBytes,
                         ArrayRef<int64_t> proj, ArrayRef<int64_t> size) {
  int64_t streamDim = kernel.getStreamDim();
  auto it = llvm::find(proj, streamDim);
  if (streamDim < 0 || it == proj.end())
    return tileBytes;
  return tile::streamedBytes(tileBytes, size[it - proj.begin()]);
}

llvm::Expected<std::vector<PEBufferSpec>> wafer::getPEBuffers(KernelOp k) {
  auto ks = analyzeKernel(k);
  if (!ks)
    return ks.takeError();
  ArrayRef<int64_t> dims = k.getDims(), tile = k.getTile(),
                    split = k.getSplit();
  // The largest tile: split dims take their tile, the others their extent.
  SmallVector<int64_t> box(dims.begin(), dims.end());
  SmallVector<int64_t> splitDims(split);
  splitDims.push_back(k.getSplitXInner());
  for (int64_t d : splitDims)
    if (d >= 0 && d < int64_t(box.size()) && tile[d] > 0)
      box[d] = std::min(dims[d], tile[d]);
  std::vector<PEBufferSpec> out, partials;
  for (auto [i, t] : llvm::enumerate(ks->tensors)) {
    auto type = cast<RankedTensorType>(t.value.getType());
    int64_t eb = wafer::elementBytes(type.getElementType());
    int64_t bytes = type.getNumElements() * eb;
    if (t.proj) {
      SmallVector<int64_t> size;
      int64_t n = 1;
      for (int64_t p : *t.proj)
        size.push_back(p >= 0 ? box[p] : 1);
      for (int64_t s : size)
        n *= s;
      bytes = heldBytes(k, n * eb, *t.proj, size);
    }
    bool captured = llvm::is_contained(ks->captures, int(i));
    StringRef prefix = t.kind == BufferKind::Output    ? "out"
                       : t.kind == BufferKind::Scratch ? "tmp"
                       : t.kind == BufferKind::Input   ? "in"
                       : captured                      ? "cap"
                                                       : "w";
    std::string suffix = std::to_string(t.operand);
    out.push_back({(prefix + suffix).str(), t.kind, t.operand, bytes});
    // A reduction split over PEs also receives the partial sums arriving
    // along its chain (or allreduce).
    if (auto [x, y] = getReducedAxes(k, t); x || y)
      partials.push_back(
          {"partial" + suffix, BufferKind::Partial, t.operand, bytes});
  }
  out.insert(out.end(), partials.begin(), partials.end());
  return out;
}
