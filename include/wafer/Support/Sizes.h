//===- Sizes.h - checked sizes and the memory limit -------------*- C++ -*-===//
//
// Every size a file claims (ONNX dims, .npy headers, TensorProto dims,
// graph input shapes) goes through these before anything is allocated: a
// negative dim or a product that overflows int64 is an error, and a tensor
// larger than the memory limit is refused with its size, instead of an
// out-of-memory abort.
//
// The limit defaults to the machine's physical memory; the environment
// variable WAFER_MEMORY_LIMIT (bytes, or with a K/M/G/T suffix) overrides it,
// and so does wafer-run --memory-limit.
//
//===----------------------------------------------------------------------===//
#ifndef WAFER_SUPPORT_SIZES_H
#define WAFER_SUPPORT_SIZES_H

#include "mlir/IR/Types.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <unistd.h>

namespace wafer {

/// The element count of a static shape; nullopt when a dim is negative or
/// the product overflows int64.
inline std::optional<int64_t>
checkedNumElements(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0 || __builtin_mul_overflow(n, d, &n))
      return std::nullopt;
  }
  return n;
}

/// `elements` * `elementBytes`; nullopt on overflow or negative input.
inline std::optional<int64_t> checkedBytes(int64_t elements,
                                           int64_t elementBytes) {
  int64_t b;
  if (elements < 0 || elementBytes < 0 ||
      __builtin_mul_overflow(elements, elementBytes, &b))
    return std::nullopt;
  return b;
}

/// Bytes of one element of `t` (at least 1; `index` counts 8).
inline int64_t elementBytes(mlir::Type t) {
  return t.isIntOrFloat() ? std::max<int64_t>(1, t.getIntOrFloatBitWidth() / 8)
                          : 8;
}

/// "512 B", "3.0 KiB", "4.0 GiB".
inline std::string formatBytes(int64_t bytes) {
  static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double v = double(bytes);
  int u = 0;
  while (v >= 1024 && u < 6) {
    v /= 1024;
    ++u;
  }
  if (u == 0)
    return std::to_string(bytes) + " B";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  return buf;
}

/// Parses "4096", "512K", "8G" (powers of 1024); nullopt when malformed.
inline std::optional<int64_t> parseByteSize(llvm::StringRef s) {
  s = s.trim();
  int64_t scale = 1;
  if (!s.empty()) {
    switch (s.back()) {
    case 'K':
    case 'k':
      scale = int64_t(1) << 10;
      break;
    case 'M':
    case 'm':
      scale = int64_t(1) << 20;
      break;
    case 'G':
    case 'g':
      scale = int64_t(1) << 30;
      break;
    case 'T':
    case 't':
      scale = int64_t(1) << 40;
      break;
    default:
      break;
    }
    if (scale != 1)
      s = s.drop_back();
  }
  int64_t v;
  if (s.empty() || s.getAsInteger(10, v) || v <= 0)
    return std::nullopt;
  return checkedBytes(v, scale);
}

/// The process-wide limit on one tensor's bytes (see the file comment).
inline int64_t &memoryLimitStorage() {
  static int64_t limit = [] {
    if (const char *env = std::getenv("WAFER_MEMORY_LIMIT"))
      if (auto v = parseByteSize(env))
        return *v;
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    if (pages > 0 && page > 0)
      return int64_t(pages) * int64_t(page);
    return int64_t(1) << 34; // 16 GiB when the machine does not say
  }();
  return limit;
}
inline int64_t memoryLimitBytes() { return memoryLimitStorage(); }
inline void setMemoryLimitBytes(int64_t bytes) { memoryLimitStorage() = bytes; }

/// Why a tensor of `shape` with `elementBytes`-byte elements cannot be
/// allocated ("" when it can): an invalid shape or more than the memory
/// limit. The caller prefixes the tensor's name.
inline std::string checkAllocation(llvm::ArrayRef<int64_t> shape,
                                   int64_t elementBytes) {
  std::optional<int64_t> n = checkedNumElements(shape);
  std::optional<int64_t> bytes =
      n ? checkedBytes(*n, elementBytes) : std::nullopt;
  if (bytes && *bytes <= memoryLimitBytes())
    return "";
  std::string dims;
  for (int64_t d : shape)
    dims += (dims.empty() ? "" : "x") + std::to_string(d);
  if (!n) {
    for (int64_t d : shape)
      if (d < 0)
        return "shape [" + dims + "] has a negative dim";
    return "shape [" + dims + "] has more elements than fit in 64 bits";
  }
  return "shape [" + dims + "] needs " +
         (bytes ? formatBytes(*bytes) : std::string("over 8 EiB")) +
         ", more than the memory limit of " + formatBytes(memoryLimitBytes()) +
         " (WAFER_MEMORY_LIMIT or wafer-run --memory-limit)";
}

} // namespace wafer

#endif // WAFER_SUPPORT_SIZES_H
