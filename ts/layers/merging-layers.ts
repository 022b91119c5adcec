// Keras's merging layers (keras/src/layers/merging): one module, so that densa/infer's loadModel fetches them as
// one chunk when a model uses any of them (ts/layers/registry.ts).
export { Add } from "./add.js";
export { Average } from "./average.js";
export { Concatenate } from "./concatenate.js";
export { Dot } from "./dot.js";
export { Maximum } from "./maximum.js";
export { Minimum } from "./minimum.js";
export { Multiply } from "./multiply.js";
export { Subtract } from "./subtract.js";
