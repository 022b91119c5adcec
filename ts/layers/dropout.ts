import { getEngine } from "../engine/engine.js";
import { globalGenerator, RandomGenerator } from "../engine/random.js";
import { checkSeed } from "../utils/options.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import { registerLayerClasses } from "./registry.js";
import type { BufferUse, RowBuffer } from "./row-buffer.js";
import { ShapePreservingLayer } from "./shape-preserving-layer.js";
import type { StepContext } from "./step-context.js";

export interface DropoutArgs extends LayerArgs {
  rate?: number;
  seed?: number | null;
  /** Keras's noise_shape; only null (the default, one draw per value) is supported. */
  noiseShape?: null;
}

/**
 * Keras's inverted dropout: while training, each value is zeroed with probability `rate` and the rest are
 * scaled by 1 / (1 − rate); at inference the layer passes its input on untouched.
 */
export class Dropout extends ShapePreservingLayer {
  readonly className = "Dropout";
  readonly rate: number;
  readonly seed: number | null;
  private ownGenerator: RandomGenerator | null = null;
  private masks: RowBuffer | null = null;
  private maskedLastForward = false;

  constructor(rateOrArgs: number | DropoutArgs, maybeArgs: DropoutArgs = {}) {
    const args =
      typeof rateOrArgs === "number"
        ? { ...maybeArgs, rate: rateOrArgs }
        : { ...checkArgsObject("Dropout", rateOrArgs, "a rate in [0, 1) or an options object") };
    super(args, "Dropout", ["rate", "seed", "noiseShape"]);
    if (args.noiseShape !== undefined && args.noiseShape !== null) {
      throw new Error(
        `Dropout: noiseShape is not supported (masks are drawn per value), got ${JSON.stringify(args.noiseShape)}`,
      );
    }
    const rate = args.rate;
    if (typeof rate !== "number" || !Number.isFinite(rate) || rate < 0 || rate >= 1) {
      throw new Error(`Dropout: rate must be a number in [0, 1), got ${String(rate)}`);
    }
    if (args.seed !== undefined && args.seed !== null) checkSeed("Dropout", args.seed);
    this.rate = rate;
    this.seed = args.seed ?? null;
  }

  override get statefulTraining(): boolean {
    return true;
  }

  /** An inference forward hands its input on. */
  protected override get outputUse(): BufferUse {
    return { training: true };
  }

  protected override createWeights(inputShape: readonly number[], initialize: boolean): void {
    super.createWeights(inputShape, initialize);
    this.masks = this.declareBuffer(this.width, { training: true });
  }

  forward(input: number, step: StepContext): number {
    const rows = step.rows;
    this.maskedLastForward = step.training && this.rate > 0;
    if (!this.maskedLastForward) return input;
    const kernels = getEngine().kernels;
    const count = rows * this.width;
    const mask = this.masks!.ensure(rows);
    const output = this.outputBlock(rows);
    const generator = this.maskGenerator(step);
    kernels.dropoutMask(generator.statePtr, mask, count, this.rate);
    kernels.multiplyElementwise(input, mask, output, count);
    return output;
  }

  /**
   * The generator the masks come from: the layer's own when it has a seed, else the step's (fit's `seed`
   * makes dropout reproducible), else the process-wide one.
   * NOTE: a seeded layer makes its generator on its first training forward, not in build: densa/infer's
   * forward-only module has no random kernels, and it must still load (and run) a model with a seeded Dropout.
   */
  private maskGenerator(step: StepContext): RandomGenerator {
    if (this.seed === null) return step.generator ?? globalGenerator();
    return (this.ownGenerator ??= new RandomGenerator(this.seed));
  }

  backward(outputGrad: number, step: StepContext, needInputGrad: boolean): number {
    if (!needInputGrad) return 0;
    const rows = step.rows;
    if (!this.maskedLastForward) return outputGrad;
    const inputGrad = this.inputGradBlock(rows);
    getEngine().kernels.multiplyElementwise(outputGrad, this.masks!.ptr, inputGrad, rows * this.width);
    return inputGrad;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), rate: this.rate, noiseShape: null, seed: this.seed };
  }

  protected override releaseBuffers(): void {
    this.ownGenerator?.dispose();
    this.ownGenerator = null;
  }
}

registerLayerClasses({ Dropout });
