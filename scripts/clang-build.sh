#!/bin/sh
# Shared by scripts/sanitize.sh and scripts/fuzz.sh: installs clang-22 and
# its sanitizer/libFuzzer runtimes from Debian when missing, and configures
# a clang build directory with ASan and UBSan.
#
#   scripts/clang-build.sh BUILD_DIR [CMAKE_ARG...]
#
# Configures BUILD_DIR only when it has no build.ninja yet (extra arguments,
# e.g. -DWAFER_FUZZ=ON, are passed to cmake then); never builds.
set -eu
cd "$(dirname "$0")/.."
BUILD=$1
shift

if ! command -v clang++-22 >/dev/null ||
  ! ls /usr/lib/llvm-22/lib/clang/*/lib/linux/libclang_rt.asan-x86_64.a \
    /usr/lib/llvm-22/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a \
    >/dev/null 2>&1; then
  echo "clang-build: installing clang-22 libclang-rt-22-dev"
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
    -DWAFER_SANITIZE=address,undefined "$@"
fi
