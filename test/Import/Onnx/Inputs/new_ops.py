"""Checks the ops added for LLaMA-style and Einsum exports (Sign, Floor,
Ceil, Mod, Sin, Cos, ArgMax, ReduceMin, ReduceProd, CumSum, Einsum) against
numpy: each case is a one-node model, run through `wafer-run --golden` and,
when its inputs are f32, compiled onto a small mesh and run through the PE
interpreter (`--target T --check`). Prints one line per case and 'new-ops: N passed, N failed'; exits
1 on a failure. Needs /usr/bin/python3 with numpy and onnx.

    new_ops.py WAFER_RUN WORKDIR [--target 8x8] [--only GLOB]"""
import argparse
import fnmatch
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as TP
from onnx import helper as h
from onnx import numpy_helper as nh

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "python"))
from wafer_fixtures.compare import compare, load_output, run_wafer  # noqa

rng = np.random.default_rng(7)
DT = {np.float32: TP.FLOAT, np.int64: TP.INT64}


def f32(*shape):
    return rng.uniform(-3, 3, shape).astype(np.float32)


def i64(*shape, lo=-9, hi=10):
    return rng.integers(lo, hi, shape).astype(np.int64)


def np_cumsum(x, axis, exclusive=False, reverse=False):
    if reverse:
        x = np.flip(x, axis)
    y = np.cumsum(x, axis=axis, dtype=x.dtype)
    if exclusive:
        y = y - x
    return np.flip(y, axis) if reverse else y


def np_argmax(x, axis, keepdims=True, last=False):
    if last:
        r = x.shape[axis] - 1 - np.argmax(np.flip(x, axis), axis=axis)
    else:
        r = np.argmax(x, axis=axis)
    r = r.astype(np.int64)
    return np.expand_dims(r, axis) if keepdims else r


def np_py_mod(a, b):
    return np.mod(a, b)


# name: (op, inputs {name: array}, attrs, const inputs {name: array},
#        expected output)
CASES = []


def case(name, op, inputs, expected, attrs=None, consts=None):
    CASES.append((name, op, inputs, attrs or {}, consts or {}, expected))


x = f32(4, 6)
for op, fn in (("Sign", np.sign), ("Floor", np.floor), ("Ceil", np.ceil),
               ("Sin", np.sin), ("Cos", np.cos)):
    case(op.lower(), op, {"x": x}, fn(x).astype(np.float32))
xi = i64(4, 6)
case("sign_i64", "Sign", {"x": xi}, np.sign(xi))
a, b = f32(4, 6), f32(6)
b[np.abs(b) < 0.1] = 0.5
case("fmod_f32", "Mod", {"a": a, "b": b}, np.fmod(a, b), {"fmod": 1})
ai, bi = i64(4, 6), i64(6, lo=1, hi=5) * np.array([1, -1] * 3)
case("mod_i64", "Mod", {"a": ai, "b": bi}, np_py_mod(ai, bi))
case("fmod_i64", "Mod", {"a": ai, "b": bi}, np.fmod(ai, bi), {"fmod": 1})
x3 = f32(3, 5, 7)
for axis, keep, last in ((1, 1, 0), (-1, 0, 0), (0, 1, 1), (2, 0, 1)):
    name = "argmax_a%d_k%d_l%d" % (axis, keep, last)
    case(name, "ArgMax", {"x": x3}, np_argmax(x3, axis, keep, last),
         {"axis": axis, "keepdims": keep, "select_last_index": last})
ties = np.array([[1, 3, 3, 0], [2, 2, 2, 2]], dtype=np.float32)
case("argmax_ties_first", "ArgMax", {"x": ties}, np_argmax(ties, 1),
     {"axis": 1})
case("argmax_ties_last", "ArgMax", {"x": ties}, np_argmax(ties, 1, last=True),
     {"axis": 1, "select_last_index": 1})
case("argmax_i64", "ArgMax", {"x": xi}, np_argmax(xi, 0, False),
     {"axis": 0, "keepdims": 0})
# A NaN wins the maximum; ArgMax then points at the first (last) NaN.
xn = np.array([[1, np.nan, 3, np.nan], [5, 5, 1, 5]], np.float32)
case("argmax_nan_first", "ArgMax", {"x": xn}, np.array([1, 0], np.int64),
     {"axis": 1, "keepdims": 0})
case("argmax_nan_last", "ArgMax", {"x": xn}, np.array([3, 3], np.int64),
     {"axis": 1, "keepdims": 0, "select_last_index": 1})
# All-constant nodes fold at import; folding follows the run time's rules.
fa = np.array([5.5, -5.5, 7.0], np.float32)
fb = np.array([2.0, 2.0, -3.0], np.float32)
case("fmod_f32_folded", "Mod", {}, np.fmod(fa, fb), {"fmod": 1},
     {"a": fa, "b": fb})
