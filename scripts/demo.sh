#!/bin/sh
# The README's main command: installs what is missing, builds, then compiles
# a bundled real transformer (a GPT-2-style block exported from PyTorch,
# test/fixtures/gpt_block_op17) onto the default wafer (wse2) and prints the
# summary: PEs, SRAM, communication patterns, colors, busiest link, seconds
# per phase. Interpreting the compiled program against the golden run is
# the next step (wafer-run without --compile-only says so).
set -eu
cd "$(dirname "$0")/.."
./scripts/setup.sh
BUILD=${WAFER_BUILD_DIR:-build}
if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -G Ninja -S . -B "$BUILD"
fi
ninja -C "$BUILD" -j2 >/dev/null
"$BUILD/bin/wafer-run" test/fixtures/gpt_block_op17/model.onnx --target wse2 \
  --compile-only --report "$BUILD/gpt_block_op17.wse2.json"
echo "report: $BUILD/gpt_block_op17.wse2.json"
