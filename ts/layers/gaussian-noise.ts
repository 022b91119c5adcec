import { getEngine } from "../engine/engine.js";
import { checkNumber } from "../utils/options.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer.js";
import { NoiseLayer } from "./noise-layer.js";

export interface GaussianNoiseArgs extends LayerArgs {
  stddev?: number;
  seed?: number | null;
}

/** Keras's GaussianNoise: while training, y = x + N(0, stddev²) noise per value; at inference y = x. */
export class GaussianNoise extends NoiseLayer {
  readonly className = "GaussianNoise";
  readonly stddev: number;

  constructor(stddevOrArgs: number | GaussianNoiseArgs, maybeArgs: GaussianNoiseArgs = {}) {
    const args = typeof stddevOrArgs === "number" ? { ...maybeArgs, stddev: stddevOrArgs } : { ...checkArgsObject("GaussianNoise", stddevOrArgs, "a stddev or an options object") };
    super(args, "GaussianNoise", ["stddev"]);
    this.stddev = checkNumber("GaussianNoise", "stddev", args.stddev, { min: 0 });
  }

  forward(input: number, rows: number, training: boolean): number {
    this.noisyLastForward = training && this.stddev > 0;
    if (!this.noisyLastForward) return input;
    const kernels = getEngine().kernels;
    const count = rows * this.width;
    const noise = this.noise!.ensure(rows);
    const output = this.outputs!.ensure(rows);
    kernels.randomNormal(this.generator().statePtr, noise, count, 0, this.stddev);
    kernels.addElementwise(count, input, noise, output);
    return output;
  }

  backward(outputGrad: number, _rows: number, needInputGrad: boolean): number {
    return needInputGrad ? outputGrad : 0;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), stddev: this.stddev };
  }
}
