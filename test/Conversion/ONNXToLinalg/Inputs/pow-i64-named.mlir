// An unsupported op with the location the importer gives it (its ONNX node
// name), used by ../wafer-lower-onnx-invalid.mlir.
func.func @main(%a: tensor<4xi64>) -> tensor<4xi64> {
  %0 = onnx.pow %a, %a : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64> loc("Pow_3")
  return %0 : tensor<4xi64>
}
