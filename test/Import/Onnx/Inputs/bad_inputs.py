"""Writes the bad-input models and tensor files of bad-inputs.test into
DIR: each claims sizes it does not hold, overflows a count, asks for more
memory than the machine has, or used to crash the importer or libonnx.
Needs /usr/bin/python3 with numpy and onnx.

    bad_inputs.py DIR [CHAIN_LENGTH]"""
import os
import struct
import sys

import numpy as np
import onnx
from onnx import TensorProto as TP
from onnx import helper as h
from onnx import numpy_helper as nh

out = sys.argv[1]
chain = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
os.makedirs(out, exist_ok=True)


def save(name, nodes, inputs, outputs, inits=()):
    g = h.make_graph(nodes, name, inputs, outputs, list(inits))
    m = h.make_model(g, opset_imports=[h.make_opsetid("", 17)])
    m.ir_version = 8
    onnx.save(m, os.path.join(out, name + ".onnx"))


def vi(name, shape):
    return h.make_tensor_value_info(name, TP.FLOAT, shape)


def npy(name, shape_text, data):
    hdr = "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }" % shape_text
    hdr += " " * ((64 - (10 + len(hdr) + 1) % 64) % 64) + "\n"
    with open(os.path.join(out, name), "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(hdr)) +
                hdr.encode() + data)


def pb(name, dims, raw):
    t = TP()
    t.name = "x"
    t.data_type = TP.FLOAT
    t.dims.extend(dims)
    t.raw_data = raw
    with open(os.path.join(out, name), "wb") as f:
        f.write(t.SerializeToString())


# Zero-size reshapes (used to recurse without end).
shape = nh.from_array(np.array([4, 0], dtype=np.int64), "shape")
save("reshape_allowzero",
     [h.make_node("Reshape", ["x", "shape"], ["y"], allowzero=1)],
     [vi("x", [0, 4])], [vi("y", [4, 0])], [shape])
shape = nh.from_array(np.array([-1], dtype=np.int64), "shape")
save("reshape_zero_flat", [h.make_node("Reshape", ["x", "shape"], ["y"])],
     [vi("x", [0, 4])], [vi("y", [0])], [shape])

# LayerNormalization with Mean/InvStdDev and an axis below -rank (a
# segfault inside libonnx's shape inference).
sc = nh.from_array(np.ones([4], np.float32), "scale")
b = nh.from_array(np.zeros([4], np.float32), "bias")
save("layernorm_axis",
     [h.make_node("LayerNormalization", ["x", "scale", "bias"],
                  ["y", "mean", "istd"], axis=-5)],
     [vi("x", [2, 3, 4])],
     [vi("y", [2, 3, 4]), vi("mean", [2, 3, 1]), vi("istd", [2, 3, 1])],
     [sc, b])

# A graph input of 2^40 floats (4 TiB) and one whose bytes overflow.
save("huge_input", [h.make_node("Relu", ["x"], ["y"])], [vi("x", [1 << 40])],
     [vi("y", [1 << 40])])
save("overflow_input", [h.make_node("Relu", ["x"], ["y"])],
     [vi("x", [1 << 32, 1 << 32, 4])], [vi("y", [1 << 32, 1 << 32, 4])])

# Initializers claiming more than they hold.
w = TP()
w.name = "w"
w.data_type = TP.FLOAT
w.dims.extend([1 << 20, 1 << 20])
w.raw_data = b"\0" * 8
save("huge_initializer", [h.make_node("Add", ["x", "w"], ["y"])],
     [vi("x", [1])], [vi("y", [1 << 20, 1 << 20])], [w])
s = TP()
s.name = "shape"
s.data_type = TP.INT64
s.dims.extend([4])
s.raw_data = b"\x18\0\0\0"  # 4 bytes for 4 int64 values
save("short_shape_initializer", [h.make_node("Reshape", ["x", "shape"], ["y"])],
     [vi("x", [2, 3, 4])], [vi("y", [24])], [s])

# A small model for the tensor files below.
save("small", [h.make_node("Relu", ["x"], ["y"])], [vi("x", [4])],
     [vi("y", [4])])
npy("huge.npy", "(%d, %d)" % (1 << 20, 1 << 20), b"\0" * 16)
npy("overflow.npy", "(%d, %d, 4)" % (1 << 32, 1 << 32), b"\0" * 16)
pb("huge.pb", [1 << 20, 1 << 20], b"\0" * 16)
pb("overflow.pb", [1 << 32, 1 << 32, 4], b"\0" * 16)

