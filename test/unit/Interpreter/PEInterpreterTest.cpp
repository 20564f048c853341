//===- PEInterpreterTest.cpp - routed programs vs the golden evaluator ----===//

#include "wafer/Interpreter/PEInterpreter.h"
#include "wafer/Dialect/Wafer/Passes.h"
#include "wafer/Dialect/Wafer/WaferOps.h"
#include "wafer/Dialect/Wafer/WaferRoutes.h"
#include "wafer/InitAll.h"
#include "wafer/Interpreter/Evaluator.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mlir;
using namespace wafer;

namespace {

const char *kFc = R"mlir(
func.func @main(%x: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %w = arith.constant dense<0.5> : tensor<64x64xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x64xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<8x64xf32>) -> tensor<8x64xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<8x64xf32>, tensor<64x64xf32>) outs(%f : tensor<8x64xf32>) -> tensor<8x64xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<8x64xf32>) outs(%e : tensor<8x64xf32>) {
  ^bb0(%a: f32, %b: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<8x64xf32>
  return %r : tensor<8x64xf32>
}
)mlir";

interp::Tensor input(ArrayRef<int64_t> shape, int seed) {
  interp::Tensor t(interp::ElementKind::F32, shape);
  for (int64_t e = 0; e < t.getNumElements(); ++e)
    t.dataAs<float>()[e] = std::sin(0.37f * e + seed);
  return t;
}

struct Compiled {
  MLIRContext ctx;
  OwningOpRef<ModuleOp> golden, mapped;
};

std::unique_ptr<Compiled> compile(const char *src, StringRef target) {
  auto c = std::make_unique<Compiled>();
  DialectRegistry registry;
  wafer::registerAllDialects(registry);
  c->ctx.appendDialectRegistry(registry);
  c->ctx.loadAllAvailableDialects();
  c->golden = parseSourceString<ModuleOp>(src, &c->ctx);
  c->mapped = parseSourceString<ModuleOp>(src, &c->ctx);
  if (!c->golden || !c->mapped)
    return nullptr;
  PassManager pm(&c->ctx);
  WaferMapOptions opts;
  opts.target = target.str();
  pm.addPass(createWaferMap(opts));
  pm.addPass(createWaferPlace());
  pm.addPass(createWaferRoute());
  if (failed(pm.run(*c->mapped)))
    return nullptr;
  return c;
}

TEST(PEInterpreter, MatchesGoldenOnRoutedFc) {
  auto c = compile(kFc, "16x16");
  ASSERT_TRUE(c);
  auto func = *c->golden->getOps<func::FuncOp>().begin();
  auto program = *c->mapped->getOps<ProgramOp>().begin();
  std::vector<interp::Tensor> in = {input({8, 64}, 1)};
  auto golden = interp::evaluateFunction(func, in);
  ASSERT_TRUE(bool(golden)) << llvm::toString(golden.takeError());
  auto run = interp::executeProgram(program, in);
  ASSERT_TRUE(bool(run)) << llvm::toString(run.takeError());
  ASSERT_EQ(run->outputs.size(), 1u);
  const interp::Tensor &a = run->outputs[0], &b = (*golden)[0];
  ASSERT_EQ(a.getShape(), b.getShape());
  for (int64_t e = 0; e < a.getNumElements(); ++e) {
    double x = a.getAsDouble(e), y = b.getAsDouble(e);
    EXPECT_LE(std::abs(x - y), 1e-4 + 1e-3 * std::abs(y)) << "element " << e;
  }
  EXPECT_GT(run->checkedPairs, 0);
  // The busiest link leaves (0, 11) east: the relu sits under the
  // matmul's last column on rows 11-13, so the result row multicasts down
  // the matmul's columns and each of those rows gathers its third of the
  // result (2048 B / 3) into the relu.
  EXPECT_EQ(run->maxLinkLoad, 683u);
  // Patterns, not pairs: PE (0, 10) ends a column's chain reduce (2
  // colors), sends the host's multicast along row 10 (1) and starts the
  // result's multicast down its column (1): four colors where
  // point-to-point trees needed 17.
  EXPECT_EQ(run->maxColorsPerRouter, 4);
  // The simulated time is never below its own bounds.
  EXPECT_GE(double(run->cycles), run->computeBoundCycles);
  EXPECT_GE(run->cycles, run->criticalPathCycles);
  EXPECT_GE(double(run->cycles), run->commBoundCycles);
  EXPECT_EQ(run->phases.size(), 5u); // s0, mm, mm reduce, s1, relu
  // The timing model alone (what wafer-run's --sub-rectangles=auto compares)
  // gives the same cycles and route figures without running a kernel.
  auto est = interp::estimateProgram(program);
  ASSERT_TRUE(bool(est)) << llvm::toString(est.takeError());
  EXPECT_EQ(est->cycles, run->cycles);
  EXPECT_EQ(est->criticalPathCycles, run->criticalPathCycles);
  EXPECT_EQ(est->maxLinkLoad, run->maxLinkLoad);
  EXPECT_EQ(est->maxColorsPerRouter, run->maxColorsPerRouter);
  EXPECT_TRUE(est->outputs.empty());
}

