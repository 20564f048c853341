"""Writes the pure data-movement models of data-movement.test into DIR:
each output is a transpose, reshape, slice or concatenation of the model's
inputs, or a constant, so no ONNX node computes anything. Needs
/usr/bin/python3 with numpy and onnx.

    data_movement.py DIR"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as TP
from onnx import helper as h
from onnx import numpy_helper as nh

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def save(name, nodes, inputs, outputs, inits=()):
    g = h.make_graph(nodes, name, inputs, outputs, list(inits))
    m = h.make_model(g, opset_imports=[h.make_opsetid("", 17)])
    m.ir_version = 8
    onnx.save(m, os.path.join(out, name + ".onnx"))


def vi(name, shape):
    return h.make_tensor_value_info(name, TP.FLOAT, shape)


def ints(name, v):
    return nh.from_array(np.array(v, dtype=np.int64), name)


save("transpose", [h.make_node("Transpose", ["x"], ["y"], perm=[1, 0])],
     [vi("x", [12, 20])], [vi("y", [20, 12])])
save("reshape", [h.make_node("Reshape", ["x", "s"], ["y"])],
     [vi("x", [12, 20])], [vi("y", [30, 8])], [ints("s", [30, 8])])
save("slice", [h.make_node("Slice", ["x", "a", "b", "c"], ["y"])],
     [vi("x", [12, 20])], [vi("y", [5, 20])],
     [ints("a", [2]), ints("b", [7]), ints("c", [0])])
save("concat", [h.make_node("Concat", ["x", "z"], ["y"], axis=1)],
     [vi("x", [12, 20]), vi("z", [12, 4])], [vi("y", [12, 24])])
# Two outputs: a head split of the input, and a constant.
save("heads_and_constant",
     [h.make_node("Reshape", ["x", "s"], ["r"]),
      h.make_node("Transpose", ["r"], ["y"], perm=[1, 0, 2]),
      h.make_node("Constant", [], ["k"],
                  value=nh.from_array(np.arange(6, dtype=np.float32)
                                      .reshape(2, 3)))],
     [vi("x", [12, 20])], [vi("y", [4, 12, 5]), vi("k", [2, 3])],
     [ints("s", [12, 4, 5])])
