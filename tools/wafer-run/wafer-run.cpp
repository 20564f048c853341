//===- wafer-run.cpp - compile, interpret and check a model -----*- C++ -*-===//
//
// Three modes over one front end (import or parse the model, lower it to the
// tensor level, bind inputs by name from files or seeded random data):
// - default: compile onto --target (lib/Driver), interpret the routed
//   program PE by PE (lib/Interpreter/PEInterpreter), print outputs, cycles
//   and lower bounds; --check compares with the golden evaluation;
// - --compile-only: compile and summarise;
// - --golden: evaluate the tensor-level model on whole tensors.
//
//===----------------------------------------------------------------------===//
#include "wafer/Dialect/Wafer/WaferOps.h"
#include "wafer/Driver/Compile.h"
#include "wafer/Import/OnnxImport.h"
#include "wafer/InitAll.h"
#include "wafer/Interpreter/Evaluator.h"
#include "wafer/Interpreter/PEInterpreter.h"
#include "wafer/Interpreter/TensorIO.h"
#include "wafer/Support/Sizes.h"
#include "wafer/Target/TargetModel.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <limits>
#include <map>
#include <vector>

using namespace llvm;

static cl::OptionCategory runCat("wafer-run options");

static cl::opt<std::string>
    inputFile(cl::Positional,
              cl::desc("<model: .onnx, or .mlir at the tensor level or in "
                       "the onnx frontend dialect; '-' reads MLIR from "
                       "stdin>"),
              cl::init("-"), cl::cat(runCat));
static cl::opt<std::string>
    targetSpec("target", cl::desc("target machine: wse2, wse3 or WxH"),
               cl::init("wse2"), cl::cat(runCat));
static cl::opt<bool>
    golden("golden",
           cl::desc("evaluate the model at the tensor level on whole tensors "
                    "(the golden reference) instead of compiling it"),
           cl::cat(runCat));
static cl::list<std::string> inputSpecs(
    "input",
    cl::desc("NAME=@FILE: bind model input NAME (its ONNX name, or argN) to a "
             ".npy (<f4, <i8, |b1; <f8 is rounded to f32 and <i4 widened to "
             "i64) or ONNX TensorProto .pb file; shape and dtype must match "
             "the input exactly. Repeatable. Inputs not given are random: f32 "
             "uniform in [-1, 1); i64 used as a gather index uniform in "
             "[0, table size); other i64 uniform in {0, 1}; i1 uniform in "
             "{0, 1}"),
    cl::value_desc("NAME=@FILE"), cl::cat(runCat));
static cl::opt<std::string> outputDir(
    "output-dir",
    cl::desc("write each output to DIR/<name>.npy (the ONNX output name, or "
             "outN; characters other than [A-Za-z0-9._-] become '_'); the "
             "directory is created if missing"),
    cl::value_desc("DIR"), cl::cat(runCat));
static cl::opt<uint64_t>
    seed("seed",
         cl::desc("seed of the random inputs (default 0); each input draws "
                  "from its own stream, so binding one input from a file "
                  "does not change the others"),
         cl::init(0), cl::cat(runCat));
static cl::list<std::string> dimSpecs(
    "dim",
    cl::desc("NAME=VALUE: bind the symbolic ONNX input dim NAME "
             "(dim_param) to VALUE when importing an .onnx model; repeatable"),
    cl::value_desc("NAME=VALUE"), cl::cat(runCat));
static cl::opt<bool> check(
    "check",
    cl::desc("also evaluate the model with the golden evaluator on the same "
             "inputs and compare every output (|got - golden| <= atol + "
             "rtol * |golden|); exit 1 beyond tolerance, naming the output, "
             "its worst element and the first kernel (with its ONNX nodes) "
             "whose interpreted result diverges"),
    cl::cat(runCat));
static cl::opt<double>
    checkAtol("atol", cl::desc("absolute tolerance of --check (1e-4)"),
              cl::init(1e-4), cl::cat(runCat));
static cl::opt<double>
    checkRtol("rtol", cl::desc("relative tolerance of --check (1e-3)"),
              cl::init(1e-3), cl::cat(runCat));
static cl::opt<std::string> testPerturbKernel(
    "test-perturb-kernel",
    cl::desc("testing only: add 1 to the first element of KERNEL's result "
             "while interpreting (exercises --check's divergence report)"),
    cl::value_desc("KERNEL"), cl::Hidden, cl::cat(runCat));
static cl::opt<bool> compileOnly(
    "compile-only",
    cl::desc("import, map, place, route and lower the model onto --target, "
             "print a summary and stop (no interpretation)"),
    cl::cat(runCat));
