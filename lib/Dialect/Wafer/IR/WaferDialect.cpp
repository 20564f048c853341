//===- WaferDialect.cpp - the wafer dialect ---------------------*- C++ -*-===//
#include "wafer/Dialect/Wafer/WaferOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace wafer;

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

TargetModel TargetAttr::getModel() const {
  TargetModel m;
  m.name = getName().str();
  m.width = getWidth();
  m.height = getHeight();
  m.sramBytes = getSramBytes();
  m.sramBudget = getSramBudget();
  m.clockMHz = getClockMhz();
  m.macsF32 = getMacsF32();
  m.macsF16 = getMacsF16();
  m.linkBytes = getLinkBytes();
  m.colors = getColors();
  m.reservedColors = getReservedColors();
  m.hopLatency = getHopLatency();
  m.rampLatency = getRampLatency();
  return m;
}

TargetAttr TargetAttr::get(MLIRContext *ctx, const TargetModel &m) {
  return get(ctx, StringAttr::get(ctx, m.name), m.width, m.height, m.sramBytes,
             m.sramBudget, m.clockMHz, m.macsF32, m.macsF16, m.linkBytes,
             m.colors, m.reservedColors, m.hopLatency, m.rampLatency);
}

LogicalResult
TargetAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                   StringAttr name, int64_t width, int64_t height,
                   int64_t sramBytes, int64_t sramBudget, int64_t clockMHz,
                   int64_t macsF32, int64_t macsF16, int64_t linkBytes,
                   int64_t colors, int64_t reservedColors, int64_t hopLatency,
                   int64_t rampLatency) {
  TargetModel m;
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
  std::string reason = m.check();
  if (!reason.empty())
    return emitError() << "invalid target '" << name.getValue()
                       << "': " << reason;
  return success();
}

//===----------------------------------------------------------------------===//
// ProgramOp
//===----------------------------------------------------------------------===//

void ProgramOp::build(OpBuilder &builder, OperationState &state,
                      StringRef name, TargetAttr target) {
  state.addAttribute(getSymNameAttrName(state.name),
                     builder.getStringAttr(name));
  state.addAttribute(getTargetAttrName(state.name), target);
  Region *body = state.addRegion();
  body->push_back(new Block);
}

LogicalResult ProgramOp::verify() {
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
  llvm::stable_sort(rects, [](const Rect &a, const Rect &b) {
    return a.x0 < b.x0;
  });
  for (size_t i = 0; i < rects.size(); ++i) {
    for (size_t j = i + 1; j < rects.size() && rects[j].x0 < rects[i].x1;
         ++j) {
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
  return success();
}

//===----------------------------------------------------------------------===//
// KernelOp
//===----------------------------------------------------------------------===//

LogicalResult KernelOp::verify() {
  ArrayRef<int64_t> shape = getShape();
  if (shape.size() != 2)
    return emitOpError("expected shape [width, height], got ")
           << shape.size() << " values";
  if (shape[0] <= 0 || shape[1] <= 0)
    return emitOpError("expected a positive rectangle, got ")
           << shape[0] << "x" << shape[1];
  if (getSramBytes() < 0)
    return emitOpError("expected non-negative SRAM bytes, got ") << getSramBytes();
  auto program = (*this)->getParentOfType<ProgramOp>();
  TargetModel target = program.getTarget().getModel();
  if (getSramBytes() > target.sramBudget)
    return emitOpError("needs ")
           << getSramBytes() << " B of SRAM per PE, the target's budget is "
           << target.sramBudget << " B";
  std::optional<ArrayRef<int64_t>> origin = getOrigin();
  if (!origin)
    return success();
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
  return success();
}
