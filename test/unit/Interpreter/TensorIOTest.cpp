//===- TensorIOTest.cpp - .npy and TensorProto reading/writing ------------===//
#include "wafer/Interpreter/TensorIO.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <fstream>

using namespace wafer::interp;

namespace {

std::string npyBytes(llvm::StringRef descr, llvm::StringRef shape,
                     llvm::StringRef data, int version = 1) {
  std::string header = ("{'descr': '" + descr +
                        "', 'fortran_order': False, 'shape': " + shape + ", }")
                           .str();
  header.append(16 - (header.size() + 1) % 16, ' ');
  header.push_back('\n');
  std::string out = "\x93NUMPY";
  out.push_back(static_cast<char>(version));
  out.push_back(0);
  size_t len = header.size();
  out.push_back(static_cast<char>(len & 0xff));
  out.push_back(static_cast<char>(len >> 8));
  if (version >= 2) {
    out.push_back(0);
    out.push_back(0);
  }
  out += header;
  out += data.str();
  return out;
}

template <typename T> std::string rawBytes(std::initializer_list<T> values) {
  std::string s;
  for (T v : values)
    s.append(reinterpret_cast<const char *>(&v), sizeof(T));
  return s;
}

TEST(TensorIO, NpyRoundTripF32) {
  Tensor t(ElementKind::F32, {2, 3});
  for (int i = 0; i < 6; ++i)
    t.dataAs<float>()[i] = 0.5f * i - 1.0f;
  auto back = parseNpy(serializeNpy(t), "t.npy");
  ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
  EXPECT_EQ(back->getKind(), ElementKind::F32);
  EXPECT_EQ(back->getShape(), t.getShape());
  EXPECT_EQ(0, std::memcmp(back->data(), t.data(), t.getNumBytes()));
}

TEST(TensorIO, NpyRoundTripI64BoolScalarAndFile) {
  Tensor i(ElementKind::I64, {4});
  for (int k = 0; k < 4; ++k)
    i.dataAs<int64_t>()[k] = k * 1000000000000LL - 3;
  Tensor b(ElementKind::I1, {2, 2});
  b.data()[1] = 1;
  b.data()[2] = 1;
  Tensor s(ElementKind::F32, {});
  s.dataAs<float>()[0] = 42.0f;
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("wafer-npy", dir));
  for (const Tensor *t : {&i, &b, &s}) {
    llvm::SmallString<128> path = dir;
    llvm::sys::path::append(path, "x.npy");
    ASSERT_FALSE(static_cast<bool>(writeNpy(path, *t)));
    auto back = readTensorFile(path);
    ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
    EXPECT_EQ(back->getKind(), t->getKind());
    EXPECT_EQ(back->getShape(), t->getShape());
    EXPECT_EQ(0, std::memcmp(back->data(), t->data(), t->getNumBytes()));
    llvm::sys::fs::remove(path);
  }
  llvm::sys::fs::remove(dir);
}

TEST(TensorIO, NpyVersion2AndConversions) {
  auto f64 = parseNpy(
      npyBytes("<f8", "(2,)", rawBytes<double>({1.5, -2.25}), 2), "a.npy");
  ASSERT_TRUE(static_cast<bool>(f64)) << llvm::toString(f64.takeError());
  EXPECT_EQ(f64->getKind(), ElementKind::F32);
  EXPECT_EQ(f64->dataAs<float>()[1], -2.25f);
  auto i32 =
      parseNpy(npyBytes("<i4", "(3,)", rawBytes<int32_t>({-1, 7, 9})), "b.npy");
  ASSERT_TRUE(static_cast<bool>(i32)) << llvm::toString(i32.takeError());
  EXPECT_EQ(i32->getKind(), ElementKind::I64);
  EXPECT_EQ(i32->dataAs<int64_t>()[0], -1);
  EXPECT_EQ(i32->dataAs<int64_t>()[2], 9);
}

TEST(TensorIO, NpyErrorsNameFileAndProblem) {
  auto msg = [](llvm::Expected<Tensor> t) {
    EXPECT_FALSE(static_cast<bool>(t));
    return t ? std::string() : llvm::toString(t.takeError());
  };
  EXPECT_EQ(msg(parseNpy("garbage", "g.npy")),
            "g.npy: not a .npy file (missing \\x93NUMPY magic)");
  EXPECT_NE(msg(parseNpy(npyBytes("<f2", "(1,)", "ab"), "h.npy"))
                .find("h.npy: unsupported dtype '<f2'"),
            std::string::npos);
  EXPECT_NE(
      msg(parseNpy(npyBytes("<f4", "(2, 2)", rawBytes<float>({1, 2})), "t.npy"))
          .find("t.npy: truncated: shape (2, 2) of '<f4' needs 16 data "
                "bytes, the file has 8"),
      std::string::npos);
  EXPECT_NE(msg(parseNpy(npyBytes(">f4", "(1,)", "abcd"), "be.npy"))
                .find("unsupported dtype '>f4'"),
            std::string::npos);
}

// Minimal protobuf encoder for the TensorProto fields the reader uses.
void varint(std::string &out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}
void lengthDelimited(std::string &out, int field, const std::string &bytes) {
  varint(out, (field << 3) | 2);
  varint(out, bytes.size());
  out += bytes;
}
std::string tensorProto(std::initializer_list<int64_t> dims, int dataType,
                        llvm::StringRef name) {
  std::string out;
  for (int64_t d : dims) {
    varint(out, 1 << 3);
    varint(out, d);
  }
  varint(out, 2 << 3);
  varint(out, dataType);
  lengthDelimited(out, 8, name.str());
  return out;
}

