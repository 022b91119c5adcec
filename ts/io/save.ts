import type { ModelBase } from "../models/model-base.js";
import { describeValue } from "../utils/describe.js";
import { checkOptionKeys } from "../utils/options.js";
import { fileUrlToPath, writeFiles } from "./node-fs.js";
import { isPlainObject, kerasTopology } from "./topology.js";
import { type CompileConfig, kerasTrainingConfig } from "./training-config.js";
import {
  DENSA_VERSION,
  LAYERS_MODEL_FORMAT,
  type ModelArtifacts,
  type ModelJson,
  type SaveOptions,
  type SaveResult,
} from "./types.js";
import { encodeWeights, type WeightToEncode } from "./weights.js";

/** The file names `save("file://dir")` writes, as tfjs-node's file handler does. */
export const MODEL_JSON_FILE = "model.json";
export const WEIGHTS_FILE = "weights.bin";

/**
 * model.save(target, options): no target → the artifacts; "file://dir" → model.json + weights.bin (Node, Deno,
 * Bun); an object with save(artifacts) → whatever that returns. Options may also come first: save({ … }).
 */
export async function saveModel(
  model: ModelBase,
  compiled: CompileConfig | null,
  target: unknown,
  options: unknown,
): Promise<unknown> {
  const fn = "save";
  if (isPlainObject(target) && typeof (target as { save?: unknown }).save !== "function" && options === undefined) {
    options = target;
    target = undefined;
  }
  checkOptionKeys(fn, options, ["includeOptimizer"]);
  const artifacts = modelArtifacts(model, compiled, (options as SaveOptions | undefined)?.includeOptimizer ?? false);
  if (target === undefined) return artifacts;
  if (
    typeof target === "string" &&
    (/^(indexeddb|localstorage|downloads):\/\//i.test(target) || /^file:\/\/.*\.keras$/i.test(target))
  ) {
    // NOTE: the Keras writers and browser stores load on first use (import()): apps that never save there do not carry them.
    const { saveToTarget } = await import("./keras/keras-save-target.js");
    return saveToTarget(model, compiled, target, artifacts, fn);
  }
  if (typeof target === "string") {
    if (!/^file:\/\//i.test(target)) {
      throw new Error(
        `${fn}: densa saves to file:// URLs (Node, Deno, Bun); for ${describeValue(target)} pass an object with a save(artifacts) method instead`,
      );
    }
    return saveToFiles(artifacts, fileUrlToPath(target), fn);
  }
  if (typeof (target as { save?: unknown } | null)?.save === "function")
    return (target as { save(a: ModelArtifacts): unknown }).save(artifacts);
  throw new Error(
    `${fn}: expected nothing, a file:// URL or an object with a save(artifacts) method, got ${describeValue(target)}`,
  );
}

/** The artifacts of a built model: Keras topology (with its training config), weights, and optimizer state if asked. */
export function modelArtifacts(
  model: ModelBase,
  compiled: CompileConfig | null,
  includeOptimizer: boolean,
): ModelArtifacts {
  if (!model.built)
    throw new Error(
      "save: the model is not built yet; give the first layer an inputShape, or call build(), fit() or predict() first",
    );
  // NOTE: model.layers leaves out the InputLayer, which has no weights.
  const layers = model.layers;
  const weights: WeightToEncode[] = layers.flatMap((layer) =>
    layer.weights.map((variable) => ({ name: variable.name, shape: variable.shape, values: variable.read().data })),
  );
  if (includeOptimizer) {
    if (!compiled)
      throw new Error("save: includeOptimizer needs a compiled model (there is no optimizer state to save)");
    const trainable = layers.flatMap((layer) => layer.trainableWeights);
    for (const weight of compiled.optimizer.getWeights(trainable)) weights.push({ ...weight, group: "optimizer" });
  }
  const { specs, data } = encodeWeights(weights);
  return {
    modelTopology: kerasTopology(model.getConfig(), compiled ? kerasTrainingConfig(compiled) : null),
    weightSpecs: specs,
    weightData: data,
    format: LAYERS_MODEL_FORMAT,
    generatedBy: `densa ${DENSA_VERSION}`,
    convertedBy: null,
  };
}

async function saveToFiles(artifacts: ModelArtifacts, directory: string, fn: string): Promise<SaveResult> {
  const { weightSpecs = [], weightData, modelTopology = {}, ...rest } = artifacts;
  const modelJson: ModelJson = {
    modelTopology,
    ...rest,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: weightSpecs }],
  };
  const weightBytes = new Uint8Array(weightData as ArrayBuffer);
  // NOTE: the weights first, then model.json: each file is replaced atomically, and a model.json is only ever
  // written once the weights it describes are on disk.
  await writeFiles(
    directory,
    [
      { name: WEIGHTS_FILE, data: weightBytes },
      { name: MODEL_JSON_FILE, data: JSON.stringify(modelJson) },
    ],
    fn,
  );
  const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;
  return {
    modelArtifactsInfo: {
      dateSaved: new Date(),
      modelTopologyType: "JSON",
      modelTopologyBytes: bytes(artifacts.modelTopology),
      weightSpecsBytes: bytes(weightSpecs),
      weightDataBytes: weightBytes.byteLength,
    },
  };
}
