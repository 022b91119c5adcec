// Keras's regularization layers (keras/src/layers/regularization): one module, so that densa/infer's loadModel
// fetches them as one chunk when a model uses any of them (ts/layers/registry.ts).
export { Dropout } from "./dropout.js";
export { GaussianNoise } from "./gaussian-noise.js";
export { GaussianDropout } from "./gaussian-dropout.js";
export { AlphaDropout } from "./alpha-dropout.js";
export { ActivityRegularization } from "./activity-regularization.js";
