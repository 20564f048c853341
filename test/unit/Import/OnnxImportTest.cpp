//===- OnnxImportTest.cpp - the importer's C++ API ------------------------===//
#include "wafer/Import/OnnxImport.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/MLIRContext.h"

#include "gtest/gtest.h"

using namespace mlir;

namespace {
std::string input(llvm::StringRef name) {
  return std::string(WAFER_ONNX_TEST_INPUTS) + "/" + name.str();
}

std::string errorOf(llvm::Error err) { return llvm::toString(std::move(err)); }

TEST(OnnxImport, ExposesGraphNamesInOrder) {
  MLIRContext ctx;
  auto module = wafer::importOnnxFile(input("where.onnx"), ctx);
  ASSERT_TRUE(bool(module)) << errorOf(module.takeError());
  auto func = (*module)->lookupSymbol<func::FuncOp>("main");
  ASSERT_TRUE(func);
  ASSERT_EQ(func.getNumArguments(), 3u);
  const char *names[] = {"c", "a", "b"};
  for (unsigned k = 0; k < 3; ++k)
    EXPECT_EQ(
        func.getArgAttrOfType<StringAttr>(k, wafer::kOnnxNameAttr).getValue(),
        names[k]);
  EXPECT_EQ(
      func.getResultAttrOfType<StringAttr>(0, wafer::kOnnxNameAttr).getValue(),
      "y");
}

TEST(OnnxImport, DimBindingsMakeShapesStatic) {
  MLIRContext ctx;
  wafer::OnnxImportOptions opts;
  opts.dims["batch"] = 7;
  auto module = wafer::importOnnxFile(input("shape_chain.onnx"), ctx, opts);
  ASSERT_TRUE(bool(module)) << errorOf(module.takeError());
  auto func = (*module)->lookupSymbol<func::FuncOp>("main");
  auto resultType = cast<RankedTensorType>(func.getResultTypes()[0]);
  EXPECT_EQ(resultType.getShape(), llvm::ArrayRef<int64_t>({7, 6, 2}));
}

TEST(OnnxImport, InputValueSpecialisesShapeInput) {
  MLIRContext ctx;
  wafer::OnnxImportOptions opts;
  auto shapeType = RankedTensorType::get({2}, IntegerType::get(&ctx, 64));
  opts.inputValues["s"] =
      DenseElementsAttr::get(shapeType, llvm::ArrayRef<int64_t>({3, -1}));
  auto module =
      wafer::importOnnxFile(input("nonconst_reshape.onnx"), ctx, opts);
  ASSERT_TRUE(bool(module)) << errorOf(module.takeError());
  auto func = (*module)->lookupSymbol<func::FuncOp>("main");
  // The input stays an argument so callers bind inputs by name.
  EXPECT_EQ(func.getNumArguments(), 2u);
  auto resultType = cast<RankedTensorType>(func.getResultTypes()[0]);
  EXPECT_EQ(resultType.getShape(), llvm::ArrayRef<int64_t>({3, 2}));
}

TEST(OnnxImport, InputValueWithWrongTypeIsAnError) {
  MLIRContext ctx;
  wafer::OnnxImportOptions opts;
  auto shapeType = RankedTensorType::get({3}, IntegerType::get(&ctx, 64));
  opts.inputValues["s"] =
      DenseElementsAttr::get(shapeType, llvm::ArrayRef<int64_t>({3, 1, 2}));
  auto module =
      wafer::importOnnxFile(input("nonconst_reshape.onnx"), ctx, opts);
  ASSERT_FALSE(bool(module));
  EXPECT_EQ(errorOf(module.takeError()),
            input("nonconst_reshape.onnx") +
                ": the value given for graph input 's' has type "
                "tensor<3xi64>, expected a tensor of shape [2] and INT64");
}

TEST(OnnxImport, ValueForUnknownInputIsAnError) {
  MLIRContext ctx;
  wafer::OnnxImportOptions opts;
  auto type = RankedTensorType::get({1}, IntegerType::get(&ctx, 64));
  opts.inputValues["nope"] =
      DenseElementsAttr::get(type, llvm::ArrayRef<int64_t>({1}));
  auto module = wafer::importOnnxFile(input("add.onnx"), ctx, opts);
  ASSERT_FALSE(bool(module));
  EXPECT_NE(
      errorOf(module.takeError()).find("'nope', which is not a graph input"),
      std::string::npos);
}

TEST(OnnxImport, MissingFileNamesThePath) {
  MLIRContext ctx;
  auto module = wafer::importOnnxFile("/nonexistent/model.onnx", ctx);
  ASSERT_FALSE(bool(module));
  EXPECT_NE(
      errorOf(module.takeError()).find("cannot read '/nonexistent/model.onnx'"),
      std::string::npos);
}

TEST(OnnxImport, GarbageBufferIsAnError) {
  MLIRContext ctx;
  auto module =
      wafer::importOnnxBuffer("\xff\xff\xff garbage", "mem.onnx", ctx);
  ASSERT_FALSE(bool(module));
  EXPECT_NE(
      errorOf(module.takeError()).find("mem.onnx: not a valid ONNX model"),
      std::string::npos);
}
} // namespace
