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

# clang-22 and its sanitizer runtimes, installed like setup.sh does.
if ! command -v clang++-22 >/dev/null ||
  ! ls /usr/lib/llvm-22/lib/clang/*/lib/linux/libclang_rt.asan-x86_64.a \
    >/dev/null 2>&1; then
  echo "sanitize: installing clang-22 libclang-rt-22-dev"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends clang-22 \
    libclang-rt-22-dev >/dev/null
fi

if [ ! -f "$BUILD/build.ninja" ]; then
  # -O1 with line tables: reports name file:line at a fraction of the
  # compile time of -O3 -g. NDEBUG as in the normal build, since the
  # prebuilt LLVM/MLIR headers must see the configuration they were built
  # with.
  cmake -G Ninja -S . -B "$BUILD" \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
    -DWAFER_SANITIZE=address,undefined
fi
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
