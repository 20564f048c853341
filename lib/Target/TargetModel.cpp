//===- TargetModel.cpp - the wafer-scale machine ----------------*- C++ -*-===//
#include "wafer/Target/TargetModel.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FormatVariadic.h"

using namespace llvm;

namespace wafer {

namespace {
struct Field {
  const char *key;
  int64_t TargetModel::*member;
  int64_t minValue;
};
// One table drives set(), toJSON() and keyList() so they cannot disagree.
const Field kFields[] = {
    {"width", &TargetModel::width, 1},
    {"height", &TargetModel::height, 1},
    {"sram_bytes", &TargetModel::sramBytes, 1},
    {"sram_budget", &TargetModel::sramBudget, 1},
    {"clock_mhz", &TargetModel::clockMHz, 1},
    {"macs_f32", &TargetModel::macsF32, 1},
    {"macs_f16", &TargetModel::macsF16, 1},
    {"link_bytes", &TargetModel::linkBytes, 1},
    {"colors", &TargetModel::colors, 1},
    {"reserved_colors", &TargetModel::reservedColors, 0},
    {"hop_latency", &TargetModel::hopLatency, 0},
    {"ramp_latency", &TargetModel::rampLatency, 0},
};

Error makeError(const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), msg);
}
} // namespace

Expected<TargetModel> TargetModel::fromSpec(StringRef spec) {
  TargetModel m;
  if (spec == "wse2")
    return m;
  if (spec == "wse3") {
    m.name = "wse3";
    m.width = 755;
    m.height = 1170;
    m.clockMHz = 1100;
    return m;
  }
  auto [w, h] = spec.split('x');
  int64_t width = 0, height = 0;
  if (!w.getAsInteger(10, width) && !h.getAsInteger(10, height) && width > 0 &&
      height > 0) {
    m.name = spec.str();
    m.width = width;
    m.height = height;
    return m;
  }
  return makeError("unknown target '" + spec +
                   "': expected 'wse2', 'wse3' or a mesh 'WxH' such as 64x64");
}

Error TargetModel::set(StringRef key, int64_t value) {
  for (const Field &f : kFields) {
    if (key != f.key)
      continue;
    if (value < f.minValue)
      return makeError(formatv("target field '{0}' must be >= {1}, got {2}",
                               key, f.minValue, value));
    this->*f.member = value;
    return Error::success();
  }
  return makeError("unknown target field '" + key + "' (known: " + keyList() +
                   ")");
}

Error TargetModel::applyOverrides(StringRef overrides) {
  SmallVector<StringRef> items;
  overrides.split(items, ',', -1, /*KeepEmpty=*/false);
  for (StringRef item : items) {
    auto [key, value] = item.split('=');
    key = key.trim();
    value = value.trim();
    int64_t v;
    if (value.getAsInteger(10, v))
      return makeError("target override '" + item + "': expected key=integer");
    if (Error e = set(key, v))
      return e;
  }
  return Error::success();
}

Error TargetModel::applyJSON(StringRef text) {
  Expected<json::Value> parsed = json::parse(text);
  if (!parsed)
    return makeError("target JSON: " + toString(parsed.takeError()));
  const json::Object *obj = parsed->getAsObject();
  if (!obj)
    return makeError("target JSON: expected an object");
  if (const json::Value *preset = obj->get("preset")) {
    std::optional<StringRef> s = preset->getAsString();
    if (!s)
      return makeError("target JSON: 'preset' must be a string");
    Expected<TargetModel> base = fromSpec(*s);
    if (!base)
      return base.takeError();
    *this = *base;
  }
  // Sorted keys keep the order of errors deterministic.
  SmallVector<StringRef> keys;
  for (const auto &kv : *obj)
    keys.push_back(kv.first);
  llvm::sort(keys);
  for (StringRef key : keys) {
    if (key == "preset")
      continue;
    if (key == "name") {
      std::optional<StringRef> s = obj->getString(key);
      if (!s)
        return makeError("target JSON: 'name' must be a string");
      name = s->str();
      continue;
    }
    std::optional<int64_t> v = obj->getInteger(key);
    if (!v)
      return makeError("target JSON: '" + key + "' must be an integer");
    if (Error e = set(key, *v))
      return e;
  }
  return Error::success();
}

std::string TargetModel::check() const {
  for (const Field &f : kFields)
    if (this->*f.member < f.minValue)
      return formatv("target field '{0}' must be >= {1}, got {2}", f.key,
                     f.minValue, this->*f.member)
          .str();
  if (sramBudget > sramBytes)
    return formatv("SRAM budget {0} B exceeds the PE's SRAM {1} B", sramBudget,
                   sramBytes)
        .str();
  if (reservedColors >= colors)
    return formatv("{0} reserved colors leave none of {1} usable",
                   reservedColors, colors)
        .str();
  if (colors > 64)
    return formatv("{0} colors per router; at most 64 are modelled", colors)
        .str();
  return "";
}

json::Object TargetModel::toJSON() const {
  json::Object o;
  o["name"] = name;
  for (const Field &f : kFields)
    o[f.key] = this->*f.member;
  return o;
}

StringRef TargetModel::keyList() {
  static const std::string list = [] {
    std::string s;
    for (const Field &f : kFields) {
      if (!s.empty())
        s += ", ";
      s += f.key;
    }
    return s;
  }();
  return list;
}

} // namespace wafer
