//===- TensorIO.cpp - numpy .npy files ------------------------------------===//
#include "wafer/Interpreter/TensorIO.h"
#include "wafer/Support/Sizes.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace wafer::interp;
using llvm::StringRef;

static llvm::Error npyError(StringRef file, const llvm::Twine &msg) {
  return llvm::createStringError(file + ": " + msg);
}

/// Finds `'key': value` in the header dict and returns the raw value text up
/// to the next top-level comma or closing brace.
static std::optional<StringRef> headerValue(StringRef header, StringRef key) {
  std::string quoted = ("'" + key + "'").str();
  size_t pos = header.find(quoted);
  if (pos == StringRef::npos)
    return std::nullopt;
  StringRef rest = header.drop_front(pos + quoted.size()).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  rest = rest.ltrim();
  size_t end = 0;
  int depth = 0;
  for (; end < rest.size(); ++end) {
    char c = rest[end];
    if (c == '(')
      ++depth;
    else if (c == ')')
      --depth;
    else if ((c == ',' || c == '}') && depth == 0)
      break;
  }
  return rest.take_front(end).trim();
}

llvm::Expected<Tensor> wafer::interp::parseNpy(StringRef bytes,
                                               StringRef file) {
  if (!bytes.starts_with("\x93NUMPY") || bytes.size() < 10)
    return npyError(file, "not a .npy file (missing \\x93NUMPY magic)");
  unsigned major = static_cast<unsigned char>(bytes[6]);
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = static_cast<unsigned char>(bytes[8]) |
                (static_cast<unsigned char>(bytes[9]) << 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return npyError(file, "truncated .npy header");
    headerLen = 0;
    for (int i = 0; i < 4; ++i)
      headerLen |= static_cast<size_t>(static_cast<unsigned char>(bytes[8 + i]))
                   << (8 * i);
    headerStart = 12;
  } else {
    return npyError(file,
                    "unsupported .npy format version " + llvm::Twine(major));
  }
  if (bytes.size() < headerStart + headerLen)
    return npyError(file, "truncated .npy header");
  StringRef header = bytes.substr(headerStart, headerLen);
  auto descr = headerValue(header, "descr");
  auto fortran = headerValue(header, "fortran_order");
  auto shapeText = headerValue(header, "shape");
  if (!descr || !fortran || !shapeText)
    return npyError(file, "malformed .npy header '" + header.trim() + "'");
  if (*fortran != "False")
    return npyError(file, "Fortran-order arrays are not supported; save a "
                          "C-contiguous array");
  StringRef d = descr->trim("'\"");
  // float64 is rounded to float32 and int32 widened to int64 (documented in
  // TensorIO.h); everything else is rejected.
  ElementKind kind;
  size_t itemSize;
  if (d == "<f4" || d == "=f4") {
    kind = ElementKind::F32;
    itemSize = 4;
  } else if (d == "<f8" || d == "=f8") {
    kind = ElementKind::F32;
    itemSize = 8;
  } else if (d == "<i8" || d == "=i8") {
    kind = ElementKind::I64;
    itemSize = 8;
  } else if (d == "<i4" || d == "=i4") {
    kind = ElementKind::I64;
    itemSize = 4;
  } else if (d == "|b1") {
    kind = ElementKind::I1;
    itemSize = 1;
  } else {
    return npyError(file, "unsupported dtype '" + d +
                              "' (expected <f4, <i8 or |b1; <f8 and <i4 are "
                              "converted)");
  }
  llvm::SmallVector<int64_t, 4> shape;
  StringRef s = shapeText->trim();
  if (!s.consume_front("(") || !s.consume_back(")"))
    return npyError(file, "malformed shape '" + *shapeText + "'");
  llvm::SmallVector<StringRef, 4> parts;
  s.split(parts, ',', -1, /*KeepEmpty=*/false);
  for (StringRef p : parts) {
    p = p.trim();
    if (p.empty())
      continue;
    int64_t v;
    if (p.getAsInteger(10, v) || v < 0)
      return npyError(file, "malformed shape '" + *shapeText + "'");
    shape.push_back(v);
  }
  // The header's claim is checked against the bytes present (and against
  // overflow) before anything is allocated.
  StringRef data = bytes.drop_front(headerStart + headerLen);
  std::optional<int64_t> count = wafer::checkedNumElements(shape);
  std::optional<int64_t> needBytes =
      count ? wafer::checkedBytes(*count, int64_t(itemSize)) : std::nullopt;
  if (!needBytes)
    return npyError(file, "shape " + *shapeText + " has more " +
                              (count ? "bytes" : "elements") +
                              " than fit in 64 bits");
  if (uint64_t(*needBytes) > data.size())
    return npyError(file, llvm::formatv("truncated: shape {0} of '{1}' needs "
                                        "{2} data bytes, the file has {3}",
                                        *shapeText, d, *needBytes, data.size())
                              .str());
  if (std::string why = wafer::checkAllocation(shape, elementSize(kind));
      !why.empty())
    return npyError(file, why);
  int64_t n = *count;
  size_t need = size_t(*needBytes);
  Tensor t(kind, shape);
  if (data.size() < need)
    return npyError(file, llvm::formatv("truncated: shape {0} of '{1}' needs "
                                        "{2} data bytes, the file has {3}",
                                        *shapeText, d, need, data.size())
                              .str());
  if (data.size() > need)
    return npyError(file, llvm::formatv("{0} trailing bytes after the data of "
                                        "shape {1}",
                                        data.size() - need, *shapeText)
                              .str());
  const char *p = data.data();
  if (itemSize == 8 && kind == ElementKind::F32) {
    for (int64_t i = 0; i < n; ++i) {
      double v;
      std::memcpy(&v, p + 8 * i, 8);
      t.dataAs<float>()[i] = static_cast<float>(v);
    }
  } else if (itemSize == 4 && kind == ElementKind::I64) {
    for (int64_t i = 0; i < n; ++i) {
      int32_t v;
      std::memcpy(&v, p + 4 * i, 4);
      t.dataAs<int64_t>()[i] = v;
    }
  } else if (need > 0) {
    std::memcpy(t.data(), p, need);
    if (kind == ElementKind::I1)
      for (int64_t i = 0; i < n; ++i)
        t.data()[i] = t.data()[i] != 0;
  }
  return std::move(t);
}

