//===- OnnxImport.cpp - ONNX protobuf -> onnx frontend dialect ------------===//
//
// Pipeline: parse the ModelProto, check opsets and op support (so unsupported
// ops get our message, not the checker's), run onnx::checker, bind symbolic
// input dims, run ONNX shape inference, then walk the nodes in order. Each
// node computes its result shapes itself (ONNX inference is only a
// cross-check) and is either folded on host tensors (ConstTensor) or emitted
// as an `onnx` op built generically by name (docs/frontend-dialect.md).
//
// libonnx throws; this file is compiled with exceptions and every libonnx
// call is wrapped so nothing escapes into exception-free LLVM code.
//
//===----------------------------------------------------------------------===//
#include "wafer/Import/OnnxImport.h"

#include "ConstTensor.h"

#include "wafer/Dialect/ONNX/ONNXDialect.h"
#include "wafer/Support/Sizes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include <onnx/version_converter/convert.h>

#include "onnx/checker.h"
#include "onnx/defs/schema.h"
#include "onnx/onnx_pb.h"
#include "onnx/shape_inference/implementation.h"

#include <cmath>
#include <cstring>
#include <exception>
#include <map>
#include <memory>

using namespace mlir;
using namespace wafer::onnx_import;
using llvm::ArrayRef;
using llvm::StringRef;

namespace {

/// Folding creates host tensors of at most this many elements (the contract's
/// limit); bigger all-constant nodes are emitted as ops on constants.
constexpr int64_t kMaxFoldElements = 4096;
/// Constants with more elements are emitted as dense_resource blobs.
constexpr int64_t kMaxInlineElements = 64;

constexpr int64_t kMinOpset = 13, kMaxOpset = 17;

std::string shapeStr(ArrayRef<int64_t> s) {
  std::string r = "[";
  for (size_t k = 0; k < s.size(); ++k)
    r += (k ? "," : "") + std::to_string(s[k]);
  return r + "]";
}

std::string onnxDTypeName(int32_t t) {
  if (onnx::TensorProto_DataType_IsValid(t))
    return onnx::TensorProto_DataType_Name(
        static_cast<onnx::TensorProto_DataType>(t));
  return "dtype#" + std::to_string(t);
}

/// ONNX element type -> ours. INT32 is accepted only for constants, where
/// widening to int64 is harmless (shape arithmetic).
std::optional<DType> toDType(int32_t t, bool isConstant) {
  switch (t) {
  case onnx::TensorProto::FLOAT:
    return DType::F32;
  case onnx::TensorProto::INT64:
    return DType::I64;
  case onnx::TensorProto::BOOL:
    return DType::I1;
  case onnx::TensorProto::INT32:
    if (isConstant)
      return DType::I64;
    return std::nullopt;
  default:
    return std::nullopt;
  }
}

std::string oneLine(std::string s) {
  for (char &c : s)
    if (c == '\n' || c == '\r')
      c = ' ';
  while (!s.empty() && s.back() == ' ')
    s.pop_back();
  return s;
}

/// An ONNX tensor during import: its static type, and its value when known
/// at import (`c`) and/or the SSA value holding it at run time (`v`).
struct Val {
  DType dtype = DType::F32;
  Shape shape;
  std::shared_ptr<const ConstTensor> c;
  Value v;
  /// Non-empty when this is (or aliases) a graph input; named in errors.
  std::string graphInput;
};

class ImportError : public std::exception {
public:
  explicit ImportError(std::string m) : msg(std::move(m)) {}
  const char *what() const noexcept override { return msg.c_str(); }
  std::string msg;
};

class Importer {
public:
  Importer(MLIRContext &ctx, const wafer::OnnxImportOptions &opts,
           StringRef fileName)
      : ctx(ctx), opts(opts), fileName(fileName.str()), builder(&ctx) {}

  OwningOpRef<ModuleOp> run(StringRef bytes);

private:
  // Setup.
  void parse(StringRef bytes);
  void checkOpsets();
  void upgradeOpset();
  void checkOpsSupported();
  void bindDims();
  void inferShapes();
  void declareGraphInputs(func::FuncOp func);

  // Node import.
  void importNode(const onnx::NodeProto &node, int index);
  void importNodeImpl();

  // Errors.
  [[noreturn]] void fail(const std::string &msg) { throw ImportError(msg); }
  [[noreturn]] void nodeFail(const std::string &msg) {
    fail("node '" + nodeName + "' (" + node->op_type() + "): " + msg);
  }

  // Inputs and attributes of the current node.
  size_t numInputs() const { return node->input_size(); }
  bool hasInput(size_t k) const {
    return k < size_t(node->input_size()) && !node->input(k).empty();
  }
  Val &input(size_t k);
  std::shared_ptr<const ConstTensor> constInput(size_t k, StringRef what);
  std::vector<int64_t> constInts(size_t k, StringRef what);
  std::optional<float> constScalarF32(size_t k, StringRef what);
  const onnx::AttributeProto *attr(StringRef name) const;
  int64_t attrInt(StringRef name, int64_t dflt) const;
  float attrFloat(StringRef name, float dflt) const;
  std::optional<std::vector<int64_t>> attrInts(StringRef name) const;
  int64_t normAxis(int64_t axis, int64_t rank, StringRef what);
  void requireFloat(size_t k);
  void requireDType(size_t k, DType t);

  // Results.
  void setResult(size_t k, Val val);
  void setConst(size_t k, ConstTensor t);
  bool outputUsed(size_t k) const;

  // IR building.
  Location nodeLoc() { return NameLoc::get(StringAttr::get(&ctx, nodeName)); }
  Type elemType(DType t);
  RankedTensorType tensorType(DType t, ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, elemType(t));
  }
  Value materialize(Val &val, StringRef name);
  Operation *emit(StringRef opName, ArrayRef<size_t> operandIdx,
                  ArrayRef<NamedAttribute> attrs,
                  ArrayRef<std::pair<DType, Shape>> results);
  Operation *emitValues(StringRef opName, ArrayRef<Value> operands,
                        ArrayRef<NamedAttribute> attrs,
                        ArrayRef<std::pair<DType, Shape>> results);
  NamedAttribute named(StringRef n, Attribute a) {
    return builder.getNamedAttr(n, a);
  }

  // Op families.
  void importBinary();
  void importVariadicMinMax();
  void importUnary();
  void importShapeOps();
  void importReshapeLike();
  void importReduce();
  void importEinsum();

  MLIRContext &ctx;
  const wafer::OnnxImportOptions &opts;
  std::string fileName;
  OpBuilder builder;
  onnx::ModelProto model;
  int64_t opset = 0;
  /// Non-empty when the model's opset needs ONNX's version converter: why.
  std::string upgradeReason;
  std::map<std::string, Val> values;
  std::map<std::string, const onnx::TensorProto *> initializers;
  llvm::StringSet<> usedNames;
  std::map<std::string, const onnx::TypeProto *> inferredTypes;

  const onnx::NodeProto *node = nullptr;
  std::string nodeName;
};

//===----------------------------------------------------------------------===//
// Setup
//===----------------------------------------------------------------------===//

void Importer::parse(StringRef bytes) {
  if (bytes.size() > size_t(INT32_MAX))
    fail(fileName + ": models larger than 2 GiB are not supported");
  if (!model.ParseFromArray(bytes.data(), int(bytes.size())))
    fail(fileName + ": not a valid ONNX model (protobuf parsing failed; the "
                    "file is truncated or corrupt)");
  if (!model.has_graph())
    fail(fileName + ": not a valid ONNX model (it has no graph)");
}

void Importer::checkOpsets() {
  bool found = false;
  for (const auto &imp : model.opset_import()) {
    if (imp.domain().empty() || imp.domain() == "ai.onnx") {
      opset = imp.version();
      found = true;
    }
  }
  if (!found)
    fail(fileName + ": the model imports no opset of the default ONNX domain");
  if (opset >= kMinOpset && opset <= kMaxOpset)
    return;
  // Another opset is fine as long as every node resolves to the same operator
  // version as it would in a supported opset (identical semantics).
  int64_t nearest = opset < kMinOpset ? kMinOpset : kMaxOpset;
  const auto *registry = onnx::OpSchemaRegistry::Instance();
  for (int k = 0; k < model.graph().node_size(); ++k) {
    const onnx::NodeProto &n = model.graph().node(k);
    if (!n.domain().empty() && n.domain() != "ai.onnx")
      continue;
    const onnx::OpSchema *have = registry->GetSchema(n.op_type(), int(opset));
    const onnx::OpSchema *want = registry->GetSchema(n.op_type(), int(nearest));
    if (!have || !want || have->since_version() != want->since_version()) {
      std::string name =
          n.name().empty() ? n.op_type() + "_" + std::to_string(k) : n.name();
      std::string why =
          fileName + ": unsupported opset " + std::to_string(opset) +
          " of the default ONNX domain: node '" + name + "' (" + n.op_type() +
          ") has different semantics than in " + "opsets " +
          std::to_string(kMinOpset) + "-" + std::to_string(kMaxOpset);
      if (opset > kMaxOpset)
        fail(why + "; re-export with an opset in that range");
      // Older models are upgraded with ONNX's own version converter, once
      // the checker has accepted them (the converter trusts its input).
      upgradeReason = why;
      return;
    }
  }
  opset = nearest;
}

void Importer::upgradeOpset() {
  if (upgradeReason.empty())
    return;
  try {
    model = onnx::version_conversion::ConvertVersion(model, int(kMinOpset));
  } catch (const std::exception &e) {
    fail(upgradeReason + ", and ONNX's version converter cannot upgrade it (" +
         oneLine(e.what()) + "); re-export with an opset in that range");
  }
  opset = kMinOpset;
  for (auto &imp : *model.mutable_opset_import())
    if (imp.domain().empty() || imp.domain() == "ai.onnx")
      imp.set_version(kMinOpset);
}

const llvm::StringSet<> &supportedOps() {
  static const llvm::StringSet<> ops = {"Constant",   "ConstantOfShape",
                                        "Shape",      "Size",
                                        "Range",      "Identity",
                                        "Dropout",    "Add",
                                        "Sub",        "Mul",
                                        "Div",        "Pow",
                                        "Min",        "Max",
                                        "Equal",      "Less",
                                        "Greater",    "And",
                                        "Or",         "Where",
                                        "Sqrt",       "Reciprocal",
                                        "Neg",        "Exp",
                                        "Log",        "Tanh",
                                        "Erf",        "Relu",
                                        "Sigmoid",    "Abs",
                                        "Not",        "Cast",
                                        "Clip",       "MatMul",
                                        "Gemm",       "Softmax",
                                        "LogSoftmax", "LayerNormalization",
                                        "ReduceMean", "ReduceSum",
                                        "ReduceMax",  "Transpose",
                                        "Reshape",    "Flatten",
                                        "Squeeze",    "Unsqueeze",
                                        "Expand",     "Concat",
                                        "Split",      "Slice",
                                        "Gather",     "Trilu",
                                        "Sign",       "Floor",
                                        "Ceil",       "Sin",
                                        "Cos",        "Mod",
                                        "ArgMax",     "ReduceMin",
                                        "ReduceProd", "CumSum",
                                        "Einsum"};
  return ops;
}

