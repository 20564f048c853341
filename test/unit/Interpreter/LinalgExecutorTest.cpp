//===- LinalgExecutorTest.cpp - compiled linalg bodies over boxes ---------===//
#include "wafer/Interpreter/LinalgExecutor.h"
#include "wafer/Interpreter/Evaluator.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace wafer::interp;

namespace {

class LinalgExecutorTest : public ::testing::Test {
protected:
  LinalgExecutorTest() {
    ctx.loadDialect<func::FuncDialect, linalg::LinalgDialect,
                    arith::ArithDialect, math::MathDialect,
                    tensor::TensorDialect>();
  }
  /// Parses `src` and returns its first linalg op.
  linalg::LinalgOp parse(llvm::StringRef src) {
    module = parseSourceString<ModuleOp>(src, &ctx);
    EXPECT_TRUE(module);
    linalg::LinalgOp found;
    module->walk([&](linalg::LinalgOp op) {
      if (!found)
        found = op;
    });
    EXPECT_TRUE(found);
    return found;
  }
  func::FuncOp func() { return cast<func::FuncOp>(module->getBody()->front()); }

  MLIRContext ctx;
  OwningOpRef<ModuleOp> module;
};

Tensor iota(llvm::ArrayRef<int64_t> shape, float scale, float bias) {
  Tensor t(ElementKind::F32, shape);
  for (int64_t i = 0; i < t.getNumElements(); ++i)
    t.dataAs<float>()[i] = std::sin(scale * i + bias);
  return t;
}

constexpr const char *kMatmul = R"mlir(
func.func @f(%a: tensor<9x13xf32>, %b: tensor<13x10xf32>, %c: tensor<9x10xf32>) -> tensor<9x10xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<9x13xf32>, tensor<13x10xf32>) outs(%c : tensor<9x10xf32>) -> tensor<9x10xf32>
  return %0 : tensor<9x10xf32>
}
)mlir";

TEST_F(LinalgExecutorTest, MatmulKernelEqualsBytecode) {
  auto op = parse(kMatmul);
  auto compiled = CompiledLinalgOp::compile(op);
  ASSERT_TRUE(static_cast<bool>(compiled))
      << llvm::toString(compiled.takeError());
  EXPECT_TRUE(compiled->isContraction());
  Tensor a = iota({9, 13}, 0.3f, 0.1f), b = iota({13, 10}, 0.7f, 0.2f);
  Tensor c0(ElementKind::F32, {9, 10}), c1(ElementKind::F32, {9, 10});
  ASSERT_FALSE(static_cast<bool>(compiled->run(
      {0, 0, 0}, {9, 10, 13}, {a.view(), b.view()}, {c0.view()}, {}, true)));
  ASSERT_FALSE(static_cast<bool>(compiled->run(
      {0, 0, 0}, {9, 10, 13}, {a.view(), b.view()}, {c1.view()}, {}, false)));
  EXPECT_EQ(0, std::memcmp(c0.data(), c1.data(), c0.getNumBytes()));
}

