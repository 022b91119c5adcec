import { getEngine } from "../engine/engine.js";
import { checkNumber } from "../utils/options.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import { NoiseLayer } from "./noise-layer.js";
import { registerLayerClasses } from "./registry.js";

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

  protected get active(): boolean {
    return this.rate > 0;
  }

  protected get multiplicative(): boolean {
    return true;
  }

  protected applyNoise(input: number, output: number, mask: number, count: number, generator: number): void {
    const kernels = getEngine().kernels;
    kernels.randomNormal(generator, mask, count, 1, Math.sqrt(this.rate / (1 - this.rate)));
    kernels.multiplyElementwise(input, mask, output, count);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), rate: this.rate };
  }
}

registerLayerClasses({ GaussianDropout });
