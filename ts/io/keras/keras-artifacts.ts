import { LAYER_CLASSES } from "../../layers/registry.js";
import { describeValue } from "../../utils/describe.js";
import { Hdf5File } from "../hdf5/hdf5-file.js";
import { looksLikeHdf5 } from "../hdf5/superblock.js";
import { isPlainObject, parseTopology } from "../topology.js";
import { LAYERS_MODEL_FORMAT, type ModelArtifacts } from "../types.js";
import { encodeWeights, type WeightToEncode } from "../weights.js";
import type { ZipLimits } from "../zip/zip-limits.js";
import { looksLikeZip } from "../zip/zip-reader.js";
import { readKerasArchive } from "./keras-archive.js";
import { OPTIMIZER_STATE_ERROR, optimizerOf, trainingConfigFromCompileConfig } from "./keras-compile-config.js";
import { readKerasOptimizerState } from "./keras-optimizer-state.js";
import { kerasWeightPlaces, type WeightPlace } from "./keras-weight-places.js";
import { readKerasLayerWeights } from "./keras-weights-reader.js";
import { readLegacyJson, readLegacyStrings, readLegacyWeights } from "./legacy-h5-reader.js";
import { readLegacyOptimizerState } from "./legacy-optimizer-state.js";

/** Keras's optimizer class names as densa's slot layouts know them (tfjs and Keras 2 spell two differently). */
function canonicalOptimizerClass(className: string): string {
  return className === "RMSProp" ? "RMSprop" : className;
}

type Json = Record<string, unknown>;

/**
 * A Keras file's bytes — a `.keras` zip or a legacy `.h5`, told apart by their first bytes, never by a name —
 * as the TensorFlow.js-shaped artifacts densa's loader builds models from: the Keras config as modelTopology
 * (with its training config), the layers' values named `<layer>/<variable>`, and the optimizer's state in the
 * "optimizer" group under densa's names. Everything is read and checked here, before any model exists.
 */
export function artifactsFromKerasBytes(
  bytes: Uint8Array,
  argument: string,
  limits?: Partial<ZipLimits>,
): ModelArtifacts {
  if (looksLikeZip(bytes)) return fromKerasArchive(bytes, argument, limits);
  if (looksLikeHdf5(bytes)) return fromLegacyH5(new Hdf5File(bytes), argument);
  const start = Array.from(bytes.subarray(0, 8), (byte) => byte.toString(16).padStart(2, "0")).join(" ");
  throw new Error(
    `${argument}: not a Keras file: a .keras file starts with PK\\x03\\x04 (zip) and an .h5 file with \\x89HDF\\r\\n\\x1a\\n, this one with ${start || "nothing (0 bytes)"}`,
  );
}

function fromKerasArchive(bytes: Uint8Array, argument: string, limits?: Partial<ZipLimits>): ModelArtifacts {
  const { config, metadata, weights } = readKerasArchive(bytes, argument, limits);
  checkModelClasses(config, `${argument}: config.json`);
  const places = kerasWeightPlaces(config, `${argument}: config.json`);
  const trainingConfig = trainingConfigFromCompileConfig(config.compile_config);
  const layerWeights = weights ? readKerasLayerWeights(weights, places, argument) : [];
  if (!weights && places.some((place) => place.variables.length > 0))
    throw new Error(`${argument}: the .keras archive has no model.weights.h5`);
  const optimizer = optimizerOf(trainingConfig);
  const optimizerState =
    weights && optimizer
      ? deferred(trainingConfig, () =>
          readKerasOptimizerState(weights, optimizer, trainableOf(places, layerWeights), argument),
        )
      : [];
  const { model_config: _, ...modelConfig } = config;
  return artifacts(
    {
      keras_version: metadata.keras_version,
      backend: "densa",
      model_config: modelConfig,
      training_config: trainingConfig,
    },
    layerWeights,
    optimizerState,
  );
}

