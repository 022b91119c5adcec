import { getEngine } from "../engine/engine.js";
import { type Initializer, type InitializerIdentifier, resolveInitializer } from "../initializers/index.js";
import { type Constraint, type ConstraintIdentifier, resolveConstraint } from "../regularizers/constraints.js";
import { type Regularizer, type RegularizerIdentifier, resolveRegularizer } from "../regularizers/regularizers.js";
import { shapeSize } from "../utils/shape.js";
import { axisList, sampleAxis } from "./axes.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import { registerLayerClasses } from "./registry.js";
import { ShapePreservingLayer } from "./shape-preserving-layer.js";
import type { StepContext } from "./step-context.js";
import { Variable } from "./variable.js";

export interface PReLUArgs extends LayerArgs {
  /** Default zeros (a plain relu to start with). */
  alphaInitializer?: InitializerIdentifier;
  alphaRegularizer?: RegularizerIdentifier | null;
  alphaConstraint?: ConstraintIdentifier | null;
  /** Axes (Keras counts the batch axis: 1 is a sample's first) along which one alpha is shared, e.g. [1, 2]. */
  sharedAxes?: number | readonly number[] | null;
}

/**
 * Keras's PReLU: y = x for x > 0, alpha·x otherwise, with a trainable alpha per value of a sample (of the input
 * shape with the shared axes set to 1).
 */
export class PReLU extends ShapePreservingLayer {
  readonly className = "PReLU";
  readonly alphaInitializer: Initializer;
  readonly alphaRegularizer: Regularizer | null;
  readonly alphaConstraint: Constraint | null;
  readonly sharedAxes: number[] | null;
  private alpha: Variable | null = null;
  /** With shared axes: the alpha index of each value of a sample (i32), and alpha expanded to one per value. */
  private alphaIndex = 0;
  private expandedAlpha = 0;
  private expandedGrad = 0;
  private lastInput = 0;

  constructor(args: PReLUArgs = {}) {
    super(checkArgsObject("PReLU", args, "an options object"), "PReLU", [
      "alphaInitializer",
      "alphaRegularizer",
      "alphaConstraint",
      "sharedAxes",
    ]);
    this.alphaInitializer = resolveInitializer(args.alphaInitializer ?? "zeros", "PReLU: alphaInitializer");
    this.alphaRegularizer = resolveRegularizer(args.alphaRegularizer, "PReLU: alphaRegularizer");
    this.alphaConstraint = resolveConstraint(args.alphaConstraint, "PReLU: alphaConstraint");
    this.sharedAxes =
      args.sharedAxes === undefined || args.sharedAxes === null ? null : axisList(args.sharedAxes, "PReLU: sharedAxes");
  }

  override computeOutputShape(inputShape: readonly number[]): number[] {
    for (const axis of this.sharedAxes ?? []) sampleAxis(axis, inputShape.length, `${this.name}: sharedAxes`);
    return [...inputShape];
  }

  protected override createWeights(inputShape: readonly number[], initialize: boolean): void {
    super.createWeights(inputShape, initialize);
    const shared = new Set(
      (this.sharedAxes ?? []).map((axis) => sampleAxis(axis, inputShape.length, `${this.name}: sharedAxes`)),
    );
    const alphaShape = inputShape.map((dim, axis) => (shared.has(axis) ? 1 : dim));
    this.alpha = new Variable(`${this.name}/alpha`, alphaShape, true, this.alphaRegularizer, this.alphaConstraint);
    this.variables.push(this.alpha);
    if (initialize) this.alphaInitializer.fill(this.alpha.ptr, alphaShape);
    if (shared.size === 0) return;
    // NOTE: build-time JS (once): the alpha index of each position of a sample, by its multi-index.
    const engine = getEngine();
    const alphaStrides = alphaShape.map((_, axis) => shapeSize(alphaShape, axis + 1));
    const index = new Int32Array(this.width);
    for (let flat = 0; flat < this.width; flat++) {
      let rest = flat;
      let at = 0;
      for (let axis = 0; axis < inputShape.length; axis++) {
        const stride = shapeSize(inputShape, axis + 1);
        const coordinate = Math.floor(rest / stride);
        rest -= coordinate * stride;
        if (!shared.has(axis)) at += coordinate * alphaStrides[axis];
      }
      index[flat] = at;
    }
    this.alphaIndex = engine.alloc(this.width * 4);
    engine.i32.set(index, this.alphaIndex >>> 2);
    this.expandedAlpha = engine.allocF32(this.width);
    this.expandedGrad = engine.allocF32(this.width);
  }

  /** Alpha with one value per position of a sample (itself when nothing is shared). */
  private perPositionAlpha(): number {
    if (!this.alphaIndex) return this.alpha!.ptr;
    getEngine().kernels.expandByIndex(this.width, this.alphaIndex, this.alpha!.ptr, this.expandedAlpha);
    return this.expandedAlpha;
  }

  forward(input: number, step: StepContext): number {
    const rows = step.rows;
    const output = this.outputBlock(rows);
    getEngine().kernels.preluForward(rows, this.width, input, this.perPositionAlpha(), output);
    this.lastInput = input;
    return output;
  }

  backward(outputGrad: number, step: StepContext, needInputGrad: boolean): number {
    const rows = step.rows;
    if (!this.trainable && !needInputGrad) return 0;
    const kernels = getEngine().kernels;
    const inputGrad = needInputGrad ? this.inputGradBlock(rows) : 0;
    const alpha = this.alphaIndex ? this.expandedAlpha : this.alpha!.ptr;
    // NOTE: α's gradient comes out of the same pass as dx; a frozen layer writes it to a scratch block.
    const perPosition = this.alphaIndex !== 0 || !this.trainable;
    if (perPosition && !this.expandedGrad) this.expandedGrad = getEngine().allocF32(this.width);
    const alphaGrad = perPosition ? this.expandedGrad : this.alpha!.grad;
    kernels.preluBackward(rows, this.width, this.lastInput, outputGrad, alpha, inputGrad, alphaGrad);
    if (this.alphaIndex && this.trainable)
      kernels.sumByIndex(this.width, this.alphaIndex, this.expandedGrad, this.alpha!.size, this.alpha!.grad);
    return inputGrad;
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      alphaInitializer: this.alphaInitializer.getConfig(),
      alphaRegularizer: this.alphaRegularizer?.getConfig() ?? null,
      alphaConstraint: this.alphaConstraint?.getConfig() ?? null,
      sharedAxes: this.sharedAxes ? [...this.sharedAxes] : null,
    };
  }

  protected override releaseBuffers(): void {
    const engine = getEngine();
    for (const ptr of [this.alphaIndex, this.expandedAlpha, this.expandedGrad]) if (ptr) engine.free(ptr);
    this.alphaIndex = this.expandedAlpha = this.expandedGrad = 0;
  }
}

registerLayerClasses({ PReLU });
