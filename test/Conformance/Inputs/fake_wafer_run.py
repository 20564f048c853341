#!/usr/bin/python3
"""Stand-in for wafer-run in the harness self-tests (harness.test): it takes
wafer-run's CLI and writes the *expected* outputs, so the tests exercise
check.py and onnx_node_suite.py (argument passing, output discovery,
comparison, exit codes) without depending on the compiler.

For a fixture model it copies <model dir>/<output>.npy; for an ONNX node test
it converts test_data_set_0/output_K.pb. --fake-mode changes the behaviour:
perturb (add 0.01 to one float element), fail (exit 1 with an error line),
missing (write nothing).
"""
import os
import sys

import numpy as np


def main(argv):
    model, inputs, out_dir, mode, golden = None, [], None, "exact", False
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--golden":
            golden = True
        elif a == "--input":
            i += 1
            name, _, path = argv[i].partition("=")
            if not path.startswith("@") or not os.path.isfile(path[1:]):
                sys.exit("fake-wafer-run: error: bad --input '%s'" % argv[i])
            inputs.append(name)
        elif a == "--output-dir":
            i += 1
            out_dir = argv[i]
        elif a.startswith("--fake-mode="):
            mode = a.split("=", 1)[1]
        elif model is None and not a.startswith("-"):
            model = a
        else:
            sys.exit("fake-wafer-run: error: unexpected argument '%s'" % a)
        i += 1
    if not (model and out_dir and golden):
        sys.exit("fake-wafer-run: error: need MODEL --golden --output-dir")
    if mode == "fail":
        print("fake-wafer-run: error: node 'n0' (Foo): simulated failure",
              file=sys.stderr)
        return 1
    if mode == "missing":
        return 0
    mdir = os.path.dirname(model)
    outputs = {}
    if os.path.isfile(os.path.join(mdir, "meta.json")):
        import json
        with open(os.path.join(mdir, "meta.json")) as f:
            meta = json.load(f)
        if sorted(inputs) != sorted(x["name"] for x in meta["inputs"]):
            sys.exit("fake-wafer-run: error: inputs %s" % inputs)
        for o in meta["outputs"]:
            outputs[o["name"]] = np.load(os.path.join(mdir, o["file"]))
    else:
        import onnx
        from onnx import numpy_helper
        g = onnx.load(model).graph
        for k, o in enumerate(g.output):
            t = onnx.TensorProto()
            pb = os.path.join(mdir, "test_data_set_0", "output_%d.pb" % k)
            with open(pb, "rb") as f:
                t.ParseFromString(f.read())
            outputs[o.name] = numpy_helper.to_array(t)
    os.makedirs(out_dir, exist_ok=True)
    for name, arr in outputs.items():
        if mode == "perturb" and arr.dtype == np.float32 and arr.size > 3:
            arr = arr.copy()
            arr.flat[3] += np.float32(0.01)
        np.save(os.path.join(out_dir, name + ".npy"), arr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
