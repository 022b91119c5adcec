import type { FunctionalConfig } from "../models/functional-config.js";
import { functionalSupport } from "../models/functional-support.js";
import type { SequentialConfig } from "../models/model-base.js";
import { describeValue } from "../utils/describe.js";
import { isPlainObject } from "../utils/plain-object.js";
import { DENSA_VERSION } from "./types.js";

/**
 * modelTopology ⇄ densa's layer configs.
 *
 * Read: Keras 2 and 3 (snake_case keys, `model_config` / `training_config` wrapper, `batch_input_shape` or
 * Keras 3's `batch_shape`, dtype policies, `module` / `registered_name` keys), tfjs's own files (the same
 * snake_case form without the wrapper) and camelCase configs alike. Write: Keras's form with the wrapper, as
 * tensorflowjs_converter writes a Keras model — which tfjs's loadLayersModel and Keras tools both read.
 */

export interface LayerEntry {
  className: string;
  config: Record<string, unknown>;
}

export interface ParsedTopology {
  name: string | undefined;
  layers: LayerEntry[];
  /** Per-sample input shape from a Keras build config, when no layer declares one. */
  buildInputShape: number[] | null;
  /** modelTopology.training_config as written (Keras's snake_case form), if any. */
  trainingConfig: unknown;
  /** A Functional model's graph (its layers' configs in camelCase), or null for a Sequential one. */
  functional: FunctionalConfig | null;
}

type Json = Record<string, unknown>;

export { isPlainObject };

/** Keys to camelCase, recursively (values untouched): `kernel_initializer` → `kernelInitializer`, `beta_1` → `beta1`. */
export function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (!isPlainObject(value)) return value;
  const out: Json = {};
  for (const [key, entry] of Object.entries(value))
    out[key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = camelKeys(entry);
  return out;
}

/** Keys to snake_case, recursively: `useBias` → `use_bias`, `className` → `class_name`. */
export function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (!isPlainObject(value)) return value;
  const out: Json = {};
  for (const [key, entry] of Object.entries(value))
    out[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = snakeKeys(entry);
  return out;
}

export function parseTopology(topology: unknown, argument: string): ParsedTopology {
  if (!isPlainObject(topology))
    throw new Error(`${argument}: modelTopology must be an object, got ${describeValue(topology)}`);
  const modelConfig = (topology.model_config ?? topology.modelConfig ?? topology) as Json;
  const version = topology.keras_version ?? topology.kerasVersion;
  const kerasMajor = typeof version === "string" && /^\d/.test(version) ? Number.parseInt(version, 10) : null;
  const parsed = parseModel(modelConfig, kerasMajor, argument);
  return { ...parsed, trainingConfig: topology.training_config ?? topology.trainingConfig };
}

/** Class names of a model saved as a layer of another model. */
const MODEL_CLASSES = new Set(["Sequential", "Functional", "Model"]);

/** A model's { class_name, config } (the top one, or one nested as a layer). */
function parseModel(
  modelConfig: Json,
  kerasMajor: number | null,
  argument: string,
): Omit<ParsedTopology, "trainingConfig"> {
  const className = modelConfig.class_name ?? modelConfig.className;
  if (className === "Model" || className === "Functional") {
    const functional = functionalSupport(argument).parseFunctional(modelConfig.config, kerasMajor, argument);
    return { name: functional.name, layers: functional.layers, buildInputShape: null, functional };
  }
  if (className !== "Sequential") {
    throw new Error(
      `${argument}: densa loads Sequential and Functional models; the topology holds class ${describeValue(className)}`,
    );
  }
  // NOTE: Keras up to 2.2 wrote a Sequential config as the bare list of layers.
  const config = modelConfig.config;
  const rawLayers = Array.isArray(config) ? config : isPlainObject(config) ? config.layers : undefined;
  if (!Array.isArray(rawLayers))
    throw new Error(`${argument}: the Sequential config has no layers array, got ${describeValue(config)}`);
  const layers = rawLayers.map((entry, i) => parseLayer(entry, kerasMajor, `${argument}: layer ${i}`));
  const buildInput =
    (modelConfig.build_config as Json | undefined)?.input_shape ??
    (isPlainObject(config) ? config.build_input_shape : undefined);
  const buildInputShape = Array.isArray(buildInput) ? buildInput.slice(1) : null;
  const name = isPlainObject(config) && typeof config.name === "string" ? config.name : undefined;
  return { name, layers, buildInputShape, functional: null };
}