TEST_F(LinalgExecutorTest, MatmulTileWithSplitReduction) {
  auto op = parse(kMatmul);
  Tensor a = iota({9, 13}, 0.3f, 0.1f), b = iota({13, 10}, 0.7f, 0.2f);
  Tensor full(ElementKind::F32, {9, 10});
  ASSERT_FALSE(static_cast<bool>(executeOp(
      op, {0, 0, 0}, {9, 10, 13}, {a.view(), b.view()}, {full.view()})));

  // A PE owning rows [2,7) x cols [3,8) holds only its tiles of A, B, C.
  View aTile = a.view().subView({2, 0}, {5, 13});
  View bTile = b.view().subView({0, 3}, {13, 5});
  Tensor cTile(ElementKind::F32, {5, 5});
  View cView = cTile.view();
  cView.offset = {2, 3};
  // Reduction split in two sub-ranges accumulated into the same output: same
  // order as the full run, so bit-identical.
  ASSERT_FALSE(static_cast<bool>(
      executeOp(op, {2, 3, 0}, {7, 8, 6}, {aTile, bTile}, {cView})));
  ASSERT_FALSE(static_cast<bool>(
      executeOp(op, {2, 3, 6}, {7, 8, 13}, {aTile, bTile}, {cView})));
  for (int64_t i = 0; i < 5; ++i)
    for (int64_t j = 0; j < 5; ++j)
      EXPECT_EQ(cTile.dataAs<float>()[i * 5 + j],
                full.dataAs<float>()[(i + 2) * 10 + j + 3]);

  // Two PEs each reduce half of k into their own zero partial; the combine
  // adds them (a different summation order, so compare with a tolerance).
  Tensor p0(ElementKind::F32, {9, 10}), p1(ElementKind::F32, {9, 10});
  ASSERT_FALSE(static_cast<bool>(
      executeOp(op, {0, 0, 0}, {9, 10, 5}, {a.view(), b.view()}, {p0.view()})));
  ASSERT_FALSE(static_cast<bool>(executeOp(op, {0, 0, 5}, {9, 10, 13},
                                           {a.view(), b.view()}, {p1.view()})));
  for (int64_t i = 0; i < 90; ++i)
    EXPECT_NEAR(p0.dataAs<float>()[i] + p1.dataAs<float>()[i],
                full.dataAs<float>()[i], 1e-5);
}

constexpr const char *kGeneric = R"mlir(
#id = affine_map<(i, j) -> (i, j)>
#col = affine_map<(i, j) -> (j)>
#row = affine_map<(i, j) -> (i)>
func.func @f(%a: tensor<6x8xf32>, %b: tensor<8xf32>, %init: tensor<6xf32>) -> tensor<6xf32> {
  %cst = arith.constant 0.5 : f32
  %0 = linalg.generic {indexing_maps = [#id, #col, #row], iterator_types = ["parallel", "reduction"]}
      ins(%a, %b : tensor<6x8xf32>, tensor<8xf32>) outs(%init : tensor<6xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %i = linalg.index 0 : index
    %ii = arith.index_cast %i : index to i64
    %fi = arith.sitofp %ii : i64 to f32
    %m = arith.mulf %x, %y : f32
    %e = math.exp %m : f32
    %s = arith.mulf %e, %cst : f32
    %t = arith.addf %s, %fi : f32
    %r = arith.addf %acc, %t : f32
    linalg.yield %r : f32
  } -> tensor<6xf32>
  return %0 : tensor<6xf32>
}
)mlir";

TEST_F(LinalgExecutorTest, GenericSubBoxMatchesFullAndSplitReductionCombines) {
  auto op = parse(kGeneric);
  Tensor a = iota({6, 8}, 0.4f, 0.0f), b = iota({8}, 1.1f, 0.3f);
  Tensor full(ElementKind::F32, {6});
  ASSERT_FALSE(static_cast<bool>(
      executeOp(op, {0, 0}, {6, 8}, {a.view(), b.view()}, {full.view()})));
  // Reference computed directly.
  for (int64_t i = 0; i < 6; ++i) {
    float acc = 0;
    for (int64_t k = 0; k < 8; ++k)
      acc +=
          std::exp(a.dataAs<float>()[i * 8 + k] * b.dataAs<float>()[k]) * 0.5f +
          static_cast<float>(i);
    EXPECT_NEAR(full.dataAs<float>()[i], acc, 1e-4);
  }
  // Rows [1,4), k split [0,3) + [3,8) on two "PEs" with their own tiles.
  Tensor part0(ElementKind::F32, {3}), part1(ElementKind::F32, {3});
  View v0 = part0.view(), v1 = part1.view();
  v0.offset = {1};
  v1.offset = {1};
  ASSERT_FALSE(static_cast<bool>(executeOp(
      op, {1, 0}, {4, 3},
      {a.view().subView({1, 0}, {3, 3}), b.view().subView({0}, {3})}, {v0})));
  ASSERT_FALSE(static_cast<bool>(executeOp(
      op, {1, 3}, {4, 8},
      {a.view().subView({1, 3}, {3, 5}), b.view().subView({3}, {5})}, {v1})));
  for (int64_t i = 0; i < 3; ++i)
    EXPECT_NEAR(part0.dataAs<float>()[i] + part1.dataAs<float>()[i],
                full.dataAs<float>()[i + 1], 1e-4);
}

TEST_F(LinalgExecutorTest, AccessOutsideViewIsAnErrorNamingTheOp) {
  auto op = parse(kGeneric);
  Tensor a = iota({6, 8}, 0.4f, 0.0f), b = iota({8}, 1.1f, 0.3f);
  Tensor small(ElementKind::F32, {2});
  llvm::Error err =
      executeOp(op, {0, 0}, {6, 8}, {a.view(), b.view()}, {small.view()});
  ASSERT_TRUE(static_cast<bool>(err));
  std::string msg = llvm::toString(std::move(err));
  EXPECT_NE(msg.find("'linalg.generic' at loc("), std::string::npos) << msg;
  EXPECT_NE(msg.find("output 0: accesses [0, 5] in dim 0, but the view covers "
                     "[0, 2)"),
            std::string::npos)
      << msg;
  EXPECT_EQ(small.dataAs<float>()[0], 0.0f);
}

TEST_F(LinalgExecutorTest, UnsupportedBodyOpIsNamed) {
  auto op = parse(R"mlir(
func.func @f(%a: tensor<4xi64>) -> tensor<4xi64> {
  %0 = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%a : tensor<4xi64>) outs(%a : tensor<4xi64>) {
  ^bb0(%x: i64, %o: i64):
    %s = arith.shli %x, %x : i64
    linalg.yield %s : i64
  } -> tensor<4xi64>
  return %0 : tensor<4xi64>
}
)mlir");
  auto compiled = CompiledLinalgOp::compile(op);
  ASSERT_FALSE(static_cast<bool>(compiled));
  EXPECT_NE(llvm::toString(compiled.takeError())
                .find("unsupported op 'arith.shli' in the body"),
            std::string::npos);
}

