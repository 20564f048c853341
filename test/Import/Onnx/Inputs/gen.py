#!/usr/bin/python3
"""Generates the small .onnx inputs of the ONNX importer's lit tests.

Run with Debian's interpreter (it has the onnx package):
    /usr/bin/python3 test/Import/Onnx/Inputs/gen.py
The generated files are committed so the tests need only wafer's binaries.
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
F, I64, B = TensorProto.FLOAT, TensorProto.INT64, TensorProto.BOOL


def vi(name, dtype, shape):
    return helper.make_tensor_value_info(name, dtype, shape)


def const(name, arr):
    return numpy_helper.from_array(np.asarray(arr), name)


def save(fname, nodes, inputs, outputs, inits=(), opset=17, check=True):
    graph = helper.make_graph(nodes, fname, inputs, outputs, list(inits))
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    if check:
        # Outputs are declared without shapes; ONNX fills them in.
        model = onnx.shape_inference.infer_shapes(model)
        onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, fname + ".onnx"))
    return model


def unary(op, dtype=F):
    save(op.lower(), [helper.make_node(op, ["x"], ["y"], name=op.lower() + "0")],
         [vi("x", dtype, [2, 3])], [vi("y", dtype, [2, 3])])


def binary(op, fname, a_shape, b_shape, dtype=F, out_dtype=None):
    save(fname, [helper.make_node(op, ["a", "b"], ["y"], name=fname + "0")],
         [vi("a", dtype, a_shape), vi("b", dtype, b_shape)],
         [vi("y", out_dtype or dtype, None)])


def main():
    # Elementwise.
    for op in ["Add", "Sub", "Mul", "Div", "Pow"]:
        binary(op, op.lower(), [2, 3], [3])
    for op in ["Equal", "Less", "Greater"]:
        binary(op, op.lower(), [2, 3], [2, 1], out_dtype=B)
    for op in ["And", "Or"]:
        binary(op, op.lower(), [4], [4], dtype=B)
    for op in ["Sqrt", "Reciprocal", "Neg", "Exp", "Log", "Tanh", "Erf",
               "Relu", "Sigmoid", "Abs"]:
        unary(op)
    unary("Not", B)
    save("min3", [helper.make_node("Min", ["a", "b", "c"], ["y"], name="min0")],
         [vi("a", F, [2, 3]), vi("b", F, [3]), vi("c", F, [1, 1])],
         [vi("y", F, None)])
    save("max1", [helper.make_node("Max", ["a", "m"], ["y"], name="max0")],
         [vi("a", F, [2, 3])], [vi("y", F, None)],
         [const("m", np.array(0.5, np.float32))])
    save("where", [helper.make_node("Where", ["c", "a", "b"], ["y"],
                                    name="where0")],
         [vi("c", B, [1, 3]), vi("a", F, [2, 3]), vi("b", F, [2, 1])],
         [vi("y", F, None)])
    save("cast", [helper.make_node("Cast", ["x"], ["y"], name="cast0", to=I64)],
         [vi("x", F, [2, 3])], [vi("y", I64, None)])
    save("clip", [helper.make_node("Clip", ["x", "lo", "hi"], ["y"],
                                   name="clip0")],
         [vi("x", F, [2, 3])], [vi("y", F, None)],
         [const("lo", np.array(-1.0, np.float32)),
          const("hi", np.array(6.0, np.float32))])
    save("clip_min", [helper.make_node("Clip", ["x", "lo"], ["y"],
                                       name="clip0")],
         [vi("x", F, [2, 3])], [vi("y", F, None)],
         [const("lo", np.array(0.0, np.float32))])

    # Linear algebra and normalisation.
    save("matmul", [helper.make_node("MatMul", ["a", "b"], ["y"],
                                     name="matmul0")],
         [vi("a", F, [2, 3, 4]), vi("b", F, [4, 5])], [vi("y", F, None)])
    save("matmul_vec", [helper.make_node("MatMul", ["a", "b"], ["y"],
                                         name="matmul0")],
         [vi("a", F, [4]), vi("b", F, [2, 4, 5])], [vi("y", F, None)])
    save("gemm", [helper.make_node("Gemm", ["a", "b", "c"], ["y"],
                                   name="gemm0", alpha=0.5, transB=1)],
         [vi("a", F, [2, 4]), vi("b", F, [3, 4]), vi("c", F, [3])],
         [vi("y", F, None)])
    save("softmax", [helper.make_node("Softmax", ["x"], ["y"],
                                      name="softmax0")],
         [vi("x", F, [2, 3, 4])], [vi("y", F, None)])
    save("log_softmax", [helper.make_node("LogSoftmax", ["x"], ["y"],
                                          name="logsoftmax0", axis=-2)],
         [vi("x", F, [2, 3, 4])], [vi("y", F, None)])
    save("layernorm", [helper.make_node("LayerNormalization",
                                        ["x", "g", "b"], ["y"], name="ln0",
                                        epsilon=1e-6)],
         [vi("x", F, [2, 3, 4]), vi("g", F, [4]), vi("b", F, [4])],
         [vi("y", F, None)])
    for op, axes, kd in [("ReduceMean", [-1], 0), ("ReduceMax", [0, 2], 1)]:
        save(op.lower(), [helper.make_node(op, ["x"], ["y"],
                                           name=op.lower() + "0", axes=axes,
                                           keepdims=kd)],
             [vi("x", F, [2, 3, 4])], [vi("y", F, None)])
    save("reducesum", [helper.make_node("ReduceSum", ["x", "axes"], ["y"],
                                        name="reducesum0")],
         [vi("x", F, [2, 3, 4])], [vi("y", F, None)],
         [const("axes", np.array([1], np.int64))])
    save("reducesum_all", [helper.make_node("ReduceSum", ["x"], ["y"],
                                            name="reducesum0", keepdims=0)],
         [vi("x", F, [2, 3])], [vi("y", F, None)])

    # Data movement.
    save("transpose", [helper.make_node("Transpose", ["x"], ["y"],
                                        name="transpose0", perm=[0, 2, 1])],
         [vi("x", F, [2, 3, 4])], [vi("y", F, None)])
    save("reshape", [helper.make_node("Reshape", ["x", "s"], ["y"],
                                      name="reshape0")],
         [vi("x", F, [2, 3, 4])], [vi("y", F, None)],
         [const("s", np.array([0, -1, 2], np.int64))])
    save("flatten", [helper.make_node("Flatten", ["x"], ["y"],
                                      name="flatten0", axis=2)],
         [vi("x", F, [2, 3, 4])], [vi("y", F, None)])
    save("squeeze", [helper.make_node("Squeeze", ["x", "axes"], ["y"],
                                      name="squeeze0")],
         [vi("x", F, [2, 1, 4, 1])], [vi("y", F, None)],
         [const("axes", np.array([-1, 1], np.int64))])
    save("unsqueeze", [helper.make_node("Unsqueeze", ["x", "axes"], ["y"],
                                        name="unsqueeze0")],
         [vi("x", F, [2, 4])], [vi("y", F, None)],
         [const("axes", np.array([0, -1], np.int64))])
    save("concat", [helper.make_node("Concat", ["a", "b"], ["y"],
                                     name="concat0", axis=-1)],
         [vi("a", F, [2, 3]), vi("b", F, [2, 5])], [vi("y", F, None)])
    save("split", [helper.make_node("Split", ["x", "s"], ["y0", "y1"],
                                    name="split0", axis=1)],
         [vi("x", F, [2, 6])], [vi("y0", F, None), vi("y1", F, None)],
         [const("s", np.array([2, 4], np.int64))])
    save("split_equal", [helper.make_node("Split", ["x"], ["y0", "y1", "y2"],
                                          name="split0", axis=-1)],
         [vi("x", F, [2, 6])],
         [vi("y0", F, None), vi("y1", F, None), vi("y2", F, None)])
    # Negative start, end past the dim (clamped), and a reversed axis.
    save("slice", [helper.make_node("Slice", ["x", "st", "en", "ax", "sp"],
                                    ["y"], name="slice0")],
         [vi("x", F, [4, 10, 6])], [vi("y", F, None)],
         [const("st", np.array([-8, 5], np.int64)),
          const("en", np.array([1000, -1000], np.int64)),
          const("ax", np.array([1, 2], np.int64)),
          const("sp", np.array([3, -2], np.int64))])
    save("gather", [helper.make_node("Gather", ["d", "i"], ["y"],
                                     name="gather0", axis=1)],
         [vi("d", F, [2, 5, 3]), vi("i", I64, [4])], [vi("y", F, None)])
    save("gather_embed", [helper.make_node("Gather", ["w", "i"], ["y"],
                                           name="embed0")],
         [vi("i", I64, [1, 3])], [vi("y", F, None)],
         [const("w", np.arange(12, dtype=np.float32).reshape(6, 2))])
    save("expand", [helper.make_node("Expand", ["x", "s"], ["y"],
                                     name="expand0")],
         [vi("x", F, [3, 1])], [vi("y", F, None)],
         [const("s", np.array([2, 1, 4], np.int64))])
    save("trilu", [helper.make_node("Trilu", ["x", "k"], ["y"],
                                    name="trilu0", upper=0)],
         [vi("x", F, [2, 4, 4])], [vi("y", F, None)],
         [const("k", np.array(1, np.int64))])

    # Folding: the chain PyTorch emits for x.view(x.size(0), -1, 2).
    save("shape_chain", [
        helper.make_node("Shape", ["x"], ["s"], name="shape0"),
        helper.make_node("Gather", ["s", "zero"], ["b"], name="gather0",
                         axis=0),
        helper.make_node("Unsqueeze", ["b", "ax0"], ["bu"], name="unsq0"),
        helper.make_node("Concat", ["bu", "rest"], ["shp"], name="concat0",
                         axis=0),
        helper.make_node("Reshape", ["x", "shp"], ["y"], name="reshape0"),
    ], [vi("x", F, ["batch", 3, 4])], [vi("y", F, ["batch", 6, 2])],
        [const("zero", np.array(0, np.int64)),
         const("ax0", np.array([0], np.int64)),
         const("rest", np.array([-1, 2], np.int64))])
    # A causal mask computed entirely from constants folds to one tensor.
    save("fold_mask", [
        helper.make_node("Range", ["start", "limit", "delta"], ["r"],
                         name="range0"),
        helper.make_node("Unsqueeze", ["r", "ax0"], ["row"], name="unsq0"),
        helper.make_node("Unsqueeze", ["r", "ax1"], ["col"], name="unsq1"),
        helper.make_node("Greater", ["row", "col"], ["m"], name="greater0"),
        helper.make_node("ConstantOfShape", ["shp"], ["zeros"], name="cos0",
                         value=helper.make_tensor("v", F, [1], [0.0])),
        helper.make_node("Constant", [], ["ninf"], name="const0",
                         value_float=float("-inf")),
        helper.make_node("Where", ["m", "ninf", "zeros"], ["mask"],
                         name="where0"),
        helper.make_node("Cast", ["m"], ["mi"], name="cast0", to=I64),
        helper.make_node("Add", ["x", "mask"], ["y"], name="add0"),
    ], [vi("x", F, [3, 3])], [vi("y", F, None), vi("mi", I64, None)],
        [const("start", np.array(0, np.int64)),
         const("limit", np.array(3, np.int64)),
         const("delta", np.array(1, np.int64)),
         const("ax0", np.array([1], np.int64)),
         const("ax1", np.array([0], np.int64)),
         const("shp", np.array([3, 3], np.int64))])
    # Evaluator semantics on constants: c = [[0,1,2],[3,4,5]].
    save("fold_values", [
        helper.make_node("Transpose", ["c"], ["t"], name="t0"),  # 3x2
        helper.make_node("Slice", ["t", "st", "en", "ax", "sp"], ["s"],
                         name="s0"),  # rows reversed: [[2,5],[1,4],[0,3]]
        helper.make_node("Gather", ["s", "gi"], ["g"], name="g0", axis=1),
        helper.make_node("Concat", ["g", "g"], ["cc"], name="c0", axis=0),
        helper.make_node("Cast", ["cc"], ["f"], name="cast0", to=F),
        helper.make_node("Div", ["f", "two"], ["half"], name="div0"),
        helper.make_node("Div", ["cc", "twoi"], ["idiv"], name="div1"),
        helper.make_node("Expand", ["row", "eshape"], ["e"], name="e0"),
        helper.make_node("ReduceSum", ["c", "rax"], ["rs"], name="rs0",
                         keepdims=0),
    ], [], [vi("half", F, None), vi("idiv", I64, None), vi("e", I64, None),
            vi("rs", I64, None)],
        [const("c", np.arange(6, dtype=np.int64).reshape(2, 3)),
         const("st", np.array([-1], np.int64)),
         const("en", np.array([-(2**63)], np.int64)),
         const("ax", np.array([0], np.int64)),
         const("sp", np.array([-1], np.int64)),
         const("gi", np.array([-1], np.int64)),
         const("two", np.array(2.0, np.float32)),
         const("twoi", np.array(2, np.int64)),
         const("row", np.array([[7, 8]], np.int64)),
         const("eshape", np.array([2, 1], np.int64)),
         const("rax", np.array([1], np.int64))])
    save("dropout_identity", [
        helper.make_node("Dropout", ["x"], ["d"], name="drop0"),
        helper.make_node("Identity", ["d"], ["y"], name="id0"),
    ], [vi("x", F, [2, 3])], [vi("y", F, None)])
    # Weights: 16x16 becomes a dense_resource blob, 2x2 stays inline.
    rng = np.random.default_rng(0)
    save("initializers", [
        helper.make_node("MatMul", ["x", "w"], ["h"], name="fc"),
        helper.make_node("Add", ["h", "bias"], ["y"]),
    ], [vi("x", F, [2, 16])], [vi("y", F, None)],
        [const("w", rng.standard_normal((16, 16)).astype(np.float32)),
         const("bias", np.arange(16, dtype=np.float32))])

    # Bad inputs.
    save("unsupported_op", [helper.make_node("Conv", ["x", "w"], ["y"],
                                             name="conv0")],
         [vi("x", F, [1, 1, 4, 4]), vi("w", F, [1, 1, 3, 3])],
         [vi("y", F, None)])
    save("unsupported_dtype", [helper.make_node("Add", ["a", "b"], ["y"],
                                                name="add0")],
         [vi("a", TensorProto.DOUBLE, [2]), vi("b", TensorProto.DOUBLE, [2])],
         [vi("y", TensorProto.DOUBLE, None)])
    save("unsupported_cast", [helper.make_node("Cast", ["x"], ["y"],
                                               name="cast0",
                                               to=TensorProto.FLOAT16)],
         [vi("x", F, [2])], [vi("y", TensorProto.FLOAT16, None)])
    save("nonconst_reshape", [helper.make_node("Reshape", ["x", "s"], ["y"],
                                               name="reshape0")],
         [vi("x", F, [2, 3]), vi("s", I64, [2])], [vi("y", F, [3, 2])])
    save("dropout_mask", [helper.make_node("Dropout", ["x"], ["y", "mask"],
                                           name="drop0")],
         [vi("x", F, [2, 3])], [vi("y", F, None), vi("mask", B, None)])
    save("old_opset", [helper.make_node("Softmax", ["x"], ["y"],
                                        name="softmax0")],
         [vi("x", F, [2, 3])], [vi("y", F, None)], opset=11)
    save("bad_broadcast", [helper.make_node("Add", ["a", "b"], ["y"],
                                            name="add0")],
         [vi("a", F, [2, 3]), vi("b", F, [4])], [vi("y", F, [2, 3])],
         check=False)
    # A truncated copy of a valid model.
    with open(os.path.join(HERE, "initializers.onnx"), "rb") as f:
        data = f.read()
    with open(os.path.join(HERE, "truncated.onnx"), "wb") as f:
        f.write(data[: len(data) // 2])


if __name__ == "__main__":
    main()
