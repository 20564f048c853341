"""Output comparison and wafer-run invocation shared by check.py and
onnx_node_suite.py. numpy only."""

import os
import subprocess

import numpy as np


def compare(name, actual, expected, rtol, atol):
    """Compares one output; returns (ok, message).

    Floats use numpy.allclose semantics, |a - e| <= atol + rtol * |e|, with
    NaN equal to NaN (as ONNX's backend tests do); bool and integer tensors
    must match exactly. The message gives the max abs error and the index of
    the worst element (the one furthest beyond its tolerance)."""
    if actual.shape != expected.shape:
        return False, "%s: shape %s, expected %s" % (
            name, list(actual.shape), list(expected.shape))
    if actual.dtype != expected.dtype:
        return False, "%s: dtype %s, expected %s" % (name, actual.dtype,
                                                      expected.dtype)
    if actual.size == 0:
        return True, "%s: empty" % name
    if expected.dtype.kind in "biuSUO":
        bad = actual != expected
        if not np.any(bad):
            return True, "%s: exact" % name
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        return False, "%s: %d of %d elements differ, first at %s: got %s, " \
            "expected %s" % (name, int(np.count_nonzero(bad)), actual.size,
                             list(idx), actual[idx], expected[idx])
    a = actual.astype(np.float64)
    e = expected.astype(np.float64)
    both_nan = np.isnan(a) & np.isnan(e)
    both_inf = np.isinf(a) & np.isinf(e) & (np.sign(a) == np.sign(e))
    same = both_nan | both_inf
    with np.errstate(invalid="ignore"):
        err = np.where(same, 0.0, np.abs(a - e))
        err = np.where(np.isnan(err), np.inf, err)
        excess = err - (atol + rtol * np.where(same, 0.0, np.abs(e)))
    excess = np.where(np.isnan(excess), np.inf, excess)
    worst = np.unravel_index(int(np.argmax(excess)), excess.shape)
    worst = tuple(int(i) for i in worst)
    max_err = float(np.max(err))
    ok = bool(np.all(excess <= 0))
    msg = "%s: max abs error %.3g, worst at %s: got %r, expected %r" % (
        name, max_err, list(worst), float(a[worst]), float(e[worst]))
    if not ok:
        msg += " (%d of %d elements beyond atol %g + rtol %g)" % (
            int(np.count_nonzero(excess > 0)), a.size, atol, rtol)
    return ok, msg


def run_wafer(wafer_run, model, inputs, out_dir, timeout, extra_args=(),
              mode=("--golden",)):
    """Runs `wafer-run MODEL MODE --input NAME=@FILE ... --output-dir OUT`;
    returns (ok, message). inputs is a list of (name, path); MODE is
    --golden by default, or e.g. ("--target", "64x64", "--check") to
    compile, interpret and check against the golden evaluator."""
    cmd = [wafer_run, model] + list(mode)
    for name, path in inputs:
        cmd += ["--input", "%s=@%s" % (name, path)]
    cmd += ["--output-dir", out_dir]
    cmd += list(extra_args)
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, "wafer-run timed out after %gs" % timeout
    except OSError as e:
        return False, "cannot run %s: %s" % (wafer_run, e)
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        lines = [l for l in err if "error" in l] or err
        first = lines[0] if lines else "(no message)"
        if proc.returncode < 0:
            first = "crashed (signal %d): %s" % (-proc.returncode, first)
        return False, "wafer-run exit %d: %s" % (proc.returncode, first)
    return True, ""


def load_output(out_dir, name):
    path = os.path.join(out_dir, name + ".npy")
    if not os.path.exists(path):
        return None
    return np.load(path, allow_pickle=False)
