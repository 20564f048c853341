//===- PEInterpreterTest.cpp - routed programs vs the golden evaluator ----===//

#include "wafer/Interpreter/PEInterpreter.h"
#include "wafer/Dialect/Wafer/Passes.h"
#include "wafer/Dialect/Wafer/WaferOps.h"
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
  // The busiest link leaves (0, 10) east: the host's multicast along the
  // matmul's last row (2048 B over 11 rows: 187 B) plus the gather that
  // collects the whole result on that row (2048 B).
  EXPECT_EQ(run->maxLinkLoad, 2048u + 187u);
  // Patterns, not pairs: PE (15, 10) ends a column's chain reduce (2
  // colors) and hosts the host multicast along row 10 (1), the gather of
  // the result on that row (1) and the path down to the relu (1): five
  // colors where point-to-point trees needed 17.
  EXPECT_EQ(run->maxColorsPerRouter, 5);
  // The simulated time is never below its own bounds.
  EXPECT_GE(double(run->cycles), run->computeBoundCycles);
  EXPECT_GE(run->cycles, run->criticalPathCycles);
  EXPECT_GE(double(run->cycles), run->commBoundCycles);
  EXPECT_EQ(run->phases.size(), 5u); // s0, mm, mm reduce, s1, relu
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
