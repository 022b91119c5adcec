// Keras's normalization and preprocessing layers densa has: one module, so that densa/infer's loadModel fetches
// them as one chunk when a model uses any of them (ts/layers/registry.ts).

export { BatchNormalization } from "./batch-normalization.js";
export { LayerNormalization } from "./layer-normalization.js";
export { Normalization } from "./normalization.js";
export { Rescaling } from "./rescaling.js";
export { UnitNormalization } from "./unit-normalization.js";
