import { Activation } from "./activation.js";
import { Dense } from "./dense.js";
import { Dropout } from "./dropout.js";
import { Flatten } from "./flatten.js";
import { InputLayer } from "./input-layer.js";
import type { Layer } from "./layer.js";
import { Normalization } from "./normalization.js";

type LayerFactory = (config: Record<string, unknown>) => Layer;

/** Layer classes by the className saved in configs; loading refuses any other class by name. */
export const LAYER_CLASSES: Record<string, LayerFactory> = {
  Dense: (config) => new Dense(config),
  Activation: (config) => new Activation(config),
  Dropout: (config) => new Dropout(config),
  Flatten: (config) => new Flatten(config),
  InputLayer: (config) => new InputLayer(config),
  Normalization: (config) => new Normalization(config),
};

export function layerFromConfig(entry: { className: string; config: Record<string, unknown> }, argument: string): Layer {
  // NOTE: own keys only, so that "constructor" or "__proto__" from a file is an unknown class, not Object's.
  const className = entry?.className;
  const factory = typeof className === "string" && Object.hasOwn(LAYER_CLASSES, className) ? LAYER_CLASSES[className] : undefined;
  if (!factory) {
    throw new Error(
      `${argument}: densa cannot run layer class ${JSON.stringify(entry?.className)}; supported classes are ${Object.keys(LAYER_CLASSES).join(", ")}`,
    );
  }
  return factory(entry.config ?? {});
}