constexpr const char *kGather = R"mlir(
func.func @f(%ids: tensor<3xi64>, %table: tensor<5x2xf32>) -> tensor<3x2xf32> {
  %e = tensor.empty() : tensor<3x2xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%ids : tensor<3xi64>) outs(%e : tensor<3x2xf32>) {
  ^bb0(%id: i64, %o: f32):
    %r = arith.index_cast %id : i64 to index
    %j = linalg.index 1 : index
    %v = tensor.extract %table[%r, %j] : tensor<5x2xf32>
    linalg.yield %v : f32
  } -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}
)mlir";

TEST_F(LinalgExecutorTest, GatherThroughCapturedTensor) {
  parse(kGather);
  Tensor ids(ElementKind::I64, {3});
  ids.dataAs<int64_t>()[0] = 4;
  ids.dataAs<int64_t>()[1] = 0;
  ids.dataAs<int64_t>()[2] = 2;
  Tensor table = iota({5, 2}, 1.0f, 0.0f);
  auto out = evaluateFunction(func(), {ids, table});
  ASSERT_TRUE(static_cast<bool>(out)) << llvm::toString(out.takeError());
  ASSERT_EQ(out->size(), 1u);
  for (int64_t i = 0; i < 3; ++i)
    for (int64_t j = 0; j < 2; ++j)
      EXPECT_EQ((*out)[0].dataAs<float>()[i * 2 + j],
                table.dataAs<float>()[ids.dataAs<int64_t>()[i] * 2 + j]);

  ids.dataAs<int64_t>()[1] = 7;
  auto bad = evaluateFunction(func(), {ids, table});
  ASSERT_FALSE(static_cast<bool>(bad));
  EXPECT_NE(llvm::toString(bad.takeError())
                .find("tensor.extract index 7 in dim 0 is outside [0, 5) (at "
                      "iteration [1, 0])"),
            std::string::npos);
}

TEST_F(LinalgExecutorTest, EvaluateRejectsWrongArgumentShape) {
  parse(kGather);
  Tensor ids(ElementKind::I64, {4});
  Tensor table(ElementKind::F32, {5, 2});
  auto bad = evaluateFunction(func(), {ids, table});
  ASSERT_FALSE(static_cast<bool>(bad));
  EXPECT_NE(llvm::toString(bad.takeError())
                .find("argument 0: expected 3xi64, got 4xi64"),
            std::string::npos);
}

} // namespace
