import type { Layer } from "../layers/layer.js";
import { layerFromConfig } from "../layers/registry.js";
import { describeValue } from "../utils/describe.js";
import { checkSampleSize } from "./sample-size.js";

/** A Sequential model's config: its name and its layers in order (tfjs's and Keras's `config` of a Sequential). */
export interface SequentialConfig {
  name: string;
  layers: { className: string; config: Record<string, unknown> }[];
}

/**
 * The layers a Sequential config describes, each made through the layer registry (unbuilt). When the config
 * declares its input shape, every layer's output shape is checked against the per-sample limit first (naming
 * the layer), so the model built from them next allocates nothing for a size no layer could hold.
 */
export function layersFromConfig(config: SequentialConfig, argument: string): Layer[] {
  if (!config || !Array.isArray(config.layers)) {
    throw new Error(`${argument}: expected { name, layers: [{ className, config }, …] }, got ${describeValue(config)}`);
  }
  const layers = config.layers.map((entry, i) => layerFromConfig(entry, `${argument}: layer ${i}`));
  try {
    let shape = layers[0]?.batchInputShape?.slice(1) as number[] | undefined;
    if (shape?.every((dim) => Number.isInteger(dim) && dim > 0)) {
      checkSampleSize(shape, `${argument}: the input shape`);
      for (const layer of layers) {
        if (layer.built) break; // a nested model, built (and checked) from its own config
        shape = layer.computeOutputShape(shape);
        checkSampleSize(shape, `${argument}: layer "${layer.name}" (${layer.className}): its output shape`);
      }
    }
  } catch (error) {
    for (const layer of layers) layer.dispose();
    throw error;
  }
  return layers;
}

/**
 * A Sequential model's getConfig: its layers' configs in order. `builtInput`: the input shape a model nested in
 * another was built for, which it writes on its first layer as tfjs and Keras 2 do (tfjs cannot rebuild a
 * Sequential model without one; see ModelLayer.savedNodeOffset); null otherwise.
 */
export function sequentialConfig(name: string, stack: readonly Layer[], builtInput: number[] | null): SequentialConfig {
  const layers = stack.map((layer) => ({ className: layer.className, config: layer.getConfig() }));
  if (builtInput && layers.length > 0 && !layers[0].config.batchInputShape)
    layers[0].config.batchInputShape = [null, ...builtInput];
  return { name, layers };
}
