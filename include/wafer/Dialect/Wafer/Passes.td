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

#endif // WAFER_DIALECT_WAFER_PASSES_TD
