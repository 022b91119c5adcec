import type { Layer } from "../layers/layer.js";
import { registerModelClass } from "../layers/registry.js";
import type { SymbolicTensor } from "../layers/symbolic-tensor.js";
import { Model } from "./model.js";
import type { ModelBase, SequentialConfig } from "./model-base.js";
import { layersFromConfig } from "./sequential-config.js";

/**
 * Keras's Sequential: a stack of layers, each fed by the one before — the linear case of Model's graph.
 * Adds add / pop; everything else (compile, fit, evaluate, predict, save) is Model's.
 */
export class Sequential extends Model {
  constructor(layers: readonly (Layer | ModelBase | SymbolicTensor)[] = [], options: { name?: string } = {}) {
    if (!Array.isArray(layers)) throw new Error(`Sequential: layers must be an array of layers, got ${typeof layers}`);
    super(layers, options);
  }

  static override fromConfig(config: SequentialConfig): Sequential {
    const layers = layersFromConfig(config, "Sequential.fromConfig");
    return new Sequential(layers, { name: config.name });
  }
}

// NOTE: a Sequential model saved as a layer of another model is rebuilt through the layer registry.
registerModelClass(
  "Sequential",
  (config) => Sequential.fromConfig(config as unknown as SequentialConfig) as unknown as Layer,
);
