/** The scalar reference of every op: the oracle in tests, and readable statements of the math. */
export { type AttentionShape, attention } from "./attention.js";
export { dequantize, scaleMinK4 } from "./dequant.js";
export { bf16ToF32, f16ToF32, f32ToBf16, f32ToF16, roundHalfEven } from "./half.js";
export { type ReferenceMatmul, referenceMatmul } from "./matmul.js";
export { geluGate, geluTanh, rmsnorm, rope, ropeTables, softcap, softmax } from "./ops.js";
export { PACKED_GROUP_BYTES, type PackedFormat, packedActivationBytes, packRows, unpackRows } from "./pack.js";
export { type Q8aRow, quantizeQ8a, quantizeWeights } from "./quantize.js";