# Dropout in training mode with a ratio: a random mask.
t = nh.from_array(np.array(True), "training")
r = nh.from_array(np.array(0.25, np.float32), "ratio")
save("dropout_training",
     [h.make_node("Dropout", ["x", "ratio", "training"], ["y"])],
     [vi("x", [4])], [vi("y", [4])], [r, t])

# A node reading a tensor nothing produces, and one reading a tensor a
# later node produces.
save("missing_tensor", [h.make_node("Relu", ["nowhere"], ["y"])],
     [vi("x", [4])], [vi("y", [4])])
save("unsorted", [h.make_node("Relu", ["t"], ["y"], name="second"),
                  h.make_node("Relu", ["x"], ["t"], name="first")],
     [vi("x", [4])], [vi("y", [4])])

# Several unsupported ops: one error lists them all.
save("many_unsupported",
     [h.make_node("Round", ["x"], ["a"], name="s1"),
      h.make_node("Acos", ["a"], ["b"], name="c1"),
      h.make_node("Round", ["b"], ["c"], name="s2"),
      h.make_node("Round", ["c"], ["d"], name="s3"),
      h.make_node("Round", ["d"], ["y"], name="s4")],
     [vi("x", [4])], [vi("y", [4])])

# Clip with a run-time min and a constant max of -1: ONNX clamps to the
# max last, so every output is -1 whatever min is.
hi = nh.from_array(np.array(-1.0, np.float32), "hi")
save("clip_runtime_min", [h.make_node("Clip", ["x", "lo", "hi"], ["y"])],
     [vi("x", [4]), vi("lo", [])], [vi("y", [4])], [hi])

# LayerNormalization whose statistics feed another node.
save("layernorm_stats_used",
     [h.make_node("LayerNormalization", ["x", "scale", "bias"],
                  ["y", "mean", "istd"], axis=-1),
      h.make_node("Relu", ["mean"], ["m"])],
     [vi("x", [2, 3, 4])], [vi("y", [2, 3, 4]), vi("m", [2, 3, 1])],
     [sc, b])

# A long chain of elementwise nodes (fusion used to be quadratic).
nodes, prev = [], "x"
c = nh.from_array(np.full([4], 0.5, np.float32), "c")
for k in range(chain):
    o = "y" if k == chain - 1 else "t%d" % k
    nodes.append(h.make_node("Add", [prev, "c"], [o]) if k % 2 == 0
                 else h.make_node("Relu", [prev], [o]))
    prev = o
save("chain", nodes, [vi("x", [4])], [vi("y", [4])], [c])

# Einsum forms the importer refuses, each with its reason.
for name, eq, shapes, oshape in (
        ("einsum_diagonal", "ii->i", [[3, 3]], [3]),
        ("einsum_sizes", "ij,jk->ik", [[2, 3], [4, 5]], [2, 5]),
        ("einsum_terms", "ij,jk->ik", [[2, 3]], [2, 3]),
        ("einsum_output", "ij->ik", [[2, 3]], [2, 3]),
        ("einsum_char", "i1->i", [[2, 3]], [2])):
    ins = ["x%d" % k for k in range(len(shapes))]
    save(name, [h.make_node("Einsum", ins, ["y"], equation=eq)],
         [vi(n, s) for n, s in zip(ins, shapes)], [vi("y", oshape)])

# Mod on floats without fmod=1 (ONNX requires it), ArgMax over an empty
# axis, CumSum with an axis computed at run time.
save("mod_float", [h.make_node("Mod", ["x", "x"], ["y"])], [vi("x", [4])],
     [vi("y", [4])])
save("argmax_empty", [h.make_node("ArgMax", ["x"], ["y"], axis=1)],
     [vi("x", [2, 0])], [h.make_tensor_value_info("y", TP.INT64, [2, 1])])
save("cumsum_runtime_axis", [h.make_node("CumSum", ["x", "a"], ["y"])],
     [vi("x", [2, 3]), h.make_tensor_value_info("a", TP.INT64, [])],
     [vi("y", [2, 3])])

# Folding at import: ConstantOfShape and Range claiming huge results are
# refused before anything is allocated; a ConstantOfShape too big to fold
# (but within the limit) becomes one splat constant.
huge = nh.from_array(np.array([1 << 20, 1 << 20], dtype=np.int64), "shape")
save("constantofshape_huge",
     [h.make_node("ConstantOfShape", ["shape"], ["y"])], [],
     [vi("y", [1 << 20, 1 << 20])], [huge])
