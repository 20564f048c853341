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
    it (a normalisation's ops become one kernel of several stages, see
    `fuse-norms`); data movement between kernels (reshapes, slices, concatenation)
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
           "Function to map (default: the module's only public function)">,
    Option<"fuseNorms", "fuse-norms", "bool", /*default=*/"true",
           "Map each normalisation (LayerNorm, RMSNorm, softmax: row "
           "reductions and elementwise ops over the same rows) as one kernel "
           "whose stages allreduce along the line that splits the reduced "
           "dim; false: one kernel per linalg op">,
    Option<"subRectangles", "sub-rectangles", "std::string",
           /*default=*/"\"fit\"",
           "When a kernel may split two parallel dims along x, one "
           "sub-rectangle per index of the outer (attention's heads): fit "
           "(only when no split of one dim per mesh axis fits SRAM) or idle "
           "(also when those leave more than half of its PEs idle)">,
    Option<"sizing", "sizing", "std::string", /*default=*/"\"work\"",
           "How kernels share the PEs: work (each its SRAM minimum, the "
           "rest in proportion to work) or balanced (first the smallest "
           "bottleneck every kernel reaches on its own Pareto frontier of "
           "PEs against cycles, the rest by work)">
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

    `refine=hops` then runs the local search of Placement.h (block swaps and
    shifts) on traffic x hops; `refine=links` scores each candidate by the
    router instead: every stream, reduction and output is re-decomposed
    into patterns for the candidate placement and the move is kept when the
    busiest link's bytes (then the bytes on all links) go down. The search
    is deterministic for a given `seed`.
  }];
  let dependentDialects = ["::wafer::WaferDialect"];
  let options = [
    Option<"refine", "refine", "std::string", /*default=*/"\"none\"",
           "Refinement after the serpentine: none, hops (traffic x hops) or "
           "links (the router's busiest link)">,
    Option<"iterations", "iterations", "int64_t", /*default=*/"2000",
           "Local-search moves when refining">,
    Option<"seed", "seed", "uint64_t", /*default=*/"1",
           "Seed of the local search">
  ];
  let statistics = [
    Statistic<"numImproved", "improved",
               "Programs whose placement the refinement improved">
  ];
}


def WaferRoute : Pass<"wafer-route", "::mlir::ModuleOp"> {
  let summary = "Route every stream of a placed program as communication patterns";
  let description = [{
    For each placed `wafer.program`, turns every stream, every split
    reduction and every model output into a chain of communication
    patterns (include/wafer/Route/Streams.h: gather onto an edge line,
    1-D all-to-all along it, edge shift between facing edges, scatter or
    multicast into the consumer; store-and-forward where the rectangles do
    not face each other; chain reduce for partial sums), then assigns
    physical colors by colouring the patterns that share a router
    (include/wafer/Route/PatternRouter.h). Where a region needs more colors
    or filters than a router has, patterns run in later phases with the
    routers reconfigured in between, so a placed program always routes.

    Writes typed `#wafer.pattern` attributes: `routes` on each stream and
    kernel, one chain per model output on `wafer.output`; and on the
    program `wafer.colors_max` (most colors at one router in one phase) at
    `wafer.colors_max_at`, `wafer.max_link_bytes` (bytes per inference on
    the busiest directed link) at `wafer.max_link_at` towards
    `wafer.max_link_dir`, and `wafer.route_phases`. Host inputs enter at
    the west edge (column 0) and outputs leave there. The program verifier
    re-checks the result: every chain serves its consumer's PEs, no two
    patterns of one phase share a router on a color.
  }];
  let dependentDialects = ["::wafer::WaferDialect"];
  let statistics = [
    Statistic<"numPatterns", "patterns", "Pattern instances requested">,
    Statistic<"numInstances", "instances",
              "Distinct pattern instances after sharing">,
    Statistic<"numPhases", "phases", "Routing phases">
  ];
}

def WaferPrintRoutes : Pass<"wafer-print-routes", "::mlir::ModuleOp"> {
  let summary = "Print every routed pattern's router configurations";
  let description = [{
    For each routed `wafer.program`, prints to stdout every pattern of every
    kernel, stream and model output with the routers it configures, in the
    closed form the pattern library defines (include/wafer/Route/Patterns.h):
    per color, a rectangle of routers (every other one along the line for
    alternating roles), the input port, the output ports, the switch
    positions and whether a filter is armed. Then the program's figures:
    instances, phases, most colors at one router and the busiest link.
    Nothing is listed per PE, so the output stays small on the whole wafer.

    Example line:
    ```
    stream @s1 #1 edge_shift east [3,0 2x4] 256 B phase 0
      color 5 source   [3,0 1x4] R->E
    ```
  }];
}


def WaferLowerPE : Pass<"wafer-lower-pe", "::mlir::ModuleOp"> {
  let summary = "Lower a routed program to per-PE programs and router configurations (level 6)";
  let description = [{
    For every kernel of a routed `wafer.program`, adds one `wafer.pe_code`:
    the SPMD program of its rectangle, parameterised by the PE's
    coordinates inside it. Its buffers (`wafer.buffer`: weights, received
    inputs, outputs and a reduction chain's partial sums, sized for the
    largest tile of the rectangle, a streamed operand as two slices) and
    its tasks in order: `wafer.recv` of every input stream on the colors its
    route delivers on, `wafer.compute`, `wafer.reduce_step` for a split
    reduction, `wafer.send` into every stream that reads its results on the
    colors that stream's route starts on. For every color slot of every
    routed pattern (streams, reduction chains, model outputs) it adds one
    `wafer.router` with the router configurations in closed form
    (`#wafer.role`: rectangle, parity, input port, output ports, switch
    positions, filter). Nothing is emitted per PE. Lowering again replaces
    the previous level-6 ops. The result is what the interpreter runs
    (wafer-run) and what a hardware back end would consume.
  }];
  let dependentDialects = ["::wafer::WaferDialect"];
  let statistics = [
    Statistic<"numPECode", "pe-codes", "PE programs (one per rectangle)">,
    Statistic<"numRouters", "router-ops", "router configurations (pattern color slots)">,
    Statistic<"numRoles", "roles", "router roles (rectangles of routers)">
  ];
}

#endif // WAFER_DIALECT_WAFER_PASSES_TD
