//===- LinalgExecutor.h - run a linalg op over an iteration box -*- C++ -*-===//
//
// The core of both the golden evaluator and the per-PE interpreter. A linalg
// op's body is compiled once into a compact register bytecode; running it
// executes the iterations whose indices lie in a box [lo, hi), reading inputs
// through their indexing maps in global coordinates and updating outputs in
// place. Outputs hold the init / running accumulator, so a reduction dim can
// be split: run sub-ranges on different PEs, then combine.
//
//===----------------------------------------------------------------------===//
#ifndef WAFER_INTERPRETER_LINALGEXECUTOR_H
#define WAFER_INTERPRETER_LINALGEXECUTOR_H

#include "wafer/Interpreter/Tensor.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace wafer::interp {

namespace detail {
struct CompiledBody;
} // namespace detail

/// A linalg op prepared for repeated execution. Compile once per op, run it
/// on any number of boxes and views. Holds a reference to the op (for
/// diagnostics), so the op must outlive it.
class CompiledLinalgOp {
public:
  /// Compiles `op`'s body. Fails with a message naming the op and its
  /// location when the op, a body op or an element type is unsupported.
  static llvm::Expected<CompiledLinalgOp> compile(mlir::linalg::LinalgOp op);

  CompiledLinalgOp(CompiledLinalgOp &&);
  CompiledLinalgOp &operator=(CompiledLinalgOp &&);
  ~CompiledLinalgOp();

  /// The full iteration box's upper bounds (the lower bounds are 0).
  llvm::ArrayRef<int64_t> getLoopRanges() const;
  /// Tensors read by `tensor.extract` in the body, defined outside the op;
  /// `run` takes one view per entry, in this order.
  llvm::ArrayRef<mlir::Value> getCaptures() const;
  /// True when `run` uses the blocked f32 contraction kernel.
  bool isContraction() const;

  /// Executes the iterations in [lo, hi). `inputs` / `outputs` are views of
  /// the op's DPS inputs / inits in global coordinates (a rank-0 view for a
  /// scalar input). The image of the box under each indexing map must lie
  /// inside the view; otherwise this returns an error naming the op, the
  /// operand and the ranges, and touches nothing. A runtime error (integer
  /// division by zero, gather index out of range) stops the run with the
  /// outputs partly updated. `useContractionKernel = false` forces the
  /// bytecode path (the two agree bit for bit; tests compare them).
  llvm::Error run(llvm::ArrayRef<int64_t> lo, llvm::ArrayRef<int64_t> hi,
                  llvm::ArrayRef<View> inputs, llvm::ArrayRef<View> outputs,
                  llvm::ArrayRef<View> captures = {},
                  bool useContractionKernel = true) const;

private:
  CompiledLinalgOp();
  std::unique_ptr<detail::CompiledBody> impl;
};

/// Compiles `op` and runs it once over [lo, hi); see CompiledLinalgOp::run.
llvm::Error executeOp(mlir::linalg::LinalgOp op, llvm::ArrayRef<int64_t> lo,
                      llvm::ArrayRef<int64_t> hi, llvm::ArrayRef<View> inputs,
                      llvm::ArrayRef<View> outputs,
                      llvm::ArrayRef<View> captures = {});

/// "'linalg.generic' at loc(\"node\")": how diagnostics name an op.
std::string describeOp(mlir::Operation *op);

} // namespace wafer::interp

#endif // WAFER_INTERPRETER_LINALGEXECUTOR_H
