import type { Layer } from "../layers/layer.js";
import { layerFromConfig } from "../layers/registry.js";
import { describeValue } from "../utils/describe.js";

/** A Sequential model's config: its name and its layers in order (tfjs's and Keras's `config` of a Sequential). */
export interface SequentialConfig {
  name: string;
  layers: { className: string; config: Record<string, unknown> }[];
}

/** The layers a Sequential config describes, each made through the layer registry (unbuilt). */
export function layersFromConfig(config: SequentialConfig, argument: string): Layer[] {
  if (!config || !Array.isArray(config.layers)) {
    throw new Error(`${argument}: expected { name, layers: [{ className, config }, …] }, got ${describeValue(config)}`);
  }
  return config.layers.map((entry, i) => layerFromConfig(entry, `${argument}: layer ${i}`));
}
