#!/bin/sh
# End-to-end benchmark: whole-process wall time and peak RSS of
# `wafer-run MODEL --target T --check` (import, golden, compile, lower,
# interpret PE by PE, compare) on the generated large transformer layers,
# next to ONNX Runtime's whole process on the same model and input (Node
# startup, session load, one warm-up run and one timed run:
# python/wafer_fixtures/ort_run.js --runs 1).
#
#   scripts/run-bench.sh [TARGET ...]        (default: 64x64 wse2)
#
# Models: out/fixtures-large/{gpt2_small_block_op17, bert_base_layer_mask_op17,
# gpt2_medium_block_op17, tinyllama_block_op17} (or those in $MODELS),
# generated with Debian's python3-torch by gen.py --large --export-only when
# missing.
# ONNX Runtime: `npm install --ignore-scripts onnxruntime-node` at the
# repository root; without it the ORT columns say "n/a". Prints one row per
# model and target: wall s, peak RSS MB, interpret s, cycles, microseconds,
# ratio of cycles to the largest physical lower bound, max abs error vs
# golden and vs ONNX Runtime's outputs, ORT wall s and the ratio of the
# two wall times. Reports land in
# out/run-bench/. Exits 1 if any run fails its check.
set -u
cd "$(dirname "$0")/.."
BUILD=${WAFER_BUILD_DIR:-build}
PY=/usr/bin/python3
LARGE=out/fixtures-large
OUT=out/run-bench
mkdir -p "$OUT"
TARGETS=${*:-"64x64 wse2"}
MODELS=${MODELS:-"gpt2_small_block_op17 bert_base_layer_mask_op17 gpt2_medium_block_op17 tinyllama_block_op17"}
for m in $MODELS; do
  if [ ! -f "$LARGE/$m/model.onnx" ]; then
    "$PY" python/wafer_fixtures/gen.py --large --export-only --out "$LARGE" \
      --only "$m" >&2 || { echo "run-bench: cannot generate $m" >&2; exit 1; }
  fi
done
have_ort=0
[ -d node_modules/onnxruntime-node ] && command -v node >/dev/null && have_ort=1
failed=0
printf '%-26s %-6s %7s %7s %7s %10s %9s %6s %9s %9s %7s %6s\n' model target \
  wall_s rss_MB interp cycles us x_bound err_gold err_ort ort_s ratio
for m in $MODELS; do
  dir=$LARGE/$m
  inputs=$("$PY" -c "import json,sys; m=json.load(open('$dir/meta.json'));
print(' '.join('--input %s=@$dir/%s' % (i['name'], i['file']) for i in m['inputs']))")
  ort_s=n/a
  if [ $have_ort = 1 ]; then
    ort_inputs=$(echo "$inputs" | sed 's/--input \([^=]*\)=@/--input \1=/g')
    # shellcheck disable=SC2086
    /usr/bin/time -f "%e" -o "$OUT/$m.ort.time" node python/wafer_fixtures/ort_run.js \
      "$dir/model.onnx" $ort_inputs --output-dir "$OUT/$m.ort" --runs 1 \
      > /dev/null 2>&1 && ort_s=$(cat "$OUT/$m.ort.time")
  fi
  for t in $TARGETS; do
    rep=$OUT/$m.$t.json
    rm -f "$rep"
    # shellcheck disable=SC2086
    if /usr/bin/time -f "%e %M" -o "$OUT/$m.$t.time" "$BUILD/bin/wafer-run" \
        "$dir/model.onnx" --target "$t" $inputs --check --report "$rep" \
        --output-dir "$OUT/$m.$t.out" \
        > "$OUT/$m.$t.log" 2>&1; then :
    elif grep -q "does not fit" "$OUT/$m.$t.log"; then
      # A model too big for the target is a result, not a failure.
      printf '%-26s %-6s does not fit: %s\n' "$m" "$t" \
        "$(grep -m1 -o "needs at least.*" "$OUT/$m.$t.log")"
      continue
    else failed=1; fi
    "$PY" - "$m" "$t" "$rep" "$OUT/$m.$t.time" "$ort_s" "$OUT/$m.$t.out" \
      "$OUT/$m.ort" <<'PYEOF'
import glob, json, os, sys
import numpy as np
m, t, rep, tf, ort, out, ortdir = sys.argv[1:8]
wall, rss = open(tf).read().split()[-2:]
try:
    r = json.load(open(rep))
    lb = r["lower_bound_cycles"]
    bound = max(lb["compute"], lb["communication"], lb["latency"])
    err = max(o["max_abs_err"] for o in r["check"]["outputs"])
    ratio = "%.2f" % (float(wall) / float(ort)) if ort != "n/a" else "n/a"
    # The interpreted outputs against ONNX Runtime's on the same input.
    err_ort = "n/a"
    if ort != "n/a":
        errs = [float(np.max(np.abs(np.load(f).astype(np.float64) -
                                    np.load(os.path.join(out, os.path.basename(f)))
                                    .astype(np.float64))))
                for f in glob.glob(os.path.join(ortdir, "*.npy"))]
        err_ort = "%.2e" % max(errs) if errs else "n/a"
    print("%-26s %-6s %7.2f %7.0f %7.2f %10d %9.1f %6.1f %9.2e %9s %7s %6s" % (
        m, t, float(wall), int(rss) / 1024, r["interpret_seconds"],
        r["cycles"], r["microseconds"], r["cycles"] / bound, err, err_ort,
        ort, ratio))
except (OSError, KeyError, ValueError) as e:
    print("%-26s %-6s FAILED (%s): see %s" % (m, t, e, rep.replace(".json", ".log")))
PYEOF
  done
done
exit $failed
