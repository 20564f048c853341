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
    mesh axis (`reduce_bytes` per inference). With `split_x_inner = d` (a
    parallel dim no stage reduces, like `dx`) the x axis holds one
    sub-rectangle per chunk of `dx` (attention's heads, tile 1: a head
    each), side by side, whose columns split dim `d`: column i runs chunk
    i / n of `dx` and chunk i % n of `d`, n = width / chunks of `dx`.
    `sram` is the bytes every PE
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
    DefaultValuedAttr<I64Attr, "-1">:$split_x_inner,
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
    /// The non-empty chunks of the dim split along mesh axis `axis` (0: x,
    /// 1: y): min(lines, ceil(dim / tile)); 1 when the axis splits nothing.
    /// With sub-rectangles along x: the columns they use, chunks of
    /// `split[0]` times getNumInnerChunks().
    int64_t getNumChunks(int axis);
    /// The columns of one sub-rectangle (chunks of `split_x_inner`, 1 when
    /// there are no sub-rectangles).
    int64_t getNumInnerChunks();
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

//===----------------------------------------------------------------------===//
// Level 6: lowered per-PE programs and router configurations
//===----------------------------------------------------------------------===//

def Wafer_BufferKind : I32EnumAttr<"BufferKind", "what a PE buffer holds", [
    I32EnumAttrCase<"Weight", 0, "weight">,
    I32EnumAttrCase<"Input", 1, "input">,
    I32EnumAttrCase<"Output", 2, "output">,
    I32EnumAttrCase<"Partial", 3, "partial">,
    I32EnumAttrCase<"Scratch", 4, "scratch">
  ]> {
  let cppNamespace = "::wafer";
}

def Wafer_PECodeOp : Wafer_Op<"pe_code", [
    HasParent<"ProgramOp">, SingleBlock, NoTerminator, SymbolTable]> {
  let summary = "The SPMD program every PE of one kernel's rectangle runs";
  let description = [{
    Level 6: one program per rectangle `[x, y, w, h]`, parameterised by the
    PE's coordinates inside it (a PE's tile of every operand follows from
    its kernel's `split` and `tile`), never an op per PE. The body lists
    the PE's buffers (`wafer.buffer`, sized for the largest tile of the
    rectangle) and its tasks in order: `wafer.recv` (triggered by a
    stream's data arriving on a color), `wafer.compute` (the kernel's op on
    the local tiles), `wafer.reduce_step` (the split reduction's chain
    step) and `wafer.send`. `sram` is the sum of the buffers' bytes; the
    verifier holds it to the target's SRAM budget.

    Example:
    ```mlir
    wafer.pe_code @matmul_0 rect [4, 0, 2, 8] sram 1536 {
      wafer.buffer @in0 input operand 0 bytes 512
      wafer.buffer @w1 weight operand 1 bytes 512
      wafer.buffer @out2 output operand 2 bytes 512
      wafer.recv @s0 colors [5] into @in0
      wafer.compute
      wafer.send @out2 to @s1 colors [7]
    }
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$kernel, DenseI64ArrayAttr:$rect,
                       I64Attr:$sram);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $kernel `rect` $rect `sram` $sram attr-dict-with-keyword $body
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
  }];
}

def Wafer_BufferOp : Wafer_Op<"buffer", [HasParent<"PECodeOp">, Symbol]> {
  let summary = "A buffer in every PE's SRAM";
  let description = [{
    `bytes` per PE (the largest tile of the rectangle; a streamed operand
    holds two slices of its streamed dim). `operand` numbers the kernel
    op's operands, then its captured tensors.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, Wafer_BufferKind:$kind,
                       I64Attr:$operand, I64Attr:$bytes);
  let assemblyFormat = [{
    $sym_name $kind `operand` $operand `bytes` $bytes attr-dict
  }];
  let hasVerifier = 1;
}

def Wafer_RecvOp : Wafer_Op<"recv", [HasParent<"PECodeOp">]> {
  let summary = "Task: receive a stream's data arriving on colors";
  let arguments = (ins FlatSymbolRefAttr:$stream,
                       DenseI64ArrayAttr:$colors,
                       FlatSymbolRefAttr:$buffer);
  let assemblyFormat = "$stream `colors` $colors `into` $buffer attr-dict";
}

def Wafer_SendOp : Wafer_Op<"send", [HasParent<"PECodeOp">]> {
  let summary = "Task: send a buffer into a stream on colors";
  let arguments = (ins FlatSymbolRefAttr:$buffer, FlatSymbolRefAttr:$stream,
                       DenseI64ArrayAttr:$colors);
  let assemblyFormat = "$buffer `to` $stream `colors` $colors attr-dict";
}

def Wafer_ComputeOp : Wafer_Op<"compute", [HasParent<"PECodeOp">]> {
  let summary = "Task: the kernel's op on the PE's local tiles";
  let arguments = (ins I64Attr:$macs);
  let assemblyFormat = "`macs` $macs attr-dict";
}

def Wafer_ReduceStepOp : Wafer_Op<"reduce_step", [HasParent<"PECodeOp">]> {
  let summary = "Task: one step of a split reduction's chain";
  let description = [{
    The PE adds the partial sum arriving from upstream on one of `colors`
    (alternating by position along `dir`) into `buffer` and forwards the
    result downstream on the other; the chain's last PE keeps it.
  }];
  let arguments = (ins FlatSymbolRefAttr:$buffer, DenseI64ArrayAttr:$colors,
                       Wafer_FlowDirAttr:$dir);
  let assemblyFormat = "$buffer `colors` $colors `dir` $dir attr-dict";
}

def Wafer_RouterOp : Wafer_Op<"router", [HasParent<"ProgramOp">]> {
  let summary = "The router configuration of one pattern instance's color";
  let description = [{
    Level 6: the routers one color slot of a routed pattern configures.
    `owner` names what the pattern carries ("stream @s3", "kernel @k
    reduce", "output #0"), `step` its place in that chain, `slot` the
    color slot (`pattern`'s colors[slot] is the color). `roles` list the
    configurations in closed form over rectangles of routers. The
    interpreter moves data only through these configurations.

    Example:
    ```mlir
    wafer.router "stream @s1" step 0 slot 0
        #wafer.pattern<edge_shift east [3, 0, 2, 4] turn east bytes 128 colors [5] phase 0>
        [#wafer.role<[3, 0, 1, 4] all in R out "E" switch 1 filter false>,
         #wafer.role<[4, 0, 1, 4] all in W out "R" switch 1 filter false>]
    ```
  }];
  let arguments = (ins StrAttr:$owner, I64Attr:$step, I64Attr:$slot,
                       Wafer_PatternAttr:$pattern,
                       Wafer_RoleArrayAttr:$roles);
  let assemblyFormat = [{
    $owner `step` $step `slot` $slot $pattern $roles attr-dict
  }];
  let hasVerifier = 1;
}

#endif // WAFER_DIALECT_WAFER_WAFEROPS_TD