static cl::opt<std::string> reportFile(
    "report",
    cl::desc("write the report as JSON to FILE: target, mesh, pes_used, "
             "kernels, streams, patterns per kind, colors_max (and where), "
             "route_phases, max_link_bytes (and the link), sram_peak_bytes, "
             "compile_seconds per phase, per-kernel and per-stream details; "
             "when the program is interpreted also cycles, microseconds, "
             "lower_bound_cycles {compute, communication, latency, "
             "critical_path}, critical_path (the tasks), interpret_seconds "
             "and, with --check, check {per output max_abs_err, max_rel_err, "
             "passed, first_divergent_kernel}"),
    cl::value_desc("FILE"), cl::cat(runCat));
static cl::opt<std::string> emitMlir(
    "emit-mlir",
    cl::desc("write the compiled wafer.program to FILE: kernels, streams, "
             "typed routes and the lowered PE programs and router "
             "configurations (docs/lowering.md; wafer-translate "
             "--export-pe-json turns it into JSON)"),
    cl::value_desc("FILE"), cl::cat(runCat));
static cl::opt<std::string> targetOverrides(
    "target-overrides",
    cl::desc("comma-separated key=value fields of the target (e.g. "
             "sram_budget=40000,colors=16)"),
    cl::value_desc("K=V,..."), cl::cat(runCat));
static cl::opt<double> utilization(
    "utilization",
    cl::desc("fraction of the mesh's PEs the kernels may use; by default "
             "0.85 and 0.7 are both tried with the other mapping variants "
             "(see --sizing)"),
    cl::init(0.85), cl::cat(runCat));
static cl::opt<bool> fuseNorms(
    "fuse-norms",
    cl::desc("map each normalisation (LayerNorm, RMSNorm, softmax) as one "
             "kernel whose stages allreduce along the line splitting the "
             "reduced dim (default true); =false maps one kernel per linalg "
             "op"),
    cl::init(true), cl::cat(runCat));
static cl::opt<std::string> subRectangles(
    "sub-rectangles",
    cl::desc("when a kernel may split two parallel dims along x, one "
             "sub-rectangle per index of the outer (attention's heads): fit "
             "(only when no split of one dim per mesh axis fits SRAM), idle "
             "(also when those leave more than half of its PEs idle), or auto "
             "(default: try both, see --sizing)"),
    cl::init("auto"), cl::value_desc("fit|idle|auto"), cl::cat(runCat));
static cl::opt<std::string> sizing(
    "sizing",
    cl::desc("how kernels share the PEs: work (each its SRAM minimum, the "
             "rest in proportion to work), balanced (first the smallest "
             "bottleneck every kernel reaches, the rest by work), or auto "
             "(default). Every combination of these, --sub-rectangles and "
             "--utilization is compiled and the program the timing model "
             "says is fastest kept; the summary's mapping line and the "
             "report's \"mapping\" say which"),
    cl::init("auto"), cl::value_desc("work|balanced|auto"), cl::cat(runCat));
static cl::opt<std::string> refinePlacement(
    "refine-placement",
    cl::desc("after the serpentine placement, refine by local search: none "
             "(default), hops (traffic x hops) or links (the router's "
             "busiest link, re-deriving every stream's patterns per move)"),
    cl::init("none"), cl::value_desc("none|hops|links"), cl::cat(runCat));
static cl::opt<std::string> memoryLimit(
    "memory-limit",
    cl::desc("refuse any tensor larger than SIZE bytes (K/M/G/T suffixes) "
             "with an error naming it, instead of running out of memory; "
             "default: the machine's physical memory, or WAFER_MEMORY_LIMIT"),
    cl::value_desc("SIZE"), cl::cat(runCat));
static cl::opt<bool> printOutputs(
    "print-outputs",
    cl::desc("print the values of outputs with at most 1024 elements after "
             "their summary line (row-major, %.6g for f32)"),
    cl::cat(runCat));

