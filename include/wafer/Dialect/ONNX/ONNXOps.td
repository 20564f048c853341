//===- ONNXOps.td - onnx frontend operations ---------------*- tablegen -*-===//
//
// The op table is the contract with the importer (docs/frontend-dialect.md):
// it builds ops generically by name, so op names, operand order and attribute
// names must not change without updating that document.
//
//===----------------------------------------------------------------------===//
#ifndef WAFER_DIALECT_ONNX_ONNXOPS_TD
#define WAFER_DIALECT_ONNX_ONNXOPS_TD

include "wafer/Dialect/ONNX/ONNXDialect.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

//===----------------------------------------------------------------------===//
// Elementwise families
//===----------------------------------------------------------------------===//

// Two operands, ONNX multidirectional broadcasting; the verifier checks that
// the shapes broadcast and that the result shape is the broadcast shape.
class ONNX_BroadcastOp<string mnemonic, list<Trait> traits = []>
    : ONNX_Op<mnemonic, !listconcat(traits, [Pure])> {
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::verify() {
      return ::wafer::onnx_fe::verifyBroadcastResult(*this);
    }
  }];
}

class ONNX_ArithBinaryOp<string mnemonic, string sum, string desc>
    : ONNX_BroadcastOp<mnemonic, [AllElementTypesMatch<["lhs", "rhs", "result"]>]> {
  let summary = sum;
  let description = desc # [{

    Operands have the same element type and broadcast (numpy rules); the
    result type is the broadcast shape.

    Example:
    ```mlir
    %r = onnx.}] # mnemonic # [{ %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins ONNX_Tensor:$lhs, ONNX_Tensor:$rhs);
  let results = (outs ONNX_Tensor:$result);
}

def ONNX_AddOp : ONNX_ArithBinaryOp<"add", "Elementwise addition", [{
    `lhs + rhs`.}]>;
def ONNX_SubOp : ONNX_ArithBinaryOp<"sub", "Elementwise subtraction", [{
    `lhs - rhs`.}]>;
def ONNX_MulOp : ONNX_ArithBinaryOp<"mul", "Elementwise multiplication", [{
    `lhs * rhs`.}]>;
def ONNX_DivOp : ONNX_ArithBinaryOp<"div", "Elementwise division", [{
    `lhs / rhs`; integer division truncates toward zero.}]>;
def ONNX_PowOp : ONNX_ArithBinaryOp<"pow", "Elementwise power", [{
    `lhs ^ rhs` (ONNX Pow with the exponent of the same element type).}]>;
def ONNX_MinOp : ONNX_ArithBinaryOp<"min", "Elementwise minimum", [{
    `min(lhs, rhs)`; ONNX Min with more than two inputs imports as a chain.}]>;
def ONNX_ModOp : ONNX_ArithBinaryOp<"mod", "Elementwise remainder", [{
    With `fmod` the remainder takes the sign of the dividend (C's `fmod`,
    required for f32); without it (i64 only) the sign of the divisor, as
    Python's `%`. An i64 division by zero is an error at run time.}]> {
  let arguments = (ins ONNX_Tensor:$lhs, ONNX_Tensor:$rhs,
                       DefaultValuedAttr<BoolAttr, "false">:$fmod);
  let hasVerifier = 1;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::verify() {
      return ::wafer::onnx_fe::verifyMod(*this);
    }
  }];
}
def ONNX_MaxOp : ONNX_ArithBinaryOp<"max", "Elementwise maximum", [{
    `max(lhs, rhs)`; ONNX Max with more than two inputs imports as a chain.}]>;

class ONNX_CompareOp<string mnemonic, string sum>
    : ONNX_BroadcastOp<mnemonic, [AllElementTypesMatch<["lhs", "rhs"]>]> {
  let summary = sum;
  let description = [{
    Compares the broadcast operands elementwise; the result is `i1`.

    Example:
    ```mlir
    %r = onnx.}] # mnemonic # [{ %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>
    ```
  }];
  let arguments = (ins ONNX_Tensor:$lhs, ONNX_Tensor:$rhs);
  let results = (outs ONNX_BoolTensor:$result);
}

def ONNX_EqualOp : ONNX_CompareOp<"equal", "Elementwise equality">;
def ONNX_LessOp : ONNX_CompareOp<"less", "Elementwise less-than">;
def ONNX_GreaterOp : ONNX_CompareOp<"greater", "Elementwise greater-than">;

class ONNX_LogicalOp<string mnemonic, string sum> : ONNX_BroadcastOp<mnemonic> {
  let summary = sum;
  let description = [{
    Logical operation on broadcast `i1` operands.

    Example:
    ```mlir
    %r = onnx.}] # mnemonic # [{ %a, %b : (tensor<4xi1>, tensor<1xi1>) -> tensor<4xi1>
    ```
  }];
  let arguments = (ins ONNX_BoolTensor:$lhs, ONNX_BoolTensor:$rhs);
  let results = (outs ONNX_BoolTensor:$result);
}

def ONNX_AndOp : ONNX_LogicalOp<"and", "Elementwise logical and">;
def ONNX_OrOp : ONNX_LogicalOp<"or", "Elementwise logical or">;

def ONNX_WhereOp : ONNX_Op<"where", [Pure,
    AllElementTypesMatch<["x", "y", "result"]>]> {
  let summary = "Elementwise select";
  let description = [{
    `cond ? x : y`, with all three operands broadcast together; the result
    type is the broadcast shape.

    Example:
    ```mlir
    %r = onnx.where %c, %x, %y : (tensor<1x4xi1>, tensor<3x4xf32>, tensor<f32>) -> tensor<3x4xf32>
    ```
  }];
  let arguments = (ins ONNX_BoolTensor:$cond, ONNX_Tensor:$x, ONNX_Tensor:$y);
  let results = (outs ONNX_Tensor:$result);
  let assemblyFormat = [{
    $cond `,` $x `,` $y attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

class ONNX_UnaryOp<string mnemonic, string sum, string desc,
                   Type tensorType, list<Trait> traits = []>
    : ONNX_Op<mnemonic, !listconcat(traits, [Pure, SameOperandsAndResultType])> {
  let summary = sum;
  let description = desc # [{

    Example:
    ```mlir
    %r = onnx.}] # mnemonic # [{ %x : tensor<2x3x}] #
        !if(!eq(tensorType, ONNX_BoolTensor), "i1", "f32") # [{>
    ```
  }];
  let arguments = (ins tensorType:$x);
  let results = (outs tensorType:$result);
  let assemblyFormat = "$x attr-dict `:` type($result)";
}

def ONNX_SqrtOp : ONNX_UnaryOp<"sqrt", "Elementwise square root", [{
    `sqrt(x)`.}], ONNX_FloatTensor>;
def ONNX_ReciprocalOp : ONNX_UnaryOp<"reciprocal", "Elementwise reciprocal", [{
    `1 / x`.}], ONNX_FloatTensor>;
def ONNX_NegOp : ONNX_UnaryOp<"neg", "Elementwise negation", [{
    `-x` (f32 or i64).}], ONNX_Tensor>;
def ONNX_ExpOp : ONNX_UnaryOp<"exp", "Elementwise exponential", [{
    `e^x`.}], ONNX_FloatTensor>;
def ONNX_LogOp : ONNX_UnaryOp<"log", "Elementwise natural logarithm", [{
    `ln(x)`.}], ONNX_FloatTensor>;
def ONNX_TanhOp : ONNX_UnaryOp<"tanh", "Elementwise hyperbolic tangent", [{
    `tanh(x)`.}], ONNX_FloatTensor>;
def ONNX_ErfOp : ONNX_UnaryOp<"erf", "Elementwise error function", [{
    `erf(x)`.}], ONNX_FloatTensor>;
def ONNX_ReluOp : ONNX_UnaryOp<"relu", "Elementwise rectified linear unit", [{
    `max(x, 0)` (f32 or i64).}], ONNX_Tensor>;
def ONNX_SigmoidOp : ONNX_UnaryOp<"sigmoid", "Elementwise logistic sigmoid", [{
    `1 / (1 + e^-x)`.}], ONNX_FloatTensor>;
def ONNX_AbsOp : ONNX_UnaryOp<"abs", "Elementwise absolute value", [{
    `|x|` (f32 or i64).}], ONNX_Tensor>;
def ONNX_NotOp : ONNX_UnaryOp<"not", "Elementwise logical not", [{
    `!x` on `i1`.}], ONNX_BoolTensor>;
def ONNX_SignOp : ONNX_UnaryOp<"sign", "Elementwise sign", [{
    -1, 0 or 1 by the sign of `x` (f32 or i64; NaN stays NaN).}], ONNX_Tensor>;
def ONNX_FloorOp : ONNX_UnaryOp<"floor", "Elementwise floor", [{
    The largest integer not above `x`.}], ONNX_FloatTensor>;
def ONNX_CeilOp : ONNX_UnaryOp<"ceil", "Elementwise ceiling", [{
    The smallest integer not below `x`.}], ONNX_FloatTensor>;
def ONNX_SinOp : ONNX_UnaryOp<"sin", "Elementwise sine", [{
    `sin(x)`, x in radians.}], ONNX_FloatTensor>;
def ONNX_CosOp : ONNX_UnaryOp<"cos", "Elementwise cosine", [{
    `cos(x)`, x in radians.}], ONNX_FloatTensor>;

def ONNX_CastOp : ONNX_Op<"cast", [Pure, SameOperandsAndResultShape]> {
  let summary = "Elementwise element type conversion";
  let description = [{
    Converts between `f32`, `i64` and `i1`; `to` is the result element type.
    f32 -> i64 truncates toward zero; anything -> i1 is `x != 0`; i1 -> other
    gives 0 or 1.

    Example:
    ```mlir
    %r = onnx.cast %x to i64 : tensor<4xf32> -> tensor<4xi64>
    ```
  }];
  let arguments = (ins ONNX_Tensor:$x, TypeAttr:$to);
  let results = (outs ONNX_Tensor:$result);
  let assemblyFormat = "$x `to` $to attr-dict `:` type($x) `->` type($result)";
  let hasVerifier = 1;
}

def ONNX_ClipOp : ONNX_UnaryOp<"clip", "Elementwise clamp", [{
    `min(max(x, min), max)`; a missing bound does not clamp.}],
    ONNX_FloatTensor> {
  let description = [{
    `min(max(x, min), max)`; a missing bound does not clamp. The importer
    folds ONNX Clip's min/max inputs into the attributes.

    Example:
    ```mlir
    %r = onnx.clip %x {min = 0.0 : f32, max = 6.0 : f32} : tensor<2x3xf32>
    ```
  }];
  let arguments = (ins ONNX_FloatTensor:$x, OptionalAttr<F32Attr>:$min,
                       OptionalAttr<F32Attr>:$max);
  let hasVerifier = 1;
}

def ONNX_GeluOp : ONNX_UnaryOp<"gelu", "Gaussian error linear unit", [{
    GELU.}], ONNX_FloatTensor> {
  let description = [{
    `x * 0.5 * (1 + erf(x / sqrt(2)))`, or with `approximate = "tanh"`,
    `x * 0.5 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 x^3)))`.

    Example:
    ```mlir
    %r = onnx.gelu %x {approximate = "tanh"} : tensor<2x3xf32>
    ```
  }];
  let arguments = (ins ONNX_FloatTensor:$x,
                       DefaultValuedStrAttr<StrAttr, "none">:$approximate);
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

def ONNX_MatMulOp : ONNX_Op<"matmul", [Pure,
    AllElementTypesMatch<["a", "b", "result"]>]> {
  let summary = "numpy matrix product";
  let description = [{
    numpy `matmul`: a rank-1 `a` is promoted to `[1, K]` and a rank-1 `b` to
    `[K, 1]` (the promoted dims are dropped from the result); the batch dims
    (all but the last two) broadcast.

    Example:
    ```mlir
    %r = onnx.matmul %a, %b : (tensor<2x8x16xf32>, tensor<16x32xf32>) -> tensor<2x8x32xf32>
    ```
  }];
  let arguments = (ins ONNX_Tensor:$a, ONNX_Tensor:$b);
  let results = (outs ONNX_Tensor:$result);
  let assemblyFormat = [{
    $a `,` $b attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def ONNX_GemmOp : ONNX_Op<"gemm", [Pure,
    AllElementTypesMatch<["a", "b", "result"]>]> {
  let summary = "General matrix multiply";
  let description = [{
    `alpha * op(a) * op(b) + beta * c`, where `op` transposes when `trans_a`
    / `trans_b` is set; `a` and `b` are rank 2 and the optional `c` is
    broadcast (unidirectionally) to the `[M, N]` result.

    Example:
    ```mlir
    %r = onnx.gemm %a, %b, %c {trans_b = true, alpha = 1.0 : f32, beta = 1.0 : f32}
        : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
    ```
  }];
  let arguments = (ins ONNX_FloatTensor:$a, ONNX_FloatTensor:$b,
                       Optional<ONNX_FloatTensor>:$c,
                       DefaultValuedAttr<F32Attr, "1.0">:$alpha,
                       DefaultValuedAttr<F32Attr, "1.0">:$beta,
                       DefaultValuedAttr<BoolAttr, "false">:$trans_a,
                       DefaultValuedAttr<BoolAttr, "false">:$trans_b);
  let results = (outs ONNX_FloatTensor:$result);
  let assemblyFormat = [{
    $a `,` $b (`,` $c^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Normalisations
//===----------------------------------------------------------------------===//

class ONNX_SoftmaxBaseOp<string mnemonic, string sum, string formula>
    : ONNX_Op<mnemonic, [Pure, SameOperandsAndResultType]> {
  let summary = sum;
  let description = [{
    Opset-13 semantics along the single dimension `axis` (non-negative):
    }] # formula # [{ The maximum along `axis` is subtracted first, as ONNX
    Runtime does, so large inputs do not overflow.

    Example:
    ```mlir
    %r = onnx.}] # mnemonic # [{ %x {axis = 2 : i64} : tensor<2x4x8xf32>
    ```
  }];
  let arguments = (ins ONNX_FloatTensor:$x, I64Attr:$axis);
  let results = (outs ONNX_FloatTensor:$result);
  let assemblyFormat = "$x attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def ONNX_SoftmaxOp : ONNX_SoftmaxBaseOp<"softmax", "Softmax along one axis",
    "`exp(x - max) / sum(exp(x - max))`.">;
def ONNX_LogSoftmaxOp : ONNX_SoftmaxBaseOp<"log_softmax",
    "Log-softmax along one axis",
    "`(x - max) - log(sum(exp(x - max)))`.">;

def ONNX_LayerNormalizationOp : ONNX_Op<"layer_normalization", [Pure,
    AllTypesMatch<["x", "result"]>]> {
  let summary = "Layer normalisation over the trailing dims";
  let description = [{
    Normalises over dims `axis .. rank-1`:
    `(x - mean) / sqrt(var + epsilon) * scale + bias`, with the biased
    variance. `scale` and the optional `bias` broadcast (unidirectionally)
    to the normalised shape `x.shape[axis:]`. `stats` is empty, or ONNX's
    Mean and InvStdDev outputs (`1 / sqrt(var + epsilon)`), both of shape
    `x.shape[:axis]` followed by ones.

    Example:
    ```mlir
    %r = onnx.layer_normalization %x, %s, %b {axis = 2 : i64, epsilon = 1.0e-05 : f32}
        : (tensor<2x4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x4x8xf32>
    ```
  }];
  let arguments = (ins ONNX_FloatTensor:$x, ONNX_FloatTensor:$scale,
                       Optional<ONNX_FloatTensor>:$bias, I64Attr:$axis,
                       DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs ONNX_FloatTensor:$result,
                      Variadic<ONNX_FloatTensor>:$stats);
  let assemblyFormat = [{
    $x `,` $scale (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

class ONNX_ReduceOp<string mnemonic, string sum, string formula>
    : ONNX_Op<mnemonic, [Pure, AllElementTypesMatch<["x", "result"]>]> {
  let summary = sum;
  let description = [{
    }] # formula # [{ over `axes` (sorted, non-negative, never empty). With
    `keepdims` the reduced dims stay as size 1, otherwise they are dropped.

    Example:
    ```mlir
    %r = onnx.}] # mnemonic # [{ %x {axes = array<i64: 1>, keepdims = true}
        : (tensor<2x8xf32>) -> tensor<2x1xf32>
    ```
  }];
  let arguments = (ins ONNX_Tensor:$x, DenseI64ArrayAttr:$axes,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs ONNX_Tensor:$result);
  let assemblyFormat = "$x attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::verify() {
      return ::wafer::onnx_fe::verifyReduction(*this);
    }
  }];
}

def ONNX_ReduceMeanOp : ONNX_ReduceOp<"reduce_mean", "Mean reduction",
    "Arithmetic mean">;
def ONNX_ReduceSumOp : ONNX_ReduceOp<"reduce_sum", "Sum reduction", "Sum">;
def ONNX_ReduceMaxOp : ONNX_ReduceOp<"reduce_max", "Max reduction", "Maximum">;
def ONNX_ReduceMinOp : ONNX_ReduceOp<"reduce_min", "Min reduction", "Minimum">;
def ONNX_ReduceProdOp : ONNX_ReduceOp<"reduce_prod", "Product reduction",
    "Product">;

def ONNX_ArgMaxOp : ONNX_Op<"arg_max", [Pure]> {
  let summary = "Index of the largest element along one axis";
  let description = [{
    The i64 index along `axis` of the largest element (the first one, or
    the last with `select_last_index`). With `keepdims` the axis stays as
    size 1, otherwise it is dropped.

    Example:
    ```mlir
    %r = onnx.arg_max %x {axis = 1 : i64, keepdims = false}
        : (tensor<2x8xf32>) -> tensor<2xi64>
    ```
  }];
  let arguments = (ins ONNX_Tensor:$x, I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                       DefaultValuedAttr<BoolAttr, "false">:$select_last_index);
  let results = (outs ONNX_Tensor:$result);
  let assemblyFormat = "$x attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_CumSumOp : ONNX_Op<"cum_sum", [Pure, SameOperandsAndResultType]> {
  let summary = "Cumulative sum along one axis";
  let description = [{
    `y[.., i, ..] = sum of x[.., j, ..]` for `j <= i` (`j < i` with
    `exclusive`; `j >= i`, or `j > i`, with `reverse`).

    Example:
    ```mlir
    %r = onnx.cum_sum %x {axis = 1 : i64} : tensor<2x8xf32>
    ```
  }];
  let arguments = (ins ONNX_Tensor:$x, I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "false">:$exclusive,
                       DefaultValuedAttr<BoolAttr, "false">:$reverse);
  let results = (outs ONNX_Tensor:$result);
  let assemblyFormat = "$x attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def ONNX_EinsumOp : ONNX_Op<"einsum", [Pure]> {
  let summary = "Sum of products over labelled dims";
  let description = [{
    `equation` is explicit and normalised by the importer: one letter per
    dim of every operand, `->` and the output's letters (no ellipsis, no
    spaces). Letters missing from the output are summed over; a letter
    names one size wherever it appears (no broadcasting), and appears at
    most once per operand (no diagonals). f32 only.

    Example:
    ```mlir
    %r = onnx.einsum %q, %k {equation = "bhid,bhjd->bhij"}
        : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x4xf32>
    ```
  }];
  let arguments = (ins Variadic<ONNX_FloatTensor>:$inputs, StrAttr:$equation);
  let results = (outs ONNX_FloatTensor:$result);
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def ONNX_TransposeOp : ONNX_Op<"transpose", [Pure,
    AllElementTypesMatch<["x", "result"]>]> {
  let summary = "Permutes the dims";
  let description = [{
    Result dim `i` is input dim `perm[i]`.

    Example:
    ```mlir
    %r = onnx.transpose %x {perm = array<i64: 0, 2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
    ```
  }];
  let arguments = (ins ONNX_Tensor:$x, DenseI64ArrayAttr:$perm);
  let results = (outs ONNX_Tensor:$result);
  let assemblyFormat = "$x attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_ReshapeOp : ONNX_Op<"reshape", [Pure,
    AllElementTypesMatch<["x", "result"]>]> {
  let summary = "Reinterprets the shape in row-major order";
  let description = [{
    ONNX Reshape, Flatten, Squeeze and Unsqueeze all import as this op; the
    result type holds the (folded) shape and has the same element count.

    Example:
    ```mlir
    %r = onnx.reshape %x : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
    ```
  }];
  let arguments = (ins ONNX_Tensor:$x);
  let results = (outs ONNX_Tensor:$result);
  let assemblyFormat = "$x attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_ExpandOp : ONNX_Op<"expand", [Pure,
    AllElementTypesMatch<["x", "result"]>]> {
  let summary = "Broadcasts to the result shape";
  let description = [{
    ONNX Expand with its shape input folded: `x` broadcasts (numpy rules) to
    the result type's shape, which is the broadcast of `x`'s shape and the
    ONNX shape input.

    Example:
    ```mlir
    %r = onnx.expand %x : (tensor<3x1xf32>) -> tensor<2x3x4xf32>
    ```
  }];
  let arguments = (ins ONNX_Tensor:$x);
  let results = (outs ONNX_Tensor:$result);
  let assemblyFormat = "$x attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_ConcatOp : ONNX_Op<"concat", [Pure]> {
  let summary = "Concatenates along one axis";
  let description = [{
    All inputs have the result's element type and rank and agree on every
    dim but `axis`, whose sizes add up to the result's.

    Example:
    ```mlir
    %r = onnx.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Variadic<ONNX_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs ONNX_Tensor:$result);
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_SplitOp : ONNX_Op<"split", [Pure]> {
  let summary = "Splits along one axis";
  let description = [{
    The result types give the piece sizes along `axis`; they add up to the
    input's dim and agree with it on every other dim.

    Example:
    ```mlir
    %r:2 = onnx.split %x {axis = 1 : i64} : (tensor<2x8xf32>) -> (tensor<2x3xf32>, tensor<2x5xf32>)
    ```
  }];
  let arguments = (ins ONNX_Tensor:$x, I64Attr:$axis);
  let results = (outs Variadic<ONNX_Tensor>:$results);
  let assemblyFormat = "$x attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_SliceOp : ONNX_Op<"slice", [Pure,
    AllElementTypesMatch<["x", "result"]>]> {
  let summary = "Strided slice with normalised, full-rank parameters";
  let description = [{
    Result dim `d` has `size(d)` elements `x[starts[d] + i * steps[d]]`.
    `starts` and `steps` have one entry per dim; starts are in range, steps
    non-zero (negative steps walk backwards) and every element read is in
    range.

    Example:
    ```mlir
    %r = onnx.slice %x {starts = array<i64: 0, 7>, steps = array<i64: 1, -2>}
        : (tensor<2x8xf32>) -> tensor<2x4xf32>
    ```
  }];
  let arguments = (ins ONNX_Tensor:$x, DenseI64ArrayAttr:$starts,
                       DenseI64ArrayAttr:$steps);
  let results = (outs ONNX_Tensor:$result);
  let assemblyFormat = "$x attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def ONNX_GatherOp : ONNX_Op<"gather", [Pure,
    AllElementTypesMatch<["data", "result"]>]> {
  let summary = "Gathers slices along one axis";
  let description = [{
    `result[p..., q..., r...] = data[p..., indices[q...], r...]` with `p`
    spanning `data`'s dims before `axis` and `r` those after. Negative
    indices wrap (index + dim size) at run time.

    Example:
    ```mlir
    %r = onnx.gather %emb, %ids {axis = 0 : i64}
        : (tensor<100x16xf32>, tensor<1x8xi64>) -> tensor<1x8x16xf32>
    ```
  }];
  let arguments = (ins ONNX_Tensor:$data, ONNX_IndexTensor:$indices,
                       I64Attr:$axis);
  let results = (outs ONNX_Tensor:$result);
  let assemblyFormat = [{
    $data `,` $indices attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def ONNX_TriluOp : ONNX_Op<"trilu", [Pure, SameOperandsAndResultType]> {
  let summary = "Keeps the upper or lower triangle of the last two dims";
  let description = [{
    With `upper`, keeps elements with `col - row >= k`; otherwise those with
    `col - row <= k`; the rest become zero.

    Example:
    ```mlir
    %r = onnx.trilu %x {upper = false, k = 0 : i64} : tensor<8x8xf32>
    ```
  }];
  let arguments = (ins ONNX_Tensor:$x,
                       DefaultValuedAttr<BoolAttr, "true">:$upper,
                       DefaultValuedAttr<I64Attr, "0">:$k);
  let results = (outs ONNX_Tensor:$result);
  let assemblyFormat = "$x attr-dict `:` type($result)";
  let hasVerifier = 1;
}

#endif // WAFER_DIALECT_ONNX_ONNXOPS_TD
