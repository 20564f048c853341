"""Writes the deterministic input --wafer-test-execute uses (element e of
input n is ((e * 7 + n * 3) % 11 - 5) / 4) as .npy, or prints the sum of
an .npy output: so a lit test can compare the PE interpreter's output sum
with the golden evaluator's on the same input."""
import sys

import numpy as np

if sys.argv[1] == "input":
    path, n = sys.argv[2], int(sys.argv[3])
    shape = [int(d) for d in sys.argv[4].split("x")]
    e = np.arange(int(np.prod(shape)))
    x = (((e * 7 + n * 3) % 11) - 5) / 4
    np.save(path, x.reshape(shape).astype(np.float32))
else:
    print("sum %.3f" % np.load(sys.argv[2]).astype(np.float64).sum())