std::string supportedOpsTableImpl() {
  std::vector<std::string> ops;
  for (const auto &e : supportedOps())
    ops.push_back(e.getKey().str());
  llvm::sort(ops);
  const auto *registry = onnx::OpSchemaRegistry::Instance();
  std::string out = "| ONNX op | opsets | ONNX schema versions used at opsets "
                    "13-17 |\n|---|---|---|\n";
  for (const std::string &op : ops) {
    std::vector<int> versions;
    for (int64_t v = kMinOpset; v <= kMaxOpset; ++v)
      if (const onnx::OpSchema *s = registry->GetSchema(op, int(v)))
        if (!llvm::is_contained(versions, s->since_version()))
          versions.push_back(s->since_version());
    std::string vs;
    for (int v : versions)
      vs += (vs.empty() ? "" : ", ") + std::to_string(v);
    out += "| " + op + " | 7-12 (upgraded), " + std::to_string(kMinOpset) +
           "-" + std::to_string(kMaxOpset) + " | " + vs + " |\n";
  }
  return out;
}

void Importer::checkOpsSupported() {
  // Every unsupported op at once, in first-use order, with the nodes that
  // use it (the first three, then a count).
  const onnx::GraphProto &g = model.graph();
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::string>> nodes;
  for (int k = 0; k < g.node_size(); ++k) {
    const onnx::NodeProto &n = g.node(k);
    bool defaultDomain = n.domain().empty() || n.domain() == "ai.onnx";
    if (defaultDomain && supportedOps().contains(n.op_type()))
      continue;
    std::string name =
        n.name().empty() ? n.op_type() + "_" + std::to_string(k) : n.name();
    std::string op =
        defaultDomain ? n.op_type() : n.domain() + "." + n.op_type();
    if (!nodes.count(op))
      order.push_back(op);
    nodes[op].push_back(name);
  }
  if (order.empty())
    return;
  std::string msg = fileName + (order.size() == 1 ? ": unsupported ONNX op "
                                                  : ": unsupported ONNX ops ");
  for (size_t i = 0; i < order.size(); ++i) {
    const std::vector<std::string> &ns = nodes[order[i]];
    msg +=
        (i ? ", '" : "'") + order[i] + "' (node" + (ns.size() > 1 ? "s" : "");
    for (size_t j = 0; j < ns.size() && j < 3; ++j)
      msg += (j ? ", '" : " '") + ns[j] + "'";
    if (ns.size() > 3)
      msg += " and " + std::to_string(ns.size() - 3) + " more";
    msg += ")";
  }
  fail(msg + " at opset " + std::to_string(opset) +
       "; docs/frontend-dialect.md lists the supported ops");
}

void Importer::bindDims() {
  onnx::GraphProto *g = model.mutable_graph();
  std::set<std::string> initNames;
  for (const auto &t : g->initializer())
    initNames.insert(t.name());
  std::set<std::string> dimNamesSeen;
  std::set<std::string> inputNames;
  for (int k = 0; k < g->input_size(); ++k) {
    onnx::ValueInfoProto *in = g->mutable_input(k);
    if (initNames.count(in->name()))
      continue;
    inputNames.insert(in->name());
    if (!in->type().has_tensor_type())
      fail("graph input '" + in->name() + "' is not a tensor");
    auto *tt = in->mutable_type()->mutable_tensor_type();
    if (!tt->has_shape())
      fail("graph input '" + in->name() +
           "' has unknown rank; wafer needs static shapes");
    for (int d = 0; d < tt->shape().dim_size(); ++d) {
      auto *dim = tt->mutable_shape()->mutable_dim(d);
      if (dim->has_dim_value())
        continue;
      if (!dim->has_dim_param() || dim->dim_param().empty())
        fail("input '" + in->name() + "' dim " + std::to_string(d) +
             " is dynamic and unnamed; wafer needs static shapes (re-export "
             "with a named or fixed dim)");
      std::string param = dim->dim_param();
      dimNamesSeen.insert(param);
      auto it = opts.dims.find(param);
      if (it == opts.dims.end())
        fail("input '" + in->name() + "' dim " + std::to_string(d) + " ('" +
             param + "') is dynamic: pass --dim " + param + "=<size>");
      dim->set_dim_value(it->second);
    }
  }
  for (const auto &[name, value] : opts.dims) {
    if (!dimNamesSeen.count(name)) {
      std::string known;
      for (const std::string &s : dimNamesSeen)
        known += (known.empty() ? "" : ", ") + s;
      fail("--dim " + name + "=" + std::to_string(value) +
           ": no graph input has a dynamic dim named '" + name + "'" +
           (known.empty() ? " (the model's inputs have no dynamic dims)"
                          : " (dynamic dims: " + known + ")"));
    }
    if (value <= 0)
      fail("--dim " + name + "=" + std::to_string(value) +
           ": the value must be positive");
  }
  for (const auto &[name, attr] : opts.inputValues)
    if (!inputNames.count(name))
      fail("a value was given for '" + name +
           "', which is not a graph input of " + fileName);
  // Symbolic dims elsewhere (declared outputs, value_info) take the bound
  // values too, so shape inference does not see conflicting names.
  auto bind = [&](onnx::ValueInfoProto &vi) {
    if (!vi.type().has_tensor_type() || !vi.type().tensor_type().has_shape())
      return;
    auto *shape = vi.mutable_type()->mutable_tensor_type()->mutable_shape();
    for (auto &dim : *shape->mutable_dim())
      if (dim.has_dim_param()) {
        auto it = opts.dims.find(dim.dim_param());
        if (it != opts.dims.end())
          dim.set_dim_value(it->second);
      }
  };
  for (auto &vi : *g->mutable_output())
    bind(vi);
  for (auto &vi : *g->mutable_value_info())
    bind(vi);
}

void Importer::inferShapes() {
  // libonnx 1.12's LayerNormalization inference indexes the input's dims
  // with an unchecked negative axis when Mean/InvStdDev are requested (a
  // segfault). Infer a copy without those outputs first and check the axis
  // against the rank it finds.
  bool risky = false;
  for (const auto &n : model.graph().node())
    risky |= n.op_type() == "LayerNormalization" && n.output_size() > 1;
  if (risky) {
    onnx::ModelProto copy = model;
    for (auto &n : *copy.mutable_graph()->mutable_node())
      if (n.op_type() == "LayerNormalization")
        while (n.output_size() > 1)
          n.mutable_output()->RemoveLast();
    try {
      // Not strict: the nodes reading the dropped outputs stay untyped.
      onnx::ShapeInferenceOptions options(false, 0, false);
      onnx::shape_inference::InferShapes(
          copy, onnx::OpSchemaRegistry::Instance(), options);
    } catch (const std::exception &e) {
      fail(fileName + ": ONNX shape inference failed: " + oneLine(e.what()));
    }
    llvm::StringMap<int64_t> ranks;
    auto note = [&](const onnx::ValueInfoProto &vi) {
      if (vi.type().has_tensor_type() && vi.type().tensor_type().has_shape())
        ranks[vi.name()] = vi.type().tensor_type().shape().dim_size();
    };
    for (const auto &vi : copy.graph().input())
      note(vi);
    for (const auto &vi : copy.graph().value_info())
      note(vi);
    for (const auto &t : copy.graph().initializer())
      ranks[t.name()] = t.dims_size();
    for (int k = 0; k < model.graph().node_size(); ++k) {
      const auto &n = model.graph().node(k);
      if (n.op_type() != "LayerNormalization" || n.input_size() == 0)
        continue;
      auto it = ranks.find(n.input(0));
      if (it == ranks.end())
        continue;
      int64_t axis = -1;
      for (const auto &a : n.attribute())
        if (a.name() == "axis")
          axis = a.i();
      if (axis < -it->second || axis >= it->second)
        fail(fileName + ": node '" +
             (n.name().empty() ? n.op_type() + "_" + std::to_string(k)
                               : n.name()) +
             "' (LayerNormalization): axis " + std::to_string(axis) +
             " is out of range for rank " + std::to_string(it->second));
    }
  }
  try {
    onnx::ShapeInferenceOptions options(/*check_type=*/false,
                                        /*strict_mode=*/1,
                                        /*data_prop=*/false);
    onnx::shape_inference::InferShapes(
        model, onnx::OpSchemaRegistry::Instance(), options);
  } catch (const std::exception &e) {
    fail(fileName + ": ONNX shape inference failed: " + oneLine(e.what()));
  }
  for (const auto &vi : model.graph().value_info())
    inferredTypes[vi.name()] = &vi.type();
  for (const auto &vi : model.graph().output())
    inferredTypes[vi.name()] = &vi.type();
}

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

/// Checks what a TensorProto claims against what it holds, before anything
/// (ours or libonnx's shape inference) reads or allocates it: dims
/// non-negative, their product within int64 and the memory limit, and
/// exactly that many values in raw_data or the typed field.
std::optional<std::string> checkTensorData(const onnx::TensorProto &t) {
  if (t.data_location() == onnx::TensorProto::EXTERNAL)
    return std::string("external tensor data is not supported");
  Shape shape(t.dims().begin(), t.dims().end());
  int64_t rawItem = 0, typed = -1;
  switch (t.data_type()) {
  case onnx::TensorProto::FLOAT:
    rawItem = 4, typed = t.float_data_size();
    break;
  case onnx::TensorProto::DOUBLE:
    rawItem = 8, typed = t.double_data_size();
    break;
  case onnx::TensorProto::INT64:
    rawItem = 8, typed = t.int64_data_size();
    break;
  case onnx::TensorProto::UINT64:
    rawItem = 8, typed = t.uint64_data_size();
    break;
  case onnx::TensorProto::UINT32:
    rawItem = 4, typed = t.uint64_data_size();
    break;
  case onnx::TensorProto::INT32:
    rawItem = 4, typed = t.int32_data_size();
    break;
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::UINT16:
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16:
    rawItem = 2, typed = t.int32_data_size();
    break;
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::BOOL:
    rawItem = 1, typed = t.int32_data_size();
    break;
  default:
    return std::nullopt; // strings and others: refused by dtype later
  }
  std::string why =
      wafer::checkAllocation(shape, std::max<int64_t>(rawItem, 4));
  if (!why.empty())
    return why;
  int64_t n = *wafer::checkedNumElements(shape);
  if (t.has_raw_data()) {
    int64_t have = int64_t(t.raw_data().size());
    if (have != n * rawItem)
      return "raw_data holds " + std::to_string(have) +
             " bytes but its shape " + shapeStr(shape) + " needs " +
             std::to_string(n * rawItem);
  } else if (typed != n) {
    return "holds " + std::to_string(typed) + " values but its shape " +
           shapeStr(shape) + " needs " + std::to_string(n);
  }
  return std::nullopt;
}