namespace {
constexpr StringLiteral kTool = "wafer-run";

[[noreturn]] void fail(const Twine &msg) {
  WithColor::error(errs(), kTool) << msg << "\n";
  std::exit(1);
}

/// SplitMix64: a tiny, well-mixed generator whose sequence is the same on
/// every platform (std distributions are not).
struct SplitMix64 {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
};

std::string typeString(mlir::Type t) {
  std::string s;
  raw_string_ostream os(s);
  os << t;
  return s;
}

/// The smallest dim of a table that a value reaches as a `tensor.extract`
/// index, following tensor reshapes/slices and integer arithmetic in linalg
/// bodies; nullopt when it never indexes a tensor.
std::optional<int64_t> gatherBound(mlir::Value arg) {
  std::optional<int64_t> bound;
  SmallVector<mlir::Value> work{arg};
  llvm::DenseSet<mlir::Value> seen;
  while (!work.empty()) {
    mlir::Value v = work.pop_back_val();
    if (!seen.insert(v).second)
      continue;
    for (mlir::OpOperand &use : v.getUses()) {
      mlir::Operation *user = use.getOwner();
      if (auto extract = dyn_cast<mlir::tensor::ExtractOp>(user)) {
        if (use.getOperandNumber() == 0)
          continue;
        int64_t d = extract.getTensor().getType().getDimSize(
            use.getOperandNumber() - 1);
        if (!mlir::ShapedType::isDynamic(d))
          bound = bound ? std::min(*bound, d) : d;
        continue;
      }
      if (auto linalgOp = dyn_cast<mlir::linalg::LinalgOp>(user)) {
        if (linalgOp.isDpsInput(&use))
          work.push_back(linalgOp.getMatchingBlockArgument(&use));
        continue;
      }
      if (isa<mlir::tensor::CollapseShapeOp, mlir::tensor::ExpandShapeOp,
              mlir::tensor::ExtractSliceOp>(user) ||
          (user->getParentOfType<mlir::linalg::LinalgOp>() &&
           user->getNumResults() == 1 &&
           user->getResult(0).getType().isIntOrIndex() &&
           !user->getResult(0).getType().isInteger(1)))
        work.push_back(user->getResult(0));
    }
  }
  return bound;
}

/// A random tensor for argument `index` of type `type`; `how` describes the
/// distribution for the summary line.
wafer::interp::Tensor randomInput(mlir::Value arg, unsigned index,
                                  StringRef name, std::string &how) {
  mlir::Type type = arg.getType();
  auto shaped = dyn_cast<mlir::ShapedType>(type);
  mlir::Type elt = shaped ? shaped.getElementType() : type;
  auto kind = wafer::interp::elementKindFromType(elt);
  if (!kind || (shaped && !shaped.hasStaticShape()))
    fail("input " + Twine(index) + " has unsupported type " + typeString(type));
  SmallVector<int64_t> shape;
  if (shaped)
    shape.assign(shaped.getShape().begin(), shaped.getShape().end());
  std::string why =
      wafer::checkAllocation(shape, wafer::interp::elementSize(*kind));
  if (!why.empty())
    fail("input '" + name + "': " + why);
  wafer::interp::Tensor t(*kind, shape);
  SplitMix64 rng{seed ^ (0x5851f42d4c957f2dULL * (index + 1))};
  int64_t n = t.getNumElements();
  switch (*kind) {
  case wafer::interp::ElementKind::F32:
    how = "uniform [-1, 1)";
    for (int64_t i = 0; i < n; ++i)
      t.dataAs<float>()[i] =
          static_cast<float>(rng.next() >> 40) * 0x1p-23f - 1.0f;
    break;
  case wafer::interp::ElementKind::I64:
  case wafer::interp::ElementKind::Index:
  case wafer::interp::ElementKind::I32: {
    int64_t bound = gatherBound(arg).value_or(2);
    how = "uniform [0, " + std::to_string(bound) + ")";
    for (int64_t i = 0; i < n; ++i) {
      int64_t v =
          static_cast<int64_t>(rng.next() % static_cast<uint64_t>(bound));
      if (*kind == wafer::interp::ElementKind::I32)
        t.dataAs<int32_t>()[i] = static_cast<int32_t>(v);
      else
        t.dataAs<int64_t>()[i] = v;
    }
    break;
  }
  case wafer::interp::ElementKind::I1:
    how = "uniform {0, 1}";
    for (int64_t i = 0; i < n; ++i)
      t.data()[i] = rng.next() >> 63;
    break;
  }
  return t;
}

std::string sanitize(StringRef name) {
  std::string s;
  for (char c : name)
    s.push_back(isAlnum(c) || c == '.' || c == '_' || c == '-' ? c : '_');
  if (s.empty() || s == "." || s == "..")
    s = "_" + s;
  return s;
}

void printValues(const wafer::interp::Tensor &t) {
  int64_t n = t.getNumElements();
  if (n > 1024) {
    outs() << "  values: (" << n << " elements, not printed)\n";
    return;
  }
  outs() << "  values:";
  for (int64_t i = 0; i < n; ++i) {
    if (t.getKind() == wafer::interp::ElementKind::F32)
      outs() << " " << format("%.6g", t.dataAs<float>()[i]);
    else
      outs() << " " << t.getAsInt(i);
  }
  outs() << "\n";
}

mlir::DenseElementsAttr toAttr(const wafer::interp::Tensor &t,
                               mlir::MLIRContext &ctx) {
  if (t.getKind() == wafer::interp::ElementKind::I1) {
    auto type = mlir::RankedTensorType::get(t.getShape(),
                                            mlir::IntegerType::get(&ctx, 1));
    SmallVector<bool> values;
    for (int64_t i = 0; i < t.getNumElements(); ++i)
      values.push_back(t.data()[i] != 0);
    return mlir::DenseElementsAttr::get(type, values);
  }
  if (t.getKind() == wafer::interp::ElementKind::F32) {
    auto type =
        mlir::RankedTensorType::get(t.getShape(), mlir::Float32Type::get(&ctx));
    return mlir::DenseElementsAttr::get(
        type, ArrayRef<float>(t.dataAs<float>(), t.getNumElements()));
  }
  auto type = mlir::RankedTensorType::get(t.getShape(),
                                          mlir::IntegerType::get(&ctx, 64));
  return mlir::DenseElementsAttr::get(
      type, ArrayRef<int64_t>(t.dataAs<int64_t>(), t.getNumElements()));
}
/// "wse2 (750x994)", or just "64x64" for a mesh named by its size.
std::string meshName(const wafer::TargetModel &t) {
  std::string size = std::to_string(t.width) + "x" + std::to_string(t.height);
  return t.name == size ? size : t.name + " (" + size + ")";
}

/// Maps, places and routes `module` onto `target` and prints the compile
/// summary; fills `report`. False (after an error line) on failure.
bool compileModel(mlir::ModuleOp module, const wafer::TargetModel &target,
                  wafer::PhaseTimes &times, json::Object &report) {
  wafer::CompileOptions options;
  options.target = target;
  if (utilization.getNumOccurrences())
    options.utilizations = {utilization};
  options.fuseNorms = fuseNorms;
  options.refinePlacement = refinePlacement;
  options.subRectangles = subRectangles;
  options.sizing = sizing;
  options.progress = errs().is_displayed();
  wafer::CompileChoices choices;
  if (Error e = wafer::compile(module, options, times, &choices)) {
    WithColor::error(errs(), kTool)
        << "cannot compile '" << inputFile << "' onto " << meshName(target)
        << ": " << toString(std::move(e)) << "\n";
    return false;
  }
  report = wafer::buildReport(module, times, &choices);
  auto num = [&](StringRef key) {
    if (auto v = report.getInteger(key))
      return *v;
    return int64_t(0);
  };
  outs() << "compiled " << inputFile << " onto " << meshName(target) << "\n";
  outs() << "  PEs used        " << num("pes_used") << " of "
         << num("pes_total") << "\n";
  outs() << "  kernels         " << num("kernels") << ", streams "
         << num("streams") << "\n";
  outs() << "  SRAM peak       " << num("sram_peak_bytes") << " B per PE of "
         << target.sramBudget << "\n";
  if (const json::Object *p = report.getObject("patterns")) {
    std::vector<std::string> parts;
    for (const auto &kv : *p)
      parts.push_back(
          (kv.first + " " + Twine(*kv.second.getAsInteger())).str());
    llvm::sort(parts);
    outs() << "  patterns        " << join(parts, ", ") << "\n";
  }
  const json::Array *at = report.getArray("colors_max_at");
  outs() << "  colors          " << num("colors_max") << " of "
         << num("colors_usable") << " usable at one router";
  if (at && at->size() == 2)
    outs() << " (PE " << *(*at)[0].getAsInteger() << ","
           << *(*at)[1].getAsInteger() << ")";
  outs() << ", " << num("route_phases") << " routing phase"
         << (num("route_phases") == 1 ? "" : "s") << "\n";
  if (const json::Object *l = report.getObject("max_link"))
    outs() << "  busiest link    " << num("max_link_bytes")
           << " B per inference from PE " << *l->getInteger("x") << ","
           << *l->getInteger("y") << " " << *l->getString("dir") << "\n";
  if (choices.chosen) {
    outs() << "  mapping         " << choices.chosen->name()
           << " of the estimated cycles";
    for (const auto &[variant, cycles] : choices.cycles)
      outs() << " " << variant << " " << cycles;
    outs() << "\n";
  }
  outs() << "  compile seconds";
  for (const auto &[phase, sec] : times.phases)
    outs() << " " << phase << " " << format("%.2f", sec);
  outs() << "\n";
  if (!emitMlir.empty()) {
    std::error_code ec;
    raw_fd_ostream os(emitMlir, ec);
    if (ec)
      fail("cannot write '" + emitMlir + "': " + ec.message());
    module.print(os);
  }
  return true;
}

void writeReport(json::Object report) {
  if (reportFile.empty())
    return;
  std::error_code ec;
  raw_fd_ostream os(reportFile, ec);
  if (ec)
    fail("cannot write report '" + reportFile + "': " + ec.message());
  os << formatv("{0:2}", json::Value(std::move(report))) << "\n";
}

/// Prints one line per output (name, shape, file) and writes the files.
void emitOutputs(ArrayRef<wafer::interp::Tensor> results,
                 ArrayRef<std::string> names) {
  if (!outputDir.empty())
    if (std::error_code ec = sys::fs::create_directories(outputDir))
      fail("cannot create output directory '" + outputDir +
           "': " + ec.message());
  StringMap<unsigned> usedFiles;
  for (auto [i, t] : llvm::enumerate(results)) {
    const std::string &name = names[i];
    outs() << "output " << name << ": "
           << wafer::interp::describeShape(t.getShape(), t.getKind());
    if (!outputDir.empty()) {
      std::string file = sanitize(name) + ".npy";
      if (usedFiles[file]++)
        file = sanitize(name) + "." + std::to_string(i) + ".npy";
      SmallString<256> path(outputDir.getValue());
      sys::path::append(path, file);
      if (auto err = wafer::interp::writeNpy(path, t))
        fail(toString(std::move(err)));
      outs() << " -> " << path;
    }
    outs() << "\n";
    if (printOutputs)
      printValues(t);
  }
}

/// "1.23e-06" style for errors, "-" for none.
std::string sci(double v) { return formatv("{0:e2}", v).str(); }
} // namespace

