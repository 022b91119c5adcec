import { getEngine } from "../engine/engine.js";
import { type TensorLike, tensor } from "../tensor.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import { registerLayerClasses } from "./registry.js";
import { ShapePreservingLayer } from "./shape-preserving-layer.js";
import type { StepContext } from "./step-context.js";
import { Variable } from "./variable.js";

export interface NormalizationArgs extends LayerArgs {
  /** Only the last axis (-1) is supported: one mean and variance per feature. */
  axis?: number;
  mean?: number | readonly number[] | null;
  variance?: number | readonly number[] | null;
  /** Keras's invert; only false (the default) is supported. */
  invert?: false;
}

/** Keras's backend.epsilon(), the floor of the standard deviation. */
const EPSILON = 1e-7;

/**
 * Keras's Normalization preprocessing layer: y = (x − mean) / max(sqrt(variance), ε) per feature, with mean
 * and variance given up front or learned by adapt(data). Both are non-trainable weights, saved with the model.
 */
export class Normalization extends ShapePreservingLayer {
  readonly className = "Normalization";
  readonly axis = -1;
  private readonly givenMean: number | readonly number[] | null;
  private readonly givenVariance: number | readonly number[] | null;
  private mean: Variable | null = null;
  private variance: Variable | null = null;
  /** max(sqrt(variance), ε) per feature, recomputed when the variance is written (build, adapt, setWeights, load). */
  private divisor = 0;
  /** The variance's version the divisor was computed from; -1: not yet. */
  private divisorVersion = -1;

  constructor(args: NormalizationArgs = {}) {
    super(checkArgsObject("Normalization", args, "an options object"), "Normalization", [
      "axis",
      "mean",
      "variance",
      "invert",
    ]);
    if (args.invert !== undefined && args.invert !== false) {
      throw new Error(`Normalization: invert is not supported, got ${JSON.stringify(args.invert)}`);
    }
    if (args.axis !== undefined && args.axis !== -1) {
      throw new Error(`Normalization: only axis -1 (per feature) is supported, got ${String(args.axis)}`);
    }
    if ((args.mean == null) !== (args.variance == null)) {
      throw new Error("Normalization: give both mean and variance, or neither (and call adapt)");
    }
    this.givenMean = args.mean ?? null;
    this.givenVariance = args.variance ?? null;
  }

  private get features(): number {
    return this.mean!.size;
  }

  protected override createWeights(inputShape: readonly number[], initialize: boolean): void {
    const features = inputShape[inputShape.length - 1];
    // NOTE: check the given statistics before allocating, so a bad one leaves nothing behind.
    const means = broadcast(this.givenMean ?? 0, features, "mean");
    const variances = broadcast(this.givenVariance ?? 1, features, "variance");
    super.createWeights(inputShape, initialize);
    this.mean = new Variable(`${this.name}/mean`, [features], false);
    this.variance = new Variable(`${this.name}/variance`, [features], false);
    this.variables.push(this.mean, this.variance);
    this.divisor = getEngine().allocF32(features);
    this.mean.write(means);
    this.variance.write(variances);
  }

  /** Learns each feature's mean and (population) variance from `data`, as Keras's adapt. */
  adapt(data: TensorLike): void {
    const values = tensor(data);
    if (values.rank < 2 || values.shape[0] === 0) {
      throw new Error(
        `Normalization.adapt: data must be samples × features with at least one sample, got shape [${values.shape.join(", ")}]`,
      );
    }
    const features = values.shape[values.rank - 1];
    if (this.built && features !== this.features) {
      throw new Error(
        `Normalization.adapt: data has ${features} features but the layer was built for ${this.features}`,
      );
    }
    const rows = values.size / features;
    // NOTE: float64 sums in JS are plain IEEE arithmetic, so adapt gives the same bits in every runtime.
    const sums = new Float64Array(features);
    for (let i = 0; i < values.size; i++) {
      const value = values.data[i];
      if (!Number.isFinite(value))
        throw new Error(`Normalization.adapt: data must be finite, got ${value} at index ${i}`);
      sums[i % features] += value;
    }
    const means = sums.map((sum) => sum / rows);
    const squares = new Float64Array(features);
    for (let i = 0; i < values.size; i++) squares[i % features] += (values.data[i] - means[i % features]) ** 2;
    if (!this.built) this.build(values.shape.slice(1));
    this.mean!.write(Float32Array.from(means));
    this.variance!.write(Float32Array.from(squares, (square) => square / rows));
  }

  /**
   * NOTE: the variance changes only through Variable.write (the optimizer never updates a non-trainable
   * weight), so comparing its version keeps the per-step path free of views and O(features) JS work.
   */
  private refreshDivisor(): void {
    const engine = getEngine();
    const variance = engine.view(this.variance!.ptr, this.features);
    const divisor = engine.view(this.divisor, this.features);
    for (let i = 0; i < this.features; i++) divisor[i] = Math.max(Math.sqrt(variance[i]), EPSILON);
    this.divisorVersion = this.variance!.version;
  }

  forward(input: number, step: StepContext): number {
    const rows = step.rows;
    if (this.variance!.version !== this.divisorVersion) this.refreshDivisor();
    const output = this.outputBlock(rows);
    const features = this.features;
    const sampleRows = (rows * this.width) / features;
    getEngine().kernels.subtractDivideColumns(sampleRows, features, input, this.mean!.ptr, this.divisor, output);
    return output;
  }

  backward(outputGrad: number, step: StepContext, needInputGrad: boolean): number {
    if (!needInputGrad) return 0;
    const rows = step.rows;
    const inputGrad = this.inputGradBlock(rows);
    const sampleRows = (rows * this.width) / this.features;
    getEngine().kernels.divideColumns(sampleRows, this.features, outputGrad, this.divisor, inputGrad);
    return inputGrad;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: this.axis, mean: null, variance: null, invert: false };
  }

  protected override releaseBuffers(): void {
    if (this.divisor) getEngine().free(this.divisor);
    this.divisor = 0;
  }
}

function broadcast(value: number | readonly number[], features: number, argument: string): Float32Array {
  const values = typeof value === "number" ? new Array<number>(features).fill(value) : [...value];
  if (values.length !== features || !values.every((item) => typeof item === "number" && Number.isFinite(item))) {
    throw new Error(
      `Normalization: ${argument} must be a finite number or ${features} finite numbers, got ${JSON.stringify(value)}`,
    );
  }
  if (argument === "variance" && values.some((item) => item < 0)) {
    throw new Error(`Normalization: variance must be >= 0, got ${JSON.stringify(value)}`);
  }
  return Float32Array.from(values);
}

registerLayerClasses({ Normalization });
