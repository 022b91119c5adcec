import { init } from "../init.js";
import { classNamesIn, loadLayerClasses } from "../layers/registry.js";
import { Model } from "../models/model.js";
import { Sequential } from "../models/sequential.js";
import type { OptimizerWeight } from "../optimizers/optimizer.js";
import { checkOptionKeys } from "../utils/options.js";
import { modelFromArtifacts } from "./build.js";
import { readArtifacts } from "./sources.js";
import { compileConfigFromTraining } from "./training-config.js";
import type { LoadOptions, ModelSource } from "./types.js";

export interface LoadModelOptions extends LoadOptions {
  /**
   * Compile the model from the file's training config (loss, metrics, optimizer — and the optimizer's state
   * when it was saved with includeOptimizer), as Keras's load_model(compile=True). Default true.
   */
  compile?: boolean;
}

/**
 * Loads a model saved in the TensorFlow.js Layers format — by densa, tfjs or Keras (via tensorflowjs_converter) —
 * as a trainable Sequential or Functional Model. All or nothing: any problem is an Error and leaves no model and no memory behind.
 */
export async function loadModel(source: ModelSource, options: LoadModelOptions = {}): Promise<Model> {
  const fn = "loadModel";
  checkOptionKeys(fn, options, ["fetch", "requestInit", "compile"]);
  await init();
  const artifacts = await readArtifacts(source, options, fn);
  await loadLayerClasses(classNamesIn(artifacts?.modelTopology));
  const { model, optimizerWeights, trainingConfig } = modelFromArtifacts(
    artifacts,
    (structure, name) =>
      Array.isArray(structure) ? new Sequential(structure, { name }) : new Model({ ...structure, name }),
    fn,
  );
  if (options.compile === false || trainingConfig === undefined || trainingConfig === null) return model;
  try {
    const compileConfig = compileConfigFromTraining(trainingConfig, `${fn}: training config`, model.outputNames);
    model.compile(compileConfig);
    if (optimizerWeights.length > 0) {
      const trainable = model.layers.flatMap((layer) => layer.trainableWeights);
      compileConfig.optimizer.setWeights(trainable, optimizerWeights as OptimizerWeight[]);
    }
  } catch (error) {
    model.dispose();
    // NOTE: a TypeError or RangeError here is a bug in densa, not in the file: it goes on as it is.
    if (!(error instanceof Error) || error.constructor !== Error) throw error;
    const message = error.message.startsWith(`${fn}:`) ? error.message : `${fn}: training config: ${error.message}`;
    throw new Error(`${message} (pass { compile: false } to load the model without its training config)`, {
      cause: error,
    });
  }
  return model;
}
