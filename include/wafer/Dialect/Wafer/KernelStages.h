//===- KernelStages.h - the linalg stages of a kernel -----------*- C++ -*-===//
//
// A kernel's body holds one linalg op reading what the kernel receives
// (besides constant-derived ones: a linalg.fill initialising an output, a
// bias broadcast), or several (a normalisation fused
// into one kernel: LayerNorm's mean, variance and normalise, softmax's max,
// exp, sum and divide). The last op, the anchor, produces the kernel's
// results; its iteration space is the kernel's `dims`, which the
// distribution splits. Every other op (a stage) iterates over a subset of
// those dims: its loops correspond to the anchor's through the tensors the
// stages share (block arguments and stage results). A stage that reduces a
// dim the distribution splits ends with an allreduce along that mesh axis,
// so every PE of the line holds the whole result and the next stage runs on
// local tiles.
//
// The tensors the stages read and write are numbered once for the whole
// kernel (`KernelTensor::operand`): stage s's operand o is
// `offset[s] + o`, captured tensors follow all operands. A tensor read by
// several stages keeps the number of its first use. For a one-op kernel the
// numbering is the op's operand numbering.
//
//===----------------------------------------------------------------------===//
#ifndef WAFER_DIALECT_WAFER_KERNELSTAGES_H
#define WAFER_DIALECT_WAFER_KERNELSTAGES_H

#include "wafer/Dialect/Wafer/WaferOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <vector>

namespace wafer {

/// For each stage, the anchor (last stage) loop that each of its loops
/// corresponds to, derived through the tensors for which `links` holds
/// (values shared between stages; constants are not). Fails with a
/// sentence when a stage's loops cannot be matched one to one with equal
/// extents.
llvm::Expected<llvm::SmallVector<llvm::SmallVector<int64_t>>>
alignStages(llvm::ArrayRef<mlir::linalg::LinalgOp> stages,
            llvm::function_ref<bool(mlir::Value)> links);

/// One tensor of a kernel's PE program.
struct KernelTensor {
  mlir::Value value;
  BufferKind kind = BufferKind::Input;
  /// The buffer's operand number (see the file comment).
  int64_t operand = 0;
  /// Per tensor axis, the kernel dim indexing it (-1 - c for a constant
  /// index c); nullopt when a stage reads it other than through an
  /// indexing map (a gather table), so the PE needs it whole.
  std::optional<llvm::SmallVector<int64_t>> proj;
  /// The stage writing it (Output and Scratch), else -1.
  int64_t stage = -1;
  /// The kernel dims that stage reduces.
  llvm::SmallVector<int64_t> reduced;
  /// Output and Scratch: the value the stage's init operand starts from.
  mlir::Value init;
};

struct KernelStages {
  llvm::SmallVector<mlir::linalg::LinalgOp> ops;
  /// Per stage: its loop -> kernel dim.
  llvm::SmallVector<llvm::SmallVector<int64_t>> dims;
  /// Per stage: the operand number of its first operand.
  llvm::SmallVector<int64_t> offset;
  std::vector<KernelTensor> tensors;
  /// Per stage and operand: the index into `tensors` (inits: the tensor of
  /// the result they become).
  llvm::SmallVector<llvm::SmallVector<int>> tensorOf;
  /// The captured tensors (read inside a body), as indices into `tensors`.
  llvm::SmallVector<int> captures;

  bool fused() const { return ops.size() > 1; }
  /// A stage operand's projection in kernel dims (nullopt: not one).
  std::optional<llvm::SmallVector<int64_t>>
  projection(size_t stage, mlir::OpOperand &operand) const;
};

/// The stages of `kernel` and the tensors its PE program holds; fails with
/// a sentence naming the kernel when the stages do not align or the body
/// yields something other than the last stage's results.
llvm::Expected<KernelStages> analyzeKernel(KernelOp kernel);

/// The mesh axes along which `kernel` splits, over more than one line, a
/// dim that the stage writing `tensor` reduces (its partial sums travel
/// along them): {x, y}.
std::pair<bool, bool> getReducedAxes(KernelOp kernel,
                                     const KernelTensor &tensor);

/// How kernel `kernel`'s PE program reads block argument `arg`: one
/// projection per indexing-map use (in kernel dims), nullopt for a read the
/// maps do not describe (needed whole). Empty when nothing reads it.
llvm::SmallVector<std::optional<llvm::SmallVector<int64_t>>>
getInputProjections(KernelOp kernel, unsigned arg);

} // namespace wafer

#endif // WAFER_DIALECT_WAFER_KERNELSTAGES_H
