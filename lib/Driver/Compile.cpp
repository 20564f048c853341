//===- Compile.cpp - the compile pipeline behind wafer-run ------*- C++ -*-===//
#include "wafer/Driver/Compile.h"

#include "wafer/Dialect/Wafer/Passes.h"
#include "wafer/Dialect/Wafer/WaferOps.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/Support/Timer.h"

#include <chrono>

using namespace mlir;
using namespace llvm;

namespace wafer {

namespace {
double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

/// Every integer field of the model as key=value, from the model's own
/// field table (toJSON), so no field can be forgotten here.
std::string targetOverrideString(const TargetModel &t) {
  json::Object o = t.toJSON();
  SmallVector<StringRef> keys;
  for (const auto &kv : o)
    if (kv.first != "name")
      keys.push_back(kv.first);
  llvm::sort(keys);
  std::string s;
  for (StringRef key : keys) {
    if (!s.empty())
      s += ",";
    s += (key + "=" + Twine(*o.getInteger(key))).str();
  }
  return s;
}
} // namespace

Error mapAndPlace(ModuleOp module, const CompileOptions &options,
                  PhaseTimes &times) {
  // The target travels as a preset-free override list so that every field
  // (also those set from JSON or the command line) reaches the pass.
  WaferMapOptions mapOptions;
  mapOptions.target = std::to_string(options.target.width) + "x" +
                      std::to_string(options.target.height);
  mapOptions.targetOverrides = targetOverrideString(options.target);
  mapOptions.utilization = options.utilization;

  auto start = std::chrono::steady_clock::now();
  PassManager map(module.getContext());
  map.addPass(createWaferMap(mapOptions));
  if (failed(map.run(module)))
    return createStringError(inconvertibleErrorCode(), "mapping failed");
  // Keep the preset's name in the IR.
  module.walk([&](ProgramOp p) {
    TargetModel t = p.getTarget().getModel();
    t.name = options.target.name;
    p.setTargetAttr(TargetAttr::get(module.getContext(), t));
  });
  times.add("map", secondsSince(start));

  start = std::chrono::steady_clock::now();
  PassManager place(module.getContext());
  place.addPass(createWaferPlace());
  if (failed(place.run(module)))
    return createStringError(inconvertibleErrorCode(), "placement failed");
  times.add("place", secondsSince(start));
  return Error::success();
}

static json::Array toArray(ArrayRef<int64_t> values) {
  json::Array a;
  for (int64_t v : values)
    a.push_back(v);
  return a;
}

json::Object buildPlacementReport(ModuleOp module, const PhaseTimes &times) {
  json::Object report;
  module.walk([&](ProgramOp program) {
    TargetModel target = program.getTarget().getModel();
    report["target"] = target.name;
    report["target_model"] = target.toJSON();
    report["mesh"] = json::Array{target.width, target.height};
    int64_t pes = 0, peakSram = 0;
    json::Array kernels, streams;
    for (Operation &op : program.getBodyBlock()) {
      if (auto k = dyn_cast<KernelOp>(op)) {
        pes += k.getNumPEs();
        peakSram = std::max(peakSram, k.getSramBytes());
        json::Object o;
        o["name"] = k.getSymName();
        o["node"] = k.getNode();
        o["shape"] = toArray(k.getShape());
        if (auto origin = k.getOrigin())
          o["origin"] = toArray(*origin);
        o["dims"] = toArray(k.getDims());
        o["split"] = toArray(k.getSplit());
        o["tile"] = toArray(k.getTile());
        o["sram_bytes"] = k.getSramBytes();
        o["macs"] = static_cast<int64_t>(k.getMacs());
        o["reduce_bytes"] = static_cast<int64_t>(k.getReduceBytes());
        kernels.push_back(std::move(o));
      } else if (auto s = dyn_cast<StreamOp>(op)) {
        json::Object o;
        o["name"] = s.getSymName();
        o["kind"] = stringifyStreamKind(s.getKind());
        o["bytes"] = static_cast<int64_t>(s.getBytes());
        json::Array from;
        for (Value in : s.getInputs()) {
          if (auto k = in.getDefiningOp<KernelOp>())
            from.push_back(k.getSymName());
          else
            from.push_back(
                ("input:" +
                 cast<StringAttr>(
                     program
                         .getArgNames()[cast<BlockArgument>(in).getArgNumber()])
                     .getValue())
                    .str());
        }
        o["from"] = std::move(from);
        o["to"] =
            cast<KernelOp>(*s.getResult().getUsers().begin()).getSymName();
        streams.push_back(std::move(o));
      }
    }
    report["pes_used"] = pes;
    report["pes_total"] = target.numPEs();
    report["peak_sram_bytes_per_pe"] = peakSram;
    if (auto hops = program->getAttrOfType<IntegerAttr>("wafer.traffic_hops"))
      report["traffic_byte_hops"] = hops.getInt();
    report["num_kernels"] = static_cast<int64_t>(kernels.size());
    report["num_streams"] = static_cast<int64_t>(streams.size());
    report["kernels"] = std::move(kernels);
    report["streams"] = std::move(streams);
  });
  json::Object phases;
  for (const auto &[name, seconds] : times.phases)
    phases[name] = seconds;
  report["compile_seconds"] = std::move(phases);
  return report;
}

} // namespace wafer
