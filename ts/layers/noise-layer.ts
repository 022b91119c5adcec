import { getEngine } from "../engine/engine.js";
import { globalGenerator, RandomGenerator } from "../engine/random.js";
import { checkSeed } from "../utils/options.js";
import type { LayerArgs, LayerConfig } from "./layer-args.js";
import type { BufferUse, RowBuffer } from "./row-buffer.js";
import { ShapePreservingLayer } from "./shape-preserving-layer.js";
import type { StepContext } from "./step-context.js";

/**
 * What GaussianNoise, GaussianDropout and AlphaDropout share: active only while training (an inference forward
 * hands its input on), seeded draws from densa's generator kernels (the same bits in every runtime) into a noise
 * block per batch, and the backward: the gradient times the noise for the multiplicative kinds (a mask), the
 * gradient as it is for additive noise.
 *
 *   forward   training and active: noise ~ draw(generator), y = combine(x, noise)    else y = x
 *   backward  noisy forward and multiplicative: dx = dy ⊙ noise                     else dx = dy
 */
export abstract class NoiseLayer extends ShapePreservingLayer {
  readonly seed: number | null;
  private ownGenerator: RandomGenerator | null = null;
  protected noise: RowBuffer | null = null;
  /** Whether the last forward added noise (training with a non-zero rate or stddev). */
  private noisyLastForward = false;

  constructor(args: LayerArgs & { seed?: number | null }, className: string, options: readonly string[]) {
    super(args, className, [...options, "seed"]);
    if (args.seed !== undefined && args.seed !== null) checkSeed(className, args.seed);
    this.seed = args.seed ?? null;
  }

  /** Whether a training forward changes anything (a rate or stddev above 0). */
  protected abstract get active(): boolean;

  /** Whether the noise multiplies the input (its backward multiplies the gradient by it) or is added. */
  protected abstract get multiplicative(): boolean;

  /** Draws `count` values into `noise` from `generator` and writes the noisy input to `output`. */
  protected abstract applyNoise(input: number, output: number, noise: number, count: number, generator: number): void;

  protected override get outputUse(): BufferUse {
    return { training: true };
  }

  protected override get inputGradUse(): BufferUse | null {
    return this.multiplicative ? { inputGradient: true } : null;
  }

  protected override createWeights(inputShape: readonly number[], initialize: boolean): void {
    super.createWeights(inputShape, initialize);
    this.noise = this.declareBuffer(this.width, { training: true });
  }

  /** Draws random numbers in a training forward: cannot be shared between calls of a graph. */
  override get statefulTraining(): boolean {
    return true;
  }

  forward(input: number, step: StepContext): number {
    this.noisyLastForward = step.training && this.active;
    if (!this.noisyLastForward) return input;
    const rows = step.rows;
    const output = this.outputBlock(rows);
    this.applyNoise(input, output, this.noise!.ensure(rows), rows * this.width, this.generator(step).statePtr);
    return output;
  }

  backward(outputGrad: number, step: StepContext, needInputGrad: boolean): number {
    if (!needInputGrad) return 0;
    if (!this.noisyLastForward || !this.multiplicative) return outputGrad;
    const rows = step.rows;
    const inputGrad = this.inputGradBlock(rows);
    getEngine().kernels.multiplyElementwise(outputGrad, this.noise!.ptr, inputGrad, rows * this.width);
    return inputGrad;
  }

  /**
   * The generator of a training forward: the layer's own when it has a seed, else the step's (fit's seed), else
   * the process-wide one.
   * NOTE: made on the first training forward, not in build: densa/infer's module has no random kernels.
   */
  protected generator(step: StepContext): RandomGenerator {
    if (this.seed === null) return step.generator ?? globalGenerator();
    return (this.ownGenerator ??= new RandomGenerator(this.seed));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), seed: this.seed };
  }

  protected override releaseBuffers(): void {
    this.ownGenerator?.dispose();
    this.ownGenerator = null;
  }
}
