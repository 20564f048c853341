//===- Compile.cpp - the compile pipeline behind wafer-run ------*- C++ -*-===//
#include "wafer/Driver/Compile.h"

#include "wafer/Dialect/Wafer/Passes.h"
#include "wafer/Dialect/Wafer/WaferOps.h"
#include "wafer/Dialect/Wafer/WaferRoutes.h"
#include "wafer/Interpreter/PEInterpreter.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <limits>
#include <map>
#include <set>
#include <tuple>

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

/// Runs one pass, timing it; progress goes to stderr when asked for and
/// the phase took over 2 s.
static Error runPhase(ModuleOp module, StringRef name,
                      std::unique_ptr<Pass> pass, const CompileOptions &options,
                      PhaseTimes &times) {
  auto start = std::chrono::steady_clock::now();
  PassManager pm(module.getContext());
  pm.addPass(std::move(pass));
  LogicalResult result = pm.run(module);
  double seconds = secondsSince(start);
  times.add(name, seconds);
  if (options.progress && seconds > 2.0)
    errs() << "wafer: " << name << " took " << format("%.1f", seconds)
           << " s\n";
  if (failed(result))
    return createStringError(inconvertibleErrorCode(), name + " failed");
  return Error::success();
}

std::string MappingVariant::name() const {
  return formatv("{0}/{1}/{2}", subRectangles, sizing, utilization).str();
}

/// One compile with one mapping variant.
static Error compileWith(ModuleOp module, const CompileOptions &options,
                         const MappingVariant &variant, PhaseTimes &times) {
  // The target travels as a preset-free override list so that every field
  // (also those set from JSON or the command line) reaches the pass.
  WaferMapOptions mapOptions;
  mapOptions.target = std::to_string(options.target.width) + "x" +
                      std::to_string(options.target.height);
  mapOptions.targetOverrides = targetOverrideString(options.target);
  mapOptions.utilization = variant.utilization;
  mapOptions.fuseNorms = options.fuseNorms;
  mapOptions.subRectangles = variant.subRectangles;
  mapOptions.sizing = variant.sizing;
  if (Error e =
          runPhase(module, "map", createWaferMap(mapOptions), options, times))
    return e;
  // Keep the preset's name in the IR.
  module.walk([&](ProgramOp p) {
    TargetModel t = p.getTarget().getModel();
    t.name = options.target.name;
    p.setTargetAttr(TargetAttr::get(module.getContext(), t));
  });
  WaferPlaceOptions placeOptions;
  placeOptions.refine = options.refinePlacement;
  if (Error e = runPhase(module, "place", createWaferPlace(placeOptions),
                         options, times))
    return e;
  if (Error e = runPhase(module, "route", createWaferRoute(), options, times))
    return e;
  return runPhase(module, "lower", createWaferLowerPE(), options, times);
}

/// The timing model's cycles for the program in `module`.
static Expected<int64_t> estimatedCycles(ModuleOp module) {
  ProgramOp program;
  module.walk([&](ProgramOp p) { program = p; });
  if (!program)
    return createStringError(inconvertibleErrorCode(), "no wafer.program");
  auto r = interp::estimateProgram(program);
  if (!r)
    return r.takeError();
  return r->cycles;
}

Error compile(ModuleOp module, const CompileOptions &options, PhaseTimes &times,
              CompileChoices *choices) {
  // The variants "auto" expands to, the default first.
  auto values = [](StringRef option, ArrayRef<StringRef> all) {
    return option == "auto" ? SmallVector<StringRef>(all)
                            : SmallVector<StringRef>{option};
  };
  std::vector<MappingVariant> variants;
  for (StringRef sub : values(options.subRectangles, {"fit", "idle"}))
    for (StringRef size : values(options.sizing, {"work", "balanced"}))
      for (double u : options.utilizations)
        variants.push_back({sub.str(), size.str(), u});
  if (variants.empty())
    return createStringError(inconvertibleErrorCode(),
                             "no utilization to map with");
  if (variants.size() == 1)
    return compileWith(module, options, variants.front(), times);
  // Every variant, the fastest program by the timing model (the cycles the
  // PE interpreter reports), the earliest on ties: the mapper scores
  // kernels one at a time, so only the whole program says which pays. The
  // first compiles in place with its diagnostics shown; the others on
  // copies of the tensor-level module, quietly, each dropped as soon as it
  // loses.
  OwningOpRef<ModuleOp> source = module.clone();
  if (Error e = compileWith(module, options, variants.front(), times))
    return e;
  auto start = std::chrono::steady_clock::now();
  std::vector<std::pair<std::string, int64_t>> cycles;
  int64_t best = std::numeric_limits<int64_t>::max();
  // Whether variant `v`'s program (in `m`) is the fastest so far. A variant
  // whose program cannot be estimated is not a choice; the first stays the
  // program when no other is.
  auto faster = [&](ModuleOp m, const MappingVariant &v) {
    Expected<int64_t> c = estimatedCycles(m);
    if (!c) {
      consumeError(c.takeError());
      return false;
    }
    cycles.push_back({v.name(), *c});
    if (*c >= best)
      return false;
    best = *c;
    return true;
  };
  faster(module, variants.front());
  OwningOpRef<ModuleOp> bestTrial;
  MappingVariant chosen = variants.front();
  CompileOptions quietOptions = options;
  quietOptions.progress = false;
  for (size_t v = 1; v < variants.size(); ++v) {
    ScopedDiagnosticHandler quiet(module.getContext(),
                                  [](Diagnostic &) { return success(); });
    OwningOpRef<ModuleOp> trial = source->clone();
    PhaseTimes trialTimes;
    if (Error e = compileWith(*trial, quietOptions, variants[v], trialTimes)) {
      consumeError(std::move(e));
      continue;
    }
    if (faster(*trial, variants[v])) {
      bestTrial = std::move(trial);
      chosen = variants[v];
    }
  }
  if (bestTrial) {
    module.getBodyRegion().takeBody(bestTrial->getBodyRegion());
    module->setAttrs(bestTrial->getOperation()->getAttrDictionary());
  }
  times.add("alternatives", secondsSince(start));
  if (choices) {
    choices->chosen = chosen;
    choices->cycles = std::move(cycles);
  }
  return Error::success();
}

