import { Layer } from "./layer.js";
import { checkArgsObject, type LayerArgs } from "./layer-args.js";
import { registerLayerClasses } from "./registry.js";
import type { StepContext } from "./step-context.js";

/** Keras's Identity: passes its input on unchanged (a placeholder in a model, e.g. a skipped block). */
export class Identity extends Layer {
  readonly className = "Identity";

  constructor(args: LayerArgs = {}) {
    super(checkArgsObject("Identity", args, "an options object"), "Identity", []);
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }

  forward(input: number): number {
    return input;
  }

  backward(outputGrad: number, _step: StepContext, needInputGrad: boolean): number {
    return needInputGrad ? outputGrad : 0;
  }
}

registerLayerClasses({ Identity });
