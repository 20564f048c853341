"""Helpers for the golden evaluator lit tests (run with /usr/bin/python3).

  gen-mlp DIR        write DIR/x.npy, DIR/w.npy and bad variants
  check-mlp DIR      compare DIR/out/y.npy with numpy's tanh(x @ w + b)
  gen-pb DIR         write DIR/x.pb (TensorProto) with the same x
  same A B           two .npy files are identical
  onnx-node TEST OUTDIR NAME...
                     compare OUTDIR/NAME.npy with the ONNX backend test's
                     expected output_i.pb (rtol 1e-4, atol 1e-5)
"""
import os
import sys

import numpy as np

BIAS = np.arange(16, dtype=np.float32) * 0.125 - 1.0


def mlp_inputs():
    x = (np.arange(32, dtype=np.float32).reshape(4, 8) % 7) * 0.25 - 0.5
    w = np.sin(np.arange(128, dtype=np.float32)).reshape(8, 16)
    return x.astype(np.float32), w.astype(np.float32)


def main():
    mode, d = sys.argv[1], sys.argv[2]
    if mode == "gen-mlp":
        x, w = mlp_inputs()
        np.save(os.path.join(d, "x.npy"), x)
        np.save(os.path.join(d, "w.npy"), w)
        np.save(os.path.join(d, "x64.npy"), x.astype(np.float64))
        np.save(os.path.join(d, "x_i64.npy"), x.astype(np.int64))
        np.save(os.path.join(d, "x_shape.npy"), np.zeros((8, 4), np.float32))
        np.save(os.path.join(d, "x_f16.npy"), x.astype(np.float16))
        raw = open(os.path.join(d, "x.npy"), "rb").read()
        open(os.path.join(d, "x_trunc.npy"), "wb").write(raw[:-10])
    elif mode == "check-mlp":
        x, w = mlp_inputs()
        want = np.tanh(x @ w + BIAS)
        got = np.load(os.path.join(d, "y.npy"))
        assert got.dtype == np.float32, got.dtype
        assert got.shape == want.shape, got.shape
        err = np.max(np.abs(got - want))
        assert err < 1e-5, err
        print("mlp ok, max abs error %.1e" % err)
    elif mode == "gen-pb":
        from onnx import numpy_helper
        x, _ = mlp_inputs()
        t = numpy_helper.from_array(x, "x")
        open(os.path.join(d, "x.pb"), "wb").write(t.SerializeToString())
    elif mode == "onnx-node":
        from onnx import TensorProto, numpy_helper
        base = "/usr/share/libonnx-testdata/data/node/%s/test_data_set_0" % d
        outdir = sys.argv[3]
        for i, name in enumerate(sys.argv[4:]):
            t = TensorProto()
            t.ParseFromString(open("%s/output_%d.pb" % (base, i), "rb").read())
            want = numpy_helper.to_array(t)
            got = np.load(os.path.join(outdir, name + ".npy"))
            assert got.shape == want.shape, (got.shape, want.shape)
            assert np.allclose(got, want, rtol=1e-4, atol=1e-5), (got, want)
        print("%s ok" % d)
    elif mode == "same":
        a, b = np.load(sys.argv[2]), np.load(sys.argv[3])
        assert a.dtype == b.dtype and np.array_equal(a, b)
        print("same")
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
