import { getEngine } from "../engine/engine.js";
import { type Initializer, type InitializerIdentifier, resolveInitializer } from "../initializers/index.js";
import { type Constraint, type ConstraintIdentifier, resolveConstraint } from "../regularizers/constraints.js";
import { type Regularizer, type RegularizerIdentifier, resolveRegularizer } from "../regularizers/regularizers.js";
import { describeValue } from "../utils/describe.js";
import { checkBoolean, checkNumber } from "../utils/options.js";
import { shapeSize } from "../utils/shape.js";
import { axisList, sampleAxis } from "./axes.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import { registerLayerClasses } from "./registry.js";
import type { RowBuffer } from "./row-buffer.js";
import { ShapePreservingLayer } from "./shape-preserving-layer.js";
import type { StepContext } from "./step-context.js";
import { Variable } from "./variable.js";

export interface BatchNormalizationArgs extends LayerArgs {
  /** The channel axis (Keras counts the batch axis: −1 is the last, 1 the first of a sample). Default −1. */
  axis?: number | readonly number[];
  momentum?: number;
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  movingMeanInitializer?: InitializerIdentifier;
  movingVarianceInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier | null;
  gammaRegularizer?: RegularizerIdentifier | null;
  betaConstraint?: ConstraintIdentifier | null;
  gammaConstraint?: ConstraintIdentifier | null;
  /** Keras 3's synchronized (across devices); only false. */
  synchronized?: false;
}

const OPTIONS = [
  "axis",
  "momentum",
  "epsilon",
  "center",
  "scale",
  "betaInitializer",
  "gammaInitializer",
  "movingMeanInitializer",
  "movingVarianceInitializer",
  "betaRegularizer",
  "gammaRegularizer",
  "betaConstraint",
  "gammaConstraint",
  "synchronized",
];

/** Per-channel work blocks, `channels` floats each, in one buffer. */
enum Block {
  Mean,
  Variance,
  InvStd,
  Scale,
  Shift,
  SumDy,
  SumDyXhat,
  U,
  V,
  Count,
}

/**
 * Keras's BatchNormalization: y = (x − mean)/√(var + ε)·γ + β per channel. While training (and trainable), mean
 * and var are the batch's (over every axis but the channel axis) and the moving statistics follow them:
 * moving = moving·momentum + batch·(1 − momentum). At inference, and in a frozen layer (trainable false, as
 * Keras 3), the moving statistics are used. Weights in Keras's order: gamma, beta, moving_mean, moving_variance.
 */
export class BatchNormalization extends ShapePreservingLayer {
  readonly className = "BatchNormalization";

  /** Updates its moving statistics in a training forward: cannot be shared between calls of a graph. */
  override get statefulTraining(): boolean {
    return true;
  }

  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;
  private gamma: Variable | null = null;
  private beta: Variable | null = null;
  private movingMean: Variable | null = null;
  private movingVariance: Variable | null = null;
  /** The sample as [before, channels, after]: outer = rows·before, inner = after. */
  private before = 1;
  private channels = 0;
  private after = 1;
  private perChannel: RowBuffer | null = null;
  /** Where the per-channel blocks start this step (set by forward, read by the backward of the same step). */
  private blocks = 0;
  private lastInput = 0;
  private lastMean = 0;
  private usedBatchStatistics = false;

  constructor(args: BatchNormalizationArgs = {}) {
    super(checkArgsObject("BatchNormalization", args, "an options object"), "BatchNormalization", OPTIONS);
    const fn = "BatchNormalization";
    const axes = axisList(args.axis ?? -1, `${fn}: axis`);
    // NOTE: Keras 2 saves axis as a list ([1] for 2-D inputs: the last axis); Keras 3 takes one integer.
    if (axes.length !== 1) throw new Error(`${fn}: axis must be one channel axis, got ${describeValue(args.axis)}`);
    if (axes[0] === 0)
      throw new Error(`${fn}: axis 0 is the batch axis; give the channel axis (−1 for the last), got 0`);
    this.axis = axes[0];
    this.momentum = checkNumber(fn, "momentum", args.momentum ?? 0.99, { min: 0, max: 1 });
    this.epsilon = checkNumber(fn, "epsilon", args.epsilon ?? 1e-3, { min: 0, minExclusive: true });
    this.center = checkBoolean(fn, "center", args.center ?? true);
    this.scale = checkBoolean(fn, "scale", args.scale ?? true);
    if (args.synchronized !== undefined && args.synchronized !== false) {
      throw new Error(
        `${fn}: synchronized must be false (densa trains on one device), got ${describeValue(args.synchronized)}`,
      );
    }
    this.betaInitializer = resolveInitializer(args.betaInitializer ?? "zeros", `${fn}: betaInitializer`);
    this.gammaInitializer = resolveInitializer(args.gammaInitializer ?? "ones", `${fn}: gammaInitializer`);
    this.movingMeanInitializer = resolveInitializer(
      args.movingMeanInitializer ?? "zeros",
      `${fn}: movingMeanInitializer`,
    );
    this.movingVarianceInitializer = resolveInitializer(
      args.movingVarianceInitializer ?? "ones",
      `${fn}: movingVarianceInitializer`,
    );
    this.betaRegularizer = resolveRegularizer(args.betaRegularizer, `${fn}: betaRegularizer`);
    this.gammaRegularizer = resolveRegularizer(args.gammaRegularizer, `${fn}: gammaRegularizer`);
    this.betaConstraint = resolveConstraint(args.betaConstraint, `${fn}: betaConstraint`);
    this.gammaConstraint = resolveConstraint(args.gammaConstraint, `${fn}: gammaConstraint`);
  }

