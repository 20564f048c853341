//===- WaferAttrs.td - wafer attributes --------------------*- tablegen -*-===//
#ifndef WAFER_DIALECT_WAFER_WAFERATTRS_TD
#define WAFER_DIALECT_WAFER_WAFERATTRS_TD

include "wafer/Dialect/Wafer/WaferDialect.td"
include "mlir/IR/EnumAttr.td"

def Wafer_TargetAttr : Wafer_Attr<"Target", "target"> {
  let summary = "The target machine: mesh, SRAM, clock, links, colors";
  let description = [{
    Mirrors `wafer::TargetModel` (include/wafer/Target/TargetModel.h), the
    plain C++ description of the machine used by every algorithm.

    Example:
    ```mlir
    #wafer.target<name = "wse2", width = 750, height = 994,
                  sram_bytes = 49152, sram_budget = 45056, clock_mhz = 850,
                  macs_f32 = 1, macs_f16 = 4, link_bytes = 4, colors = 24,
                  reserved_colors = 3, hop_latency = 1, ramp_latency = 2>
    ```
  }];
  let parameters = (ins
    "::mlir::StringAttr":$name,
    "int64_t":$width,
    "int64_t":$height,
    "int64_t":$sram_bytes,
    "int64_t":$sram_budget,
    "int64_t":$clock_mhz,
    "int64_t":$macs_f32,
    "int64_t":$macs_f16,
    "int64_t":$link_bytes,
    "int64_t":$colors,
    "int64_t":$reserved_colors,
    "int64_t":$hop_latency,
    "int64_t":$ramp_latency
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The plain C++ model this attribute mirrors.
    ::wafer::TargetModel getModel() const;
    static TargetAttr get(::mlir::MLIRContext *ctx,
                          const ::wafer::TargetModel &model);
  }];
}

def Wafer_CommPattern : I32EnumAttr<"CommPattern",
    "a communication pattern of include/wafer/Route/Patterns.h", [
    I32EnumAttrCase<"EdgeShift", 0, "edge_shift">,
    I32EnumAttrCase<"Multicast", 1, "multicast">,
    I32EnumAttrCase<"Scatter", 2, "scatter">,
    I32EnumAttrCase<"Gather", 3, "gather">,
    I32EnumAttrCase<"ChainReduce", 4, "chain_reduce">,
    I32EnumAttrCase<"Allreduce", 5, "allreduce">,
    I32EnumAttrCase<"AllToAll", 6, "all_to_all">,
    I32EnumAttrCase<"StoreForward", 7, "store_forward">
  ]> {
  let cppNamespace = "::wafer";
  let genSpecializedAttr = 0;
}

def Wafer_FlowDir : I32EnumAttr<"FlowDir", "direction of flow along a line", [
    I32EnumAttrCase<"East", 0, "east">,
    I32EnumAttrCase<"West", 1, "west">,
    I32EnumAttrCase<"North", 2, "north">,
    I32EnumAttrCase<"South", 3, "south">
  ]> {
  let cppNamespace = "::wafer";
  let genSpecializedAttr = 0;
}