save("range_huge", [h.make_node("Range", ["a", "b", "c"], ["y"])], [],
     [h.make_tensor_value_info("y", TP.INT64, [1 << 40])],
     [nh.from_array(np.array(v, dtype=np.int64), n)
      for n, v in (("a", 0), ("b", 1 << 40), ("c", 1))])
save("constantofshape_splat",
     [h.make_node("ConstantOfShape", ["s"], ["t"],
                  value=nh.from_array(np.array([2.5], np.float32))),
      h.make_node("Add", ["t", "x"], ["y"])],
     [vi("x", [100, 100])], [vi("y", [100, 100])],
     [nh.from_array(np.array([100, 100], dtype=np.int64), "s")])

# An old-opset model that ONNX's checker rejects (a graph output without a
# type that no node produces): ONNX's version converter used to run on it
# first and crashed with a null dereference (found by the importer fuzzer).
g = h.make_graph([h.make_node("ReduceSum", ["x"], ["y"], axes=[0])],
                 "old_untyped", [vi("x", [3, 4])], [onnx.ValueInfoProto(name="z")])
m = h.make_model(g, opset_imports=[h.make_opsetid("", 6)])
m.ir_version = 3
with open(os.path.join(out, "old_untyped_output.onnx"), "wb") as f:
    f.write(m.SerializeToString())

# A typed graph output that nothing produces passes ONNX's checker, and its
# version converter then crashed on it (found by the importer fuzzer).
g = h.make_graph([h.make_node("Pow", ["x", "p"], ["m"])], "dangling",
                 [vi("x", [3]), h.make_tensor_value_info("p", TP.INT64, [3])],
                 [vi("z", [3])])
m = h.make_model(g, opset_imports=[h.make_opsetid("", 12)])
m.ir_version = 7
onnx.save(m, os.path.join(out, "old_dangling_output.onnx"))

# Expand to a shape with a negative dim (found by the importer fuzzer: the
# lowering built a generic with a negative loop range).
save("expand_negative", [h.make_node("Expand", ["x", "s"], ["y"])],
     [vi("x", [1])], [vi("y", ["a", "b", "c"])],
     [nh.from_array(np.array([2, -5, 3], dtype=np.int64), "s")])

# Reshape to a shape whose element count overflows int64 (found by the
# importer fuzzer: signed overflow in the product).
save("reshape_overflow", [h.make_node("Reshape", ["x", "s"], ["y"])],
     [vi("x", [4])], [vi("y", ["a", "b", "c"])],
     [nh.from_array(np.array([2, (1 << 62) - 1, 2], dtype=np.int64), "s")])

# Slice with steps of INT64_MAX and INT64_MIN (found by the importer fuzzer:
# the rounded-up length division overflowed and a valid model was refused).
# Folded on an initializer and compiled on a graph input.
big = (1 << 63) - 1
ints = lambda name, v: nh.from_array(np.array(v, dtype=np.int64), name)
save("slice_extreme_step",
     [h.make_node("Slice", ["c", "s1", "e1", "a", "p1"], ["y1"]),
      h.make_node("Slice", ["c", "s2", "e2", "a", "p2"], ["y2"])],
     [], [vi("y1", [1]), vi("y2", [1])],
     [nh.from_array(np.arange(5, dtype=np.float32), "c"),
      ints("s1", [1]), ints("e1", [big]), ints("p1", [big]), ints("a", [0]),
      ints("s2", [-1]), ints("e2", [-big - 1]), ints("p2", [-big - 1])])
save("slice_extreme_step_run",
     [h.make_node("Slice", ["x", "s", "e", "a", "p"], ["y"])],
     [vi("x", [5])], [vi("y", [1])],
     [ints("s", [-1]), ints("e", [-big - 1]), ints("a", [0]),
      ints("p", [-big - 1])])

# Slice with a negative step on an empty axis (there is no index to clamp
# the start to; found in review).
save("slice_empty_reverse",
     [h.make_node("Slice", ["c", "s", "e", "a", "p"], ["y"])],
     [], [vi("y", ["a", "b"])],
     [nh.from_array(np.zeros([0, 3], dtype=np.float32), "c"),
      ints("s", [-1]), ints("e", [-big - 1]), ints("a", [0]), ints("p", [-1])])
