export { init } from "./engine/engine.js";
export { Tensor, tensor, type TensorLike, type NestedArray } from "./tensor.js";
export * as ops from "./ops/index.js";
