#!/usr/bin/python3
"""Runs wafer-run on every model fixture and compares with ORT's outputs.

    check.py --wafer-run build/bin/wafer-run [--target T ...] test/fixtures
             [FIXTURE_DIR ...]

Each argument is a fixture directory (holding meta.json) or a directory of
them. For each fixture: `wafer-run model.onnx --golden --input NAME=@NAME.npy
... --output-dir TMP`, then every output TMP/<name>.npy is compared with the
committed <name>.npy (numpy.allclose semantics, atol 1e-4, rtol 1e-3 by
default). With --target T (repeatable) each fixture is instead compiled
onto T, interpreted PE by PE and checked by wafer-run against its golden
evaluator (`--target T --check`), and the interpreted outputs are compared
with ONNX Runtime's as above: one line per fixture and target. Prints one line per output (max abs error, worst element) and a
closing 'N passed, N failed' line; exits 1 on any mismatch. numpy only.
"""

import argparse
import fnmatch
import json
import os
import shutil
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from wafer_fixtures.compare import compare, load_output, run_wafer  # noqa


def find_fixtures(paths):
    found = []
    for p in paths:
        if os.path.isfile(os.path.join(p, "meta.json")):
            found.append(p)
        elif os.path.isdir(p):
            found += sorted(os.path.join(p, d) for d in os.listdir(p)
                            if os.path.isfile(os.path.join(p, d, "meta.json")))
        else:
            raise SystemExit("check.py: error: '%s' is not a fixture "
                             "directory" % p)
    return found


def check_fixture(fx_dir, args, mode=("--golden",)):
    """Returns (ok, [lines])."""
    with open(os.path.join(fx_dir, "meta.json")) as f:
        meta = json.load(f)
    inputs = [(i["name"], os.path.join(fx_dir, i["file"]))
              for i in meta["inputs"]]
    out_dir = tempfile.mkdtemp(prefix="wafer-check-")
    try:
        ok, msg = run_wafer(args.wafer_run, os.path.join(fx_dir, "model.onnx"),
                            inputs, out_dir, args.timeout, args.extra_arg,
                            mode)
        if not ok:
            return False, [msg]
        lines = []
        all_ok = True
        for o in meta["outputs"]:
            expected = np.load(os.path.join(fx_dir, o["file"]))
            actual = load_output(out_dir, o["name"])
            if actual is None:
                all_ok = False
                lines.append("%s: wafer-run wrote no %s.npy" % (o["name"],
                                                                o["name"]))
                continue
            ok, msg = compare(o["name"], actual, expected, args.rtol,
                              args.atol)
            all_ok &= ok
            lines.append(msg)
        return all_ok, lines
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wafer-run", required=True, help="path to wafer-run")
    ap.add_argument("--atol", type=float, default=1e-4)
    ap.add_argument("--rtol", type=float, default=1e-3)
    ap.add_argument("--timeout", type=float, default=600,
                    help="seconds per wafer-run invocation")
    ap.add_argument("--only", action="append", default=[],
                    help="check only fixtures matching this glob")
    ap.add_argument("--extra-arg", action="append", default=[],
                    help="extra argument passed to wafer-run (repeatable)")
    ap.add_argument("--target", action="append", default=[],
                    help="compile onto this target, interpret and --check "
                    "instead of --golden (repeatable)")
    ap.add_argument("paths", nargs="+", help="fixture dirs or their parent")
    args = ap.parse_args()

    fixtures = find_fixtures(args.paths)
    if args.only:
        fixtures = [f for f in fixtures
                    if any(fnmatch.fnmatch(os.path.basename(f), p)
                           for p in args.only)]
    if not fixtures:
        print("check.py: error: no fixtures found in %s" % args.paths,
              file=sys.stderr)
        return 1
    passed = failed = 0
    runs = [(fx, t) for fx in fixtures for t in (args.target or [None])]
    for fx, target in runs:
        mode = ("--golden",) if target is None else ("--target", target,
                                                     "--check")
        ok, lines = check_fixture(fx, args, mode)
        print("%s %s%s" % ("PASS" if ok else "FAIL", os.path.basename(fx),
                           "" if target is None else " on " + target))
        for l in lines:
            print("    " + l)
        if ok:
            passed += 1
        else:
            failed += 1
    print("fixtures: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
