//===- TestExecute.cpp - run the PE interpreter from wafer-opt ------------===//
//
// Test-only driver so lit tests can execute a routed program (and its
// perturbed variants) without the wafer-run tool.
//
//===----------------------------------------------------------------------===//

#include "TestPasses.h"
#include "wafer/Dialect/Wafer/WaferOps.h"
#include "wafer/Interpreter/PEInterpreter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "llvm/Support/FormatVariadic.h"

namespace wafer {
#define GEN_PASS_DECL
#define GEN_PASS_DEF_WAFERTESTEXECUTE
#include "TestPasses.h.inc"
} // namespace wafer

using namespace mlir;
using namespace wafer;

namespace {
struct TestExecutePass
    : public wafer::impl::WaferTestExecuteBase<TestExecutePass> {
  void runOnOperation() override {
    getOperation().walk([&](ProgramOp program) {
      std::vector<interp::Tensor> inputs;
      for (BlockArgument a : program.getBodyBlock().getArguments()) {
        auto type = cast<RankedTensorType>(a.getType());
        auto kind = interp::elementKindFromType(type.getElementType());
        if (kind != interp::ElementKind::F32) {
          program.emitError("wafer-test-execute: only f32 inputs, got ")
              << type;
          return signalPassFailure();
        }
        interp::Tensor t(*kind, type.getShape());
        for (int64_t e = 0; e < t.getNumElements(); ++e)
          t.dataAs<float>()[e] =
              float((e * 7 + a.getArgNumber() * 3) % 11 - 5) / 4.0f;
        inputs.push_back(std::move(t));
      }
      auto r = interp::executeProgram(program, inputs);
      if (!r) {
        program.emitError() << llvm::toString(r.takeError());
        return signalPassFailure();
      }
      std::string sums;
      for (const interp::Tensor &t : r->outputs) {
        double s = 0;
        for (int64_t e = 0; e < t.getNumElements(); ++e)
          s += t.getAsDouble(e);
        sums += llvm::formatv(" {0:F3}", s).str();
      }
      program.emitRemark() << llvm::formatv(
          "executed: {0} cycles (compute bound {1:F1}, critical path {2}, "
          "{8} routing phases, {9} reconfiguring), max link load {3} B, {4} "
          "colors per router, peak PE {5} B, {6} pairs checked, output "
          "sums{7}",
          r->cycles, r->computeBoundCycles, r->criticalPathCycles,
          r->maxLinkLoad, r->maxColorsPerRouter, r->peakPEBytes,
          r->checkedPairs, sums, r->routePhases, r->reconfigurationCycles);
    });
  }
};
} // namespace

namespace wafer {
#define GEN_PASS_REGISTRATION
#include "TestPasses.h.inc"
} // namespace wafer

void wafer::test::registerTestPasses() { wafer::registerWaferTestPasses(); }