TEST(TensorIO, TensorProtoRawAndTypedFields) {
  // FLOAT from raw_data (field 9).
  std::string f = tensorProto({2, 2}, 1, "x");
  lengthDelimited(f, 9, rawBytes<float>({1, 2, 3, 4.5f}));
  std::string name;
  auto tf = parseTensorProto(f, "x.pb", &name);
  ASSERT_TRUE(static_cast<bool>(tf)) << llvm::toString(tf.takeError());
  EXPECT_EQ(name, "x");
  EXPECT_EQ(tf->getShape(), llvm::ArrayRef<int64_t>({2, 2}));
  EXPECT_EQ(tf->dataAs<float>()[3], 4.5f);

  // INT64 from packed int64_data (field 7).
  std::string i = tensorProto({3}, 7, "ids");
  std::string packed;
  for (int64_t v : {int64_t(5), int64_t(0), int64_t(123456789012LL)})
    varint(packed, v);
  lengthDelimited(i, 7, packed);
  auto ti = parseTensorProto(i, "ids.pb");
  ASSERT_TRUE(static_cast<bool>(ti)) << llvm::toString(ti.takeError());
  EXPECT_EQ(ti->getKind(), ElementKind::I64);
  EXPECT_EQ(ti->dataAs<int64_t>()[2], 123456789012LL);

  // BOOL from packed int32_data (field 5).
  std::string b = tensorProto({2}, 9, "m");
  std::string bits;
  varint(bits, 1);
  varint(bits, 0);
  lengthDelimited(b, 5, bits);
  auto tb = parseTensorProto(b, "m.pb");
  ASSERT_TRUE(static_cast<bool>(tb)) << llvm::toString(tb.takeError());
  EXPECT_EQ(tb->getKind(), ElementKind::I1);
  EXPECT_EQ(tb->data()[0], 1);
  EXPECT_EQ(tb->data()[1], 0);
}

TEST(TensorIO, TensorProtoErrors) {
  std::string f = tensorProto({2, 2}, 1, "x");
  lengthDelimited(f, 9, rawBytes<float>({1, 2}));
  auto t = parseTensorProto(f, "x.pb");
  ASSERT_FALSE(static_cast<bool>(t));
  EXPECT_EQ(llvm::toString(t.takeError()),
            "x.pb: raw_data holds 8 bytes, shape 2x2xf32 needs 16");
  std::string s = tensorProto({1}, 8, "str");
  auto u = parseTensorProto(s, "s.pb");
  ASSERT_FALSE(static_cast<bool>(u));
  EXPECT_NE(llvm::toString(u.takeError())
                .find("unsupported TensorProto "
                      "data_type 8"),
            std::string::npos);
  auto g = parseTensorProto("\xff\xff\xff", "bad.pb");
  ASSERT_FALSE(static_cast<bool>(g));
  EXPECT_EQ(llvm::toString(g.takeError()), "bad.pb: not a valid ONNX "
                                           "TensorProto");
}

TEST(TensorIO, ReadsOnnxBackendTestData) {
  const char *path = "/usr/share/libonnx-testdata/data/node/test_gather_0/"
                     "test_data_set_0/input_1.pb";
  if (!llvm::sys::fs::exists(path))
    GTEST_SKIP() << "libonnx-testdata not installed";
  auto t = readTensorFile(path);
  ASSERT_TRUE(static_cast<bool>(t)) << llvm::toString(t.takeError());
  EXPECT_EQ(t->getKind(), ElementKind::I64);
  EXPECT_GT(t->getNumElements(), 0);
}

} // namespace

TEST(CompareTensors, AllcloseSemanticsAndWorstElement) {
  Tensor want(ElementKind::F32, {2, 3}), got(ElementKind::F32, {2, 3});
  for (int i = 0; i < 6; ++i)
    want.dataAs<float>()[i] = got.dataAs<float>()[i] = float(i);
  Comparison same = compareTensors(got, want, 1e-4, 1e-3);
  EXPECT_TRUE(same.passed);
  EXPECT_EQ(same.maxAbsErr, 0);
  // 5 + 4e-3 is within 1e-4 + 1e-3 * 5; 2 + 0.5 is not.
  got.dataAs<float>()[5] += 4e-3f;
  EXPECT_TRUE(compareTensors(got, want, 1e-4, 1e-3).passed);
  got.dataAs<float>()[2] += 0.5f;
  Comparison c = compareTensors(got, want, 1e-4, 1e-3);
  EXPECT_FALSE(c.passed);
  EXPECT_EQ(c.worst, 2);
  EXPECT_FLOAT_EQ(c.maxAbsErr, 0.5);
  EXPECT_FLOAT_EQ(c.gotValue, 2.5);
  EXPECT_EQ(formatIndex(want.getShape(), c.worst), "[0, 2]");
  // NaN matches only NaN.
  want.dataAs<float>()[0] = got.dataAs<float>()[0] = std::nanf("");
  got.dataAs<float>()[2] = 2;
  EXPECT_TRUE(compareTensors(got, want, 1e-4, 1e-3).passed);
  got.dataAs<float>()[0] = 0;
  EXPECT_FALSE(compareTensors(got, want, 1e-4, 1e-3).passed);
  EXPECT_TRUE(compareTensors(got, Tensor(ElementKind::F32, {6}), 0, 0)
                  .mismatchedShape);
}