int main(int argc, char **argv) {
  InitLLVM y(argc, argv);
  // libLLVM registers hundreds of backend options; show only ours.
  cl::HideUnrelatedOptions(runCat);
  cl::ParseCommandLineOptions(
      argc, argv,
      "wafer-run: compile a model for a wafer-scale mesh, interpret the "
      "lowered per-PE program and check it against a golden run\n\n"
      "By default the model is imported, lowered to the tensor level, mapped "
      "onto rectangles of PEs of --target, placed and routed as "
      "communication patterns (printing a compile summary) and lowered to "
      "per-PE programs and router configurations (level 6); then the "
      "lowered program is interpreted PE by PE: data moves only through "
      "the configured routers and every PE's tiles must fit the buffers "
      "its program declares. The "
      "outputs, the simulated cycles and the lower bounds are printed; "
      "--check compares every output with the golden evaluation and exits 1 "
      "beyond tolerance.\n\n"
      "Example: wafer-run model.onnx --target 64x64 --check --report r.json"
      "\n\n"
      "--compile-only stops after lowering (summary, --report and "
      "--emit-mlir only).\n\n"
      "Golden mode (--golden) evaluates the model on whole tensors: an .onnx "
      "model is imported, an onnx-dialect .mlir is lowered with "
      "wafer-tensor-pipeline, a tensor-level .mlir runs as is. One line per "
      "input and per output (name, shape, dtype) is printed.\n");
  Expected<wafer::TargetModel> target =
      wafer::TargetModel::fromSpec(targetSpec);
  if (!target) {
    WithColor::error(errs(), kTool) << toString(target.takeError()) << "\n";
    return 2;
  }
  if (Error e = target->applyOverrides(targetOverrides)) {
    WithColor::error(errs(), kTool) << toString(std::move(e)) << "\n";
    return 2;
  }
  if (std::string why = target->check(); !why.empty()) {
    WithColor::error(errs(), kTool) << "invalid target: " << why << "\n";
    return 2;
  }
  if (!memoryLimit.empty()) {
    auto limit = wafer::parseByteSize(memoryLimit);
    if (!limit)
      fail("--memory-limit '" + memoryLimit +
           "': expected a positive size such as 8G or 512M");
    wafer::setMemoryLimitBytes(*limit);
  }
  if (golden && compileOnly)
    fail("--golden and --compile-only exclude each other");
  if (check && (golden || compileOnly))
    fail(Twine("--check compares the interpreted program with the golden "
               "evaluation; it does not apply with ") +
         (golden ? "--golden" : "--compile-only"));
  if (golden && (!reportFile.empty() || !emitMlir.empty()))
    fail("--report and --emit-mlir describe a compile; they do not apply "
         "with --golden");
  if (compileOnly && (!outputDir.empty() || !inputSpecs.empty()))
    fail("--compile-only runs nothing, so --input and --output-dir do not "
         "apply");
  if (!(checkAtol >= 0) || !(checkRtol >= 0))
    fail("--atol and --rtol must be >= 0");
  if (refinePlacement != "none" && refinePlacement != "hops" &&
      refinePlacement != "links")
    fail("--refine-placement must be none, hops or links, got '" +
         refinePlacement + "'");
  if (sizing != "work" && sizing != "balanced" && sizing != "auto")
    fail("--sizing must be work, balanced or auto, got '" + sizing + "'");
  if (subRectangles != "fit" && subRectangles != "idle" &&
      subRectangles != "auto")
    fail("--sub-rectangles must be fit, idle or auto, got '" + subRectangles +
         "'");
  if (utilization <= 0 || utilization > 1)
    fail("--utilization must be in (0, 1], got " +
         std::to_string(utilization.getValue()));
  wafer::PhaseTimes times;
  auto clock = std::chrono::steady_clock::now();
  auto lap = [&](StringRef phase) {
    auto now = std::chrono::steady_clock::now();
    times.add(phase, std::chrono::duration<double>(now - clock).count());
    clock = now;
  };

  mlir::DialectRegistry registry;
  wafer::registerAllDialects(registry);
  wafer::registerAllPasses();
  mlir::MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();

  // --input NAME=@FILE, read up front so .onnx import can specialise on them.
  std::map<std::string, std::pair<std::string, wafer::interp::Tensor>> given;
  for (StringRef spec : inputSpecs) {
    auto [name, file] = spec.split('=');
    file.consume_front("@");
    if (name.empty() || file.empty())
      fail("--input '" + spec + "': expected NAME=@FILE");
    if (given.count(name.str()))
      fail("--input '" + name + "' is given twice");
    auto t = wafer::interp::readTensorFile(file);
    if (!t)
      fail("input '" + name + "': " + toString(t.takeError()));
    given[name.str()] = {file.str(), std::move(*t)};
  }

  mlir::OwningOpRef<mlir::ModuleOp> module;
  bool isOnnx = StringRef(inputFile).ends_with(".onnx");
  if (isOnnx) {
    wafer::OnnxImportOptions options;
    for (StringRef spec : dimSpecs) {
      auto [name, value] = spec.split('=');
      int64_t v;
      if (name.empty() || value.getAsInteger(10, v) || v <= 0)
        fail("--dim '" + spec + "': expected NAME=VALUE with VALUE > 0");
      options.dims[name.str()] = v;
    }
    // Integer inputs may decide a shape (Reshape's shape): the import
    // specialises on their values. A golden evaluation also specialises
    // scalars (Range's float start/limit/delta, Dropout's training_mode);
    // a compile does not, so the program stays one for every value.
    for (auto &[name, entry] : given)
      if (entry.second.getKind() == wafer::interp::ElementKind::I64 ||
          (golden &&
           entry.second.getKind() != wafer::interp::ElementKind::I32 &&
           entry.second.getNumElements() == 1))
        options.inputValues[name] = toAttr(entry.second, ctx);
    auto imported = wafer::importOnnxFile(inputFile, ctx, options);
    if (!imported)
      fail(toString(imported.takeError()));
    module = std::move(*imported);
  } else {
    if (!dimSpecs.empty())
      fail("--dim applies to .onnx models only; '" + inputFile +
           "' is MLIR with static shapes");
    llvm::SourceMgr sourceMgr;
    mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &ctx);
    std::string err;
    auto buffer = mlir::openInputFile(inputFile, &err);
    if (!buffer)
      fail(err);
    sourceMgr.AddNewSourceBuffer(std::move(buffer), SMLoc());
    module = mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &ctx);
    if (!module)
      return 1;
  }

  lap("import");

  // Lower the onnx frontend dialect to the tensor level.
  bool hasOnnx = false;
  module->walk([&](mlir::Operation *op) {
    if (op->getName().getDialectNamespace() == "onnx")
      hasOnnx = true;
  });
  if (hasOnnx) {
    mlir::PassManager pm(&ctx);
    std::string perr;
    raw_string_ostream perrOs(perr);
    if (failed(mlir::parsePassPipeline("wafer-tensor-pipeline", pm, perrOs)))
      fail("the model uses the onnx dialect but this build cannot lower it: " +
           StringRef(perr).trim());
    if (failed(pm.run(*module)))
      return 1; // The diagnostics were printed.
  }

  lap("tensor");

  if (compileOnly) {
    json::Object report;
    if (!compileModel(*module, *target, times, report))
      return 1;
    writeReport(std::move(report));
    return 0;
  }

  // The entry: the only func.func with a body, or @main.
  mlir::func::FuncOp entry;
  unsigned numFuncs = 0;
  module->walk([&](mlir::func::FuncOp f) {
    if (f.isExternal())
      return;
    ++numFuncs;
    if (!entry || f.getSymName() == "main")
      entry = f;
  });
  if (!entry)
    fail("'" + inputFile + "' has no func.func to run");
  if (numFuncs > 1 && entry.getSymName() != "main")
    fail("'" + inputFile + "' has " + Twine(numFuncs) +
         " functions and none is @main");

  // Bind inputs by name.
  SmallVector<std::string> argNames;
  for (unsigned i = 0; i < entry.getNumArguments(); ++i) {
    auto name =
        entry.getArgAttrOfType<mlir::StringAttr>(i, wafer::kOnnxNameAttr);
    argNames.push_back(name ? name.str() : "arg" + std::to_string(i));
  }
  for (auto &[name, entryPair] : given)
    if (!llvm::is_contained(argNames, name))
      fail("unknown input '" + name +
           "'; the model's inputs are: " + join(argNames, ", "));
  std::vector<wafer::interp::Tensor> args;
  for (unsigned i = 0; i < entry.getNumArguments(); ++i) {
    mlir::BlockArgument arg = entry.getArgument(i);
    mlir::Type type = arg.getType();
    auto shaped = dyn_cast<mlir::ShapedType>(type);
    mlir::Type elt = shaped ? shaped.getElementType() : type;
    auto kind = wafer::interp::elementKindFromType(elt);
    if (!kind || (shaped && !shaped.hasStaticShape()))
      fail("input '" + argNames[i] + "' has unsupported type " +
           typeString(type));
    ArrayRef<int64_t> shape = shaped ? shaped.getShape() : ArrayRef<int64_t>();
    std::string expected = wafer::interp::describeShape(shape, *kind);
    auto it = given.find(argNames[i]);
    if (it != given.end()) {
      wafer::interp::Tensor &t = it->second.second;
      std::string actual =
          wafer::interp::describeShape(t.getShape(), t.getKind());
      if (actual != expected)
        fail("input '" + argNames[i] + "' (" + it->second.first +
             "): expected " + expected + ", got " + actual);
      outs() << "input " << argNames[i] << ": " << expected << " from "
             << it->second.first << "\n";
      args.push_back(std::move(t));
      continue;
    }
    std::string how;
    args.push_back(randomInput(arg, i, argNames[i], how));
    outs() << "input " << argNames[i] << ": " << expected << " random " << how
           << " (seed " << seed << ")\n";
  }

  SmallVector<std::string> resultNames;
  for (unsigned i = 0; i < entry.getNumResults(); ++i) {
    auto name =
        entry.getResultAttrOfType<mlir::StringAttr>(i, wafer::kOnnxNameAttr);
    resultNames.push_back(name ? name.str() : "out" + std::to_string(i));
  }

  if (golden) {
    auto results = wafer::interp::evaluateFunction(entry, args);
    if (!results)
      fail(toString(results.takeError()));
    emitOutputs(*results, resultNames);
    return 0;
  }

  // Compile, interpret the routed program and, with --check, compare with
  // the golden evaluation of the tensor-level model (evaluated first: the
  // compile replaces the function by the program).
  std::vector<wafer::interp::Tensor> goldenResults;
  if (check) {
    clock = std::chrono::steady_clock::now();
    auto results = wafer::interp::evaluateFunction(entry, args);
    if (!results)
      fail(toString(results.takeError()));
    goldenResults = std::move(*results);
    lap("golden");
    if (errs().is_displayed() && times.phases.back().second > 2.0)
      errs() << "wafer: golden took "
             << format("%.1f", times.phases.back().second) << " s\n";
  }
  json::Object report;
  if (!compileModel(*module, *target, times, report))
    return 1;
  wafer::ProgramOp program;
  module->walk([&](wafer::ProgramOp p) { program = p; });
  if (!program)
    fail("internal error: the compile produced no wafer.program");

  auto start = std::chrono::steady_clock::now();
  wafer::interp::ExecOptions execOptions;
  execOptions.compareKernels = check;
  execOptions.perturbKernel = testPerturbKernel;
  execOptions.atol = checkAtol;
  execOptions.rtol = checkRtol;
  auto run = wafer::interp::executeProgram(program, args, execOptions);
  double interpretSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  if (errs().is_displayed() && interpretSeconds > 2.0)
    errs() << "wafer: interpret took " << format("%.1f", interpretSeconds)
           << " s\n";
  if (!run) {
    WithColor::error(errs(), kTool)
        << "interpreting '" << inputFile << "' on " << meshName(*target) << ": "
        << toString(run.takeError()) << "\n";
    return 1;
  }
  emitOutputs(run->outputs, resultNames);

  // Cycles beside the lower bounds (DESIGN.md): the largest bound is what
  // the ratio compares against.
  std::pair<StringRef, double> bounds[] = {
      {"compute", run->computeBoundCycles},
      {"communication", run->commBoundCycles},
      {"latency", double(run->latencyBoundCycles)},
      {"critical path", double(run->criticalPathCycles)}};
  auto largest = bounds[0];
  for (auto b : ArrayRef(bounds).take_front(3))
    if (b.second > largest.second)
      largest = b;
  outs() << "interpreted in " << format("%.2f", interpretSeconds) << " s\n";
  outs() << "  cycles          " << run->cycles << " ("
         << format("%.1f", run->microseconds) << " us at " << target->clockMHz
         << " MHz), " << run->routePhases << " routing phase"
         << (run->routePhases == 1 ? "" : "s") << "\n";
  outs() << "  lower bounds   ";
  for (auto [name, v] : bounds)
    outs() << " " << name << " " << format("%.0f", v)
           << (name == "critical path" ? "" : ",");
  outs() << "\n";
  if (largest.second > 0)
    outs() << "  ratio           "
           << format("%.1f", double(run->cycles) / largest.second)
           << "x the largest physical bound (" << largest.first << ")\n";
  // What the time goes to: the longest tasks on the critical path.
  std::vector<int> path = run->criticalPath;
  llvm::stable_sort(path, [&](int a, int b) {
    const auto &x = run->phases[a], &y = run->phases[b];
    return x.end - x.start > y.end - y.start;
  });
  json::Array pathJson;
  for (int i : run->criticalPath) {
    const auto &p = run->phases[i];
    json::Object o;
    o["task"] = p.name;
    o["kind"] = p.kind;
    o["start"] = p.start;
    o["end"] = p.end;
    pathJson.push_back(std::move(o));
  }
  if (!path.empty()) {
    outs() << "  critical path  ";
    for (auto [n, i] : llvm::enumerate(ArrayRef(path).take_front(3))) {
      const auto &p = run->phases[i];
      outs() << (n ? ", " : " ") << p.name << " " << (p.end - p.start);
    }
    outs() << " cycles (longest of " << path.size() << " tasks)\n";
  }
  report["critical_path"] = std::move(pathJson);
  outs() << "  SRAM in use     " << run->peakPEBytes << " B at PE ("
         << run->peakPEX << "," << run->peakPEY << ")\n";

  report["cycles"] = run->cycles;
  report["microseconds"] = run->microseconds;
  json::Object lb;
  lb["compute"] = run->computeBoundCycles;
  lb["communication"] = run->commBoundCycles;
  lb["latency"] = run->latencyBoundCycles;
  lb["critical_path"] = run->criticalPathCycles;
  report["lower_bound_cycles"] = std::move(lb);
  report["interpret_seconds"] = interpretSeconds;
  report["route_pairs_checked"] = run->checkedPairs;
  report["interpret_peak_pe_bytes"] = run->peakPEBytes;

  int status = 0;
  if (check) {
    json::Array outputs;
    bool passed = true;
    outs() << "check against golden (atol " << sci(checkAtol) << ", rtol "
           << sci(checkRtol) << ")\n";
    for (auto [i, got] : llvm::enumerate(run->outputs)) {
      const wafer::interp::Tensor &want = goldenResults[i];
      auto c = wafer::interp::compareTensors(got, want, checkAtol, checkRtol);
      json::Object o;
      o["name"] = resultNames[i];
      o["max_abs_err"] = c.maxAbsErr;
      o["max_rel_err"] = c.maxRelErr;
      o["passed"] = c.passed;
      outputs.push_back(std::move(o));
      outs() << "  " << resultNames[i] << ": max abs err " << sci(c.maxAbsErr)
             << ", max rel err " << sci(c.maxRelErr) << ", "
             << (c.passed ? "passed" : "FAILED") << "\n";
      if (c.passed)
        continue;
      passed = false;
      if (c.mismatchedShape)
        WithColor::error(errs(), kTool)
            << "output '" << resultNames[i] << "': the program produced "
            << wafer::interp::describeShape(got.getShape(), got.getKind())
            << ", golden "
            << wafer::interp::describeShape(want.getShape(), want.getKind())
            << "\n";
      else
        WithColor::error(errs(), kTool)
            << "output '" << resultNames[i] << "' differs from golden: at "
            << wafer::interp::formatIndex(want.getShape(), c.worst) << " got "
            << format("%.6g", c.gotValue) << ", golden "
            << format("%.6g", c.wantValue) << "\n";
    }
    json::Object checkObj;
    checkObj["outputs"] = std::move(outputs);
    checkObj["passed"] = passed;
    if (const auto &d = run->divergence) {
      json::Object div;
      div["kernel"] = d->kernel;
      div["nodes"] = d->nodes;
      div["index"] = d->index;
      div["max_abs_err"] = d->maxAbsErr;
      checkObj["first_divergent_kernel"] = std::move(div);
      WithColor::note(errs(), kTool)
          << "first kernel to diverge: @" << d->kernel << " (ONNX "
          << (d->nodes.empty() ? std::string("node unknown")
                               : "nodes " + d->nodes)
          << "), result #" << d->result << " at " << d->index << ": got "
          << format("%.6g", d->got) << ", golden " << format("%.6g", d->want)
          << "\n";
    }
    report["check"] = std::move(checkObj);
    if (!passed)
      status = 1;
  }
  writeReport(std::move(report));
  return status;
}
