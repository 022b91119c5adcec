// Keras's activation layers (keras/src/layers/activations, and core's Activation): one module, so that
// densa/infer's loadModel fetches them as one chunk when a model uses any of them (ts/layers/registry.ts).
export { Activation } from "./activation.js";
export { ELU } from "./elu.js";
export { LeakyReLU } from "./leaky-relu.js";
export { PReLU } from "./prelu.js";
export { ReLU } from "./relu.js";
export { Softmax } from "./softmax.js";