static json::Array toArray(ArrayRef<int64_t> values) {
  json::Array a;
  for (int64_t v : values)
    a.push_back(v);
  return a;
}

json::Object buildReport(ModuleOp module, const PhaseTimes &times,
                         const CompileChoices *choices) {
  json::Object report;
  module.walk([&](ProgramOp program) {
    TargetModel target = program.getTarget().getModel();
    report["target"] = target.name;
    report["target_model"] = target.toJSON();
    report["mesh"] = json::Array{target.width, target.height};
    int64_t pes = 0, peakSram = 0;
    json::Array kernels, streams;
    auto names = [&](ValueRange values) {
      json::Array from;
      for (Value in : values) {
        if (auto k = in.getDefiningOp<KernelOp>())
          from.push_back(k.getSymName());
        else if (auto a = dyn_cast<BlockArgument>(in))
          from.push_back(
              ("input:" +
               cast<StringAttr>(program.getArgNames()[a.getArgNumber()])
                   .getValue())
                  .str());
      }
      return from;
    };
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
        if (int64_t inner = k.getSplitXInner(); inner >= 0)
          o["split_x_inner"] = inner;
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
        o["from"] = names(s.getInputs());
        Operation *user = *s.getResult().getUsers().begin();
        if (auto k = dyn_cast<KernelOp>(user))
          o["to"] = k.getSymName();
        else
          o["to"] = "host";
        if (ArrayAttr routes = s.getRoutesAttr()) {
          json::Array chain;
          for (const RoutedPattern &r : decodeRoutes(routes))
            chain.push_back(route::kindName(r.pattern.kind));
          o["patterns"] = std::move(chain);
        }
        streams.push_back(std::move(o));
      }
    }
    report["pes_used"] = pes;
    report["pes_total"] = target.numPEs();
    report["sram_peak_bytes"] = peakSram;
    if (auto hops = program->getAttrOfType<IntegerAttr>("wafer.traffic_hops"))
      report["traffic_byte_hops"] = hops.getInt();
    report["kernels"] = static_cast<int64_t>(kernels.size());
    report["streams"] = static_cast<int64_t>(streams.size());
    if (isRouted(program)) {
      ProgramRoutes pr = collectRoutes(program);
      const route::PatternSolution &sol = pr.solution;
      // Instances per kind: a pattern shared by several streams counts once.
      std::set<std::tuple<route::Pattern, std::vector<int>, int>> seen;
      std::map<std::string, int64_t> perKind;
      for (size_t i = 0; i < pr.problem.patterns.size(); ++i)
        if (seen.insert({pr.problem.patterns[i], sol.colors[i], sol.phase[i]})
                .second)
          ++perKind[route::kindName(pr.problem.patterns[i].kind)];
      json::Object patterns;
      for (auto &[kind, n] : perKind)
        patterns[kind] = n;
      report["patterns"] = std::move(patterns);
      report["pattern_instances"] = sol.numInstances;
      report["colors_max"] = sol.colorsMax.value;
      report["colors_max_at"] = json::Array{sol.colorsMax.x, sol.colorsMax.y};
      report["colors_usable"] = target.usableColors();
      report["route_phases"] = sol.numPhases;
      report["reconfiguration_cycles"] = sol.reconfigCycles;
      report["max_link_bytes"] = sol.maxLink.value;
      json::Object link;
      link["x"] = sol.maxLink.x;
      link["y"] = sol.maxLink.y;
      link["dir"] = route::dirName(sol.maxLinkDir);
      report["max_link"] = std::move(link);
    }
    report["kernel_details"] = std::move(kernels);
    report["stream_details"] = std::move(streams);
  });
  json::Object phases;
  double total = 0;
  for (const auto &[name, seconds] : times.phases) {
    phases[name] = seconds;
    total += seconds;
  }
  phases["total"] = total;
  report["compile_seconds"] = std::move(phases);
  if (choices && choices->chosen) {
    json::Object cycles;
    for (const auto &[variant, c] : choices->cycles)
      cycles[variant] = c;
    const MappingVariant &v = *choices->chosen;
    json::Object chosen{{"sub_rectangles", v.subRectangles},
                        {"sizing", v.sizing},
                        {"utilization", formatv("{0}", v.utilization).str()}};
    report["mapping"] = json::Object{{"chosen", std::move(chosen)},
                                     {"estimated_cycles", std::move(cycles)}};
  }
  return report;
}

} // namespace wafer
