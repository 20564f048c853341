//===- ExportPE.cpp - level 6 as JSON for a hardware back end -------------===//
//
// The lowered program (docs/lowering.md) as one JSON document, format
// "wafer-pe/1": the target, one entry per PE program (rectangle,
// distribution, buffers, tasks in order) and one per router configuration
// (owner, step, slot, color, phase, the pattern and its roles). The
// computation of a task `compute` is the kernel's op, which stays in the
// MLIR (`kernel` names it). Registered as `wafer-translate --export-pe-json`.
//
//===----------------------------------------------------------------------===//
#include "wafer/Dialect/Wafer/Passes.h"
#include "wafer/Dialect/Wafer/WaferOps.h"
#include "wafer/Dialect/Wafer/WaferRoutes.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

using namespace mlir;
using namespace wafer;
namespace json = llvm::json;

namespace {
json::Array ints(ArrayRef<int64_t> v) {
  json::Array a;
  for (int64_t x : v)
    a.push_back(x);
  return a;
}
} // namespace

LogicalResult wafer::exportLoweredJSON(ModuleOp module, raw_ostream &os) {
  json::Array programs;
  LogicalResult result = success();
  module.walk([&](ProgramOp program) {
    Block &block = program.getBodyBlock();
    if (block.getOps<PECodeOp>().empty()) {
      result = program.emitOpError(
          "is not lowered; run --wafer-lower-pe before --export-pe-json");
      return;
    }
    llvm::StringMap<KernelOp> kernels;
    for (KernelOp k : block.getOps<KernelOp>())
      kernels[k.getSymName()] = k;
    json::Array codes, routers;
    for (PECodeOp code : block.getOps<PECodeOp>()) {
      json::Object o;
      o["kernel"] = code.getKernel();
      o["rect"] = ints(code.getRect());
      o["sram_bytes"] = code.getSram();
      if (KernelOp k = kernels.lookup(code.getKernel())) {
        o["node"] = k.getNode();
        o["dims"] = ints(k.getDims());
        o["split"] = ints(k.getSplit());
        if (int64_t inner = k.getSplitXInner(); inner >= 0)
          o["split_x_inner"] = inner;
        o["tile"] = ints(k.getTile());
        o["stream_dim"] = int64_t(k.getStreamDim());
      }
      json::Array buffers, tasks;
      for (Operation &op : code.getBodyBlock()) {
        json::Object t;
        if (auto b = dyn_cast<BufferOp>(op)) {
          json::Object bo;
          bo["name"] = b.getSymName();
          bo["kind"] = stringifyBufferKind(b.getKind());
          bo["operand"] = b.getOperand();
          bo["bytes"] = b.getBytes();
          buffers.push_back(std::move(bo));
          continue;
        }
        if (auto r = dyn_cast<RecvOp>(op)) {
          t["task"] = "recv";
          t["stream"] = r.getStream();
          t["colors"] = ints(r.getColors());
          t["buffer"] = r.getBuffer();
        } else if (auto c = dyn_cast<ComputeOp>(op)) {
          t["task"] = "compute";
          t["macs"] = c.getMacs();
        } else if (auto s = dyn_cast<ReduceStepOp>(op)) {
          t["task"] = "reduce_step";
          t["buffer"] = s.getBuffer();
          t["colors"] = ints(s.getColors());
          t["dir"] = stringifyFlowDir(s.getDir());
        } else if (auto s = dyn_cast<SendOp>(op)) {
          t["task"] = "send";
          t["buffer"] = s.getBuffer();
          t["stream"] = s.getStream();
          t["colors"] = ints(s.getColors());
        } else {
          continue;
        }
        tasks.push_back(std::move(t));
      }
      o["buffers"] = std::move(buffers);
      o["tasks"] = std::move(tasks);
      codes.push_back(std::move(o));
    }
    for (RouterOp r : block.getOps<RouterOp>()) {
      PatternAttr p = r.getPattern();
      json::Object o;
      o["owner"] = r.getOwner();
      o["step"] = r.getStep();
      o["slot"] = r.getSlot();
      o["color"] = p.getColors()[r.getSlot()];
      o["phase"] = p.getPhase();
      json::Object po;
      po["kind"] = stringifyCommPattern(p.getKind());
      po["dir"] = stringifyFlowDir(p.getDir());
      po["turn"] = stringifyFlowDir(p.getTurn());
      po["rect"] = json::Array{p.getX(), p.getY(), p.getW(), p.getH()};
      po["bytes"] = p.getBytes();
      o["pattern"] = std::move(po);
      json::Array roles;
      for (Attribute a : r.getRoles()) {
        auto role = cast<RoleAttr>(a);
        json::Object ro;
        ro["rect"] =
            json::Array{role.getX(), role.getY(), role.getW(), role.getH()};
        ro["parity"] = stringifyRoleParity(role.getParity());
        ro["in"] = stringifyRouterPort(role.getInput());
        ro["out"] = role.getOutputs();
        ro["switch_positions"] = role.getSwitchPositions();
        ro["filter"] = role.getFilter();
        roles.push_back(std::move(ro));
      }
      o["roles"] = std::move(roles);
      routers.push_back(std::move(o));
    }
    json::Object prog;
    prog["name"] = program.getSymName();
    prog["target"] = program.getTarget().getModel().toJSON();
    prog["pe_programs"] = std::move(codes);
    prog["routers"] = std::move(routers);
    programs.push_back(std::move(prog));
  });
  if (failed(result))
    return failure();
  json::Object doc;
  doc["format"] = "wafer-pe/1";
  doc["programs"] = std::move(programs);
  os << llvm::formatv("{0:2}", json::Value(std::move(doc))) << "\n";
  return success();
}
