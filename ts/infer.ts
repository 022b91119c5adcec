// densa/infer: load a saved model and predict, without the training code (compile, fit, losses, optimizers,
// callbacks) and with a WebAssembly module of the forward kernels only. Models from here cannot be trained;
// load with "densa" for that. NOTE: this entry has its own kernels and memory, apart from "densa"'s.
import { getEngine, init } from "./engine/engine.js";
import { loadLayerKernels } from "./engine/module-source.js";
import { modelFromArtifacts } from "./io/build.js";
import { readArtifacts } from "./io/sources.js";
import type { LoadOptions, ModelSource } from "./io/types.js";
import { classNamesIn, LAYER_CLASSES, loadLayerClasses } from "./layers/registry.js";
import { loadFunctionalSupport } from "./models/functional-support.js";
import { InferenceModel } from "./models/inference-model.js";
import { registerNestedInferenceModels } from "./models/nested-inference-models.js";
import { checkOptionKeys } from "./utils/options.js";

export { init } from "./engine/engine.js";
export type {
  LoadHandler,
  LoadOptions,
  ModelArtifacts,
  ModelFiles,
  ModelJson,
  ModelSource,
  WeightSpec,
} from "./io/types.js";
export { InferenceModel, type PredictOptions } from "./models/inference-model.js";
export { type NestedArray, Tensor, type TensorLike, tensor } from "./tensor.js";

registerNestedInferenceModels();

/**
 * Loads a model saved in the TensorFlow.js Layers format (by densa, tfjs or Keras) for prediction: an http(s)
 * or file:// URL of its model.json, the artifacts, { modelJson, weights }, or an object with load(); or Keras's
 * own `.keras` / `.h5` file as a URL, bytes or a Blob (its readers load on first use, from a chunk of their own,
 * and so do the layer classes the model uses beyond Dense, with their kernels).
 * A training config or optimizer state in the file is not used here.
 */
export async function loadModel(source: ModelSource, options: LoadOptions = {}): Promise<InferenceModel> {
  checkOptionKeys("loadModel", options, ["fetch", "requestInit"]);
  await init();
  const artifacts = await readArtifacts(source, options, "loadModel");
  const classNames = classNamesIn(artifacts?.modelTopology);
  // NOTE: a layer of a family (anything beyond Dense) loads its classes' chunk and the kernels of those layers.
  const beyondDense = [...classNames].some((name) => Object.hasOwn(LAYER_CLASSES, name) && LAYER_CLASSES[name]);
  // …and a Functional model (or one nested) the Functional API's code.
  const functional = classNames.has("Functional") || classNames.has("Model");
  await Promise.all([
    loadLayerClasses(classNames),
    beyondDense ? loadLayerKernels(getEngine()) : undefined,
    functional ? loadFunctionalSupport() : undefined,
  ]);
  return modelFromArtifacts(artifacts, (structure, name) => new InferenceModel(structure, { name }), "loadModel").model;
}