export function parseLayer(entry: unknown, kerasMajor: number | null, argument: string): LayerEntry {
  if (!isPlainObject(entry)) throw new Error(`${argument} must be { class_name, config }, got ${describeValue(entry)}`);
  const className = entry.class_name ?? entry.className;
  if (typeof className !== "string") throw new Error(`${argument} has no class_name, got ${describeValue(className)}`);
  if (MODEL_CLASSES.has(className)) {
    // A model nested as a layer: its own layers are read by the same rules, into densa's config of that model.
    const nested = parseModel(entry, kerasMajor, `${argument} (nested ${className})`);
    if (nested.functional) return { className: "Functional", config: { ...nested.functional } };
    const name =
      nested.name ??
      (isPlainObject(entry.config) && typeof entry.config.name === "string" ? entry.config.name : undefined);
    return {
      className: "Sequential",
      config: {
        name,
        layers: nested.layers,
        ...(nested.buildInputShape ? { buildInputShape: [null, ...nested.buildInputShape] } : {}),
      },
    };
  }
  const config = camelKeys(entry.config ?? {}) as Json;
  if (!isPlainObject(config))
    throw new Error(`${argument} (${className}): config must be an object, got ${describeValue(config)}`);
  const label = `${argument} (${className} "${String(config.name)}")`;
  // Keras 3 writes the dtype as a policy object; densa computes in float32 only.
  const dtype = isPlainObject(config.dtype)
    ? ((config.dtype.config as Json | undefined)?.name ?? config.dtype.name)
    : config.dtype;
  if (dtype !== undefined && dtype !== null && dtype !== "float32") {
    throw new Error(`${label} computes in ${describeValue(dtype)}; densa computes in float32 only`);
  }
  config.dtype = "float32";
  if (config.batchShape !== undefined && config.batchInputShape === undefined)
    config.batchInputShape = config.batchShape;
  delete config.batchShape;
  if (isPlainObject(config.activation) && typeof config.activation.config === "string")
    config.activation = config.activation.config;
  // NOTE: Keras 3 redefined hard_sigmoid as relu6(x + 3) / 6; densa's is tfjs's and Keras 2's clip(0.2x + 0.5).
  if (config.activation === "hard_sigmoid" && kerasMajor !== null && kerasMajor >= 3) {
    throw new Error(
      `${label}: Keras 3's hard_sigmoid (relu6(x + 3) / 6) differs from densa's (tfjs's clip(0.2·x + 0.5, 0, 1)); densa cannot run it`,
    );
  }
  if (className === "Normalization") {
    if (Array.isArray(config.axis) && config.axis.length === 1) config.axis = config.axis[0];
    if (config.invert) throw new Error(`${label}: Normalization with invert: true is not supported`);
  }
  return { className, config };
}

/**
 * Keras's JSON form of a model, wrapped as tensorflowjs_converter writes it. A Functional model is written as
 * tfjs writes a tf.model: class_name "Model", each layer with its name and inbound_nodes, and input_layers /
 * output_layers.
 */
export function kerasTopology(config: SequentialConfig | FunctionalConfig, trainingConfig: object | null): Json {
  const modelConfig =
    "inputLayers" in config
      ? {
          class_name: "Model",
          config: {
            name: config.name,
            layers: config.layers.map((layer) => ({
              class_name: layer.className,
              name: layer.name,
              config: snakeKeys(layer.config),
              inbound_nodes: layer.inboundNodes,
            })),
            input_layers: config.inputLayers,
            output_layers: config.outputLayers,
          },
        }
      : {
          class_name: "Sequential",
          config: {
            name: config.name,
            layers: config.layers.map((layer) => ({ class_name: layer.className, config: snakeKeys(layer.config) })),
          },
        };
  const topology: Json = {
    keras_version: `densa ${DENSA_VERSION}`,
    backend: "densa",
    model_config: modelConfig,
  };
  if (trainingConfig) topology.training_config = trainingConfig;
  return topology;
}