  override computeOutputShape(inputShape: readonly number[]): number[] {
    sampleAxis(this.axis, inputShape.length, `${this.name}: axis`);
    return [...inputShape];
  }

  protected override createWeights(inputShape: readonly number[], initialize: boolean): void {
    super.createWeights(inputShape, initialize);
    const axis = sampleAxis(this.axis, inputShape.length, `${this.name}: axis`);
    this.before = shapeSize(inputShape.slice(0, axis));
    this.channels = inputShape[axis];
    this.after = shapeSize(inputShape, axis + 1);
    const shape = [this.channels];
    const add = (
      name: string,
      trainable: boolean,
      initializer: Initializer,
      regularizer: Regularizer | null = null,
      constraint: Constraint | null = null,
    ) => {
      const variable = new Variable(`${this.name}/${name}`, shape, trainable, regularizer, constraint);
      this.variables.push(variable);
      if (initialize) initializer.fill(variable.ptr, shape);
      return variable;
    };
    if (this.scale) this.gamma = add("gamma", true, this.gammaInitializer, this.gammaRegularizer, this.gammaConstraint);
    if (this.center) this.beta = add("beta", true, this.betaInitializer, this.betaRegularizer, this.betaConstraint);
    this.movingMean = add("moving_mean", false, this.movingMeanInitializer);
    this.movingVariance = add("moving_variance", false, this.movingVarianceInitializer);
    // NOTE: written by every forward (the coefficients) and read by the backward of the same step.
    this.perChannel = this.declareBuffer(this.channels * Block.Count, { perStep: true, keptForBackward: true });
  }

  private block(which: Block): number {
    return this.blocks + which * this.channels * 4;
  }

  forward(input: number, step: StepContext): number {
    const rows = step.rows;
    const training = step.training;
    const kernels = getEngine().kernels;
    this.blocks = this.perChannel!.ensure(1);
    const output = this.outputBlock(rows);
    const outer = rows * this.before;
    // NOTE: Keras 3 normalizes with the batch statistics only when training *and* trainable: a frozen
    // BatchNormalization (fine-tuning) runs in inference mode and leaves its moving statistics alone.
    this.usedBatchStatistics = training && this.trainable;
    let mean = this.movingMean!.ptr;
    let variance = this.movingVariance!.ptr;
    if (this.usedBatchStatistics) {
      mean = this.block(Block.Mean);
      variance = this.block(Block.Variance);
      kernels.batchNormMoments(outer, this.channels, this.after, input, mean, variance);
      kernels.movingAverageUpdate(this.channels, this.movingMean!.ptr, mean, this.momentum);
      kernels.movingAverageUpdate(this.channels, this.movingVariance!.ptr, variance, this.momentum);
    }
    kernels.batchNormCoefficients(
      this.channels,
      variance,
      this.gamma?.ptr ?? 0,
      this.beta?.ptr ?? 0,
      this.epsilon,
      this.block(Block.InvStd),
      this.block(Block.Scale),
      this.block(Block.Shift),
    );
    kernels.batchNormForward(
      outer,
      this.channels,
      this.after,
      input,
      mean,
      this.block(Block.Scale),
      this.block(Block.Shift),
      output,
    );
    this.lastInput = input;
    this.lastMean = mean;
    return output;
  }

  backward(outputGrad: number, step: StepContext, needInputGrad: boolean): number {
    const rows = step.rows;
    const updates = this.trainable;
    if (!updates && !needInputGrad) return 0;
    const inputGrad = needInputGrad ? this.inputGradBlock(rows) : 0;
    // γ's gradient is Σ dy·x̂ and β's Σ dy: the kernel writes those sums straight into the gradient blocks.
    const sumDy = updates && this.beta ? this.beta.grad : this.block(Block.SumDy);
    const sumDyXhat = updates && this.gamma ? this.gamma.grad : this.block(Block.SumDyXhat);
    getEngine().kernels.batchNormBackward(
      rows * this.before,
      this.channels,
      this.after,
      this.lastInput,
      outputGrad,
      this.lastMean,
      this.block(Block.InvStd),
      this.block(Block.Scale),
      sumDy,
      sumDyXhat,
      this.block(Block.U),
      this.block(Block.V),
      inputGrad,
      this.usedBatchStatistics ? 1 : 0,
    );
    return inputGrad;
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: this.betaInitializer.getConfig(),
      gammaInitializer: this.gammaInitializer.getConfig(),
      movingMeanInitializer: this.movingMeanInitializer.getConfig(),
      movingVarianceInitializer: this.movingVarianceInitializer.getConfig(),
      betaRegularizer: this.betaRegularizer?.getConfig() ?? null,
      gammaRegularizer: this.gammaRegularizer?.getConfig() ?? null,
      betaConstraint: this.betaConstraint?.getConfig() ?? null,
      gammaConstraint: this.gammaConstraint?.getConfig() ?? null,
    };
  }

  protected override releaseBuffers(): void {
    this.perChannel = null;
    this.blocks = 0;
  }
}

registerLayerClasses({ BatchNormalization });
