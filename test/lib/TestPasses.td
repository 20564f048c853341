//===- TestPasses.td - wafer's test-only passes ------------*- tablegen -*-===//
//
// Passes that exist for lit tests only; wafer-opt registers them, no
// library of the compiler links them (so no compiler pass depends on the
// interpreter).
//
//===----------------------------------------------------------------------===//
#ifndef WAFER_TEST_TESTPASSES_TD
#define WAFER_TEST_TESTPASSES_TD

include "mlir/Pass/PassBase.td"

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

#endif // WAFER_TEST_TESTPASSES_TD
