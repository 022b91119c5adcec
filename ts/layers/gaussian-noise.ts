import { getEngine } from "../engine/engine.js";
import { checkNumber } from "../utils/options.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import { NoiseLayer } from "./noise-layer.js";
import { registerLayerClasses } from "./registry.js";

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

  protected get active(): boolean {
    return this.stddev > 0;
  }

  protected get multiplicative(): boolean {
    return false;
  }

  protected applyNoise(input: number, output: number, noise: number, count: number, generator: number): void {
    const kernels = getEngine().kernels;
    kernels.randomNormal(generator, noise, count, 0, this.stddev);
    kernels.addElementwise(input, noise, output, count);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), stddev: this.stddev };
  }
}

registerLayerClasses({ GaussianNoise });
