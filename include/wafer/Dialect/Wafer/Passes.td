//===- Passes.td - wafer passes ----------------------------*- tablegen -*-===//
#ifndef WAFER_DIALECT_WAFER_PASSES_TD
#define WAFER_DIALECT_WAFER_PASSES_TD

include "mlir/Pass/PassBase.td"

def WaferReportUsage : Pass<"wafer-report-usage", "::mlir::ModuleOp"> {
  let summary = "Report PEs and SRAM used by every wafer.program";
  let description = [{
    For every `wafer.program`, counts the PEs its kernels occupy and the
    peak SRAM bytes per PE, emits them as remarks on the program, and
    records them as `wafer.pes_used` / `wafer.peak_sram` attributes.
  }];
  let statistics = [
    Statistic<"numKernels", "kernels", "Number of kernels seen">
  ];
}

def WaferMap : Pass<"wafer-map", "::mlir::ModuleOp"> {
  let summary = "Map tensor-level linalg ops onto kernels on rectangles of PEs";
  let description = [{
    Turns the model function (linalg on tensors, see docs/tensor-level.md)
    into a `wafer.program`: every linalg op becomes a `wafer.kernel` holding
    the op, the constants it keeps resident and the fill that initialises
    it; data movement between kernels (reshapes, slices, concatenation)
    becomes `wafer.stream` ops. Each kernel's distribution (which iteration
    dims are split along mesh x and y, the per-PE tile, the rectangle) comes
    from its indexing maps through the IR-free tiling library
    (include/wafer/Tile/Tiling.h): PEs in proportion to work, never fewer
    than the kernel's SRAM needs. When the model cannot fit, the error names
    the kernel's ONNX node, the bytes per PE it needs at best and the PEs
    that are free.
  }];
  let dependentDialects = ["::wafer::WaferDialect"];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"wse2\"",
           "Target machine: wse2, wse3 or a mesh WxH">,
    Option<"targetOverrides", "target-overrides", "std::string",
           /*default=*/"\"\"",
           "Comma-separated key=value target fields (e.g. sram_budget=40000)">,
    Option<"utilization", "utilization", "double", /*default=*/"0.85",
           "Fraction of the mesh's PEs the kernels may use (the rest is "
           "slack for packing rectangles)">,
    Option<"entry", "entry", "std::string", /*default=*/"\"\"",
           "Function to map (default: the module's only public function)">
  ];
  let statistics = [
    Statistic<"numKernels", "kernels", "Kernels created">,
    Statistic<"numStreams", "streams", "Streams created">,
    Statistic<"numPEs", "pes", "PEs assigned to kernels">
  ];
}

def WaferPlace : Pass<"wafer-place", "::mlir::ModuleOp"> {
  let summary = "Place every kernel's rectangle on the mesh";
  let description = [{
    Builds a placement problem (rectangles in layer-pipeline order, traffic
    between them from the streams) for each `wafer.program`, solves it with
    the serpentine solver of include/wafer/Place/Placement.h and writes each
    kernel's `origin`. Records the total traffic x hop distance as
    `wafer.traffic_hops` on the program. A rectangle that does not fit is an
    error naming the kernel.
  }];
  let dependentDialects = ["::wafer::WaferDialect"];
}


def WaferRoute : Pass<"wafer-route", "::mlir::ModuleOp"> {
  let summary = "Route every stream of a placed program and assign colors";
  let description = [{
    For each placed `wafer.program`, derives every stream's flows from the
    producers' output distribution, the stream's movement body and the
    consumer's input indexing maps and tile (which producer PE sends to
    which consumer PE), compresses them into rectangle-parameterised flow
    families (multicast trees with replication), routes them with the
    dimension-ordered router of include/wafer/Route/Routing.h and writes
    the solution back: `color` (lowest color) and `routes` on each stream,
    one `array<i64: sx, sy, dx, dy, dw, dh, ni, nj, si, sj, bytes, c...>`
    per family with one color, or one per replica (i + j * ni). The program
    gets `wafer.max_link_load` (bytes per inference on the busiest link) and
    `wafer.max_colors_per_router`. Host inputs enter at the west edge: the
    data for consumer PEs in mesh row y is injected at PE (0, y). Running
    out of colors is an error on the stream naming the PE and the streams.
  }];
  let dependentDialects = ["::wafer::WaferDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::arith::ArithDialect"];
  let statistics = [
    Statistic<"numFamilies", "families", "Flow families routed">
  ];
}

def WaferTestExecute : Pass<"wafer-test-execute", "::mlir::ModuleOp"> {
  let summary = "Test only: execute routed programs PE by PE on fixed inputs";
  let description = [{
    Runs the PE interpreter (include/wafer/Interpreter/PEInterpreter.h) on
    every `wafer.program` with deterministic inputs (element e of input n is
    ((e * 7 + n * 3) % 11 - 5) / 4) and emits a remark with the cycles and
    the outputs' sums, or an error on the program with the interpreter's
    message (undelivered data, route conflicts, SRAM over budget).
  }];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::arith::ArithDialect"];
}

#endif // WAFER_DIALECT_WAFER_PASSES_TD
