#!/usr/bin/python3
"""ONNX backend node tests through wafer-run (the conformance suite).

    onnx_node_suite.py --wafer-run build/bin/wafer-run \\
        [--skips test/Conformance/node_skips.txt] [--filter 'test_add*']

Walks the node tests of ONNX's backend suite (Debian's libonnx-testdata:
/usr/share/libonnx-testdata/data/node/<test>/model.onnx and
test_data_set_N/{input,output}_K.pb). A test is skipped automatically when its
model uses an op the frontend does not support (docs/frontend-dialect.md's op
table plus the ops folded at import) or an element type other than f32, i64
and bool; the skip file lists, with a reason, tests we skip on purpose
although their ops are supported. Every other test runs
`wafer-run model.onnx --golden --input <name>=@input_K.pb ... --output-dir
TMP` and compares TMP/<output name>.npy with output_K.pb (rtol 1e-3, atol
1e-7 as ONNX's runner does; bool and integer outputs exactly).

Prints failures, the skip breakdown (by op and by dtype), failures grouped by
op, and a closing 'N passed, N failed, N skipped' line; exits 1 if any
non-skipped test fails. Needs numpy and onnx.
"""

import argparse
import concurrent.futures
import fnmatch
import glob
import os
import re
import shutil
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import onnx  # noqa: E402
from onnx import numpy_helper  # noqa: E402

from wafer_fixtures.compare import compare, load_output, run_wafer  # noqa

DEFAULT_DATA = "/usr/share/libonnx-testdata/data/node"

# docs/frontend-dialect.md: ops the importer emits into the onnx dialect ...
SUPPORTED_OPS = {
    "Add", "Sub", "Mul", "Div", "Pow", "Min", "Max",
    "Equal", "Less", "Greater", "And", "Or", "Where",
    "Sqrt", "Reciprocal", "Neg", "Exp", "Log", "Tanh", "Erf", "Relu",
    "Sigmoid", "Abs", "Not",
    "Cast", "Clip", "MatMul", "Gemm", "Softmax", "LogSoftmax",
    "LayerNormalization", "ReduceMean", "ReduceSum", "ReduceMax",
    "Transpose", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Expand",
    "Concat", "Split", "Slice", "Gather", "Trilu",
    "Sign", "Floor", "Ceil", "Mod", "Sin", "Cos", "ArgMax", "ReduceMin",
    "ReduceProd", "CumSum", "Einsum",
}
# ... and the ops it folds away at import.
FOLDED_OPS = {"Constant", "ConstantOfShape", "Shape", "Size", "Range",
              "Identity", "Dropout"}
DEFAULT_DOMAINS = ("", "ai.onnx")

TP = onnx.TensorProto
SUPPORTED_ELEM_TYPES = {TP.FLOAT: "f32", TP.INT64: "i64", TP.BOOL: "bool"}


def elem_type_name(t):
    return TP.DataType.Name(t).lower()


class Test:
    def __init__(self, name, path):
        self.name = name
        self.path = path
        self.skip = None        # reason, when skipped
        self.skip_kind = None   # "op", "dtype", "type", "model", "list"
        self.skip_keys = []     # unsupported op or dtype names
        self.ops = []           # op types used (for failure grouping)
        self.inputs = []        # graph input names (no initializers)
        self.outputs = []


def value_info_problem(vi):
    """Returns an unsupported-type description for a ValueInfoProto."""
    t = vi.type
    kind = t.WhichOneof("value")
    if kind != "tensor_type":
        return "type", "%s is a %s" % (vi.name, kind or "value of no type")
    et = t.tensor_type.elem_type
    if et and et not in SUPPORTED_ELEM_TYPES:
        return "dtype", elem_type_name(et)
    return None


def analyse(test):
    """Loads the model and decides whether the frontend can take it."""
    try:
        model = onnx.load(os.path.join(test.path, "model.onnx"))
    except Exception as e:  # corrupt or newer-than-library model
        test.skip_kind, test.skip = "model", "cannot load model: %s" % e
        return
    g = model.graph
    inits = {i.name for i in g.initializer}
    test.inputs = [i.name for i in g.input if i.name not in inits]
    test.outputs = [o.name for o in g.output]
    ops = []
    bad_ops = []
    problems = []
    for n in g.node:
        op = n.op_type if n.domain in DEFAULT_DOMAINS else \
            "%s.%s" % (n.domain, n.op_type)
        ops.append(op)
        if op not in SUPPORTED_OPS and op not in FOLDED_OPS:
            bad_ops.append(op)
        if n.op_type == "Cast" and n.domain in DEFAULT_DOMAINS:
            for a in n.attribute:
                if a.name == "to" and a.i not in SUPPORTED_ELEM_TYPES:
                    problems.append(("dtype", elem_type_name(a.i)))
    test.ops = sorted(set(ops))
    if bad_ops:
        test.skip_kind = "op"
        test.skip_keys = sorted(set(bad_ops))
        test.skip = "unsupported op(s): %s" % ", ".join(test.skip_keys)
        return
    for vi in list(g.input) + list(g.output):
        p = value_info_problem(vi)
        if p:
            problems.append(p)
    for init in g.initializer:
        if init.data_type not in SUPPORTED_ELEM_TYPES:
            problems.append(("dtype", elem_type_name(init.data_type)))
    try:
        inferred = onnx.shape_inference.infer_shapes(model)
        for vi in inferred.graph.value_info:
            p = value_info_problem(vi)
            if p:
                problems.append(p)
    except Exception:
        pass  # the importer reports models that do not infer
    if problems:
        kinds = {k for k, _ in problems}
        test.skip_kind = "type" if "type" in kinds else "dtype"
        test.skip_keys = sorted({d for k, d in problems
                                 if k == test.skip_kind})
        test.skip = "unsupported %s: %s" % (
            "value type" if test.skip_kind == "type" else "element type",
            ", ".join(test.skip_keys))


