#!/bin/bash
# Fuzzes the front end (README: "Developer builds: sanitizers and fuzzing").
#
#   scripts/fuzz.sh [--time SECONDS] [--runs N] [TARGET...] [-- LIBFUZZER_FLAG...]
#
# Configures and builds build-fuzz/ (clang-22, -DWAFER_FUZZ=ON: libFuzzer
# with ASan and UBSan) when needed, seeds build-fuzz/corpus/<target>/ from
# ONNX's backend node tests on first use, runs each target (default: all) for
# SECONDS (default 60) or N executions, whichever ends first, and prints
# executions, wall time and findings per target. Findings (crash-*, leak-*,
# timeout-*, oom-* inputs) go to build-fuzz/findings/<target>/ and the full
# log to build-fuzz/logs/<target>.log; with -jobs, each job's log goes to
# build-fuzz/logs/<target>.jobs/ and the executions are summed over them.
# Exits 1 when a target finds anything.
#
#   JOBS=N                 build jobs (default 2)
#   WAFER_FUZZ_BUILD_DIR   build directory (default build-fuzz)
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$(pwd)
ALL_TARGETS=(wafer-fuzz-import wafer-fuzz-tensor)
TIME=""
RUNS=""
TARGETS=()
while [ $# -gt 0 ]; do
  case "$1" in
  --time) TIME=$2; shift 2 ;;
  --runs) RUNS=$2; shift 2 ;;
  --) shift; break ;;
  -h | --help)
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
    exit 0 ;;
  wafer-fuzz-*) TARGETS+=("$1"); shift ;;
  *)
    echo "fuzz: unknown argument '$1' (targets: ${ALL_TARGETS[*]})" >&2
    exit 2 ;;
  esac