function fromLegacyH5(file: Hdf5File, argument: string): ModelArtifacts {
  const modelConfig = readLegacyJson(file, "model_config", argument);
  if (modelConfig === undefined) {
    throw new Error(
      `${argument}: the .h5 file has no model_config attribute: it holds weights only (load it with model.loadWeights)`,
    );
  }
  if (!isPlainObject(modelConfig))
    throw new Error(`${argument}: model_config must be a JSON object, got ${describeValue(modelConfig)}`);
  checkModelClasses(modelConfig, `${argument}: model_config`);
  const places = kerasWeightPlaces(modelConfig, `${argument}: model_config`, "", false);
  const dropped = droppedVariables(places);
  const weights = readLegacyWeights(file, argument, (layer, name) =>
    dropped.has(`${layer}/${name.slice(name.lastIndexOf("/") + 1)}`),
  ).map(({ weight }) => weight);
  const version = readLegacyStrings(file.root, "keras_version")?.[0];
  const trainingConfig = readLegacyJson(file, "training_config", argument);
  const optimizer = optimizerOf(isPlainObject(trainingConfig) ? trainingConfig : undefined);
  // NOTE: Keras 2's training config names the optimizer "Adam" or "adam" alike; its state follows the layers as listed.
  const optimizerState = optimizer
    ? deferred(trainingConfig as Json, () =>
        readLegacyOptimizerState(
          file,
          { ...optimizer, className: canonicalOptimizerClass(optimizer.className) },
          trainableOf(places, weights),
          argument,
        ),
      )
    : [];
  return artifacts(
    { keras_version: version, backend: "densa", model_config: modelConfig, training_config: trainingConfig },
    weights,
    optimizerState,
  );
}

/**
 * Refuses, before any weight is read, a model densa cannot build: the model class (parseTopology's rule) and any
 * layer class densa does not have, named — with Keras's registered name for custom objects.
 */
function checkModelClasses(config: Json, argument: string): void {
  parseTopology({ model_config: config }, argument);
  const inner = config.config;
  const layers = (
    Array.isArray(inner) ? inner : isPlainObject(inner) && Array.isArray(inner.layers) ? inner.layers : []
  ) as unknown[];
  const unknown = layers.filter(
    (layer): layer is Json =>
      isPlainObject(layer) && typeof layer.class_name === "string" && !(layer.class_name in LAYER_CLASSES),
  );
  if (unknown.length === 0) return;
  const names = unknown.map((layer) => {
    const registered =
      typeof layer.registered_name === "string" && layer.registered_name !== layer.class_name
        ? ` (registered as ${JSON.stringify(layer.registered_name)}, a custom object)`
        : "";
    return `${JSON.stringify(layer.class_name)}${registered}`;
  });
  throw new Error(
    `${argument}: densa cannot run layer class ${[...new Set(names)].join(", ")}; supported classes are ${Object.keys(LAYER_CLASSES).join(", ")}`,
  );
}

/**
 * The optimizer's state, or — when it cannot be read — none, with the error kept in the training config, where
 * compiling from it reports it (after naming an unknown optimizer, loss or metric): load with { compile: false }
 * skips the training config and so the optimizer's state too.
 */
function deferred(trainingConfig: Json | undefined, read: () => WeightToEncode[]): WeightToEncode[] {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof Error) || error.constructor !== Error || !trainingConfig) throw error;
    trainingConfig[OPTIMIZER_STATE_ERROR] = error.message;
    return [];
  }
}

/** Variables Keras saves and densa does not keep (`<layer>/<variable>`). */
export function droppedVariables(places: readonly WeightPlace[]): Set<string> {
  return new Set(
    places.flatMap((place) => place.variables.filter((v) => !v.keep).map((v) => `${place.layerName}/${v.name}`)),
  );
}

/** The trainable variables in model order (what Keras's optimizer keeps state for), with their shapes from the file. */
function trainableOf(
  places: readonly WeightPlace[],
  values: readonly WeightToEncode[],
): { name: string; shape: readonly number[] }[] {
  const shapes = new Map(values.map((weight) => [weight.name, weight.shape]));
  return places.flatMap((place) =>
    place.variables
      .filter((v) => v.trainable && v.keep)
      .map((v) => ({ name: `${place.layerName}/${v.name}`, shape: shapes.get(`${place.layerName}/${v.name}`) ?? [] })),
  );
}

function artifacts(topology: Json, weights: WeightToEncode[], optimizerState: WeightToEncode[]): ModelArtifacts {
  if (topology.training_config === undefined || topology.training_config === null) delete topology.training_config;
  const { specs, data } = encodeWeights([
    ...weights,
    ...optimizerState.map((weight) => ({ ...weight, group: "optimizer" })),
  ]);
  return { modelTopology: topology, weightSpecs: specs, weightData: data, format: LAYERS_MODEL_FORMAT };
}
