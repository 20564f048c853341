#!/bin/sh
# The README's main command: installs what is missing, builds, then compiles
# the bundled example onto the default mesh and prints the summary.
set -eu
cd "$(dirname "$0")/.."
./scripts/setup.sh
BUILD=${WAFER_BUILD_DIR:-build}
if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -G Ninja -S . -B "$BUILD"
fi
ninja -C "$BUILD" -j2 >/dev/null
"$BUILD/bin/wafer-opt" examples/mlp.mlir --wafer-map --wafer-place --wafer-report-usage -o /dev/null
