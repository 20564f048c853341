//===- TestPasses.h - wafer's test-only passes ------------------*- C++ -*-===//
#ifndef WAFER_TEST_TESTPASSES_H
#define WAFER_TEST_TESTPASSES_H

namespace wafer::test {
/// Registers --wafer-test-execute and the other test-only passes.
void registerTestPasses();
} // namespace wafer::test

#endif // WAFER_TEST_TESTPASSES_H