/// Reads an initializer or Constant value into a host tensor.
std::optional<std::string> readTensor(const onnx::TensorProto &t,
                                      ConstTensor &out) {
  if (auto why = checkTensorData(t))
    return why;
  std::optional<DType> dt = toDType(t.data_type(), /*isConstant=*/true);
  if (!dt)
    return "unsupported dtype " + onnxDTypeName(t.data_type());
  out = ConstTensor::zeros(*dt, Shape(t.dims().begin(), t.dims().end()));
  size_t n = out.size();
  const std::string &raw = t.raw_data();
  bool hasRaw = t.has_raw_data();
  switch (t.data_type()) {
  case onnx::TensorProto::FLOAT:
    if (hasRaw) {
      if (!raw.empty())
        std::memcpy(out.f.data(), raw.data(), raw.size());
    } else {
      std::copy(t.float_data().begin(), t.float_data().end(), out.f.begin());
    }
    break;
  case onnx::TensorProto::INT64:
    if (hasRaw) {
      if (!raw.empty())
        std::memcpy(out.i.data(), raw.data(), raw.size());
    } else {
      std::copy(t.int64_data().begin(), t.int64_data().end(), out.i.begin());
    }
    break;
  case onnx::TensorProto::INT32:
    if (hasRaw) {
      for (size_t k = 0; k < n; ++k) {
        int32_t v;
        std::memcpy(&v, raw.data() + 4 * k, 4);
        out.i[k] = v;
      }
    } else {
      std::copy(t.int32_data().begin(), t.int32_data().end(), out.i.begin());
    }
    break;
  case onnx::TensorProto::BOOL:
    if (hasRaw) {
      for (size_t k = 0; k < n; ++k)
        out.i[k] = raw[k] != 0;
    } else {
      for (size_t k = 0; k < n; ++k)
        out.i[k] = t.int32_data(k) != 0;
    }
    break;
  default:
    break;
  }
  return std::nullopt;
}

Val &Importer::input(size_t k) {
  const std::string &name = node->input(k);
  auto it = values.find(name);
  if (it != values.end())
    return it->second;
  auto init = initializers.find(name);
  if (init == initializers.end()) {
    for (const auto &n : model.graph().node())
      if (llvm::is_contained(n.output(), name))
        nodeFail("input '" + name + "' is produced by node '" +
                 (n.name().empty() ? n.op_type() : n.name()) +
                 "', which comes later: the graph is not in topological "
                 "order");
    nodeFail("input '" + name +
             "' is produced by no node, initializer or "
             "graph input");
  }
  ConstTensor t;
  if (std::optional<std::string> err = readTensor(*init->second, t)) {
    if (StringRef(*err).starts_with("unsupported dtype"))
      fail(*err + " of tensor '" + name + "' (node '" + nodeName + "', op '" +
           node->op_type() + "')");
    nodeFail("initializer '" + name + "': " + *err);
  }
  Val val;
  val.dtype = t.dtype;
  val.shape = t.shape;
  val.c = std::make_shared<const ConstTensor>(std::move(t));
  return values[name] = std::move(val);
}

std::shared_ptr<const ConstTensor> Importer::constInput(size_t k,
                                                        StringRef what) {
  Val &val = input(k);
  if (val.c)
    return val.c;
  std::string msg = "input " + std::to_string(k) + " ('" + node->input(k) +
                    "', the " + what.str() +
                    ") must be known at import, but it is computed at run time";
  if (!val.graphInput.empty())
    msg += " from graph input '" + val.graphInput +
           "' (give the importer that input's value)";
  nodeFail(msg);
}

std::vector<int64_t> Importer::constInts(size_t k, StringRef what) {
  auto c = constInput(k, what);
  if (c->isFloat())
    nodeFail(what.str() + " '" + node->input(k) +
             "' must be an integer tensor");
  if (c->shape.size() > 1)
    nodeFail(what.str() + " '" + node->input(k) + "' must be 1-D, got shape " +
             shapeStr(c->shape));
  return c->i;
}

std::optional<float> Importer::constScalarF32(size_t k, StringRef what) {
  if (!hasInput(k))
    return std::nullopt;
  auto c = constInput(k, what);
  if (c->size() != 1)
    nodeFail(what.str() + " '" + node->input(k) +
             "' must be a scalar, got shape " + shapeStr(c->shape));
  return float(c->at(0));
}

const onnx::AttributeProto *Importer::attr(StringRef name) const {
  for (const auto &a : node->attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t Importer::attrInt(StringRef name, int64_t dflt) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->i() : dflt;
}

float Importer::attrFloat(StringRef name, float dflt) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->f() : dflt;
}

std::optional<std::vector<int64_t>> Importer::attrInts(StringRef name) const {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return std::nullopt;
  return std::vector<int64_t>(a->ints().begin(), a->ints().end());
}

int64_t Importer::normAxis(int64_t axis, int64_t rank, StringRef what) {
  int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank)
    nodeFail(what.str() + " " + std::to_string(axis) +
             " is out of range for rank " + std::to_string(rank));
  return a;
}

void Importer::requireFloat(size_t k) { requireDType(k, DType::F32); }

void Importer::requireDType(size_t k, DType t) {
  Val &v = input(k);
  if (v.dtype != t)
    nodeFail("input '" + node->input(k) + "' must be " + dtypeName(t).str() +
             ", got " + dtypeName(v.dtype).str());
}

bool Importer::outputUsed(size_t k) const {
  return k < size_t(node->output_size()) && !node->output(k).empty() &&
         usedNames.contains(node->output(k));
}

void Importer::setResult(size_t k, Val val) {
  if (k >= size_t(node->output_size()) || node->output(k).empty())
    return;
  const std::string &name = node->output(k);
  // Cross-check against ONNX shape inference where it found a static shape:
  // a disagreement means this importer misread the node.
  auto it = inferredTypes.find(name);
  if (it != inferredTypes.end() && it->second->has_tensor_type() &&
      it->second->tensor_type().has_shape()) {
    const auto &shape = it->second->tensor_type().shape();
    bool mismatch = shape.dim_size() != int(val.shape.size());
    for (int d = 0; !mismatch && d < shape.dim_size(); ++d)
      mismatch = shape.dim(d).has_dim_value() &&
                 shape.dim(d).dim_value() != val.shape[d];
    if (mismatch) {
      Shape onnxShape;
      for (const auto &d : shape.dim())
        onnxShape.push_back(d.has_dim_value() ? d.dim_value() : -1);
      nodeFail("result '" + name + "' has shape " + shapeStr(val.shape) +
               " but ONNX shape inference says " + shapeStr(onnxShape));
    }
  }
  values[name] = std::move(val);
}

void Importer::setConst(size_t k, ConstTensor t) {
  Val val;
  val.dtype = t.dtype;
  val.shape = t.shape;
  val.c = std::make_shared<const ConstTensor>(std::move(t));
  setResult(k, std::move(val));
}

Type Importer::elemType(DType t) {
  switch (t) {
  case DType::F32:
    return builder.getF32Type();
  case DType::I64:
    return builder.getI64Type();
  case DType::I1:
    return builder.getI1Type();
  }
  return {};
}

/// Resource blob keys must be identifiers the MLIR parser reads back.
std::string blobKey(StringRef name) {
  std::string key;
  for (char c : name)
    key += (llvm::isAlnum(c) || c == '_' || c == '.') ? c : '_';
  if (key.empty() || llvm::isDigit(key[0]))
    key = "t_" + key;
  return key;
}

Value Importer::materialize(Val &val, StringRef name) {
  if (val.v)
    return val.v;
  const ConstTensor &c = *val.c;
  RankedTensorType type = tensorType(c.dtype, c.shape);
  Attribute attr;
  int64_t n = c.size();
  if (n > kMaxInlineElements && c.dtype != DType::I1 && !c.isSplat()) {
    AsmResourceBlob blob = c.isFloat()
                               ? HeapAsmResourceBlob::allocateAndCopyInferAlign(
                                     ArrayRef<float>(c.f))
                               : HeapAsmResourceBlob::allocateAndCopyInferAlign(
                                     ArrayRef<int64_t>(c.i));
    attr = DenseResourceElementsAttr::get(type, blobKey(name), std::move(blob));
  } else if (c.isFloat()) {
    attr = n > 0 && c.isSplat() ? DenseElementsAttr::get(type, c.f[0])
                                : DenseElementsAttr::get(type, ArrayRef(c.f));
  } else if (c.dtype == DType::I64) {
    attr = n > 0 && c.isSplat() ? DenseElementsAttr::get(type, c.i[0])
                                : DenseElementsAttr::get(type, ArrayRef(c.i));
  } else {
    llvm::SmallVector<bool> bits(c.i.begin(), c.i.end());
    attr = DenseElementsAttr::get(type, ArrayRef<bool>(bits));
  }
  Location loc = NameLoc::get(StringAttr::get(&ctx, name));
  val.v = arith::ConstantOp::create(builder, loc, cast<TypedAttr>(attr));
  return val.v;
}

Operation *Importer::emitValues(StringRef opName, ArrayRef<Value> operands,
                                ArrayRef<NamedAttribute> attrs,
                                ArrayRef<std::pair<DType, Shape>> results) {
  OperationState state(nodeLoc(), opName);
  state.addOperands(operands);
  state.addAttributes(attrs);
  for (const auto &[dt, shape] : results)
    state.addTypes(tensorType(dt, shape));
  Operation *op = builder.create(state);
  for (size_t k = 0; k < results.size(); ++k) {
    Val val;
    val.dtype = results[k].first;
    val.shape = results[k].second;
    val.v = op->getResult(k);
    setResult(k, std::move(val));
  }
  return op;
}

Operation *Importer::emit(StringRef opName, ArrayRef<size_t> operandIdx,
                          ArrayRef<NamedAttribute> attrs,
                          ArrayRef<std::pair<DType, Shape>> results) {
  llvm::SmallVector<Value> operands;
  for (size_t k : operandIdx)
    operands.push_back(materialize(input(k), node->input(k)));
  return emitValues(opName, operands, attrs, results);
}

//===----------------------------------------------------------------------===//
// Nodes
//===----------------------------------------------------------------------===//

void Importer::importNode(const onnx::NodeProto &n, int index) {
  node = &n;
  nodeName =
      n.name().empty() ? n.op_type() + "_" + std::to_string(index) : n.name();
  importNodeImpl();
}

std::string snake(StringRef op) {
  static const std::map<std::string, std::string> names = {
      {"MatMul", "matmul"},
      {"LogSoftmax", "log_softmax"},
      {"LayerNormalization", "layer_normalization"},
      {"ReduceMean", "reduce_mean"},
      {"ReduceSum", "reduce_sum"},
      {"ReduceMax", "reduce_max"},
      {"ReduceMin", "reduce_min"},
      {"ReduceProd", "reduce_prod"},
      {"ArgMax", "arg_max"},
      {"CumSum", "cum_sum"}};
  auto it = names.find(op.str());
  return "onnx." + (it != names.end() ? it->second : op.lower());
}