cn = np.array([1, np.nan, 2], np.float32)
case("reducemin_nan_folded", "ReduceMin", {}, np.array(np.nan, np.float32),
     {"keepdims": 0}, {"c": cn})
case("reducemax_nan_folded", "ReduceMax", {}, np.array(np.nan, np.float32),
     {"keepdims": 0}, {"c": cn})
for op, fn in (("ReduceMin", np.min), ("ReduceProd", np.prod)):
    xs = rng.uniform(0.5, 1.5, (3, 5, 7)).astype(np.float32) \
        if op == "ReduceProd" else x3
    case(op.lower() + "_axes", op, {"x": xs},
         fn(xs, axis=(0, 2), keepdims=True), {"axes": [0, -1]})
    case(op.lower() + "_all", op, {"x": xs}, fn(xs, keepdims=False).reshape(()),
         {"keepdims": 0})
    case(op.lower() + "_i64", op, {"x": xi}, fn(xi, axis=1), {"axes": [1],
                                                                "keepdims": 0})
for ax, ex, rev in ((1, 0, 0), (0, 1, 0), (1, 0, 1), (-1, 1, 1)):
    name = "cumsum_a%d_e%d_r%d" % (ax, ex, rev)
    case(name, "CumSum", {"x": x3}, np_cumsum(x3, ax, ex, rev),
         {"exclusive": ex, "reverse": rev},
         {"axis": np.array(ax, dtype=np.int64)})
case("cumsum_i64", "CumSum", {"x": xi}, np_cumsum(xi, 1),
     consts={"axis": np.array([1], dtype=np.int64)})
q, k = f32(2, 3, 4, 8), f32(2, 3, 5, 8)
v = f32(2, 3, 5, 6)
for eq, ins in (("bhid,bhjd->bhij", (q, k)),
                ("bhij,bhjd->bhid",
                 (np.einsum("bhid,bhjd->bhij", q, k), v)),
                ("...id,...jd->...ij", (q, k)),
                ("ij,jk", (f32(4, 5), f32(5, 6))),
                ("ij->ji", (f32(4, 5),)),
                ("ij->", (f32(4, 5),)),
                ("i,i", (f32(7), f32(7))),
                ("ij,jk,kl->il", (f32(3, 4), f32(4, 5), f32(5, 2))),
                ("b i j, b j k -> b i k", (f32(2, 3, 4), f32(2, 4, 5)))):
    name = "einsum_" + "".join(c if c.isalnum() else "_" for c in eq)
    names = ["in%d" % n for n in range(len(ins))]
    case(name, "Einsum", dict(zip(names, ins)),
         np.einsum(eq.replace(" ", ""), *ins).astype(np.float32),
         {"equation": eq})


def build(path, op, inputs, attrs, consts, expected):
    ins = [h.make_tensor_value_info(n, DT[a.dtype.type], a.shape)
           for n, a in inputs.items()]
    inits = [nh.from_array(c, n) for n, c in consts.items()]
    node = h.make_node(op, list(inputs) + list(consts), ["y"], **attrs)
    out = h.make_tensor_value_info("y", DT[expected.dtype.type],
                                   expected.shape)
    g = h.make_graph([node], op, ins, [out], inits)
    m = h.make_model(g, opset_imports=[h.make_opsetid("", 17)])
    m.ir_version = 8
    onnx.save(m, path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("wafer_run")
    ap.add_argument("workdir")
    ap.add_argument("--target", default="8x8")
    ap.add_argument("--only", default="*")
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    passed = failed = 0
    for name, op, inputs, attrs, consts, expected in CASES:
        if not fnmatch.fnmatch(name, args.only):
            continue
        d = os.path.join(args.workdir, name)
        os.makedirs(d, exist_ok=True)
        model = os.path.join(d, "model.onnx")
        build(model, op, inputs, attrs, consts, expected)
        files = []
        for n, a in inputs.items():
            p = os.path.join(d, n + ".npy")
            np.save(p, a)
            files.append((n, p))
        msgs = []
        modes = [("--golden",)]
        # A compile specialises the program on i64 inputs given to it (they
        # are index data), which folds these one-node models away.
        if inputs and all(a.dtype == np.float32 for a in inputs.values()):
            modes.append(("--target", args.target, "--check"))
        for mode in modes:
            out = os.path.join(d, "out" + mode[0].replace("-", "_"))
            ok, msg = run_wafer(args.wafer_run, model, files, out, 120,
                                mode=mode)
            if ok:
                got = load_output(out, "y")
                ok, msg = compare("y", got, expected.astype(
                    expected.dtype), 1e-4, 1e-5)
            msgs.append("%s %s" % (" ".join(mode), msg))
            if not ok:
                break
        print("%s %s: %s" % ("PASS" if ok else "FAIL", name, "; ".join(msgs)))
        passed += ok
        failed += not ok
    print("new-ops: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