def read_skip_file(path):
    """Returns [(pattern, reason, line number)]; a line is
    `test_name_or_glob: reason`, '#' starts a comment."""
    entries = []
    with open(path) as f:
        for no, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            pat, sep, reason = line.partition(":")
            if not sep or not reason.strip() or not pat.strip():
                raise SystemExit("%s:%d: error: expected 'test_name: reason', "
                                 "got '%s'" % (path, no, line))
            entries.append((pat.strip(), reason.strip(), no))
    return entries


def run_one(test_name, path, inputs, outputs, wafer_run, timeout, rtol, atol,
            extra_args):
    """Worker: runs every data set of one test. Returns (ok, [messages])."""
    sets = sorted(glob.glob(os.path.join(path, "test_data_set_*")))
    if not sets:
        return False, ["no test_data_set_* directory"]
    msgs = []
    all_ok = True
    for ds in sets:
        feeds = []
        for k, name in enumerate(inputs):
            pb = os.path.join(ds, "input_%d.pb" % k)
            if os.path.exists(pb):
                feeds.append((name, pb))
        out_dir = tempfile.mkdtemp(prefix="wafer-node-")
        try:
            ok, msg = run_wafer(wafer_run, os.path.join(path, "model.onnx"),
                                feeds, out_dir, timeout, extra_args)
            if not ok:
                return False, msgs + [msg]
            for k, name in enumerate(outputs):
                pb = os.path.join(ds, "output_%d.pb" % k)
                if not os.path.exists(pb):
                    continue
                t = TP()
                with open(pb, "rb") as f:
                    t.ParseFromString(f.read())
                expected = numpy_helper.to_array(t)
                actual = load_output(out_dir, name)
                if actual is None:
                    all_ok = False
                    msgs.append("%s: wafer-run wrote no %s.npy" % (name, name))
                    continue
                ok, msg = compare(name, actual, np.asarray(expected), rtol,
                                  atol)
                if not ok:
                    all_ok = False
                    msgs.append(msg)
        finally:
            shutil.rmtree(out_dir, ignore_errors=True)
    return all_ok, msgs


_OP_PREFIXES = None
_TEST_NAME_ALIASES = {"tril": "Trilu", "triu": "Trilu",
                      "mvn": "MeanVarianceNormalization"}


def tested_op(test_name, model_ops):
    """The op a node test is about, from its name (test_reduce_mean_... ->
    ReduceMean); '(expanded)' marks the function-body variants."""
    global _OP_PREFIXES
    if _OP_PREFIXES is None:
        _OP_PREFIXES = {}
        for schema in onnx.defs.get_all_schemas():
            name = schema.name
            snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()
            for form in (name.lower(), snake):
                _OP_PREFIXES.setdefault("test_" + form, name)
    best = ""
    for prefix in _OP_PREFIXES:
        if test_name.startswith(prefix) and len(prefix) > len(best):
            best = prefix
    if best:
        op = _OP_PREFIXES[best]
    else:
        # test_tril_neg is about Trilu: the first word of the name starts
        # the name of one of the model's ops.
        word = test_name[len("test_"):].split("_")[0]
        op = _TEST_NAME_ALIASES.get(word) or next(
            (o for o in model_ops if o.lower().startswith(word)), test_name)
    return op + " (expanded)" if test_name.endswith("_expanded") else op


