//===- ReportUsage.cpp - report PEs and SRAM used ---------------*- C++ -*-===//
#include "wafer/Dialect/Wafer/Passes.h"
#include "wafer/Dialect/Wafer/WaferOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "wafer-report-usage"

namespace wafer {
#define GEN_PASS_DEF_WAFERREPORTUSAGE
#include "wafer/Dialect/Wafer/Passes.h.inc"
} // namespace wafer

using namespace mlir;
using namespace wafer;

namespace {
struct ReportUsagePass
    : public wafer::impl::WaferReportUsageBase<ReportUsagePass> {
  void runOnOperation() override {
    getOperation().walk([&](ProgramOp program) {
      int64_t pes = 0, peakSram = 0;
      for (KernelOp k : program.getBody().getOps<KernelOp>()) {
        pes += k.getNumPEs();
        peakSram = std::max(peakSram, k.getSramBytes());
        ++numKernels;
      }
      TargetModel target = program.getTarget().getModel();
      LLVM_DEBUG(llvm::dbgs() << "program " << program.getSymName() << ": "
                              << pes << " PEs\n");
      Builder b(program.getContext());
      program->setAttr("wafer.pes_used", b.getI64IntegerAttr(pes));
      program->setAttr("wafer.peak_sram", b.getI64IntegerAttr(peakSram));
      program.emitRemark() << "uses " << pes << " of " << target.numPEs()
                           << " PEs, peak SRAM " << peakSram << " B per PE";
    });
  }
};
} // namespace
