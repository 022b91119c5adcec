// Keras's regularization layers (keras/src/layers/regularization): one module, so that densa/infer's loadModel
// fetches them as one chunk when a model uses any of them (ts/layers/registry.ts).

export { ActivityRegularization } from "./activity-regularization.js";
export { AlphaDropout } from "./alpha-dropout.js";
export { Dropout } from "./dropout.js";
export { GaussianDropout } from "./gaussian-dropout.js";
export { GaussianNoise } from "./gaussian-noise.js";
