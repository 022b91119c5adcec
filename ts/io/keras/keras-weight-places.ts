import { describeValue } from "../../utils/describe.js";
import { isPlainObject } from "../topology.js";
import { kerasGraphOrder } from "./keras-layer-order.js";
import { type KerasVariable, kerasSnakeCase, kerasVariablesOf } from "./keras-variables.js";

type Json = Record<string, unknown>;

/** Where one layer's variables live in model.weights.h5, and which they are. */
export interface WeightPlace {
  /** The layer's name in the config (densa's variables are named `<layerName>/<variable>`). */
  layerName: string;
  className: string;
  /** `layers/dense_1` (nested models: `layers/sequential/layers/dense`); the values are in `<path>/vars/<i>`. */
  path: string;
  variables: KerasVariable[];
}

const MODEL_CLASSES = new Set(["Sequential", "Functional", "Model"]);

/**
 * Keras 3's saving_lib names a model's layers by class, not by layer name: `layers/<snake_case class>[_k]`, where k
 * counts the earlier layers of the same class in the model's layer list (a Sequential's list leaves out its
 * InputLayer; a Functional's keeps its inputs). A nested model is a layer whose own layers sit under its group.
 * A Functional's list is in Keras 3's graph order (kerasGraphOrder), which is the config's order in every file
 * Keras writes but not necessarily in a hand-made one; `graphOrder: false` keeps the config's order (Keras 2's
 * legacy files, whose optimizer state follows the layers as listed).
 */
export function kerasWeightPlaces(model: unknown, argument: string, prefix = "", graphOrder = true): WeightPlace[] {
  if (!isPlainObject(model))
    throw new Error(`${argument}: a model config must be { class_name, config }, got ${describeValue(model)}`);
  const className = model.class_name;
  const config = model.config;
  // NOTE: Keras up to 2.2 wrote a Sequential config as the bare list of layers.
  const layers = Array.isArray(config) ? config : isPlainObject(config) ? config.layers : undefined;
  if (!Array.isArray(layers))
    throw new Error(`${argument}: the ${String(className)} config has no layers list, got ${describeValue(config)}`);
  const listed =
    className === "Sequential"
      ? layers.filter((layer) => !(isPlainObject(layer) && layer.class_name === "InputLayer"))
      : graphOrder && isPlainObject(config) && layers.every(isPlainObject)
        ? kerasGraphOrder(layers as Json[], config.input_layers, config.output_layers)
        : layers;
  const used = new Map<string, number>();
  const places: WeightPlace[] = [];
  listed.forEach((layer, i) => {
    if (!isPlainObject(layer) || typeof layer.class_name !== "string")
      throw new Error(`${argument}: layer ${i} must be { class_name, config }, got ${describeValue(layer)}`);
    const layerConfig = (isPlainObject(layer.config) ? layer.config : {}) as Json;
    const snake = kerasSnakeCase(layer.class_name);
    const count = used.get(snake) ?? 0;
    used.set(snake, count + 1);
    const path = `${prefix}layers/${count === 0 ? snake : `${snake}_${count}`}`;
    if (MODEL_CLASSES.has(layer.class_name)) {
      places.push(
        ...kerasWeightPlaces(
          layer,
          `${argument}: nested model ${JSON.stringify(layerConfig.name)}`,
          `${path}/`,
          graphOrder,
        ),
      );
      return;
    }
    const layerName = typeof layerConfig.name === "string" ? layerConfig.name : `${snake}_${i}`;
    places.push({
      layerName,
      className: layer.class_name,
      path,
      variables: kerasVariablesOf(layer.class_name, layerConfig),
    });
  });
  return places;
}