def Wafer_PatternAttr : Wafer_Attr<"Pattern", "pattern"> {
  let summary = "One routed communication-pattern instance";
  let description = [{
    Mirrors `wafer::route::Pattern` (include/wafer/Route/Patterns.h): the
    pattern kind, the rectangle of routers `[x, y, w, h]` it spans, the
    direction of flow along its lines (`turn`: the second leg of a
    store_forward path; equal to the direction otherwise), the bytes per
    inference entering each line, the physical colors of its color slots
    and the routing phase it runs in. The router configurations (input
    port, output ports, switch positions, filters per color) follow from
    these fields in closed form; `wafer-translate --wafer-print-routes`
    lists them. `toPattern()` / `get(ctx, pattern, colors, phase)` are the
    one encoder/decoder shared by the router and its readers.

    Example:
    ```mlir
    #wafer.pattern<edge_shift east [3, 0, 2, 4] turn east bytes 128 colors [5] phase 0>
    ```
  }];
  let parameters = (ins
    EnumParameter<Wafer_CommPattern>:$kind,
    EnumParameter<Wafer_FlowDir>:$dir,
    "int64_t":$x, "int64_t":$y, "int64_t":$w, "int64_t":$h,
    EnumParameter<Wafer_FlowDir>:$turn,
    "int64_t":$bytes,
    ArrayRefParameter<"int64_t">:$colors,
    "int64_t":$phase
  );
  let assemblyFormat = [{
    `<` $kind $dir `[` $x `,` $y `,` $w `,` $h `]` `turn` $turn
    `bytes` $bytes `colors` `[` $colors `]` `phase` $phase `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The IR-free pattern this attribute encodes.
    ::wafer::route::Pattern toPattern() const;
    static PatternAttr get(::mlir::MLIRContext *ctx,
                           const ::wafer::route::Pattern &pattern,
                           ::llvm::ArrayRef<int64_t> colors, int64_t phase);
  }];
}

def Wafer_PatternArrayAttr : TypedArrayAttrBase<Wafer_PatternAttr,
                                                "array of routed patterns">;
def Wafer_PatternChainsAttr : TypedArrayAttrBase<Wafer_PatternArrayAttr,
                                                 "one pattern array per value">;

def Wafer_FlowDirAttr : EnumAttr<Wafer_Dialect, Wafer_FlowDir, "flow_dir">;

def Wafer_RouterPort : I32EnumAttr<"RouterPort", "a router port", [
    I32EnumAttrCase<"East", 0, "E">,
    I32EnumAttrCase<"West", 1, "W">,
    I32EnumAttrCase<"North", 2, "N">,
    I32EnumAttrCase<"South", 3, "S">,
    I32EnumAttrCase<"Ramp", 4, "R">
  ]> {
  let cppNamespace = "::wafer";
  let genSpecializedAttr = 0;
}

def Wafer_RoleParity : I32EnumAttr<"RoleParity",
    "which routers along a role's lines it covers", [
    I32EnumAttrCase<"All", 0, "all">,
    I32EnumAttrCase<"Even", 1, "even">,
    I32EnumAttrCase<"Odd", 2, "odd">
  ]> {
  let cppNamespace = "::wafer";
  let genSpecializedAttr = 0;
}

def Wafer_RoleAttr : Wafer_Attr<"Role", "role"> {
  let summary = "One router configuration shared by a rectangle of routers";
  let description = [{
    Level 6 (lowered) router configuration: every router in `[x, y, w, h]`
    (with `even` / `odd`: every other router along the enclosing pattern's
    flow, counted from its first router) forwards the color of its
    `wafer.router` op from input port `in` to the output ports `out`
    (letters of E, W, N, S and R, the ramp to the PE). `switch` is the
    number of switch positions the configuration cycles through (2: a
    gather's or all-to-all's router first injects its own data from the
    ramp, then passes upstream data); `filter` arms a counter filter that
    keeps only this PE's chunk. Mirrors `wafer::route::Role`.

    Example:
    ```mlir
    #wafer.role<[3, 0, 1, 4] all in W out "ER" switch 1 filter false>
    ```
  }];
  let parameters = (ins
    "int64_t":$x, "int64_t":$y, "int64_t":$w, "int64_t":$h,
    EnumParameter<Wafer_RoleParity>:$parity,
    EnumParameter<Wafer_RouterPort>:$input,
    StringRefParameter<"output ports, letters of EWNSR">:$outputs,
    "int64_t":$switch_positions,
    "bool":$filter
  );
  let assemblyFormat = [{
    `<` `[` $x `,` $y `,` $w `,` $h `]` $parity `in` $input `out` $outputs
    `switch` $switch_positions `filter` $filter `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The IR-free role this attribute encodes (slot 0).
    ::wafer::route::Role toRole() const;
    static RoleAttr get(::mlir::MLIRContext *ctx,
                        const ::wafer::route::Role &role);
  }];
}

def Wafer_RoleArrayAttr : TypedArrayAttrBase<Wafer_RoleAttr,
    "array of router roles">;

#endif // WAFER_DIALECT_WAFER_WAFERATTRS_TD
