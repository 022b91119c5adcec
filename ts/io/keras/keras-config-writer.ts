import type { ModelBase } from "../../models/model-base.js";
import { isPlainObject, snakeKeys } from "../topology.js";
import { kerasTrainingConfig, type CompileConfig } from "../training-config.js";
import { compileConfigFromTrainingConfig } from "./keras-compile-config.js";

type Json = Record<string, unknown>;

/** Keras 3's serialized dtype policy, as it writes it on every layer. */
const FLOAT32_POLICY = { module: "keras", class_name: "DTypePolicy", config: { name: "float32" }, registered_name: null };

/** Which Keras module each kind of nested object comes from (by the key that holds it). */
function moduleFor(key: string): string | null {
  if (key.endsWith("initializer")) return "keras.initializers";
  if (key.endsWith("regularizer")) return "keras.regularizers";
  if (key.endsWith("constraint")) return "keras.constraints";
  return null;
}

/** A layer's densa config in Keras 3's form: snake_case keys, dtype policy, module-qualified nested objects. */
function kerasLayerConfig(config: Record<string, unknown>): Json {
  const out = snakeKeys(config) as Json;
  delete out.batch_input_shape;
  // NOTE: Keras 3's layers write activity_regularizer only when one is set (Keras 2 always wrote it).
  if (out.activity_regularizer === null) delete out.activity_regularizer;
  out.dtype = FLOAT32_POLICY;
  for (const [key, value] of Object.entries(out)) {
    const module = moduleFor(key);
    if (module && isPlainObject(value) && typeof value.class_name === "string") out[key] = { module, class_name: value.class_name, config: value.config ?? {}, registered_name: null };
  }
  return out;
}

/**
 * config.json as Keras 3 writes it for the same Sequential model: an InputLayer with batch_shape first, then each
 * layer as { module, class_name, config, registered_name, build_config }, the model's build_config and, when
 * compiled, its compile_config.
 */
export function kerasModelConfig(model: ModelBase, compiled: CompileConfig | null): Json {
  const inputShape = model.inputShape;
  if (!model.built || !inputShape) throw new Error("toKeras: the model is not built yet; give the first layer an inputShape, or call build(), fit() or predict() first");
  let shape: number[] = [...inputShape];
  const layers: Json[] = [{
    module: "keras.layers",
    class_name: "InputLayer",
    config: { batch_shape: [null, ...shape], dtype: "float32", sparse: false, ragged: false, name: "input_layer", optional: false },
    registered_name: null,
  }];
  for (const layer of model.layers) {
    layers.push({ module: "keras.layers", class_name: layer.className, config: kerasLayerConfig(layer.getConfig()), registered_name: null, build_config: { input_shape: [null, ...shape] } });
    shape = [...layer.outputShape];
  }
  const config: Json = {
    module: "keras",
    class_name: "Sequential",
    config: { name: model.name, trainable: true, dtype: FLOAT32_POLICY, layers, build_input_shape: [null, ...inputShape] },
    registered_name: null,
    build_config: { input_shape: [null, ...inputShape] },
  };
  if (compiled) {
    const training = kerasTrainingConfig(compiled);
    const optimizer = training.optimizer_config as Json;
    training.optimizer_config = { module: "keras.optimizers", ...optimizer, registered_name: null };
    config.compile_config = compileConfigFromTrainingConfig(training);
  }
  return config;
}
