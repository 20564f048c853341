#include "wafer/Target/TargetModel.h"

#include "gtest/gtest.h"

using namespace wafer;

TEST(TargetModel, PresetsMatchTheDesignTable) {
  auto wse2 = TargetModel::fromSpec("wse2");
  ASSERT_TRUE(static_cast<bool>(wse2));
  EXPECT_EQ(wse2->width, 750);
  EXPECT_EQ(wse2->height, 994);
  EXPECT_EQ(wse2->numPEs(), 745500);
  EXPECT_EQ(wse2->sramBytes, 49152);
  EXPECT_EQ(wse2->clockMHz, 850);
  EXPECT_EQ(wse2->usableColors(), 21);
  auto wse3 = TargetModel::fromSpec("wse3");
  ASSERT_TRUE(static_cast<bool>(wse3));
  EXPECT_EQ(wse3->width, 755);
  EXPECT_EQ(wse3->height, 1170);
  EXPECT_EQ(wse3->clockMHz, 1100);
  EXPECT_TRUE(wse2->check().empty());
}

TEST(TargetModel, CustomMesh) {
  auto t = TargetModel::fromSpec("64x32");
  ASSERT_TRUE(static_cast<bool>(t));
  EXPECT_EQ(t->width, 64);
  EXPECT_EQ(t->height, 32);
  EXPECT_EQ(t->name, "64x32");
  EXPECT_EQ(t->sramBytes, 49152);
}

TEST(TargetModel, BadSpecsAreErrors) {
  for (const char *spec : {"", "wse9", "0x4", "4x", "x4", "4x-2", "axb"}) {
    auto t = TargetModel::fromSpec(spec);
    EXPECT_FALSE(static_cast<bool>(t)) << spec;
    llvm::consumeError(t.takeError());
  }
}

TEST(TargetModel, Overrides) {
  TargetModel t;
  ASSERT_FALSE(static_cast<bool>(t.applyOverrides("sram_budget=40000, colors=16")));
  EXPECT_EQ(t.sramBudget, 40000);
  EXPECT_EQ(t.colors, 16);
  llvm::Error e = t.applyOverrides("bogus=1");
  ASSERT_TRUE(static_cast<bool>(e));
  EXPECT_NE(llvm::toString(std::move(e)).find("unknown target field 'bogus'"),
            std::string::npos);
  e = t.applyOverrides("width=abc");
  EXPECT_TRUE(static_cast<bool>(e));
  llvm::consumeError(std::move(e));
  e = t.set("width", 0);
  EXPECT_TRUE(static_cast<bool>(e));
  llvm::consumeError(std::move(e));
}

TEST(TargetModel, JSONRoundTrip) {
  TargetModel t;
  ASSERT_FALSE(static_cast<bool>(
      t.applyJSON(R"({"preset": "wse3", "sram_budget": 32768})")));
  EXPECT_EQ(t.name, "wse3");
  EXPECT_EQ(t.width, 755);
  EXPECT_EQ(t.sramBudget, 32768);
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::json::Value(t.toJSON());
  TargetModel u;
  ASSERT_FALSE(static_cast<bool>(u.applyJSON(text)));
  EXPECT_EQ(u.toJSON(), t.toJSON());
  llvm::Error e = u.applyJSON("[1]");
  EXPECT_TRUE(static_cast<bool>(e));
  llvm::consumeError(std::move(e));
}

TEST(TargetModel, CheckRejectsInconsistentModels) {
  TargetModel t;
  t.sramBudget = t.sramBytes + 1;
  EXPECT_NE(t.check().find("exceeds"), std::string::npos);
  TargetModel u;
  u.reservedColors = u.colors;
  EXPECT_NE(u.check().find("usable"), std::string::npos);
}