void Importer::importBinary() {
  StringRef op = node->op_type();
  Val &a = input(0);
  Val &b = input(1);
  std::optional<Shape> shape = broadcastShapes(a.shape, b.shape);
  if (!shape)
    nodeFail("shapes " + shapeStr(a.shape) + " of '" + node->input(0) +
             "' and " + shapeStr(b.shape) + " of '" + node->input(1) +
             "' do not broadcast");
  bool cmp = op == "Equal" || op == "Less" || op == "Greater";
  bool logic = op == "And" || op == "Or";
  if (logic) {
    requireDType(0, DType::I1);
    requireDType(1, DType::I1);
  }
  bool fmod = op == "Mod" && attrInt("fmod", 0) != 0;
  if (op == "Mod" && a.dtype == DType::F32 && !fmod)
    nodeFail("fmod must be 1 for FLOAT operands (ONNX Mod)");
  if (op == "Mod" && a.dtype == DType::I1)
    nodeFail("operands must not be BOOL");
  if (a.c && b.c && numElements(*shape) <= kMaxFoldElements) {
    ConstTensor out;
    if (std::optional<std::string> err =
            evalBinary(fmod ? "FMod" : op, *a.c, *b.c, out))
      nodeFail(*err);
    setConst(0, std::move(out));
    return;
  }
  if (a.dtype != b.dtype) {
    // An integer base with a float exponent: pow in f32, then back to the
    // base's type (truncating, as ONNX's reference does).
    if (op == "Pow" && a.dtype == DType::I64 && b.dtype == DType::F32) {
      Value base =
          emitValues("onnx.cast", {materialize(a, node->input(0))},
                     {named("to", TypeAttr::get(elemType(DType::F32)))},
                     {{DType::F32, a.shape}})
              ->getResult(0);
      Value p = emitValues("onnx.pow", {base, materialize(b, node->input(1))},
                           {}, {{DType::F32, *shape}})
                    ->getResult(0);
      emitValues("onnx.cast", {p},
                 {named("to", TypeAttr::get(elemType(DType::I64)))},
                 {{DType::I64, *shape}});
      return;
    }
    // Pow's exponent may have another type; a constant one converts exactly
    // enough (small integer exponents).
    if (op == "Pow" && b.c) {
      Val conv = b;
      conv.c = std::make_shared<const ConstTensor>(evalCast(*b.c, a.dtype));
      conv.dtype = a.dtype;
      conv.v = {};
      Value lhs = materialize(a, node->input(0));
      Value rhs =
          materialize(conv, node->input(1) + "_" + dtypeName(a.dtype).lower());
      emitValues("onnx.pow", {lhs, rhs}, {}, {{a.dtype, *shape}});
      return;
    }
    nodeFail("operands '" + node->input(0) + "' (" + dtypeName(a.dtype).str() +
             ") and '" + node->input(1) + "' (" + dtypeName(b.dtype).str() +
             ") have different dtypes");
  }
  if (op == "Pow" && a.dtype != DType::F32)
    requireFloat(0);
  llvm::SmallVector<NamedAttribute> attrs;
  if (op == "Mod")
    attrs.push_back(named("fmod", builder.getBoolAttr(fmod)));
  emit(snake(op), {0, 1}, attrs, {{cmp ? DType::I1 : a.dtype, *shape}});
}

void Importer::importVariadicMinMax() {
  StringRef op = node->op_type();
  if (numInputs() == 0)
    nodeFail("needs at least one input");
  Val acc = input(0);
  std::string accName = node->input(0);
  for (size_t k = 1; k < numInputs(); ++k) {
    Val &b = input(k);
    std::optional<Shape> shape = broadcastShapes(acc.shape, b.shape);
    if (!shape)
      nodeFail("shapes " + shapeStr(acc.shape) + " and " + shapeStr(b.shape) +
               " of '" + node->input(k) + "' do not broadcast");
    if (acc.dtype != b.dtype)
      nodeFail("input '" + node->input(k) + "' has dtype " +
               dtypeName(b.dtype).str() + ", expected " +
               dtypeName(acc.dtype).str());
    Val next;
    next.dtype = acc.dtype;
    next.shape = *shape;
    if (acc.c && b.c && numElements(*shape) <= kMaxFoldElements) {
      ConstTensor out;
      if (std::optional<std::string> err = evalBinary(op, *acc.c, *b.c, out))
        nodeFail(*err);
      next.c = std::make_shared<const ConstTensor>(std::move(out));
    } else {
      Value lhs = materialize(acc, accName);
      Value rhs = materialize(b, node->input(k));
      OperationState state(nodeLoc(), snake(op));
      state.addOperands({lhs, rhs});
      state.addTypes(tensorType(next.dtype, next.shape));
      next.v = builder.create(state)->getResult(0);
    }
    acc = std::move(next);
    accName = node->output(0);
  }
  acc.graphInput.clear();
  setResult(0, std::move(acc));
}

void Importer::importUnary() {
  StringRef op = node->op_type();
  Val &x = input(0);
  if (op == "Not")
    requireDType(0, DType::I1);
  if (x.c && x.c->size() <= kMaxFoldElements) {
    ConstTensor out;
    if (std::optional<std::string> err = evalUnary(op, *x.c, out))
      nodeFail(*err);
    setConst(0, std::move(out));
    return;
  }
  if (!llvm::is_contained({"Not", "Neg", "Abs", "Relu", "Sign"}, op))
    requireFloat(0);
  if (op != "Not" && x.dtype == DType::I1)
    nodeFail("input '" + node->input(0) + "' must not be BOOL");
  emit(snake(op), {0}, {}, {{x.dtype, x.shape}});
}

/// Reshape, Flatten, Squeeze, Unsqueeze: all become onnx.reshape.
void Importer::importReshapeLike() {
  StringRef op = node->op_type();
  Val &x = input(0);
  ArrayRef<int64_t> in = x.shape;
  int64_t rank = in.size();
  Shape out;
  if (op == "Reshape") {
    std::vector<int64_t> target = constInts(1, "shape");
    bool allowZero = attrInt("allowzero", 0) != 0;
    int64_t inferIdx = -1, known = 1;
    for (size_t d = 0; d < target.size(); ++d) {
      int64_t v = target[d];
      if (v == 0 && !allowZero) {
        if (int64_t(d) >= rank)
          nodeFail("shape " + shapeStr(target) + " copies dim " +
                   std::to_string(d) + " of input shape " + shapeStr(in) +
                   ", which does not exist");
        v = in[d];
      }
      if (v == -1) {
        if (inferIdx >= 0)
          nodeFail("shape " + shapeStr(target) + " has more than one -1");
        inferIdx = d;
      } else if (v < 0) {
        nodeFail("shape " + shapeStr(target) + " has a negative dim");
      } else if (v != 0 && known > INT64_MAX / v) {
        nodeFail("shape " + shapeStr(target) +
                 " has more elements than fit in 64 bits");
      } else {
        known *= v;
      }
      out.push_back(v);
    }
    int64_t total = numElements(in);
    if (inferIdx >= 0) {
      if (known == 0 || total % known != 0)
        nodeFail("cannot reshape " + shapeStr(in) + " to " + shapeStr(target));
      out[inferIdx] = total / known;
    }
    if (wafer::checkedNumElements(out) != std::optional<int64_t>(total))
      nodeFail("cannot reshape " + shapeStr(in) + " (" + std::to_string(total) +
               " elements) to " + shapeStr(out));
  } else if (op == "Flatten") {
    int64_t axis = attrInt("axis", 1);
    axis = axis < 0 ? axis + rank : axis;
    if (axis < 0 || axis > rank)
      nodeFail("axis " + std::to_string(attrInt("axis", 1)) +
               " is out of range for rank " + std::to_string(rank));
    std::optional<int64_t> outer =
        wafer::checkedNumElements(in.take_front(axis));
    std::optional<int64_t> inner =
        wafer::checkedNumElements(in.drop_front(axis));
    if (!outer || !inner)
      nodeFail("shape " + shapeStr(in) +
               " has more elements than fit in 64 bits");
    out = {*outer, *inner};
  } else if (op == "Squeeze") {
    std::vector<int64_t> axes;
    if (hasInput(1))
      axes = constInts(1, "axes");
    else if (auto a = attrInts("axes"))
      axes = *a;
    llvm::SmallVector<bool> drop(rank, false);
    if (axes.empty()) {
      for (int64_t d = 0; d < rank; ++d)
        drop[d] = in[d] == 1;
    }
    for (int64_t a : axes) {
      int64_t d = normAxis(a, rank, "axis");
      if (in[d] != 1)
        nodeFail("cannot squeeze dim " + std::to_string(d) + " of size " +
                 std::to_string(in[d]) + " (input shape " + shapeStr(in) + ")");
      drop[d] = true;
    }
    for (int64_t d = 0; d < rank; ++d)
      if (!drop[d])
        out.push_back(in[d]);
  } else { // Unsqueeze
    std::vector<int64_t> axes;
    if (hasInput(1))
      axes = constInts(1, "axes");
    else if (auto a = attrInts("axes"))
      axes = *a;
    int64_t outRank = rank + int64_t(axes.size());
    llvm::SmallVector<bool> inserted(outRank, false);
    for (int64_t a : axes) {
      int64_t d = normAxis(a, outRank, "axis");
      if (inserted[d])
        nodeFail("axis " + std::to_string(a) + " is repeated");
      inserted[d] = true;
    }
    for (int64_t d = 0, k = 0; d < outRank; ++d)
      out.push_back(inserted[d] ? 1 : in[k++]);
  }
  // Re-shaping a constant costs nothing, whatever its size.
  if (x.c) {
    ConstTensor t = *x.c;
    t.shape = out;
    setConst(0, std::move(t));
    return;
  }
  if (ArrayRef<int64_t>(out) == in) {
    Val alias = x;
    setResult(0, alias);
    return;
  }
  emit("onnx.reshape", {0}, {}, {{x.dtype, out}});
}

