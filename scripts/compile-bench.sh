#!/bin/sh
# Compile benchmark: runs `wafer-run --compile-only` on every model for every
# target and prints one table row per (model, target).
#
# Usage:
#   scripts/compile-bench.sh [GLOB...]
#
#   GLOB        only models whose name (the fixture directory) matches one of
#               these shell globs, e.g. 'gpt2_*' or 'encoder_*_op17';
#               default: every model
#   TARGETS     targets to compile for (default "64x64 wse2 wse3")
#   WAFER_BUILD_DIR
#               build directory holding bin/wafer-run (default build)
#
# Models: out/fixtures-large/*/model.onnx (the real-size models; those that
# are missing are first made with `python/wafer_fixtures/gen.py --large
# --export-only`, which needs /usr/bin/python3 with torch and onnx but not
# ONNX Runtime) and the committed test/fixtures/*/model.onnx.
#
# Each compile is
#   /usr/bin/time -f '%e %M' $BUILD/bin/wafer-run MODEL --target T \
#       --compile-only --report out/bench/NAME.T.json
# its stdout and stderr go to out/bench/NAME.T.log. The row gives the
# report's pes_used, kernels, streams, colors_max / colors_usable,
# route_phases, max_link_bytes, compile_seconds per phase (import, tensor,
# map, place, route, total), the wall seconds and peak RSS (MiB) from
# /usr/bin/time, the patterns per kind (legend printed first) and the status:
# "ok", or the first error line of a failed compile. The table is also
# written to out/bench/table.txt.
#
# A failed compile does not stop the run; the script exits 1 at the end if
# any compile (or the generation of a large model) failed.
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${WAFER_BUILD_DIR:-build}
TARGETS=${TARGETS:-64x64 wse2 wse3}
PY=/usr/bin/python3
RUN="$BUILD/bin/wafer-run"
LARGE=out/fixtures-large
BENCH=out/bench
TABLE=$BENCH/table.txt

if [ ! -x "$RUN" ]; then
  echo "compile-bench: error: $RUN not found (build first, or set WAFER_BUILD_DIR)" >&2
  exit 2
fi
mkdir -p "$BENCH"

# matches NAME: true when NAME matches one of the command-line globs (or
# when there are none).
matches() {
  if [ "$NGLOBS" -eq 0 ]; then return 0; fi
  set -f  # the globs match model names, not files here
  for g in $GLOBS; do
    # shellcheck disable=SC2254 # $g is meant as a pattern
    case $1 in $g) set +f; return 0 ;; esac
  done
  set +f
  return 1
}
NGLOBS=$#
GLOBS="$*"
failed=0

# Make the large models that are missing (and wanted).
missing=""
names=$("$PY" python/wafer_fixtures/gen.py --large --list) || {
  echo "compile-bench: error: gen.py --large --list failed" >&2
  failed=1
  names=""
}
for n in $names; do
  if matches "$n" && [ ! -f "$LARGE/$n/model.onnx" ]; then
    missing="$missing --only $n"
  fi
done
if [ -n "$missing" ]; then
  echo "compile-bench: generating$(echo "$missing" | sed 's/ --only / /g') into $LARGE" >&2
  # shellcheck disable=SC2086
  if ! "$PY" python/wafer_fixtures/gen.py --large --export-only \
      --out "$LARGE" $missing >&2; then
    echo "compile-bench: error: generating the large models failed" >&2
    failed=1
  fi
fi

# One row; arguments: name target status report timefile.
row() {
  "$PY" - "$@" <<'EOF'
import json, sys
name, target, status, report, timefile = sys.argv[1:6]
fmt = ("%-34s %-6s %6s %4s %4s %7s %3s %9s %6s %6s %6s %6s %6s %7s %8s %7s"
       " %-42s %s")
if name == "-":
    print(fmt % ("model", "target", "PEs", "kern", "strm", "colors", "ph",
                 "maxlink", "import", "tensor", "map", "place", "route",
                 "total", "wall_s", "rss_MiB", "patterns", "status"))
    sys.exit(0)
d = {}
if status == "ok":
    try:
        with open(report) as f:
            d = json.load(f)
    except (OSError, ValueError) as e:
        status = "bad report: %s" % e
def g(k):
    v = d.get(k)
    return "-" if v is None else str(v)
cs = d.get("compile_seconds") or {}
def s(k):
    v = cs.get(k)
    return "-" if v is None else "%.2f" % v
abbrev = dict(all_to_all="a2a", chain_reduce="cr", edge_shift="es",
              gather="ga", multicast="mc", scatter="sc", store_forward="sf")
pats = ",".join("%s:%d" % (abbrev.get(k, k), v)
                for k, v in sorted((d.get("patterns") or {}).items())) or "-"
colors = "-"
if "colors_max" in d:
    colors = "%s/%s" % (g("colors_max"), g("colors_usable"))
wall, rss = "-", "-"
try:
    with open(timefile) as f:
        lines = [l for l in f.read().splitlines() if l.strip()]
    # GNU time puts "Command exited with non-zero status N" (or "Command
    # terminated by signal N") before the formatted line.
    e, m = lines[-1].split()
    wall, rss = "%.2f" % float(e), "%.0f" % (int(m) / 1024.0)
except (OSError, ValueError, IndexError):
    pass
print(fmt % (name, target, g("pes_used"), g("kernels"), g("streams"), colors,
             g("route_phases"), g("max_link_bytes"), s("import"),
             s("tensor"), s("map"), s("place"), s("route"), s("total"),
             wall, rss, pats, status))
EOF
}

{
  echo "patterns: a2a all_to_all, cr chain_reduce, es edge_shift, ga gather, mc multicast, sc scatter, sf store_forward; colors max/usable; ph route phases; maxlink bytes; seconds per phase"
  row - - - - -
} | tee "$TABLE"

for model in "$LARGE"/*/model.onnx test/fixtures/*/model.onnx; do
  [ -f "$model" ] || continue
  name=$(basename "$(dirname "$model")")
  matches "$name" || continue
  for t in $TARGETS; do
    report="$BENCH/$name.$t.json"
    log="$BENCH/$name.$t.log"
    tfile="$BENCH/$name.$t.time"
    rm -f "$report" "$tfile"
    /usr/bin/time -o "$tfile" -f '%e %M' "$RUN" "$model" --target "$t" \
      --compile-only --report "$report" >"$log" 2>&1
    rc=$?
    if [ "$rc" -eq 0 ] && [ -f "$report" ]; then
      status=ok
    else
      failed=1
      status=$(grep -m1 -i 'error' "$log")
      [ -n "$status" ] || status=$(grep -m1 . "$log")
      if [ "$rc" -eq 0 ]; then
        status="no report written${status:+: $status}"
      fi
      [ -n "$status" ] || status="exit $rc"
    fi
    row "$name" "$t" "$status" "$report" "$tfile" | tee -a "$TABLE"
  done
done
exit "$failed"
