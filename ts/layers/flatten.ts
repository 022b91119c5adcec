import { Layer } from "./layer.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import { registerLayerClasses } from "./registry.js";
import type { StepContext } from "./step-context.js";

/** Keras's Flatten. Row-major samples are already flat in memory, so forward and backward pass pointers on. */
export class Flatten extends Layer {
  readonly className = "Flatten";

  constructor(args: LayerArgs & { dataFormat?: "channels_last" } = {}) {
    super(checkArgsObject("Flatten", args, "an options object"), "Flatten", ["dataFormat"]);
    if (args.dataFormat !== undefined && args.dataFormat !== "channels_last") {
      throw new Error(`Flatten: only dataFormat "channels_last" is supported, got ${JSON.stringify(args.dataFormat)}`);
    }
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    return [inputShape.reduce((product, dim) => product * dim, 1)];
  }

  forward(input: number): number {
    return input;
  }

  backward(outputGrad: number, _step: StepContext, needInputGrad: boolean): number {
    return needInputGrad ? outputGrad : 0;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), dataFormat: "channels_last" };
  }
}

registerLayerClasses({ Flatten });
