// Keras's reshaping layers (keras/src/layers/reshaping, and core's Identity and Embedding): one module, so that
// densa/infer's loadModel fetches them as one chunk when a model uses any of them (ts/layers/registry.ts).

export { Embedding } from "./embedding.js";
export { Flatten } from "./flatten.js";
export { Identity } from "./identity.js";
export { Permute } from "./permute.js";
export { RepeatVector } from "./repeat-vector.js";
export { Reshape } from "./reshape.js";
