import { globalGenerator, RandomGenerator } from "../engine/random.js";
import { checkSeed } from "../utils/options.js";
import { shapeSize } from "../utils/shape.js";
import { Layer } from "./layer.js";
import type { LayerArgs, LayerConfig } from "./layer-args.js";
import { RowBuffer } from "./row-buffer.js";
import type { StepContext } from "./step-context.js";

/**
 * What GaussianNoise, GaussianDropout and AlphaDropout share: active only while training, seeded draws from densa's
 * generator kernels (the same bits in every runtime), a noise block per batch and the backward's buffer.
 */
export abstract class NoiseLayer extends Layer {
  readonly seed: number | null;
  private ownGenerator: RandomGenerator | null = null;
  protected width = 0;
  protected noise: RowBuffer | null = null;
  protected outputs: RowBuffer | null = null;
  protected inputGrads: RowBuffer | null = null;
  /** Whether the last forward added noise (training with a non-zero rate or stddev). */
  protected noisyLastForward = false;

  constructor(args: LayerArgs & { seed?: number | null }, className: string, options: readonly string[]) {
    super(args, className, [...options, "seed"]);
    if (args.seed !== undefined && args.seed !== null) checkSeed(className, args.seed);
    this.seed = args.seed ?? null;
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }

  protected override createWeights(inputShape: readonly number[]): void {
    this.width = shapeSize(inputShape);
    this.noise = new RowBuffer(this.width);
    this.outputs = new RowBuffer(this.width);
  }

  /** Draws random numbers in a training forward: cannot be shared between calls of a graph. */
  override get statefulTraining(): boolean {
    return true;
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

  protected inputGradBlock(rows: number): number {
    return (this.inputGrads ??= new RowBuffer(this.width)).ensure(rows);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), seed: this.seed };
  }

  protected override releaseBuffers(): void {
    this.noise?.dispose();
    this.outputs?.dispose();
    this.inputGrads?.dispose();
    this.ownGenerator?.dispose();
    this.ownGenerator = null;
  }
}
