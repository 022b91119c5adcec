import type { Layer } from "../../layers/layer.js";
import { Regularizer } from "../../regularizers/regularizers.js";
import { isPlainObject, snakeKeys } from "../topology.js";
import { type CompileConfig, kerasTrainingConfig } from "../training-config.js";
import { compileConfigFromTrainingConfig } from "./keras-compile-config.js";

type Json = Record<string, unknown>;

/** Keras 3's serialized dtype policy, as it writes it on every layer. */
export const FLOAT32_POLICY = {
  module: "keras",
  class_name: "DTypePolicy",
  config: { name: "float32" },
  registered_name: null,
};

/**
 * Keras 3 layers that are built when made (their __init__ sets built, having no state to create from a shape):
 * Keras never runs their build, so it writes no build_config for them.
 */
const BUILT_AT_INIT = new Set([
  "InputLayer",
  "Dropout",
  "GaussianNoise",
  "GaussianDropout",
  "AlphaDropout",
  "Activation",
  "LeakyReLU",
  "ReLU",
  "ELU",
  "Softmax",
  "Identity",
  "ActivityRegularization",
]);

/**
 * Keys Keras 3.14's get_config writes that densa's configs leave out, with the value they have in densa (which
 * computes none of these options otherwise).
 */
const KERAS_ONLY_KEYS: Record<string, Json> = {
  BatchNormalization: { synchronized: false, renorm: false, renorm_clipping: null, renorm_momentum: 0.99 },
  // NOTE: Keras 3's Embedding names activity_regularizer always, other layers only when one is set.
  Embedding: { activity_regularizer: null },
};

/** Which Keras module each kind of nested object comes from (by the key that holds it). */
function moduleFor(key: string): string | null {
  if (key.endsWith("initializer")) return "keras.initializers";
  if (key.endsWith("regularizer")) return "keras.regularizers";
  if (key.endsWith("constraint")) return "keras.constraints";
  return null;
}

/**
 * A layer's densa config in Keras 3's form: snake_case keys, dtype policy, module-qualified nested objects,
 * regularizers under Keras 3's class (L1, L2 or L1L2, as they were made).
 */
export function kerasLayerConfig(layer: Layer): Json {
  const config = layer.getConfig() as Json;
  const out = snakeKeys(config) as Json;
  delete out.batch_input_shape;
  // NOTE: Keras 3's layers write activity_regularizer only when one is set (Keras 2 always wrote it).
  if (out.activity_regularizer === null) delete out.activity_regularizer;
  for (const [key, value] of Object.entries(KERAS_ONLY_KEYS[layer.className] ?? {})) out[key] ??= value;
  // NOTE: densa's LeakyReLU also writes tfjs's (and Keras 2's) alpha; Keras 3 calls it negative_slope only.
  if (layer.className === "LeakyReLU") {
    out.negative_slope ??= out.alpha;
    delete out.alpha;
  }
  out.dtype = FLOAT32_POLICY;
  for (const key of Object.keys(config)) {
    const own = (layer as unknown as Json)[key];
    if (key.endsWith("Regularizer") && own instanceof Regularizer) {
      const { className, config: factors } = own.kerasConfig();
      out[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = { class_name: className, config: factors };
    }
  }
  for (const [key, value] of Object.entries(out)) {
    const module = moduleFor(key);
    if (module && isPlainObject(value) && typeof value.class_name === "string")
      out[key] = { module, class_name: value.class_name, config: value.config ?? {}, registered_name: null };
  }
  return out;
}

/** `{ module, class_name, config, registered_name[, build_config] }`, as Keras 3 serializes a built layer. */
export function kerasLayerEntry(layer: Layer, inputShapes: readonly (readonly number[])[]): Json {
  const entry: Json = {
    module: "keras.layers",
    class_name: layer.className,
    config: kerasLayerConfig(layer),
    registered_name: null,
  };
  if (!BUILT_AT_INIT.has(layer.className)) {
    const shapes = inputShapes.map((shape) => [null, ...shape]);
    entry.build_config = { input_shape: shapes.length === 1 ? shapes[0] : shapes };
  }
  return entry;
}

/** Keras 3's compile_config for densa's compile arguments (the optimizer module-qualified, as Keras writes it). */
export function kerasCompileConfig(compiled: CompileConfig): Json {
  const training = kerasTrainingConfig(compiled);
  const optimizer = training.optimizer_config as Json;
  training.optimizer_config = { module: "keras.optimizers", ...optimizer, registered_name: null };
  return compileConfigFromTrainingConfig(training);
}

/** A model used as a layer (a Sequential or Functional inside another model): it has layers of its own. */
export function isNestedModel(layer: unknown): layer is { className: string; name: string; layers: Layer[] } {
  const candidate = layer as { className?: unknown; layers?: unknown };
  return (
    (candidate.className === "Sequential" || candidate.className === "Functional") && Array.isArray(candidate.layers)
  );
}
