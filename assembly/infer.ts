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
