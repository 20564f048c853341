//===- WaferDialect.td - the wafer dialect -----------------*- tablegen -*-===//
#ifndef WAFER_DIALECT_WAFER_WAFERDIALECT_TD
#define WAFER_DIALECT_WAFER_WAFERDIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def Wafer_Dialect : Dialect {
  let name = "wafer";
  let summary = "Kernels, streams and routes of a wafer-scale dataflow machine";
  let description = [{
    The `wafer` dialect describes a neural network mapped onto a 2D mesh of
    processing elements (PEs). A `wafer.program` holds the target machine;
    inside it, each `wafer.kernel` is one tensor operation (or fused group)
    distributed over a rectangle of PEs, and each `wafer.stream` moves data
    between kernels. Per-PE state is always described in
    rectangle-parameterised form: no op or attribute exists per PE.
  }];
  let cppNamespace = "::wafer";
  let useDefaultAttributePrinterParser = 1;
}

class Wafer_Op<string mnemonic, list<Trait> traits = []>
    : Op<Wafer_Dialect, mnemonic, traits>;

class Wafer_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Wafer_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

#endif // WAFER_DIALECT_WAFER_WAFERDIALECT_TD