void Importer::importReduce() {
  StringRef op = node->op_type();
  Val &x = input(0);
  int64_t rank = x.shape.size();
  std::vector<int64_t> axes;
  // ReduceSum takes axes as an input from opset 13, the others from 18.
  if (hasInput(1))
    axes = constInts(1, "axes");
  else if (auto a = attrInts("axes"))
    axes = *a;
  bool keepdims = attrInt("keepdims", 1) != 0;
  if (axes.empty()) {
    if (attrInt("noop_with_empty_axes", 0) != 0) {
      Val alias = x;
      setResult(0, alias);
      return;
    }
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  llvm::SmallVector<int64_t> norm;
  for (int64_t a : axes)
    norm.push_back(normAxis(a, rank, "axis"));
  llvm::sort(norm);
  norm.erase(std::unique(norm.begin(), norm.end()), norm.end());
  Shape out;
  for (int64_t d = 0; d < rank; ++d) {
    bool reduced = llvm::is_contained(norm, d);
    if (!reduced)
      out.push_back(x.shape[d]);
    else if (keepdims)
      out.push_back(1);
  }
  if (x.dtype == DType::I1)
    nodeFail("input '" + node->input(0) + "' must not be BOOL");
  if (x.c && x.c->size() <= kMaxFoldElements) {
    setConst(0, evalReduce(op, *x.c, norm, keepdims));
    return;
  }
  emit(snake(op), {0},
       {named("axes", builder.getDenseI64ArrayAttr(norm)),
        named("keepdims", builder.getBoolAttr(keepdims))},
       {{x.dtype, out}});
}

/// Einsum: the equation is normalised (spaces dropped, `...` expanded into
/// fresh letters, an implicit output made explicit as numpy does) and every
/// letter's size checked, so onnx.einsum only sees `ab,bc->ac`.
void Importer::importEinsum() {
  const onnx::AttributeProto *eqAttr = attr("equation");
  if (!eqAttr || eqAttr->s().empty())
    nodeFail("has no 'equation' attribute");
  std::string eq;
  for (char c : eqAttr->s())
    if (c != ' ')
      eq += c;
  auto bad = [&](const std::string &why) {
    nodeFail("equation '" + eqAttr->s() + "': " + why);
  };
  size_t arrow = eq.find("->");
  bool explicitOut = arrow != std::string::npos;
  std::string lhs = eq.substr(0, arrow);
  std::string rhs = explicitOut ? eq.substr(arrow + 2) : "";
  llvm::SmallVector<StringRef> terms;
  StringRef(lhs).split(terms, ',');
  if (terms.size() != numInputs())
    bad("has " + std::to_string(terms.size()) + " terms for " +
        std::to_string(numInputs()) + " inputs");
  auto isLabel = [](char c) { return llvm::isAlpha(c); };
  // Letters free for the ellipsis dims.
  std::string fresh;
  for (char c = 'A'; c <= 'Z'; ++c)
    if (eq.find(c) == std::string::npos)
      fresh += c;
  for (char c = 'a'; c <= 'z'; ++c)
    if (eq.find(c) == std::string::npos)
      fresh += c;
  // Per term: its letters with the ellipsis expanded (right-aligned).
  llvm::SmallVector<std::string> expanded;
  size_t ellipsisRank = 0;
  llvm::SmallVector<std::pair<size_t, size_t>> ellipsisAt; // position, rank
  for (auto [k, t] : llvm::enumerate(terms)) {
    Val &x = input(k);
    if (x.dtype != DType::F32)
      requireFloat(k);
    size_t dots = t.find("...");
    std::string letters = t.str();
    if (dots != StringRef::npos)
      letters.erase(dots, 3);
    if (!llvm::all_of(letters, isLabel))
      bad("term '" + t.str() + "' has a character that is not a letter");
    if (dots == StringRef::npos && letters.size() != x.shape.size())
      bad("term '" + t.str() + "' has " + std::to_string(letters.size()) +
          " letters for input '" + node->input(k) + "' of shape " +
          shapeStr(x.shape));
    if (letters.size() > x.shape.size())
      bad("term '" + t.str() + "' has more letters than input '" +
          node->input(k) + "' of shape " + shapeStr(x.shape) + " has dims");
    size_t e = dots == StringRef::npos ? 0 : x.shape.size() - letters.size();
    ellipsisRank = std::max(ellipsisRank, e);
    ellipsisAt.push_back({dots == StringRef::npos ? letters.size() : dots, e});
    expanded.push_back(letters);
  }
  if (ellipsisRank > fresh.size())
    bad("needs more letters than the alphabet has");
  std::string dotLetters = fresh.substr(0, ellipsisRank);
  for (auto [k, t] : llvm::enumerate(expanded)) {
    auto [pos, e] = ellipsisAt[k];
    t.insert(pos, dotLetters.substr(ellipsisRank - e));
  }
  // Sizes per letter, and no repeated letter within a term.
  std::map<char, int64_t> sizes;
  std::map<char, int> uses;
  for (auto [k, t] : llvm::enumerate(expanded)) {
    for (auto [d, c] : llvm::enumerate(t)) {
      if (t.find(c, d + 1) != std::string::npos)
        bad("letter '" + std::string(1, c) + "' repeats in term '" +
            terms[k].str() + "' (diagonals are not supported)");
      int64_t size = input(k).shape[d];
      auto [it, inserted] = sizes.try_emplace(c, size);
      if (!inserted && it->second != size)
        bad("letter '" + std::string(1, c) + "' is " +
            std::to_string(it->second) + " in one input and " +
            std::to_string(size) + " in '" + node->input(k) +
            "' (broadcasting is not supported)");
      ++uses[c];
    }
  }
  std::string out;
  if (explicitOut) {
    size_t dots = rhs.find("...");
    out = rhs;
    if (dots != std::string::npos)
      out.replace(dots, 3, dotLetters);
    else if (ellipsisRank > 0 &&
             !llvm::all_of(dotLetters, [&](char c) { return sizes[c] == 1; }))
      bad("the output drops the '...' dims");
    for (auto [d, c] : llvm::enumerate(out)) {
      if (!isLabel(c))
        bad("output '" + rhs + "' has a character that is not a letter");
      if (!sizes.count(c))
        bad("output letter '" + std::string(1, c) + "' is in no input");
      if (out.find(c, d + 1) != std::string::npos)
        bad("output letter '" + std::string(1, c) + "' repeats");
    }
  } else {
    // numpy's implicit form: the ellipsis dims, then the letters used once,
    // in alphabetical order.
    out = dotLetters;
    for (auto [c, n] : uses)
      if (n == 1 && dotLetters.find(c) == std::string::npos)
        out += c;
  }
  Shape outShape;
  for (char c : out)
    outShape.push_back(sizes[c]);
  std::string norm;
  for (auto [k, t] : llvm::enumerate(expanded))
    norm += (k ? "," : "") + t;
  norm += "->" + out;
  llvm::SmallVector<size_t> operands;
  for (size_t k = 0; k < numInputs(); ++k)
    operands.push_back(k);
  emit("onnx.einsum", operands,
       {named("equation", builder.getStringAttr(norm))},
       {{DType::F32, outShape}});
}

/// Constant, ConstantOfShape, Shape, Size, Range: always folded.
void Importer::importShapeOps() {
  StringRef op = node->op_type();
  if (op == "Constant") {
    ConstTensor t;
    const onnx::AttributeProto *a = nullptr;
    for (const auto &at : node->attribute())
      a = &at;
    if (!a)
      nodeFail("has no value attribute");
    if (a->name() == "value") {
      if (std::optional<std::string> err = readTensor(a->t(), t)) {
        if (StringRef(*err).starts_with("unsupported dtype"))
          fail(*err + " of tensor '" + node->output(0) + "' (node '" +
               nodeName + "', op 'Constant')");
        nodeFail(*err);
      }
    } else if (a->name() == "value_float") {
      t = ConstTensor::zeros(DType::F32, {});
      t.f[0] = a->f();
    } else if (a->name() == "value_floats") {
      t = ConstTensor::zeros(DType::F32, {int64_t(a->floats_size())});
      std::copy(a->floats().begin(), a->floats().end(), t.f.begin());
    } else if (a->name() == "value_int") {
      t = ConstTensor::ints({a->i()}, {});
    } else if (a->name() == "value_ints") {
      t = ConstTensor::ints1D(
          std::vector<int64_t>(a->ints().begin(), a->ints().end()));
    } else {
      nodeFail("attribute '" + a->name() + "' is not supported");
    }
    setConst(0, std::move(t));
    return;
  }
  if (op == "ConstantOfShape") {
    std::vector<int64_t> shape = constInts(0, "shape");
    for (int64_t d : shape)
      if (d < 0)
        nodeFail("shape " + shapeStr(shape) + " has a negative dim");
    ConstTensor fill = ConstTensor::zeros(DType::F32, {1});
    if (const onnx::AttributeProto *a = attr("value")) {
      if (std::optional<std::string> err = readTensor(a->t(), fill)) {
        if (StringRef(*err).starts_with("unsupported dtype"))
          fail(*err + " of tensor '" + node->output(0) + "' (node '" +
               nodeName + "', op 'ConstantOfShape')");
        nodeFail(*err);
      }
      if (fill.size() != 1)
        nodeFail("value must have one element");
    }
    std::string why = wafer::checkAllocation(
        shape, wafer::elementBytes(elemType(fill.dtype)));
    if (!why.empty())
      nodeFail("output '" + node->output(0) + "': " + why);
    if (numElements(shape) > kMaxFoldElements) {
      // Too big to fold on the host: a splat constant (one value in the
      // IR, whatever the shape), materialised only by whoever runs it.
      Val val;
      val.dtype = fill.dtype;
      val.shape.assign(shape.begin(), shape.end());
      RankedTensorType type = tensorType(fill.dtype, shape);
      Attribute splat;
      if (fill.isFloat())
        splat = DenseElementsAttr::get(type, fill.f[0]);
      else if (fill.dtype == DType::I64)
        splat = DenseElementsAttr::get(type, fill.i[0]);
      else
        splat = DenseElementsAttr::get(type, fill.i[0] != 0);
      val.v =
          arith::ConstantOp::create(builder, nodeLoc(), cast<TypedAttr>(splat));
      setResult(0, std::move(val));
      return;
    }
    ConstTensor t = ConstTensor::zeros(fill.dtype, shape);
    for (int64_t k = 0, n = t.size(); k < n; ++k)
      t.set(k, fill.at(0));
    setConst(0, std::move(t));
    return;
  }
  if (op == "Shape") {
    Val &x = input(0);
    int64_t rank = x.shape.size();
    auto clampIdx = [&](int64_t v) {
      v = v < 0 ? v + rank : v;
      return std::clamp<int64_t>(v, 0, rank);
    };
    int64_t start = clampIdx(attrInt("start", 0));
    int64_t end = clampIdx(attrInt("end", rank));
    std::vector<int64_t> dims;
    for (int64_t d = start; d < end; ++d)
      dims.push_back(x.shape[d]);
    setConst(0, ConstTensor::ints1D(dims));
    return;
  }
  if (op == "Size") {
    std::optional<int64_t> n = wafer::checkedNumElements(input(0).shape);
    if (!n)
      nodeFail("shape " + shapeStr(input(0).shape) +
               " has more elements than fit in 64 bits");
    setConst(0, ConstTensor::ints({*n}, {}));
    return;
  }
  // Range.
  auto start = constInput(0, "start");
  auto limit = constInput(1, "limit");
  auto delta = constInput(2, "delta");
  if (start->size() != 1 || limit->size() != 1 || delta->size() != 1)
    nodeFail("start, limit and delta must be scalars");
  if (delta->at(0) == 0)
    nodeFail("delta must not be zero");
  double s = start->at(0), l = limit->at(0), dl = delta->at(0);
  double count = std::ceil((l - s) / dl);
  if (!(count < 0x1p62)) { // also NaN
    auto g = [](double v) { return llvm::formatv("{0:g}", v).str(); };
    nodeFail("start " + g(s) + ", limit " + g(l) + " and delta " + g(dl) +
             " give too many elements");
  }
  int64_t n = int64_t(std::max(count, 0.0));
  std::string why = wafer::checkAllocation({n}, 8);
  if (!why.empty())
    nodeFail("output '" + node->output(0) + "': " + why);
  ConstTensor t = ConstTensor::zeros(start->dtype, {n});
  for (int64_t k = 0; k < n; ++k) {
    if (t.isFloat())
      t.f[k] = float(s + double(k) * dl);
    else
      t.i[k] = start->i[0] + k * delta->i[0];
  }
  setConst(0, std::move(t));
}

void Importer::importNodeImpl() {
  StringRef op = node->op_type();
  // Results other than those the node computes must not be consumed.
  if (op == "Constant" || op == "ConstantOfShape" || op == "Shape" ||
      op == "Size" || op == "Range")
    return importShapeOps();
  if (op == "Identity" || op == "Dropout") {
    if (op == "Dropout") {
      // Inference: the identity, and a mask of all true. Training mode
      // with a non-zero ratio draws a random mask, which a compiled
      // inference graph cannot reproduce.
      bool training = false;
      if (hasInput(2)) {
        if (!input(2).c)
          nodeFail("input 2 ('" + node->input(2) +
                   "', training_mode) must be known at import");
        training = input(2).c->at(0) != 0;
      }
      float ratio = 0.5f;
      if (training && hasInput(1))
        ratio = *constScalarF32(1, "ratio");
      if (training && ratio != 0)
        nodeFail("training_mode is true with ratio " +
                 llvm::formatv("{0}", double(ratio)).str() +
                 ": Dropout would draw a random mask; wafer compiles "
                 "inference graphs only");
      if (outputUsed(1)) {
        ConstTensor mask = ConstTensor::zeros(DType::I1, input(0).shape);
        std::fill(mask.i.begin(), mask.i.end(), 1);
        setConst(1, std::move(mask));
      }
    }
    Val alias = input(0);
    setResult(0, std::move(alias));
    return;
  }
  if (llvm::is_contained({"Add", "Sub", "Mul", "Div", "Pow", "Mod", "Equal",
                          "Less", "Greater", "And", "Or"},
                         op))
    return importBinary();
  if (op == "Min" || op == "Max")
    return importVariadicMinMax();
  if (llvm::is_contained({"Sqrt", "Reciprocal", "Neg", "Exp", "Log", "Tanh",
                          "Erf", "Relu", "Sigmoid", "Abs", "Not", "Sign",
                          "Floor", "Ceil", "Sin", "Cos"},
                         op))
    return importUnary();
  if (op == "Reshape" || op == "Flatten" || op == "Squeeze" ||
      op == "Unsqueeze")
    return importReshapeLike();
  if (llvm::is_contained(
          {"ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd"},
          op))
    return importReduce();
  if (op == "Einsum")
    return importEinsum();

  if (op == "ArgMax") {
    Val &x = input(0);
    int64_t rank = x.shape.size();
    if (x.dtype == DType::I1)
      nodeFail("input '" + node->input(0) + "' must not be BOOL");
    int64_t axis = normAxis(attrInt("axis", 0), rank, "axis");
    if (x.shape[axis] == 0)
      nodeFail("axis " + std::to_string(axis) + " of '" + node->input(0) +
               "' (shape " + shapeStr(x.shape) + ") is empty");
    bool keepdims = attrInt("keepdims", 1) != 0;
    Shape out = x.shape;
    if (keepdims)
      out[axis] = 1;
    else
      out.erase(out.begin() + axis);
    emit("onnx.arg_max", {0},
         {named("axis", builder.getI64IntegerAttr(axis)),
          named("keepdims", builder.getBoolAttr(keepdims)),
          named("select_last_index",
                builder.getBoolAttr(attrInt("select_last_index", 0) != 0))},
         {{DType::I64, out}});
    return;
  }

  if (op == "CumSum") {
    Val &x = input(0);
    if (x.dtype == DType::I1)
      nodeFail("input '" + node->input(0) + "' must not be BOOL");
    std::vector<int64_t> axisV = constInts(1, "axis");
    if (axisV.size() != 1)
      nodeFail("axis '" + node->input(1) + "' must hold one value, got " +
               std::to_string(axisV.size()));
    int64_t axis = normAxis(axisV[0], x.shape.size(), "axis");
    bool exclusive = attrInt("exclusive", 0) != 0;
    bool reverse = attrInt("reverse", 0) != 0;
    if (x.c && x.c->size() <= kMaxFoldElements)
      return setConst(0, evalCumSum(*x.c, axis, exclusive, reverse));
    emit("onnx.cum_sum", {0},
         {named("axis", builder.getI64IntegerAttr(axis)),
          named("exclusive", builder.getBoolAttr(exclusive)),
          named("reverse", builder.getBoolAttr(reverse))},
         {{x.dtype, x.shape}});
    return;
  }

  if (op == "Cast") {
    Val &x = input(0);
    int64_t to = attrInt("to", 0);
    std::optional<DType> dt = toDType(to, /*isConstant=*/bool(x.c));
    if (!dt)
      fail("unsupported dtype " + onnxDTypeName(to) + " of tensor '" +
           node->output(0) + "' (node '" + nodeName + "', op 'Cast')");
    if (x.c && x.c->size() <= kMaxFoldElements)
      return setConst(0, evalCast(*x.c, *dt));
    if (*dt == x.dtype) {
      Val alias = x;
      return setResult(0, std::move(alias));
    }
    emit("onnx.cast", {0}, {named("to", TypeAttr::get(elemType(*dt)))},
         {{*dt, x.shape}});
    return;
  }

  if (op == "Where") {
    Val &c = input(0), &x = input(1), &y = input(2);
    requireDType(0, DType::I1);
    if (x.dtype != y.dtype)
      nodeFail("'" + node->input(1) + "' (" + dtypeName(x.dtype).str() +
               ") and '" + node->input(2) + "' (" + dtypeName(y.dtype).str() +
               ") have different dtypes");
    std::optional<Shape> s = broadcastShapes(c.shape, x.shape);
    if (s)
      s = broadcastShapes(*s, y.shape);
    if (!s)
      nodeFail("shapes " + shapeStr(c.shape) + ", " + shapeStr(x.shape) +
               " and " + shapeStr(y.shape) + " do not broadcast");
    if (c.c && x.c && y.c && numElements(*s) <= kMaxFoldElements)
      return setConst(0, evalWhere(*c.c, *x.c, *y.c, *s));
    emit("onnx.where", {0, 1, 2}, {}, {{x.dtype, *s}});
    return;
  }

  if (op == "Clip") {
    // Bounds known at import become attributes; bounds computed at run
    // time (graph inputs) clamp with elementwise max/min after the clip.
    auto runtime = [&](size_t k) { return hasInput(k) && !input(k).c; };
    std::optional<float> lo =
        runtime(1) ? std::nullopt : constScalarF32(1, "min");
    std::optional<float> hi =
        runtime(2) ? std::nullopt : constScalarF32(2, "max");
    Val &x = input(0);
    if (!runtime(1) && !runtime(2) && x.c && x.c->size() <= kMaxFoldElements)
      return setConst(0, evalClip(*x.c, lo, hi));
    requireFloat(0);
    // ONNX: min(max(x, lo), hi), so a constant hi applies after a run-time
    // lo (it wins when lo > hi).
    llvm::SmallVector<NamedAttribute> attrs;
    if (lo)
      attrs.push_back(named("min", builder.getF32FloatAttr(*lo)));
    if (hi && !runtime(1))
      attrs.push_back(named("max", builder.getF32FloatAttr(*hi)));
    Value v = emit("onnx.clip", {0}, attrs, {{x.dtype, x.shape}})->getResult(0);
    Shape shape = x.shape;
    for (auto [k, name, what] :
         {std::tuple<size_t, const char *, const char *>{1, "onnx.max", "min"},
          {2, "onnx.min", "max"}}) {
      if (k == 2 && hi && runtime(1))
        v = emitValues("onnx.clip", {v},
                       {named("max", builder.getF32FloatAttr(*hi))},
                       {{DType::F32, shape}})
                ->getResult(0);
      if (!runtime(k))
        continue;
      requireFloat(k);
      if (numElements(input(k).shape) != 1)
        nodeFail(std::string(what) + " '" + node->input(k) +
                 "' must be a scalar, got shape " + shapeStr(input(k).shape));
      Value bound = materialize(input(k), node->input(k));
      if (input(k).shape.size() > shape.size())
        nodeFail(std::string(what) + " '" + node->input(k) + "' has rank " +
                 std::to_string(input(k).shape.size()) +
                 ", more than the input");
      v = emitValues(name, {v, bound}, {}, {{DType::F32, shape}})->getResult(0);
    }
    return;
  }

  if (op == "MatMul") {
    requireFloat(0);
    requireFloat(1);
    Shape a = input(0).shape, b = input(1).shape;
    if (a.empty() || b.empty())
      nodeFail("operands must have rank >= 1");
    bool vecA = a.size() == 1, vecB = b.size() == 1;
    if (vecA)
      a.insert(a.begin(), 1);
    if (vecB)
      b.push_back(1);
    if (a.back() != b[b.size() - 2])
      nodeFail("contraction dims differ: " + shapeStr(input(0).shape) + " x " +
               shapeStr(input(1).shape));
    std::optional<Shape> batch = broadcastShapes(
        ArrayRef<int64_t>(a).drop_back(2), ArrayRef<int64_t>(b).drop_back(2));
    if (!batch)
      nodeFail("batch dims of " + shapeStr(input(0).shape) + " and " +
               shapeStr(input(1).shape) + " do not broadcast");
    Shape out = *batch;
    if (!vecA)
      out.push_back(a[a.size() - 2]);
    if (!vecB)
      out.push_back(b.back());
    emit("onnx.matmul", {0, 1}, {}, {{DType::F32, out}});
    return;
  }

  if (op == "Gemm") {
    requireFloat(0);
    requireFloat(1);
    Shape a = input(0).shape, b = input(1).shape;
    if (a.size() != 2 || b.size() != 2)
      nodeFail("A and B must be 2-D, got " + shapeStr(a) + " and " +
               shapeStr(b));
    bool ta = attrInt("transA", 0) != 0, tb = attrInt("transB", 0) != 0;
    int64_t m = ta ? a[1] : a[0], ka = ta ? a[0] : a[1];
    int64_t kb = tb ? b[1] : b[0], n = tb ? b[0] : b[1];
    if (ka != kb)
      nodeFail("contraction dims differ: A " + shapeStr(a) + " B " +
               shapeStr(b) + " (transA=" + std::to_string(ta) +
               ", transB=" + std::to_string(tb) + ")");
    llvm::SmallVector<size_t> operands = {0, 1};
    if (hasInput(2)) {
      requireFloat(2);
      std::optional<Shape> s = broadcastShapes(input(2).shape, {m, n});
      if (!s || *s != Shape{m, n})
        nodeFail("C of shape " + shapeStr(input(2).shape) +
                 " does not broadcast to " + shapeStr({m, n}));
      operands.push_back(2);
    }
    emit("onnx.gemm", operands,
         {named("alpha", builder.getF32FloatAttr(attrFloat("alpha", 1.0f))),
          named("beta", builder.getF32FloatAttr(attrFloat("beta", 1.0f))),
          named("trans_a", builder.getBoolAttr(ta)),
          named("trans_b", builder.getBoolAttr(tb))},
         {{DType::F32, {m, n}}});
    return;
  }

  if (op == "Softmax" || op == "LogSoftmax") {
    requireFloat(0);
    Val &x = input(0);
    int64_t axis = normAxis(attrInt("axis", -1), x.shape.size(), "axis");
    emit(snake(op), {0}, {named("axis", builder.getI64IntegerAttr(axis))},
         {{DType::F32, x.shape}});
    return;
  }

  if (op == "LayerNormalization") {
    requireFloat(0);
    requireFloat(1);
    Val &x = input(0);
    int64_t axis = normAxis(attrInt("axis", -1), x.shape.size(), "axis");
    ArrayRef<int64_t> normShape = ArrayRef<int64_t>(x.shape).drop_front(axis);
    llvm::SmallVector<size_t> operands = {0, 1};
    if (hasInput(2)) {
      requireFloat(2);
      operands.push_back(2);
    }
    for (size_t k : operands) {
      if (k == 0)
        continue;
      std::optional<Shape> s = broadcastShapes(input(k).shape, normShape);
      if (!s || ArrayRef<int64_t>(*s) != normShape)
        nodeFail("'" + node->input(k) + "' of shape " +
                 shapeStr(input(k).shape) + " does not broadcast to " +
                 shapeStr(normShape));
    }
    llvm::SmallVector<std::pair<DType, Shape>> results = {
        {DType::F32, x.shape}};
    if (outputUsed(1) || outputUsed(2)) {
      Shape stat(x.shape.begin(), x.shape.begin() + axis);
      stat.resize(x.shape.size(), 1);
      results.push_back({DType::F32, stat});
      results.push_back({DType::F32, stat});
    }
    emit("onnx.layer_normalization", operands,
         {named("axis", builder.getI64IntegerAttr(axis)),
          named("epsilon",
                builder.getF32FloatAttr(attrFloat("epsilon", 1e-5f)))},
         results);
    return;
  }

  if (op == "Transpose") {
    Val &x = input(0);
    int64_t rank = x.shape.size();
    llvm::SmallVector<int64_t> perm;
    if (auto p = attrInts("perm"))
      perm.assign(p->begin(), p->end());
    else
      for (int64_t d = rank - 1; d >= 0; --d)
        perm.push_back(d);
    llvm::SmallVector<bool> seen(rank, false);
    if (int64_t(perm.size()) != rank)
      nodeFail("perm " + shapeStr(perm) + " does not match rank " +
               std::to_string(rank));
    for (int64_t &p : perm) {
      p = normAxis(p, rank, "perm entry");
      if (seen[p])
        nodeFail("perm " + shapeStr(perm) + " is not a permutation");
      seen[p] = true;
    }
    Shape out;
    for (int64_t p : perm)
      out.push_back(x.shape[p]);
    if (x.c && x.c->size() <= kMaxFoldElements)
      return setConst(0, evalTranspose(*x.c, perm));
    emit("onnx.transpose", {0},
         {named("perm", builder.getDenseI64ArrayAttr(perm))}, {{x.dtype, out}});
    return;
  }

  if (op == "Expand") {
    Val &x = input(0);
    std::vector<int64_t> shape = constInts(1, "shape");
    if (llvm::any_of(shape, [](int64_t d) { return d < 0; }))
      nodeFail("shape " + shapeStr(shape) + " has a negative dim");
    std::optional<Shape> out = broadcastShapes(x.shape, shape);
    if (!out)
      nodeFail("cannot expand " + shapeStr(x.shape) + " to " + shapeStr(shape));
    if (x.c && numElements(*out) <= kMaxFoldElements)
      return setConst(0, evalExpand(*x.c, *out));
    if (*out == x.shape) {
      Val alias = x;
      return setResult(0, std::move(alias));
    }
    emit("onnx.expand", {0}, {}, {{x.dtype, *out}});
    return;
  }

  if (op == "Concat") {
    if (numInputs() == 0)
      nodeFail("needs at least one input");
    Val &first = input(0);
    int64_t rank = first.shape.size();
    int64_t axis = normAxis(attrInt("axis", 0), rank, "axis");
    Shape out = first.shape;
    out[axis] = 0;
    bool consts = true;
    llvm::SmallVector<size_t> operands;
    for (size_t k = 0; k < numInputs(); ++k) {
      Val &v = input(k);
      if (v.dtype != first.dtype)
        nodeFail("input '" + node->input(k) + "' has dtype " +
                 dtypeName(v.dtype).str() + ", expected " +
                 dtypeName(first.dtype).str());
      bool ok = int64_t(v.shape.size()) == rank;
      for (int64_t d = 0; ok && d < rank; ++d)
        ok = d == axis || v.shape[d] == out[d];
      if (!ok)
        nodeFail("input '" + node->input(k) + "' of shape " +
                 shapeStr(v.shape) + " does not match " +
                 shapeStr(first.shape) + " outside axis " +
                 std::to_string(axis));
      out[axis] += v.shape[axis];
      consts &= bool(v.c);
      // Empty pieces add nothing; dropping them keeps zero-size tensors out
      // of the IR.
      if (v.shape[axis] != 0)
        operands.push_back(k);
    }
    if (consts && numElements(out) <= kMaxFoldElements) {
      llvm::SmallVector<const ConstTensor *> xs;
      for (size_t k = 0; k < numInputs(); ++k)
        xs.push_back(input(k).c.get());
      return setConst(0, evalConcat(xs, axis));
    }
    if (operands.size() == 1) {
      Val alias = input(operands[0]);
      return setResult(0, std::move(alias));
    }
    emit("onnx.concat", operands,
         {named("axis", builder.getI64IntegerAttr(axis))},
         {{first.dtype, out}});
    return;
  }

  if (op == "Split") {
    Val &x = input(0);
    int64_t rank = x.shape.size();
    int64_t axis = normAxis(attrInt("axis", 0), rank, "axis");
    int64_t dim = x.shape[axis];
    std::vector<int64_t> sizes;
    if (hasInput(1))
      sizes = constInts(1, "split");
    else if (auto s = attrInts("split"))
      sizes = *s;
    int64_t nOut = node->output_size();
    if (sizes.empty()) {
      if (dim % nOut != 0)
        nodeFail("dim " + std::to_string(axis) + " of size " +
                 std::to_string(dim) + " does not split evenly into " +
                 std::to_string(nOut) + " outputs");
      sizes.assign(nOut, dim / nOut);
    }
    int64_t total = 0;
    for (int64_t s : sizes)
      total += s;
    if (int64_t(sizes.size()) != nOut || total != dim)
      nodeFail("split " + shapeStr(sizes) + " does not cover dim " +
               std::to_string(axis) + " of size " + std::to_string(dim) +
               " with " + std::to_string(nOut) + " outputs");
    llvm::SmallVector<std::pair<DType, Shape>> results;
    for (int64_t s : sizes) {
      Shape sh = x.shape;
      sh[axis] = s;
      results.push_back({x.dtype, sh});
    }
    if (x.c && x.c->size() <= kMaxFoldElements) {
      int64_t offset = 0;
      for (int64_t k = 0; k < nOut; ++k) {
        llvm::SmallVector<int64_t> starts(rank, 0), steps(rank, 1);
        starts[axis] = offset;
        offset += sizes[k];
        setConst(k, evalSlice(*x.c, starts, steps, results[k].second));
      }
      return;
    }
    emit("onnx.split", {0}, {named("axis", builder.getI64IntegerAttr(axis))},
         results);
    return;
  }

  if (op == "Slice") {
    Val &x = input(0);
    int64_t rank = x.shape.size();
    std::vector<int64_t> starts = constInts(1, "starts");
    std::vector<int64_t> ends = constInts(2, "ends");
    std::vector<int64_t> axes, steps;
    if (hasInput(3))
      axes = constInts(3, "axes");
    else
      for (size_t k = 0; k < starts.size(); ++k)
        axes.push_back(k);
    if (hasInput(4))
      steps = constInts(4, "steps");
    else
      steps.assign(starts.size(), 1);
    if (ends.size() != starts.size() || axes.size() != starts.size() ||
        steps.size() != starts.size())
      nodeFail("starts, ends, axes and steps have different lengths");
    llvm::SmallVector<int64_t> fullStarts(rank, 0), fullSteps(rank, 1);
    Shape out = x.shape;
    llvm::SmallVector<bool> seen(rank, false);
    for (size_t k = 0; k < starts.size(); ++k) {
      int64_t d = normAxis(axes[k], rank, "axis");
      if (seen[d])
        nodeFail("axis " + std::to_string(axes[k]) + " is repeated");
      seen[d] = true;
      int64_t dimSize = x.shape[d], step = steps[k];
      if (step == 0)
        nodeFail("step for axis " + std::to_string(d) + " is zero");
      // Clamping per the ONNX Slice spec (ends may be +-INT64_MAX).
      if (dimSize == 0) { // nothing to take (and no valid index to clamp to)
        out[d] = 0;
        fullStarts[d] = 0;
        fullSteps[d] = 1;
        continue;
      }
      int64_t s = starts[k], e = ends[k];
      if (s < 0)
        s += dimSize;
      if (e < 0)
        e += dimSize;
      if (step > 0) {
        s = std::clamp<int64_t>(s, 0, dimSize);
        e = std::clamp<int64_t>(e, 0, dimSize);
      } else {
        s = std::clamp<int64_t>(s, 0, dimSize - 1);
        e = std::clamp<int64_t>(e, -1, dimSize - 1);
      }
      // The length in unsigned arithmetic: a step of +-INT64_MAX (or
      // INT64_MIN) must not overflow the usual round-up division.
      int64_t dist = step > 0 ? e - s : s - e;
      uint64_t mag = step > 0 ? uint64_t(step) : 0 - uint64_t(step);
      out[d] = dist > 0 ? int64_t((uint64_t(dist) - 1) / mag + 1) : 0;
      fullStarts[d] = out[d] == 0 ? std::min<int64_t>(s, dimSize) : s;
      fullSteps[d] = step;
    }
    if (x.c && numElements(out) <= kMaxFoldElements)
      return setConst(0, evalSlice(*x.c, fullStarts, fullSteps, out));
    bool identity = out == x.shape;
    for (int64_t d = 0; identity && d < rank; ++d)
      identity = fullStarts[d] == 0 && fullSteps[d] == 1;
    if (identity) {
      Val alias = x;
      return setResult(0, std::move(alias));
    }
    emit("onnx.slice", {0},
         {named("starts", builder.getDenseI64ArrayAttr(fullStarts)),
          named("steps", builder.getDenseI64ArrayAttr(fullSteps))},
         {{x.dtype, out}});
    return;
  }

  if (op == "Gather") {
    Val &data = input(0), &idx = input(1);
    int64_t rank = data.shape.size();
    int64_t axis = normAxis(attrInt("axis", 0), rank, "axis");
    if (idx.dtype != DType::I64)
      nodeFail("indices '" + node->input(1) + "' must be INT64 or INT32, got " +
               dtypeName(idx.dtype).str());
    Shape out(ArrayRef<int64_t>(data.shape).take_front(axis));
    out.append(idx.shape.begin(), idx.shape.end());
    out.append(data.shape.begin() + axis + 1, data.shape.end());
    if (idx.c) {
      int64_t dimSize = data.shape[axis];
      for (int64_t v : idx.c->i)
        if (v < -dimSize || v >= dimSize)
          nodeFail("index " + std::to_string(v) + " is out of range for dim " +
                   std::to_string(axis) + " of size " +
                   std::to_string(dimSize));
      if (data.c && numElements(out) <= kMaxFoldElements) {
        ConstTensor wrapped = *idx.c;
        for (int64_t &v : wrapped.i)
          v = v < 0 ? v + dimSize : v;
        return setConst(0, evalGather(*data.c, wrapped, axis));
      }
    }
    emit("onnx.gather", {0, 1},
         {named("axis", builder.getI64IntegerAttr(axis))}, {{data.dtype, out}});
    return;
  }

  if (op == "Trilu") {
    Val &x = input(0);
    if (x.shape.size() < 2)
      nodeFail("input must have rank >= 2, got " + shapeStr(x.shape));
    int64_t k = 0;
    if (hasInput(1)) {
      auto kc = constInput(1, "k");
      if (kc->size() != 1 || kc->isFloat())
        nodeFail("k must be an integer scalar");
      k = kc->i[0];
    }
    bool upper = attrInt("upper", 1) != 0;
    if (x.c && x.c->size() <= kMaxFoldElements)
      return setConst(0, evalTrilu(*x.c, upper, k));
    emit("onnx.trilu", {0},
         {named("upper", builder.getBoolAttr(upper)),
          named("k", builder.getI64IntegerAttr(k))},
         {{x.dtype, x.shape}});
    return;
  }

  // checkOpsSupported() and this dispatch list must agree.
  nodeFail("internal error: no importer for this op");
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

void Importer::declareGraphInputs(func::FuncOp func) {
  Block &entry = func.getBody().front();
  const onnx::GraphProto &g = model.graph();
  unsigned argIdx = 0;
  for (const auto &in : g.input()) {
    if (initializers.count(in.name()))
      continue;
    const auto &tt = in.type().tensor_type();
    Val val;
    val.dtype = *toDType(tt.elem_type(), false);
    for (const auto &d : tt.shape().dim())
      val.shape.push_back(d.dim_value());
    val.v = entry.getArgument(argIdx++);
    val.v.setLoc(NameLoc::get(builder.getStringAttr(in.name())));
    val.graphInput = in.name();
    auto given = opts.inputValues.find(in.name());
    if (given != opts.inputValues.end()) {
      DenseElementsAttr attr = given->second;
      auto type = cast<ShapedType>(attr.getType());
      if (type.getShape() != ArrayRef<int64_t>(val.shape) ||
          type.getElementType() != elemType(val.dtype))
        fail("the value given for graph input '" + in.name() + "' has type " +
             [&] {
               std::string s;
               llvm::raw_string_ostream os(s);
               os << type;
               return s;
             }() +
             ", expected a tensor of shape " + shapeStr(val.shape) + " and " +
             dtypeName(val.dtype).str());
      ConstTensor t = ConstTensor::zeros(val.dtype, val.shape);
      int64_t k = 0;
      if (val.dtype == DType::F32)
        for (const APFloat &f : attr.getValues<APFloat>())
          t.f[k++] = f.convertToFloat();
      else
        for (const APInt &i : attr.getValues<APInt>())
          t.i[k++] =
              val.dtype == DType::I1 ? int64_t(!i.isZero()) : i.getSExtValue();
      val.c = std::make_shared<const ConstTensor>(std::move(t));
    }
    values[in.name()] = std::move(val);
  }
}

OwningOpRef<ModuleOp> Importer::run(StringRef bytes) {
  parse(bytes);
  checkOpsets();
  checkOpsSupported();
  // Sizes claimed by the file against the bytes present, before libonnx's
  // checker and shape inference read any tensor data.
  for (const auto &t : model.graph().initializer())
    if (auto why = checkTensorData(t))
      fail(fileName + ": initializer '" + t.name() + "': " + *why);
  for (int k = 0; k < model.graph().node_size(); ++k) {
    const auto &n = model.graph().node(k);
    for (const auto &a : n.attribute())
      if (a.has_t())
        if (auto why = checkTensorData(a.t()))
          fail(fileName + ": node '" +
               (n.name().empty() ? n.op_type() + "_" + std::to_string(k)
                                 : n.name()) +
               "' (" + n.op_type() + "): attribute '" + a.name() +
               "': " + *why);
  }
  // Every node input must exist before the node (ONNX's checker reports a
  // missing tensor as a sorting problem).
  {
    llvm::StringSet<> available, produced;
    for (const auto &in : model.graph().input())
      available.insert(in.name());
    for (const auto &t : model.graph().initializer())
      available.insert(t.name());
    for (const auto &n : model.graph().node())
      for (const auto &o : n.output())
        produced.insert(o);
    for (int k = 0; k < model.graph().node_size(); ++k) {
      const auto &n = model.graph().node(k);
      std::string name =
          n.name().empty() ? n.op_type() + "_" + std::to_string(k) : n.name();
      for (const auto &in : n.input()) {
        if (in.empty() || available.count(in))
          continue;
        if (produced.count(in))
          for (int j = k + 1; j < model.graph().node_size(); ++j) {
            const auto &m = model.graph().node(j);
            if (llvm::is_contained(m.output(), in))
              fail(fileName + ": node '" + name + "' (" + n.op_type() +
                   "): input '" + in + "' is produced by node '" +
                   (m.name().empty() ? m.op_type() + "_" + std::to_string(j)
                                     : m.name()) +
                   "', which comes later: the graph is not in topological "
                   "order");
          }
        fail(fileName + ": node '" + name + "' (" + n.op_type() + "): input '" +
             in + "' is produced by no node, initializer or graph input");
      }
      for (const auto &o : n.output())
        available.insert(o);
    }
    // ONNX's checker lets this through; its version converter then crashes.
    for (const auto &out : model.graph().output())
      if (!available.count(out.name()))
        fail(fileName + ": graph output '" + out.name() +
             "' is produced by no node, initializer or graph input");
  }
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception &e) {
    fail(fileName + ": invalid ONNX model: " + oneLine(e.what()));
  }
  upgradeOpset();
  const onnx::GraphProto &g0 = model.graph();
  for (const auto &t : g0.initializer())
    initializers[t.name()] = &t;

  // Unsupported input dtypes are reported at their first consumer, which is
  // what the user recognises.
  for (const auto &in : g0.input()) {
    if (initializers.count(in.name()) || !in.type().has_tensor_type())
      continue;
    int32_t et = in.type().tensor_type().elem_type();
    if (toDType(et, /*isConstant=*/false))
      continue;
    std::string where = "graph input";
    for (int k = 0; k < g0.node_size(); ++k)
      if (llvm::is_contained(g0.node(k).input(), in.name())) {
        const auto &n = g0.node(k);
        where = "node '" +
                (n.name().empty() ? n.op_type() + "_" + std::to_string(k)
                                  : n.name()) +
                "', op '" + n.op_type() + "'";
        break;
      }
    fail("unsupported dtype " + onnxDTypeName(et) + " of tensor '" + in.name() +
         "' (" + where + ")");
  }

  bindDims();
  inferShapes();

  const onnx::GraphProto &g = model.graph();
  for (const auto &n : g.node())
    for (const auto &in : n.input())
      usedNames.insert(in);
  for (const auto &out : g.output())
    usedNames.insert(out.name());
  // inferShapes() may have rebuilt the graph's repeated fields.
  initializers.clear();
  for (const auto &t : g.initializer())
    initializers[t.name()] = &t;

  Location fileLoc = FileLineColLoc::get(&ctx, fileName, 0, 0);
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  builder.setInsertionPointToEnd(module->getBody());

  llvm::SmallVector<Type> argTypes;
  llvm::SmallVector<std::string> argNames;
  for (const auto &in : g.input()) {
    if (initializers.count(in.name()))
      continue;
    const auto &tt = in.type().tensor_type();
    llvm::SmallVector<int64_t> shape;
    for (const auto &d : tt.shape().dim())
      shape.push_back(d.dim_value());
    argTypes.push_back(tensorType(*toDType(tt.elem_type(), false), shape));
    argNames.push_back(in.name());
  }
  auto func = func::FuncOp::create(builder, fileLoc, "main",
                                   builder.getFunctionType(argTypes, {}));
  for (size_t k = 0; k < argNames.size(); ++k)
    func.setArgAttr(k, wafer::kOnnxNameAttr,
                    builder.getStringAttr(argNames[k]));
  Block *entry = func.addEntryBlock();
  builder.setInsertionPointToEnd(entry);
  declareGraphInputs(func);

  for (int k = 0; k < g.node_size(); ++k)
    importNode(g.node(k), k);

  node = nullptr;
  llvm::SmallVector<Value> results;
  llvm::SmallVector<Type> resultTypes;
  for (const auto &out : g.output()) {
    auto it = values.find(out.name());
    if (it == values.end()) {
      if (!initializers.count(out.name()))
        fail("graph output '" + out.name() + "' is not produced by any node");
      // An initializer returned directly.
      ConstTensor t;
      if (std::optional<std::string> err =
              readTensor(*initializers[out.name()], t))
        fail("graph output '" + out.name() + "': " + *err);
      Val val;
      val.dtype = t.dtype;
      val.shape = t.shape;
      val.c = std::make_shared<const ConstTensor>(std::move(t));
      it = values.emplace(out.name(), std::move(val)).first;
    }
    results.push_back(materialize(it->second, out.name()));
    resultTypes.push_back(results.back().getType());
  }
  func::ReturnOp::create(builder, fileLoc, results);
  func.setFunctionType(builder.getFunctionType(argTypes, resultTypes));
  for (int k = 0; k < g.output_size(); ++k)
    func.setResultAttr(k, wafer::kOnnxNameAttr,
                       builder.getStringAttr(g.output(k).name()));
  return module;
}

} // namespace

