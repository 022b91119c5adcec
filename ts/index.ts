// densa's public API: Keras's names, JavaScript's conventions. Everything here is re-exported; see DESIGN.md.

export type { History } from "./callbacks/history.js";
export * as callbacks from "./callbacks/index.js";
export { setRandomSeed } from "./engine/random.js";
export { type InitInfo, type InitOptions, init, relaxedSimd, threads } from "./init.js";
export * as initializers from "./initializers/public.js";
export { type LoadModelOptions, loadModel } from "./io/load-model.js";
export type {
  LoadHandler,
  LoadOptions,
  ModelArtifacts,
  ModelFiles,
  ModelJson,
  ModelSource,
  SaveHandler,
  SaveOptions,
  SaveResult,
  WeightSpec,
} from "./io/types.js";
export * as layers from "./layers/index.js";
// NOTE: the layer classes are also exported by name (`import { Dense } from "densa"`, as Keras users write
// `from keras.layers import Dense`). Each layer module registers its class for the synchronous fromConfig when it
// loads, so an app's bundle keeps only the classes it uses (see README, "Bundle size").
export * from "./layers/index.js";
export { Input } from "./layers/input.js";
export { registerLayerClasses } from "./layers/registry.js";
export { SymbolicTensor } from "./layers/symbolic-tensor.js";
export * as losses from "./losses/index.js";
export * as metrics from "./metrics/public.js";
export { InferenceModel } from "./models/inference-model.js";
export { Model, type ModelArgs } from "./models/model.js";
export { Sequential } from "./models/sequential.js";
export * as ops from "./ops/index.js";
export * as optimizers from "./optimizers/public.js";
export {
  type HistoryLike,
  type LearningCurveOptions,
  type LearningCurveSvgOptions,
  type LearningCurveTextOptions,
  learningCurveSvg,
  learningCurveText,
} from "./plots/index.js";
export * as constraints from "./regularizers/constraints-public.js";
export * as regularizers from "./regularizers/public.js";
export { type NestedArray, Tensor, type TensorLike, tensor } from "./tensor.js";
