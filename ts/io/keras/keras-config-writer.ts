import type { Layer } from "../../layers/layer.js";
import type { ModelBase } from "../../models/model-base.js";
import type { CompileConfig } from "../training-config.js";
import { kerasFunctionalConfig } from "./keras-functional-writer.js";
import { FLOAT32_POLICY, isNestedModel, kerasCompileConfig, kerasLayerEntry } from "./keras-layer-entry.js";

type Json = Record<string, unknown>;

/** The model's config.json as Keras 3 writes it: a Sequential or a Functional, with compile_config when compiled. */
export function kerasModelConfig(model: ModelBase, compiled: CompileConfig | null): Json {
  const config = model.inputs.length > 0 ? kerasFunctionalConfig(model, nestedEntry) : kerasSequentialConfig(model);
  if (compiled) config.compile_config = kerasCompileConfig(compiled);
  return config;
}

/**
 * A layer's entry, or — for a model used as a layer — the nested model's own config (Keras 3 writes it in place
 * of the layer, with the build_config of its call).
 */
function nestedEntry(layer: Layer, inputShapes: readonly (readonly number[])[]): Json {
  if (!isNestedModel(layer)) return kerasLayerEntry(layer, inputShapes);
  return kerasModelConfig(layer as unknown as ModelBase, null);
}

/**
 * config.json as Keras 3 writes it for the same Sequential model: an InputLayer with batch_shape first, then each
 * layer as { module, class_name, config, registered_name, build_config }, the model's build_config.
 */
function kerasSequentialConfig(model: ModelBase): Json {
  const inputShape = model.inputShape;
  if (!model.built || !inputShape)
    throw new Error(
      "toKeras: the model is not built yet; give the first layer an inputShape, or call build(), fit() or predict() first",
    );
  let shape: number[] = [...inputShape];
  // NOTE: a Sequential model keeps the InputLayer it was made with (and loaded with) under its own name.
  const first = model.getConfig().layers[0];
  const inputName =
    first?.className === "InputLayer" && typeof first.config.name === "string" ? first.config.name : "input_layer";
  const layers: Json[] = [
    {
      module: "keras.layers",
      class_name: "InputLayer",
      config: {
        batch_shape: [null, ...shape],
        dtype: "float32",
        sparse: false,
        ragged: false,
        name: inputName,
        optional: false,
      },
      registered_name: null,
    },
  ];
  for (const layer of model.layers) {
    layers.push(nestedEntry(layer, [shape]));
    shape = [...layer.outputShape];
  }
  return {
    module: "keras",
    class_name: "Sequential",
    config: {
      name: model.name,
      trainable: true,
      dtype: FLOAT32_POLICY,
      layers,
      build_input_shape: [null, ...inputShape],
    },
    registered_name: null,
    build_config: { input_shape: [null, ...inputShape] },
  };
}
