import { getEngine } from "../engine/engine.js";
import { checkNumber } from "../utils/options.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import { NoiseLayer } from "./noise-layer.js";
import { registerLayerClasses } from "./registry.js";
import type { StepContext } from "./step-context.js";

export interface GaussianNoiseArgs extends LayerArgs {
  stddev?: number;
  seed?: number | null;
}

/** Keras's GaussianNoise: while training, y = x + N(0, stddev²) noise per value; at inference y = x. */
export class GaussianNoise extends NoiseLayer {
  readonly className = "GaussianNoise";
  readonly stddev: number;

  constructor(stddevOrArgs: number | GaussianNoiseArgs, maybeArgs: GaussianNoiseArgs = {}) {
    const args =
      typeof stddevOrArgs === "number"
        ? { ...maybeArgs, stddev: stddevOrArgs }
        : { ...checkArgsObject("GaussianNoise", stddevOrArgs, "a stddev or an options object") };
    super(args, "GaussianNoise", ["stddev"]);
    this.stddev = checkNumber("GaussianNoise", "stddev", args.stddev, { min: 0 });
  }

  forward(input: number, step: StepContext): number {
    const rows = step.rows;
    const training = step.training;
    this.noisyLastForward = training && this.stddev > 0;
    if (!this.noisyLastForward) return input;
    const kernels = getEngine().kernels;
    const count = rows * this.width;
    const noise = this.noise!.ensure(rows);
    const output = this.outputs!.ensure(rows);
    kernels.randomNormal(this.generator(step).statePtr, noise, count, 0, this.stddev);
    kernels.addElementwise(input, noise, output, count);
    return output;
  }

  backward(outputGrad: number, _step: StepContext, needInputGrad: boolean): number {
    return needInputGrad ? outputGrad : 0;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), stddev: this.stddev };
  }
}

registerLayerClasses({ GaussianNoise });
