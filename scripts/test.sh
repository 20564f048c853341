#!/bin/sh
# The README's test command: installs what is missing, builds, runs every test.
set -eu
cd "$(dirname "$0")/.."
./scripts/setup.sh
BUILD=${WAFER_BUILD_DIR:-build}
if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -G Ninja -S . -B "$BUILD"
fi
ninja -C "$BUILD" -j2
cd "$BUILD"
ctest --output-on-failure -j2
