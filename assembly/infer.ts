// The forward kernels only: what densa/infer needs to load a model and predict (scripts/embed-wasm.mjs inlines
// it in the densa-infer bundles). asc keeps just what these exports reach, so the module carries no backward,
// loss, optimizer or random kernels. Keep in step with what a forward pass calls (ts/layers/*: forward, build).
export { heapBase } from "./memory";
export {
  ACTIVATION_LINEAR, ACTIVATION_RELU, ACTIVATION_SIGMOID, ACTIVATION_TANH, ACTIVATION_SOFTMAX, ACTIVATION_ELU,
  ACTIVATION_SELU, ACTIVATION_SOFTPLUS, ACTIVATION_SOFTSIGN, ACTIVATION_SWISH, ACTIVATION_GELU, ACTIVATION_GELU_TANH,
  ACTIVATION_LEAKY_RELU, ACTIVATION_RELU6, ACTIVATION_HARD_SIGMOID, ACTIVATION_MISH, ACTIVATION_EXPONENTIAL,
  ACTIVATION_LOG_SOFTMAX, activationForward, activationBackwardNeedsInputFor,
} from "./activations";
export { denseForward } from "./gemm";
export { subtractDivideColumns, firstNonFinite, multiplyElementwise } from "./elementwise";
export { addElementwise, subtractElementwise, scaleElementwise, extremumElementwise, copyBlocks, rowDot, scaleRows, rowL2Normalize } from "./merge";
// Forward kernels of the single-input Keras layers (issue 9).
export { batchNormCoefficients, batchNormForward } from "./batch-normalization";
export { layerNormForward } from "./layer-normalization";
export { embeddingGather } from "./embedding";
export { permuteCopy, repeatRows } from "./reshaping";
export { scaleShift, reluForward, preluForward, expandByIndex } from "./layer-elementwise";
export { unitNormForward } from "./unit-normalization";
