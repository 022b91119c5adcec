import { globalGenerator, RandomGenerator } from "../engine/random.js";
import { checkSeed } from "../utils/options.js";
import { shapeSize } from "../utils/shape.js";
import { Layer, type LayerArgs, type LayerConfig } from "./layer.js";
import { RowBuffer } from "./row-buffer.js";

/**
 * What GaussianNoise, GaussianDropout and AlphaDropout share: active only while training, seeded draws from densa's
 * generator kernels (the same bits in every runtime), a noise block per batch and the backward's buffer.
 */
export abstract class NoiseLayer extends Layer {
  readonly seed: number | null;
  /**
   * The generator an unseeded layer draws from while training: set by whoever runs the step (as Dropout's), else
   * the process-wide one. A layer with a seed draws from its own.
   */
  trainingGenerator: RandomGenerator | null = null;
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

  /** NOTE: made on the first training forward, not in build: densa/infer's module has no random kernels. */
  protected generator(): RandomGenerator {
    if (this.seed === null) return this.trainingGenerator ?? globalGenerator();
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
