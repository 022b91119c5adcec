import { getEngine } from "../engine/engine.js";
import { describeValue } from "../utils/describe.js";
import { checkNumber } from "../utils/options.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import { NoiseLayer } from "./noise-layer.js";
import { registerLayerClasses } from "./registry.js";

export interface AlphaDropoutArgs extends LayerArgs {
  rate?: number;
  /** Keras's noise_shape; only null (one draw per value) is supported. */
  noiseShape?: null;
  seed?: number | null;
}

/** SELU's constants (Klambauer et al. 2017), as Keras writes them. */
// NOTE: the nearest doubles to Keras's 32-digit literals (the same values; extra digits would be lost anyway).
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/**
 * Keras's AlphaDropout, for SELU networks: while training, dropped values become SELU's saturation −α·λ and an
 * affine map a·x + b keeps the mean and variance; at inference y = x.
 */
export class AlphaDropout extends NoiseLayer {
  readonly className = "AlphaDropout";
  readonly rate: number;

  constructor(rateOrArgs: number | AlphaDropoutArgs, maybeArgs: AlphaDropoutArgs = {}) {
    const args =
      typeof rateOrArgs === "number"
        ? { ...maybeArgs, rate: rateOrArgs }
        : { ...checkArgsObject("AlphaDropout", rateOrArgs, "a rate in [0, 1) or an options object") };
    super(args, "AlphaDropout", ["rate", "noiseShape"]);
    if (args.noiseShape !== undefined && args.noiseShape !== null) {
      throw new Error(
        `AlphaDropout: noiseShape is not supported (values are dropped one by one), got ${describeValue(args.noiseShape)}`,
      );
    }
    this.rate = checkNumber("AlphaDropout", "rate", args.rate, { min: 0, max: 1, maxExclusive: true });
  }

  protected get active(): boolean {
    return this.rate > 0;
  }

  protected get multiplicative(): boolean {
    return true;
  }

  /** Dropped values become −α·λ, then y = a·x + b; the mask holds each value's factor a or 0. */
  protected applyNoise(input: number, output: number, mask: number, count: number, generator: number): void {
    const rate = this.rate;
    const alphaP = -SELU_ALPHA * SELU_SCALE;
    const a = ((1 - rate) * (1 + rate * alphaP ** 2)) ** -0.5;
    const b = -a * alphaP * rate;
    getEngine().kernels.alphaDropoutForward(generator, count, input, output, mask, rate, a, b, alphaP);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), rate: this.rate, noiseShape: null };
  }
}

registerLayerClasses({ AlphaDropout });
