// densa/infer's kernels at start: what a model of Dense layers runs (the Dense forward, every activation, the
// input check). scripts/embed-wasm.mjs inlines it in the densa-infer bundles; the other layers' forward kernels
// (infer-layers.ts) load with their layers, on first use. Keep in step with ts/layers/dense.ts and
// ts/models/inference-model.ts.
export { heapBase } from "./memory";
export {
  ACTIVATION_LINEAR, ACTIVATION_RELU, ACTIVATION_SIGMOID, ACTIVATION_TANH, ACTIVATION_SOFTMAX, ACTIVATION_ELU,
  ACTIVATION_SELU, ACTIVATION_SOFTPLUS, ACTIVATION_SOFTSIGN, ACTIVATION_SWISH, ACTIVATION_GELU, ACTIVATION_GELU_TANH,
  ACTIVATION_LEAKY_RELU, ACTIVATION_RELU6, ACTIVATION_HARD_SIGMOID, ACTIVATION_MISH, ACTIVATION_EXPONENTIAL,
  ACTIVATION_LOG_SOFTMAX, activationForward, activationBackwardNeedsInputFor,
} from "./activations";
export { denseForward } from "./gemm";
export { firstNonFinite } from "./elementwise";
