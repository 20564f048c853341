#!/bin/sh
# The sanitizer build of the whole test suite (README: "Developer builds:
# sanitizers and fuzzing"): configures build-asan/ with clang-22 and
# -DWAFER_SANITIZE=address,undefined, builds everything and runs every test
# (lit + GoogleTest, one ctest run) under ASan and UBSan. Exits non-zero when
# a test fails; a sanitizer report fails its test.
#
#   JOBS=N                build and test jobs (default 2)
#   WAFER_ASAN_BUILD_DIR  build directory (default build-asan)
#   extra arguments       passed to ctest (e.g. -R unit. or -E lit)
set -eu
cd "$(dirname "$0")/.."
./scripts/setup.sh
JOBS=${JOBS:-2}
BUILD=${WAFER_ASAN_BUILD_DIR:-build-asan}
LLVM_BIN=/usr/lib/llvm-22/bin

./scripts/clang-build.sh "$BUILD"
ninja -C "$BUILD" -j"$JOBS"

# abort_on_error: a report kills the process with SIGABRT, so lit's `not`
# (which only inverts an ordinary exit status) cannot turn it into a pass.
# allow_user_poisoning=0: LLVM's headers poison BumpPtrAllocator slabs when
# compiled with ASan, and the uninstrumented libMLIR then hands out memory
# from the same slabs (MLIRContext's uniquer) without unpoisoning it, a
# false use-after-poison on every attribute built in both.
# detect_leaks=1: LLVM's and MLIR's singletons stay reachable from globals,
# so LeakSanitizer only reports memory that nothing points to any more.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allow_user_poisoning=0:detect_stack_use_after_return=1:check_initialization_order=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:abort_on_error=1}"
export ASAN_SYMBOLIZER_PATH="$LLVM_BIN/llvm-symbolizer"
export UBSAN_SYMBOLIZER_PATH="$LLVM_BIN/llvm-symbolizer"
# lit is one ctest test that runs its files in parallel itself.
export LIT_OPTS="${LIT_OPTS:--j$JOBS}"
cd "$BUILD"
ctest --output-on-failure -j"$JOBS" "$@"
