import type { LayerArgs, LayerConfig } from "./layer-args.js";
import { registerLayerClasses } from "./registry.js";
import { ReLU } from "./relu.js";

export interface LeakyReLUArgs extends LayerArgs {
  /** Keras 3's name for the slope below 0. Default 0.3. */
  negativeSlope?: number;
  /** tfjs's and Keras 2's name for the same slope. */
  alpha?: number;
}

/** Keras's LeakyReLU: y = x for x > 0, negative_slope·x otherwise. */
export class LeakyReLU extends ReLU {
  override readonly className = "LeakyReLU";

  constructor(args: LeakyReLUArgs = {}) {
    if (args?.alpha !== undefined && args.negativeSlope !== undefined && args.alpha !== args.negativeSlope) {
      throw new Error(
        `LeakyReLU: give negativeSlope or its older name alpha, not both (got ${args.negativeSlope} and ${args.alpha})`,
      );
    }
    const { alpha, negativeSlope, ...rest } = args ?? {};
    super({ ...rest, negativeSlope: negativeSlope ?? alpha ?? 0.3 }, "LeakyReLU", ["negativeSlope", "alpha"]);
  }

  /** NOTE: writes the slope under both names: Keras 3 reads negative_slope, tfjs and Keras 2 read alpha. */
  override getConfig(): LayerConfig {
    const { maxValue: _maxValue, threshold: _threshold, ...config } = super.getConfig();
    return { ...config, alpha: this.negativeSlope };
  }
}

registerLayerClasses({ LeakyReLU });
