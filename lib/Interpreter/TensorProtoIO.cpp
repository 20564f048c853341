//===- TensorProtoIO.cpp - ONNX TensorProto files -------------------------===//
//
// Compiled with exceptions: libonnx/protobuf headers may throw, and nothing
// may escape into the -fno-exceptions code that calls us.
//
//===----------------------------------------------------------------------===//
#include "wafer/Interpreter/TensorIO.h"
#include "wafer/Support/Sizes.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"

#include <onnx/onnx_pb.h>

#include <cstring>
#include <exception>

using namespace wafer::interp;
using llvm::StringRef;

static llvm::Error pbError(StringRef file, const llvm::Twine &msg) {
  return llvm::createStringError(file + ": " + msg);
}

static llvm::Expected<Tensor> convert(const onnx::TensorProto &tp,
                                      StringRef file) {
  if (tp.data_location() == onnx::TensorProto::EXTERNAL)
    return pbError(file, "tensors with external data are not supported");
  llvm::SmallVector<int64_t, 4> shape;
  for (int64_t d : tp.dims()) {
    if (d < 0)
      return pbError(file, "negative dim " + llvm::Twine(d));
    shape.push_back(d);
  }
  int32_t dt = tp.data_type();
  ElementKind kind;
  size_t rawItem;
  switch (dt) {
  case onnx::TensorProto::FLOAT:
    kind = ElementKind::F32;
    rawItem = 4;
    break;
  case onnx::TensorProto::DOUBLE: // rounded to f32
    kind = ElementKind::F32;
    rawItem = 8;
    break;
  case onnx::TensorProto::INT64:
    kind = ElementKind::I64;
    rawItem = 8;
    break;
  case onnx::TensorProto::INT32: // widened to i64
    kind = ElementKind::I64;
    rawItem = 4;
    break;
  case onnx::TensorProto::BOOL:
    kind = ElementKind::I1;
    rawItem = 1;
    break;
  default:
    return pbError(file, "unsupported TensorProto data_type " +
                             llvm::Twine(dt) +
                             " (expected FLOAT, DOUBLE, INT64, INT32 or BOOL)");
  }
  // The dims are checked against the values present (and against
  // overflow and the memory limit) before anything is allocated.
  std::optional<int64_t> count = wafer::checkedNumElements(shape);
  if (!count)
    return pbError(file, "shape " + describeShape(shape, kind) +
                             " has more elements than fit in 64 bits");
  int64_t n = *count;
  int64_t have;
  if (!wafer::checkedBytes(n, int64_t(rawItem)))
    return pbError(file, "shape " + describeShape(shape, kind) +
                             " has more bytes than fit in 64 bits");
  if (tp.has_raw_data()) {
    have = int64_t(tp.raw_data().size() / rawItem);
    if (tp.raw_data().size() % rawItem || have != n)
      return pbError(
          file, llvm::formatv("raw_data holds {0} bytes, shape "
                              "{1} needs {2}",
                              tp.raw_data().size(), describeShape(shape, kind),
                              *wafer::checkedBytes(n, int64_t(rawItem)))
                    .str());
  } else {
    switch (dt) {
    case onnx::TensorProto::FLOAT:
      have = tp.float_data_size();
      break;
    case onnx::TensorProto::DOUBLE:
      have = tp.double_data_size();
      break;
    case onnx::TensorProto::INT64:
      have = tp.int64_data_size();
      break;
    default: // INT32 and BOOL live in int32_data
      have = tp.int32_data_size();
      break;
    }
    if (have != n)
      return pbError(file,
                     llvm::formatv("holds {0} values, shape {1} needs {2}",
                                   have, describeShape(shape, kind), n)
                         .str());
  }
  if (std::string why = wafer::checkAllocation(shape, elementSize(kind));
      !why.empty())
    return pbError(file, why);
  Tensor t(kind, shape);
  auto setValue = [&](int64_t i, double f, int64_t v) {
    switch (kind) {
    case ElementKind::F32:
      t.dataAs<float>()[i] = static_cast<float>(f);
      break;
    case ElementKind::I64:
      t.dataAs<int64_t>()[i] = v;
      break;
    default:
      t.data()[i] = v != 0;
      break;
    }
  };
  if (tp.has_raw_data()) {
    const std::string &raw = tp.raw_data();
    for (int64_t i = 0; i < n; ++i) {
      const char *p = raw.data() + i * rawItem;
      switch (dt) {
      case onnx::TensorProto::FLOAT: {
        float f;
        std::memcpy(&f, p, 4);
        setValue(i, f, 0);
        break;
      }
      case onnx::TensorProto::DOUBLE: {
        double f;
        std::memcpy(&f, p, 8);
        setValue(i, f, 0);
        break;
      }
      case onnx::TensorProto::INT64: {
        int64_t v;
        std::memcpy(&v, p, 8);
        setValue(i, 0, v);
        break;
      }
      case onnx::TensorProto::INT32: {
        int32_t v;
        std::memcpy(&v, p, 4);
        setValue(i, 0, v);
        break;
      }
      default:
        setValue(i, 0, *p);
        break;
      }
    }
    return std::move(t);
  }
  for (int64_t i = 0; i < n; ++i) {
    switch (dt) {
    case onnx::TensorProto::FLOAT:
      setValue(i, tp.float_data(i), 0);
      break;
    case onnx::TensorProto::DOUBLE:
      setValue(i, tp.double_data(i), 0);
      break;
    case onnx::TensorProto::INT64:
      setValue(i, 0, tp.int64_data(i));
      break;
    default:
      setValue(i, 0, tp.int32_data(i));
      break;
    }
  }
  return std::move(t);
}

llvm::Expected<Tensor> wafer::interp::parseTensorProto(StringRef bytes,
                                                       StringRef file,
                                                       std::string *name) {
  try {
    onnx::TensorProto tp;
    if (!tp.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
      return pbError(file, "not a valid ONNX TensorProto");
    if (name)
      *name = tp.name();
    return convert(tp, file);
  } catch (const std::exception &e) {
    return pbError(file, std::string("cannot parse TensorProto: ") + e.what());
  }
}

llvm::Expected<Tensor> wafer::interp::readTensorProto(StringRef path,
                                                      std::string *name) {
  auto buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!buf)
    return pbError(path, "cannot read: " + buf.getError().message());
  return parseTensorProto((*buf)->getBuffer(), path, name);
}
