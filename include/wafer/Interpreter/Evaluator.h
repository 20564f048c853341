//===- Evaluator.h - golden evaluation of a tensor-level func ---*- C++ -*-===//
//
// Runs a `func.func` in the tensor-level subset (docs/tensor-level.md) on
// whole tensors. This is the golden reference every later level is checked
// against.
//
//===----------------------------------------------------------------------===//
#ifndef WAFER_INTERPRETER_EVALUATOR_H
#define WAFER_INTERPRETER_EVALUATOR_H

#include "wafer/Interpreter/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/Error.h"

#include <vector>

namespace wafer::interp {

/// Evaluates `func` on `args` (one per function argument, matching its type
/// exactly) and returns one tensor per result; a scalar result is a rank-0
/// tensor. Fails with an error naming the op and its location (the ONNX
/// node) for anything outside the tensor-level subset. Deterministic.
llvm::Expected<std::vector<Tensor>>
evaluateFunction(mlir::func::FuncOp func, llvm::ArrayRef<Tensor> args);

/// Materialises an `arith.constant` value (dense, splat or dense_resource
/// elements, or a scalar integer/float/index attribute) as a tensor; a scalar
/// becomes a rank-0 tensor.
llvm::Expected<Tensor> materializeConstant(mlir::Attribute value,
                                           mlir::Type type);

} // namespace wafer::interp

#endif // WAFER_INTERPRETER_EVALUATOR_H
