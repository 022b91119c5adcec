// densa's public API: Keras's names, JavaScript's conventions. Everything here is re-exported; see DESIGN.md.
export { type InitInfo, type InitOptions, init, relaxedSimd, threads } from "./init.js";
export * as layers from "./layers/index.js";
export * as ops from "./ops/index.js";
export { type NestedArray, Tensor, type TensorLike, tensor } from "./tensor.js";

import * as layerClasses from "./layers/index.js";
import { registerLayerClasses } from "./layers/registry.js";

// NOTE: the `layers` namespace brings every layer class into a bundle anyway (bundlers keep a namespace object
// whole), so the synchronous Sequential.fromConfig and Model.fromConfig of this entry can build them all.
registerLayerClasses(layerClasses);

export type { History } from "./callbacks/history.js";
export * as callbacks from "./callbacks/index.js";
export { setRandomSeed } from "./engine/random.js";
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
export { Input } from "./layers/input.js";
export { SymbolicTensor } from "./layers/symbolic-tensor.js";
export * as losses from "./losses/index.js";
export * as metrics from "./metrics/public.js";
export { InferenceModel } from "./models/inference-model.js";
export { Model, type ModelArgs } from "./models/model.js";
export { Sequential } from "./models/sequential.js";
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
