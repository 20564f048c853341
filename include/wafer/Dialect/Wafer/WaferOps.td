//===- WaferOps.td - wafer operations ----------------------*- tablegen -*-===//
#ifndef WAFER_DIALECT_WAFER_WAFEROPS_TD
#define WAFER_DIALECT_WAFER_WAFEROPS_TD

include "wafer/Dialect/Wafer/WaferDialect.td"
include "wafer/Dialect/Wafer/WaferAttrs.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/OpAsmInterface.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Wafer_StreamKind : I32EnumAttr<"StreamKind", "how a stream's data spreads over the consumer", [
    I32EnumAttrCase<"P2P", 0, "p2p">,
    I32EnumAttrCase<"MulticastRow", 1, "multicast_row">,
    I32EnumAttrCase<"MulticastCol", 2, "multicast_col">,
    I32EnumAttrCase<"Broadcast", 3, "broadcast">,
    I32EnumAttrCase<"HostIn", 4, "host_in">,
    I32EnumAttrCase<"HostOut", 5, "host_out">
  ]> {
  let cppNamespace = "::wafer";
}

def Wafer_ProgramOp : Wafer_Op<"program", [
    IsolatedFromAbove, Symbol, SingleBlockImplicitTerminator<"OutputOp">,
    OpAsmOpInterface]> {
  let summary = "A model mapped onto one target machine";
  let description = [{
    Holds the target machine and, in its body, the kernels and streams of
    the mapped model. Block arguments are the model's inputs (they arrive
    from the host); `wafer.output` names the values returned to the host.
    `arg_names` / `result_names` keep the ONNX tensor names. The verifier
    checks that kernel and stream names are unique and that no two placed
    kernels' rectangles overlap.

    Example:
    ```mlir
    wafer.program @main target(#wafer.target<...>) args ["x"] results ["y"] {
    ^bb0(%x: tensor<4x8xf32>):
      %s = wafer.stream @s0 host_in(%x) bytes 128 : (tensor<4x8xf32>) -> tensor<4x8xf32>
      %y = wafer.kernel @relu (%s) shape [2, 1] origin [0, 0] sram 256 ...
      wafer.output %y : tensor<4x8xf32>
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, Wafer_TargetAttr:$target,
                       StrArrayAttr:$arg_names, StrArrayAttr:$result_names);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $sym_name `target` `(` $target `)` `args` $arg_names `results` $result_names
    attr-dict-with-keyword $body
  }];
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
  let extraClassDeclaration = [{
    static ::llvm::StringRef getDefaultDialect() { return "wafer"; }
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
  }];
}

def Wafer_OutputOp : Wafer_Op<"output", [
    Pure, HasParent<"ProgramOp">, ReturnLike, Terminator]> {
  let summary = "The values a program returns to the host";
  let description = [{
    Terminates a `wafer.program`; one operand per model output, in the order
    of the program's `result_names`.

    Example:
    ```mlir
    wafer.output %y : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$values,
                       OptionalAttr<Wafer_PatternChainsAttr>:$routes);
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
  let builders = [
    OpBuilder<(ins), [{
      build($_builder, $_state, ::mlir::ValueRange{}, ::mlir::ArrayAttr());
    }]>,
    OpBuilder<(ins "::mlir::ValueRange":$values), [{
      build($_builder, $_state, values, ::mlir::ArrayAttr());
    }]>
  ];
}

