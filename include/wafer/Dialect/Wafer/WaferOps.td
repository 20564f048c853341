//===- WaferOps.td - wafer operations ----------------------*- tablegen -*-===//
#ifndef WAFER_DIALECT_WAFER_WAFEROPS_TD
#define WAFER_DIALECT_WAFER_WAFEROPS_TD

include "wafer/Dialect/Wafer/WaferDialect.td"
include "wafer/Dialect/Wafer/WaferAttrs.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/RegionKindInterface.td"
include "mlir/IR/OpAsmInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Wafer_ProgramOp : Wafer_Op<"program", [
    IsolatedFromAbove, SymbolTable, Symbol, SingleBlock, NoTerminator,
    NoRegionArguments]> {
  let summary = "A model mapped onto one target machine";
  let description = [{
    Holds the target machine and, in its body, the kernels and streams that
    make up the mapped model. The verifier checks that no two placed
    kernels' rectangles overlap.

    Example:
    ```mlir
    wafer.program @model target(#wafer.target<...>) {
      wafer.kernel @mm0 shape [4, 2] origin [0, 0] sram 2048
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, Wafer_TargetAttr:$target);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $sym_name `target` `(` $target `)` attr-dict-with-keyword $body
  }];
  let hasVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [
    OpBuilder<(ins "::llvm::StringRef":$name, "TargetAttr":$target)>
  ];
}

def Wafer_KernelOp : Wafer_Op<"kernel", [
    Symbol, HasParent<"ProgramOp">]> {
  let summary = "One tensor operation distributed over a rectangle of PEs";
  let description = [{
    A kernel occupies a `shape = [width, height]` rectangle of PEs; once
    placed, `origin = [x, y]` is its top-left PE on the mesh. `sram` is the
    number of bytes every PE of the rectangle holds (weights, buffers and
    partial sums); it must fit the target's SRAM budget.

    Example:
    ```mlir
    wafer.kernel @mm0 shape [4, 2] origin [8, 0] sram 2048
    ```
  }];
  let arguments = (ins
    SymbolNameAttr:$sym_name,
    DenseI64ArrayAttr:$shape,
    OptionalAttr<DenseI64ArrayAttr>:$origin,
    I64Attr:$sram
  );
  let assemblyFormat = [{
    $sym_name `shape` $shape (`origin` $origin^)? `sram` $sram attr-dict
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    int64_t getWidth() { return getShape()[0]; }
    int64_t getHeight() { return getShape()[1]; }
    int64_t getNumPEs() { return getWidth() * getHeight(); }
    int64_t getSramBytes() { return getSramAttr().getInt(); }
  }];
}

#endif // WAFER_DIALECT_WAFER_WAFEROPS_TD
