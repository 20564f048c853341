#!/bin/sh
# The README's main command: installs what is missing, builds, then compiles
# a bundled real transformer (examples/tiny_gpt: a two-layer GPT with token
# embedding and LM head, exported from PyTorch) onto the default wafer
# (wse2), interprets the routed program PE by PE, checks it against the
# golden evaluator and prints the summary: PEs, SRAM, patterns, colors,
# cycles and microseconds beside the lower bounds, max error vs golden.
# Exits 1 when the check fails.
set -eu
cd "$(dirname "$0")/.."
./scripts/setup.sh
BUILD=${WAFER_BUILD_DIR:-build}
if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -G Ninja -S . -B "$BUILD"
fi
ninja -C "$BUILD" -j2 >/dev/null
"$BUILD/bin/wafer-run" examples/tiny_gpt/model.onnx --target wse2 \
  --input ids=@examples/tiny_gpt/ids.npy --check \
  --output-dir "$BUILD/tiny_gpt.out" --report "$BUILD/tiny_gpt.wse2.json"
echo "report: $BUILD/tiny_gpt.wse2.json"
