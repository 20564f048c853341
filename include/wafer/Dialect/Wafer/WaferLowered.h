//===- WaferLowered.h - level 6 helpers --------------------------*- C++
//-*-===//
//
// What the lowering (--wafer-lower-pe) and the interpreter share about the
// lowered level: the buffers a kernel's PE program declares.
//
//===----------------------------------------------------------------------===//
#ifndef WAFER_DIALECT_WAFER_WAFERLOWERED_H
#define WAFER_DIALECT_WAFER_WAFERLOWERED_H

#include "wafer/Dialect/Wafer/WaferOps.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace wafer {

/// One buffer of a kernel's PE program, sized for the largest tile of its
/// rectangle (the same rule as the tiling model: a tile indexed by the
/// streamed dim holds two slices of it; a split reduction's output also
/// holds the partial sums arriving along the chain).
struct PEBufferSpec {
  std::string name;
  BufferKind kind;
  /// The operand number of its tensor (KernelStages.h): the stages'
  /// operands in order, then captured tensors.
  int64_t operand;
  int64_t bytes;
};

/// The buffers of `kernel`'s PE program: one per tensor of its stages
/// (KernelStages.h) in operand order, then captures, then partial sums.
llvm::Expected<std::vector<PEBufferSpec>> getPEBuffers(KernelOp kernel);

/// The element bytes a PE holds for a tile of `tileBytes` bytes of an
/// operand with projection `proj` and tile sizes `size` in `kernel` (two
/// slices along the kernel's stream_dim when the tile is indexed by it).
int64_t heldBytes(KernelOp kernel, int64_t tileBytes,
                  llvm::ArrayRef<int64_t> proj, llvm::ArrayRef<int64_t> size);

} // namespace wafer

#endif // WAFER_DIALECT_WAFER_WAFERLOWERED_H