void wafer::registerOnnxImportDialects(DialectRegistry &registry) {
  registry.insert<func::FuncDialect, arith::ArithDialect,
                  wafer::onnx_fe::ONNXDialect>();
}

llvm::Expected<OwningOpRef<ModuleOp>>
wafer::importOnnxBuffer(StringRef bytes, StringRef bufferName,
                        MLIRContext &context,
                        const OnnxImportOptions &options) {
  context.loadDialect<func::FuncDialect, arith::ArithDialect,
                      wafer::onnx_fe::ONNXDialect>();
  std::string error;
  try {
    Importer importer(context, options, bufferName);
    OwningOpRef<ModuleOp> module = importer.run(bytes);
    if (failed(module->verify()))
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "%s: the imported module does not verify (importer bug)",
          bufferName.str().c_str());
    return std::move(module);
  } catch (const ImportError &e) {
    // Every message names the file (`model.onnx: node 'X' (Op): ...`).
    error = StringRef(e.msg).starts_with(bufferName)
                ? e.msg
                : bufferName.str() + ": " + e.msg;
  } catch (const std::exception &e) {
    error = bufferName.str() + ": " + oneLine(e.what());
  } catch (...) {
    error = bufferName.str() + ": unknown error while importing";
  }
  return llvm::createStringError(llvm::inconvertibleErrorCode(), error);
}

llvm::Expected<OwningOpRef<ModuleOp>>
wafer::importOnnxFile(StringRef path, MLIRContext &context,
                      const OnnxImportOptions &options) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return llvm::createStringError(buffer.getError(), "cannot read '%s': %s",
                                   path.str().c_str(),
                                   buffer.getError().message().c_str());
  return importOnnxBuffer((*buffer)->getBuffer(), path, context, options);
}

std::string wafer::supportedOpsTable() { return supportedOpsTableImpl(); }
