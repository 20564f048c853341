"""wafer's model fixtures and conformance harnesses (see docs/fixtures.md).

gen.py needs torch + onnx and node with onnxruntime-node; check.py needs only
numpy; onnx_node_suite.py needs numpy and onnx.
"""