def Wafer_YieldOp : Wafer_Op<"yield", [
    Pure, ParentOneOf<["KernelOp", "StreamOp"]>, ReturnLike, Terminator]> {
  let summary = "Yields a kernel's or stream's results";
  let description = [{
    Example:
    ```mlir
    wafer.yield %r : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$values);
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
}

def Wafer_KernelOp : Wafer_Op<"kernel", [
    HasParent<"ProgramOp">, IsolatedFromAbove,
    SingleBlock]> {
  let summary = "One tensor operation distributed over a rectangle of PEs";
  let description = [{
    A kernel runs one linalg operation (its body, with the constants it keeps
    resident and the fill that initialises its output) on a
    `shape = [width, height]` rectangle of PEs. Operands are the streamed
    tensors, as block arguments of the body.

    The distribution is rectangle-parameterised, never per PE: `dims` is the
    iteration space of the body's linalg op, `split = [dx, dy]` says which
    iteration dim is divided along the mesh's x and y axes (-1: none), and
    `tile` is the per-PE share of every iteration dim (ceil(dim / parts) for
    a split dim, the whole dim otherwise). PE (i, j) of the rectangle runs
    the iterations whose dim `dx` lies in chunk i and dim `dy` in chunk j. A
    split reduction dim produces partial sums that are reduced along that
    mesh axis (`reduce_bytes` per inference). `sram` is the bytes every PE
    holds (resident weight tile, input/output buffers, partial sums), `macs`
    the work per inference, and once placed, `origin = [x, y]` is the
    rectangle's top-left PE. `node` names the ONNX node the op came from.
    `stream_dim` (default -1: none) is the iteration dim processed in time,
    one index after the other (the tokens of a weight-stationary
    contraction): the operands it indexes are double-buffered one slice at
    a time, the others stay whole for the whole stream, and `sram` counts
    them so (include/wafer/Tile/Tiling.h, streamedBytes).

    Example:
    ```mlir
    %y = wafer.kernel @mm0 (%x) shape [4, 2] origin [0, 0] sram 2048
        {dims = array<i64: 8, 16, 32>, split = array<i64: 1, 2>,
         tile = array<i64: 8, 4, 16>, macs = 4096 : i64, reduce_bytes = 512 : i64,
         node = "MatMul_0"} : (tensor<8x32xf32>) -> tensor<8x16xf32> {
    ^bb0(%a: tensor<8x32xf32>):
      ...
      wafer.yield %r : tensor<8x16xf32>
    }
    ```
  }];
  let arguments = (ins
    SymbolNameAttr:$sym_name,
    Variadic<AnyRankedTensor>:$inputs,
    DenseI64ArrayAttr:$shape,
    OptionalAttr<DenseI64ArrayAttr>:$origin,
    I64Attr:$sram,
    DenseI64ArrayAttr:$dims,
    DenseI64ArrayAttr:$split,
    DenseI64ArrayAttr:$tile,
    I64Attr:$macs,
    I64Attr:$reduce_bytes,
    StrAttr:$node,
    DefaultValuedAttr<I64Attr, "-1">:$stream_dim,
    OptionalAttr<Wafer_PatternArrayAttr>:$routes
  );
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $sym_name (`(` $inputs^ `)`)? `shape` $shape (`origin` $origin^)?
    `sram` $sram attr-dict `:` functional-type($inputs, $results) $body
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    int64_t getWidth() { return getShape()[0]; }
    int64_t getHeight() { return getShape()[1]; }
    int64_t getNumPEs() { return getWidth() * getHeight(); }
    int64_t getSramBytes() { return getSramAttr().getInt(); }
    /// The linalg op the kernel distributes (the last one in its body).
    ::mlir::Operation *getComputeOp();
  }];
}

def Wafer_StreamOp : Wafer_Op<"stream", [
    HasParent<"ProgramOp">, IsolatedFromAbove,
    SingleBlock]> {
  let summary = "Data moving from producer kernels (or the host) to a kernel (or the host)";
  let description = [{
    Carries `bytes` per inference from its producers (kernel results or
    program inputs) to the one kernel that consumes its result. Its body
    holds the pure data movement between the producers' layout and the
    consumer's (reshape, slice, concatenation); `kind` says how the data
    spreads over the consumer's rectangle: `p2p` (each PE gets its own
    part), `multicast_row` / `multicast_col` (a part is replicated along a
    row / column of PEs because the consumer's x / y split does not index
    it), `broadcast` (replicated on every PE), `host_in` (a program input),
    `host_out` (consumed by `wafer.output`: a model output that is a
    reshape, slice or concatenation of kernel results, returned to the
    host). Once routed, `routes` holds the stream's pattern chain.

    Example:
    ```mlir
    %s = wafer.stream @s0 multicast_row (%y) bytes 512 : (tensor<8x16xf32>) -> tensor<8x16xf32> {
    ^bb0(%a: tensor<8x16xf32>):
      wafer.yield %a : tensor<8x16xf32>
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       Wafer_StreamKind:$kind,
                       Variadic<AnyRankedTensor>:$inputs,
                       I64Attr:$bytes,
                       OptionalAttr<Wafer_PatternArrayAttr>:$routes);
  let results = (outs AnyRankedTensor:$result);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $sym_name $kind `(` $inputs `)` `bytes` $bytes attr-dict `:`
    functional-type($inputs, $result) $body
  }];
  let hasVerifier = 1;
}

#endif // WAFER_DIALECT_WAFER_WAFEROPS_TD