TEST(PEInterpreter, RejectsWrongInputShape) {
  auto c = compile(kFc, "16x16");
  ASSERT_TRUE(c);
  auto program = *c->mapped->getOps<ProgramOp>().begin();
  std::vector<interp::Tensor> in = {input({4, 64}, 1)};
  auto run = interp::executeProgram(program, in);
  ASSERT_FALSE(bool(run));
  EXPECT_EQ(llvm::toString(run.takeError()),
            "program @main: input #0 expected 8x64xf32, got 4x64xf32");
}

TEST(PEInterpreter, AnalyzeStreamMulticastsHostRows) {
  auto c = compile(kFc, "16x16");
  ASSERT_TRUE(c);
  auto program = *c->mapped->getOps<ProgramOp>().begin();
  StreamOp s0 = *program.getBodyBlock().getOps<StreamOp>().begin();
  auto needs = interp::analyzeStream(s0);
  ASSERT_TRUE(bool(needs)) << llvm::toString(needs.takeError());
  EXPECT_TRUE(needs->fromHost);
  // 16 x 11 matmul PEs, each fed from the west edge of its own row.
  ASSERT_EQ(needs->pairs.size(), 176u);
  for (const interp::StreamPair &p : needs->pairs) {
    EXPECT_EQ(p.srcX, 0);
    EXPECT_EQ(p.srcY, p.dstY);
    EXPECT_EQ(p.elements, p.dstY == 10 ? 32 : 48); // 8 tokens x k chunk
  }
}
} // namespace

namespace {
const interp::PhaseTime *phase(const interp::ExecutionResult &r,
                               llvm::StringRef name) {
  for (const interp::PhaseTime &p : r.phases)
    if (p.name == name)
      return &p;
  return nullptr;
}
} // namespace