def top(counts, n):
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wafer-run", required=True, help="path to wafer-run")
    ap.add_argument("--data", default=DEFAULT_DATA,
                    help="node test directory (default %(default)s)")
    ap.add_argument("--skips", help="skip list file (name: reason per line)")
    ap.add_argument("--filter", action="append", default=[],
                    help="run only tests matching this glob (repeatable)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=120,
                    help="seconds per wafer-run invocation")
    ap.add_argument("--rtol", type=float, default=1e-3)
    ap.add_argument("--atol", type=float, default=1e-7)
    ap.add_argument("--extra-arg", action="append", default=[],
                    help="extra argument passed to wafer-run (repeatable)")
    ap.add_argument("--min-pass-rate", type=float, default=None,
                    metavar="R",
                    help="also fail unless passed / in scope >= R, where in "
                         "scope = passed + failed + skipped by the skip list")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="also list passing and skipped tests")
    ap.add_argument("--write-failures", metavar="FILE",
                    help="write failing tests in skip-file format (for "
                         "triage; review before adding them to the skips)")
    args = ap.parse_args()

    if not os.path.isdir(args.data):
        print("onnx_node_suite.py: error: node test directory '%s' not found "
              "(Debian package libonnx-testdata)" % args.data, file=sys.stderr)
        return 1
    tests = [Test(d, os.path.join(args.data, d))
             for d in sorted(os.listdir(args.data))
             if os.path.isfile(os.path.join(args.data, d, "model.onnx"))]
    if args.filter:
        tests = [t for t in tests
                 if any(fnmatch.fnmatch(t.name, p) for p in args.filter)]
    if not tests:
        print("onnx_node_suite.py: error: no node tests selected",
              file=sys.stderr)
        return 1

    # Validate the skip list before the (slower) model analysis.
    skips = read_skip_file(args.skips) if args.skips else []
    all_names = set(os.listdir(args.data))
    for pat, _, no in skips:
        if not fnmatch.filter(all_names, pat):
            print("%s:%d: error: '%s' matches no node test" %
                  (args.skips, no, pat), file=sys.stderr)
            return 1
    for t in tests:
        analyse(t)
    for pat, reason, _ in skips:
        for t in tests:
            if t.skip is None and fnmatch.fnmatch(t.name, pat):
                t.skip_kind, t.skip = "list", reason

    to_run = [t for t in tests if t.skip is None]
    results = {}
    with concurrent.futures.ProcessPoolExecutor(max_workers=args.jobs) as ex:
        futs = {ex.submit(run_one, t.name, t.path, t.inputs, t.outputs,
                          args.wafer_run, args.timeout, args.rtol, args.atol,
                          args.extra_arg): t for t in to_run}
        for fut in concurrent.futures.as_completed(futs):
            t = futs[fut]
            try:
                results[t.name] = fut.result()
            except Exception as e:  # a bug in this harness, not in wafer
                results[t.name] = (False, ["harness error: %r" % e])

    passed = [t for t in to_run if results[t.name][0]]
    failed = [t for t in to_run if not results[t.name][0]]
    skipped = [t for t in tests if t.skip is not None]

    for t in to_run:
        ok, msgs = results[t.name]
        if ok and not args.verbose:
            continue
        print("%s %s" % ("PASS" if ok else "FAIL", t.name))
        for m in msgs:
            print("    " + m)
    if args.verbose:
        for t in skipped:
            print("SKIP %s: %s" % (t.name, t.skip))

    by_kind = {}
    for t in skipped:
        by_kind.setdefault(t.skip_kind, []).append(t)
    print()
    print("skipped %d:" % len(skipped))
    op_counts = {}
    for t in by_kind.get("op", []):
        for op in t.skip_keys:
            op_counts[op] = op_counts.get(op, 0) + 1
    if op_counts:
        print("  unsupported op (%d tests), by op: %s" % (
            len(by_kind["op"]), ", ".join("%s %d" % kv
                                          for kv in top(op_counts, 1000))))
    dt_counts = {}
    for t in by_kind.get("dtype", []):
        for dt in t.skip_keys:
            dt_counts[dt] = dt_counts.get(dt, 0) + 1
    if dt_counts:
        print("  unsupported element type (%d tests): %s" % (
            len(by_kind["dtype"]), ", ".join("%s %d" % kv
                                             for kv in top(dt_counts, 100))))
    for kind, label in (("type", "non-tensor value type"),
                        ("model", "model does not load"),
                        ("list", "skip list")):
        if by_kind.get(kind):
            print("  %s (%d tests)" % (label, len(by_kind[kind])))
    if failed:
        fail_ops = {}
        for t in failed:
            op = tested_op(t.name, t.ops)
            fail_ops[op] = fail_ops.get(op, 0) + 1
        print("failures by tested op: %s" %
              ", ".join("%s %d" % kv for kv in top(fail_ops, 1000)))
    if args.write_failures:
        with open(args.write_failures, "w") as f:
            for t in failed:
                msg = results[t.name][1][0] if results[t.name][1] else "fails"
                f.write("%s: FIXME (%s) %s\n" % (t.name, "/".join(t.ops), msg))
    print("ran %d of %d node tests" % (len(to_run), len(tests)))
    print("onnx-node: %d passed, %d failed, %d skipped" % (
        len(passed), len(failed), len(skipped)))
    in_scope = len(to_run) + len(by_kind.get("list", []))
    rate = len(passed) / in_scope if in_scope else 1.0
    print("onnx-node: in scope %d (run %d + skip list %d), pass rate %.1f%%" %
          (in_scope, len(to_run), len(by_kind.get("list", [])), 100 * rate))
    if args.min_pass_rate is not None and rate < args.min_pass_rate:
        print("onnx-node: error: pass rate %.1f%% is below the required "
              "%.1f%%" % (100 * rate, 100 * args.min_pass_rate),
              file=sys.stderr)
        return 1
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