llvm::Expected<Tensor> wafer::interp::readNpy(StringRef path) {
  auto buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!buf)
    return npyError(path, "cannot read: " + buf.getError().message());
  return parseNpy((*buf)->getBuffer(), path);
}

std::string wafer::interp::serializeNpy(const Tensor &t) {
  StringRef descr;
  switch (t.getKind()) {
  case ElementKind::F32:
    descr = "<f4";
    break;
  case ElementKind::I64:
  case ElementKind::Index:
    descr = "<i8";
    break;
  case ElementKind::I32:
    descr = "<i4";
    break;
  case ElementKind::I1:
    descr = "|b1";
    break;
  }
  std::string header;
  llvm::raw_string_ostream os(header);
  os << "{'descr': '" << descr << "', 'fortran_order': False, 'shape': (";
  for (int64_t d : t.getShape())
    os << d << (t.getRank() == 1 ? "," : ", ");
  if (t.getRank() > 1)
    header.resize(header.size() - 2);
  os << "), }";
  // Pad with spaces so the data starts on a 64-byte boundary; end in '\n'.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  std::string out = "\x93NUMPY";
  out.push_back(1);
  out.push_back(0);
  out.push_back(static_cast<char>(header.size() & 0xff));
  out.push_back(static_cast<char>(header.size() >> 8));
  out += header;
  out.append(t.data(), t.getNumBytes());
  return out;
}

llvm::Error wafer::interp::writeNpy(StringRef path, const Tensor &t) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return npyError(path, "cannot write: " + ec.message());
  os << serializeNpy(t);
  os.close();
  if (os.has_error())
    return npyError(path, "write failed: " + os.error().message());
  return llvm::Error::success();
}

llvm::Expected<Tensor> wafer::interp::readTensorFile(StringRef path) {
  StringRef ext = llvm::sys::path::extension(path);
  if (ext == ".npy")
    return readNpy(path);
  if (ext == ".pb")
    return readTensorProto(path);
  return npyError(path, "unknown tensor file extension '" + ext +
                            "' (expected .npy or .pb)");
}