done
if [ ${#TARGETS[@]} = 0 ]; then TARGETS=("${ALL_TARGETS[@]}"); fi
if [ -z "$TIME" ] && [ -z "$RUNS" ]; then TIME=60; fi
# -timeout: one input running for a minute is a finding (a hang). Whatever
# follows `--` goes to libFuzzer last, so it can override these.
FLAGS=(-print_final_stats=1 -timeout=60)
if [ -n "$TIME" ]; then FLAGS+=(-max_total_time="$TIME"); fi
if [ -n "$RUNS" ]; then FLAGS+=(-runs="$RUNS"); fi
FLAGS+=("$@")
JOBS=${JOBS:-2}
BUILD=${WAFER_FUZZ_BUILD_DIR:-build-fuzz}
NODES=/usr/share/libonnx-testdata/data/node
LLVM_BIN=/usr/lib/llvm-22/bin

./scripts/setup.sh
./scripts/clang-build.sh "$BUILD" -DWAFER_FUZZ=ON
ninja -C "$BUILD" -j"$JOBS" "${TARGETS[@]}"

# Seeds, each file once (many node tests share their inputs).
add_seed() { # FILE DIR
  sum=$(md5sum "$1" | cut -c1-32)
  [ -f "$2/seed-$sum" ] || cp "$1" "$2/seed-$sum"
}
seed_import() { # DIR
  for f in "$NODES"/*/model.onnx "$SRC"/test/Import/Onnx/Inputs/*.onnx; do
    if [ -f "$f" ]; then add_seed "$f" "$1"; fi
  done
}
seed_tensor() { # DIR
  # The node tests' TensorProtos up to 8 KiB (larger ones only slow
  # mutation down), the .npy files of the tests, and one .npy per header
  # version and dtype the reader handles or rejects.
  find "$NODES" -name '*.pb' -size -8k | while read -r f; do
    add_seed "$f" "$1"
  done
  find "$SRC/test" "$SRC/examples" -name '*.npy' -size -8k | while read -r f; do
    add_seed "$f" "$1"
  done
  /usr/bin/python3 - "$1" <<'EOF'
import sys, numpy as np
from numpy.lib import format as npf
out = sys.argv[1]
arrays = {
    "f4": np.arange(6, dtype="<f4").reshape(2, 3) - 2.5,
    "f8": np.array([[1e-3, -2.0], [np.inf, np.nan]], dtype="<f8"),
    "i8": np.array([0, -1, 2**40], dtype="<i8"),
    "i4": np.array([[7], [-7]], dtype="<i4"),
    "b1": np.array([True, False, True]),
    "scalar": np.array(3.5, dtype="<f4"),
    "empty": np.zeros((0, 4), dtype="<f4"),
    "f2": np.ones(2, dtype="<f2"),
    "be": np.ones(2, dtype=">f4"),
    "fortran": np.asfortranarray(np.ones((2, 3), dtype="<f4")),
}
for name, a in arrays.items():
    for version in [(1, 0), (2, 0), (3, 0)]:
        with open("%s/gen-%s-v%d.npy" % (out, name, version[0]), "wb") as f:
            npf.write_array(f, a, version=version)
EOF
}

export ASAN_SYMBOLIZER_PATH="$LLVM_BIN/llvm-symbolizer"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
status=0
printf '%-20s %12s %10s %10s  %s\n' target execs seconds exec/s findings
for t in "${TARGETS[@]}"; do
  corpus="$BUILD/corpus/$t"
  findings="$BUILD/findings/$t"
  log="$BUILD/logs/$t.log"
  mkdir -p "$findings" "$BUILD/logs"
  if [ ! -d "$corpus" ]; then
    rm -rf "$corpus.new"
    mkdir -p "$corpus.new"
    case "$t" in
    wafer-fuzz-import) seed_import "$corpus.new" ;;
    wafer-fuzz-tensor) seed_tensor "$corpus.new" ;;
    esac
    mv "$corpus.new" "$corpus"
  fi
  before=$(ls "$findings" | wc -l)
  start=$(date +%s)
  rc=0
  # Run from a directory of its own: with -jobs, libFuzzer writes each
  # job's log as fuzz-N.log into the working directory.
  jobs="$BUILD/logs/$t.jobs"
  rm -rf "$jobs"
  mkdir -p "$jobs"
  bin=$(realpath "$BUILD/bin/$t")
  absFindings=$(realpath "$findings")
  absCorpus=$(realpath "$corpus")
  (cd "$jobs" && "$bin" -artifact_prefix="$absFindings/" "${FLAGS[@]}" \
    "$absCorpus") >"$log" 2>&1 || rc=$?
  seconds=$(($(date +%s) - start))
  # Executions: the sum over the jobs' logs when there are any, else the
  # single process's own.
  if ls "$jobs"/fuzz-*.log >/dev/null 2>&1; then
    execs=$(cat "$jobs"/fuzz-*.log |
      sed -n 's/^stat::number_of_executed_units: *//p' |
      awk '{n += $1} END {if (NR) print n}')
  else
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  fi
  execs=${execs:-?}
  rate="?"
  if [ "$execs" != "?" ] && [ "$seconds" -gt 0 ]; then
    rate=$((execs / seconds))
  fi
  new=$(($(ls "$findings" | wc -l) - before))
  printf '%-20s %12s %10s %10s  %s\n' "$t" "$execs" "$seconds" "$rate" "$new"
  if [ "$rc" != 0 ] || [ "$new" != 0 ]; then
    status=1
    echo "fuzz: $t exited with $rc; new inputs in $findings/ (newest last):"
    ls -tr "$findings" | tail -n "$((new > 0 ? new : 1))" |
      sed "s|^|  $findings/|"
    # The report: from its first line (sanitizer, libFuzzer or the
    # target's own) on, else the end of the log.
    first=$(grep -n -m1 -E 'ERROR:|runtime error:|DEADLYSIGNAL|^wafer-fuzz-[a-z]+: ' \
      "$log" | cut -d: -f1 || true)
    echo "fuzz: $log, from line ${first:-the end}:"
    if [ -n "$first" ]; then
      sed -n "$first,$((first + 59))p" "$log"
    else
      tail -n 60 "$log"
    fi | sed 's/^/  /'
  fi
done
exit $status
