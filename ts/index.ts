// densa's public API: Keras's names, JavaScript's conventions. Everything here is re-exported; see DESIGN.md.
export { init, threads, relaxedSimd, type InitOptions, type InitInfo } from "./init.js";
export { Tensor, tensor, type TensorLike, type NestedArray } from "./tensor.js";
export * as ops from "./ops/index.js";
export * as layers from "./layers/index.js";
import * as layerClasses from "./layers/index.js";
import { registerLayerClasses } from "./layers/registry.js";
// NOTE: the `layers` namespace brings every layer class into a bundle anyway (bundlers keep a namespace object
// whole), so the synchronous Sequential.fromConfig and Model.fromConfig of this entry can build them all.
registerLayerClasses(layerClasses);
export * as optimizers from "./optimizers/public.js";
export * as losses from "./losses/index.js";
export * as metrics from "./metrics/public.js";
export * as callbacks from "./callbacks/index.js";
export * as initializers from "./initializers/public.js";
export * as regularizers from "./regularizers/public.js";
export * as constraints from "./regularizers/constraints-public.js";
export { Sequential } from "./models/sequential.js";
export { Model, type ModelArgs } from "./models/model.js";
export { Input } from "./layers/input.js";
export { SymbolicTensor } from "./layers/symbolic-tensor.js";
export { InferenceModel } from "./models/inference-model.js";
export { loadModel, type LoadModelOptions } from "./io/load-model.js";
export type {
  ModelArtifacts, ModelJson, ModelFiles, ModelSource, LoadHandler, SaveHandler, SaveResult, SaveOptions, LoadOptions, WeightSpec,
} from "./io/types.js";
export { setRandomSeed } from "./engine/random.js";
export type { History } from "./callbacks/history.js";
export {
  learningCurveSvg,
  learningCurveText,
  type LearningCurveSvgOptions,
  type LearningCurveTextOptions,
  type LearningCurveOptions,
  type HistoryLike,
} from "./plots/index.js";
