//===- ONNXOps.h - onnx frontend operations ---------------------*- C++ -*-===//
#ifndef WAFER_DIALECT_ONNX_ONNXOPS_H
#define WAFER_DIALECT_ONNX_ONNXOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "wafer/Dialect/ONNX/ONNXDialect.h"

namespace wafer::onnx_fe {

/// Computes the ONNX multidirectional (numpy) broadcast of static `shapes`
/// into `result`. Returns false when they do not broadcast.
bool broadcastShapes(llvm::ArrayRef<llvm::ArrayRef<int64_t>> shapes,
                     llvm::SmallVectorImpl<int64_t> &result);

/// Verifies that all operands broadcast and that the (single) result shape
/// is their broadcast shape.
llvm::LogicalResult verifyBroadcastResult(mlir::Operation *op);

/// Verifies the axes/keepdims/result shape of a reduce_* op.
llvm::LogicalResult verifyReduction(mlir::Operation *op);

/// Verifies onnx.mod: broadcasting, and `fmod` for f32 operands.
llvm::LogicalResult verifyMod(mlir::Operation *op);

/// A normalised einsum equation: one letter per dim of each input, and the
/// output's letters.
struct EinsumEquation {
  llvm::SmallVector<std::string> inputs;
  std::string output;
};

/// Parses the normalised form `ab,bc->ac` (letters only, explicit output).
/// On failure returns the reason.
llvm::FailureOr<EinsumEquation> parseEinsumEquation(llvm::StringRef eq,
                                                    std::string &why);

} // namespace wafer::onnx_fe

#define GET_OP_CLASSES
#include "wafer/Dialect/ONNX/ONNXOps.h.inc"

#endif // WAFER_DIALECT_ONNX_ONNXOPS_H
