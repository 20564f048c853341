//===- WaferAttrs.td - wafer attributes --------------------*- tablegen -*-===//
#ifndef WAFER_DIALECT_WAFER_WAFERATTRS_TD
#define WAFER_DIALECT_WAFER_WAFERATTRS_TD

include "wafer/Dialect/Wafer/WaferDialect.td"

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

#endif // WAFER_DIALECT_WAFER_WAFERATTRS_TD
