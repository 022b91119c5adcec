import type { Layer } from "../layers/layer.js";
import { LAYER_CLASSES, layerFromConfig, registerModelClass } from "../layers/registry.js";
import type { FunctionalConfig } from "./functional-config.js";
import { functionalSupport } from "./functional-support.js";
import { InferenceModel } from "./inference-model.js";
import { layersFromConfig, type SequentialConfig } from "./sequential-config.js";

/**
 * Makes densa/infer build a model nested as a layer of a loaded model (rebuilt through the layer registry) as an
 * InferenceModel. A nested Functional model's graph takes the Functional API's code, which loadModel loads with it.
 * NOTE: classes registered already stay: the full package's trainable Sequential and Model (sequential.ts,
 * model.ts) win wherever both entries share one registry (tests of the sources).
 */
export function registerNestedInferenceModels(): void {
  const register: typeof registerModelClass = (className, factory) => {
    if (!Object.hasOwn(LAYER_CLASSES, className)) registerModelClass(className, factory);
  };
  register("Sequential", (config) => {
    const { name } = config as { name?: string };
    const layers = layersFromConfig(config as unknown as SequentialConfig, "nested Sequential model");
    return new InferenceModel(layers, { name }) as unknown as Layer;
  });
  const nestedFunctional = (config: Record<string, unknown>): Layer => {
    const graph = functionalSupport("nested model").graphFromConfig(
      config as unknown as FunctionalConfig,
      (entry, i) => layerFromConfig(entry, `nested model: layer ${i}`),
      "nested model",
      false, // NOTE: densa/infer has no initializers (its stand-ins refuse to draw); the loader writes every weight
    );
    try {
      return new InferenceModel(
        { inputs: graph.inputs, outputs: graph.outputs },
        { name: (config as { name?: string }).name },
      ) as unknown as Layer;
    } catch (error) {
      for (const layer of graph.layers) layer.dispose();
      throw error;
    }
  };
  register("Functional", nestedFunctional);
  register("Model", nestedFunctional);
}
