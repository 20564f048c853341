//===- ONNXDialect.td - the onnx frontend dialect ----------*- tablegen -*-===//
#ifndef WAFER_DIALECT_ONNX_ONNXDIALECT_TD
#define WAFER_DIALECT_ONNX_ONNXDIALECT_TD

include "mlir/IR/OpBase.td"

def ONNX_Dialect : Dialect {
  let name = "onnx";
  let summary = "The ONNX operators wafer imports, with ONNX semantics";
  let description = [{
    A small frontend dialect that mirrors ONNX semantics for the operators
    wafer supports (docs/frontend-dialect.md is the contract with the
    importer). Every shape is static and every result type is fully
    inferred; shape-deciding ONNX inputs are folded into attributes or the
    result type at import. Broadcasting is ONNX multidirectional (numpy)
    broadcasting. Element types are `f32`, `i64` and `i1`.
  }];
  let cppNamespace = "::wafer::onnx_fe";
}

// A statically shaped tensor of one of the element types ONNX models use here.
def ONNX_Tensor : StaticShapeTensorOf<[F32, I64, I1]>;
def ONNX_FloatTensor : StaticShapeTensorOf<[F32]>;
def ONNX_BoolTensor : StaticShapeTensorOf<[I1]>;
def ONNX_IndexTensor : StaticShapeTensorOf<[I64]>;

class ONNX_Op<string mnemonic, list<Trait> traits = []>
    : Op<ONNX_Dialect, mnemonic, traits>;

#endif // WAFER_DIALECT_ONNX_ONNXDIALECT_TD
