import { getEngine } from "../engine/engine.js";
import { checkNumber } from "../utils/options.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import { NoiseLayer } from "./noise-layer.js";
import { registerLayerClasses } from "./registry.js";
import type { StepContext } from "./step-context.js";

export interface GaussianDropoutArgs extends LayerArgs {
  rate?: number;
  seed?: number | null;
}

/** Keras's GaussianDropout: while training, y = x·m with m ~ N(1, rate / (1 − rate)) per value; at inference y = x. */
export class GaussianDropout extends NoiseLayer {
  readonly className = "GaussianDropout";
  readonly rate: number;

  constructor(rateOrArgs: number | GaussianDropoutArgs, maybeArgs: GaussianDropoutArgs = {}) {
    const args =
      typeof rateOrArgs === "number"
        ? { ...maybeArgs, rate: rateOrArgs }
        : { ...checkArgsObject("GaussianDropout", rateOrArgs, "a rate in [0, 1) or an options object") };
    super(args, "GaussianDropout", ["rate"]);
    this.rate = checkNumber("GaussianDropout", "rate", args.rate, { min: 0, max: 1, maxExclusive: true });
  }

  forward(input: number, step: StepContext): number {
    const rows = step.rows;
    const training = step.training;
    this.noisyLastForward = training && this.rate > 0;
    if (!this.noisyLastForward) return input;
    const kernels = getEngine().kernels;
    const count = rows * this.width;
    const mask = this.noise!.ensure(rows);
    const output = this.outputs!.ensure(rows);
    kernels.randomNormal(this.generator(step).statePtr, mask, count, 1, Math.sqrt(this.rate / (1 - this.rate)));
    kernels.multiplyElementwise(input, mask, output, count);
    return output;
  }

  backward(outputGrad: number, step: StepContext, needInputGrad: boolean): number {
    if (!needInputGrad) return 0;
    const rows = step.rows;
    if (!this.noisyLastForward) return outputGrad;
    const inputGrad = this.inputGradBlock(rows);
    getEngine().kernels.multiplyElementwise(outputGrad, this.noise!.ptr, inputGrad, rows * this.width);
    return inputGrad;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), rate: this.rate };
  }
}

registerLayerClasses({ GaussianDropout });