// Known answers: the executed program's tasks take the closed forms of
// DESIGN.md (4 B per cycle per link, 1 cycle per hop, 2 cycles per ramp, 1
// MAC per PE per cycle), computed here from the routed IR.
TEST(PEInterpreterTiming, TasksTakeTheirClosedForms) {
  auto c = compile(kFc, "16x16");
  ASSERT_TRUE(c);
  PassManager pm(&c->ctx);
  pm.addPass(createWaferLowerPE());
  ASSERT_TRUE(succeeded(pm.run(*c->mapped)));
  auto program = *c->mapped->getOps<ProgramOp>().begin();
  auto run = interp::executeProgram(program, {input({8, 64}, 1)});
  ASSERT_TRUE(bool(run)) << llvm::toString(run.takeError());
  EXPECT_GT(run->routersVisited, 0);

  SmallVector<StreamOp> streams(program.getBodyBlock().getOps<StreamOp>());
  SmallVector<KernelOp> kernels(program.getBodyBlock().getOps<KernelOp>());
  ASSERT_EQ(streams.size(), 2u);
  ASSERT_EQ(kernels.size(), 2u);

  // A multicast from the host column: B bytes per line over h hops take
  // ceil(B / 4) + h + 2 * 2 cycles.
  auto s0 = decodeRoutes(streams[0].getRoutesAttr());
  ASSERT_EQ(s0.size(), 1u);
  EXPECT_EQ(s0[0].pattern.kind, route::PatternKind::Multicast);
  int64_t bytes = s0[0].pattern.bytes, hops = s0[0].pattern.rect.w - 1;
  const interp::PhaseTime *t0 = phase(*run, "stream @s0");
  ASSERT_TRUE(t0);
  EXPECT_EQ(t0->start, 0);
  EXPECT_EQ(t0->end - t0->start, (bytes + 3) / 4 + hops + 4);

  // M MACs on P PEs at 1 MAC per PE per cycle: ceil(M / P), starting when
  // its input has arrived.
  KernelOp mm = kernels[0];
  const interp::PhaseTime *tk = phase(*run, "kernel @" + mm.getSymName().str());
  ASSERT_TRUE(tk);
  int64_t macs = mm.getMacs(), pes = mm.getNumPEs();
  EXPECT_EQ(tk->start, t0->end);
  EXPECT_EQ(tk->end - tk->start, (macs + pes - 1) / pes);

  // A chain reduce over P PEs along a column: every link carries one
  // output tile of B bytes, pipelined, each stage a ramp in, an add and a
  // ramp out: ceil(B / 4) + (2 * 2 + 2) * (P - 1). The chain consumes the
  // matmul's token slices as they come (8 tokens: it starts after the
  // first slice and ends no earlier than one of its slices after the
  // matmul).
  auto chain = decodeRoutes(mm.getRoutesAttr());
  ASSERT_EQ(chain.size(), 1u);
  ASSERT_EQ(chain[0].pattern.kind, route::PatternKind::ChainReduce);
  int64_t tileBytes = chain[0].pattern.bytes, p = chain[0].pattern.rect.h;
  int64_t closed = (tileBytes + 3) / 4 + (2 * 2 + 2) * (p - 1);
  const interp::PhaseTime *tr = phase(*run, "reduce @" + mm.getSymName().str());
  ASSERT_TRUE(tr);
  int64_t chunks = mm.getDims()[mm.getStreamDim()];
  ASSERT_EQ(chunks, 8);
  int64_t mmDur = tk->end - tk->start;
  EXPECT_EQ(tr->start, tk->start + (mmDur + chunks - 1) / chunks);
  EXPECT_EQ(tr->end, std::max(tr->start + closed,
                              tk->end + (closed + chunks - 1) / chunks));

  // B bytes over h hops: the matmul's result funnels to the relu (a
  // gather along the last row, then store-and-forward down), ceil(B / 4)
  // over the busiest link plus every hop plus the ramps, streamed token by
  // token behind the chain.
  auto s1 = decodeRoutes(streams[1].getRoutesAttr());
  int64_t s1Bytes = 0, s1Hops = 0;
  for (const RoutedPattern &r : s1) {
    s1Bytes = std::max(s1Bytes, r.pattern.bytes);
    s1Hops += r.pattern.hopsPerLine();
  }
  int64_t d1 = (s1Bytes + 3) / 4 + s1Hops + 4;
  const interp::PhaseTime *t1 = phase(*run, "stream @s1");
  ASSERT_TRUE(t1);
  int64_t rDur = closed;
  EXPECT_EQ(t1->start, tr->start + (rDur + chunks - 1) / chunks);
  EXPECT_EQ(t1->end,
            std::max(t1->start + d1, tr->end + (d1 + chunks - 1) / chunks));

  // The total is the schedule's end plus reconfiguration (one phase: 0).
  int64_t last = 0;
  for (const interp::PhaseTime &ph : run->phases)
    last = std::max(last, ph.end);
  EXPECT_EQ(run->cycles, last + run->reconfigurationCycles);
}
