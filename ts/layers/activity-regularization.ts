import { getEngine } from "../engine/engine.js";
import { Regularizer } from "../regularizers/regularizers.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import { registerLayerClasses } from "./registry.js";
import { ShapePreservingLayer } from "./shape-preserving-layer.js";
import type { StepContext } from "./step-context.js";

export interface ActivityRegularizationArgs extends LayerArgs {
  l1?: number;
  l2?: number;
}

/**
 * Keras's ActivityRegularization: passes its input on and adds l1·Σ|x| + l2·Σx² of the batch's values to the
 * loss (Keras 3: not divided by the batch size); the backward adds the penalty's gradient to the upstream one.
 */
export class ActivityRegularization extends ShapePreservingLayer {
  readonly className = "ActivityRegularization";
  readonly l1: number;
  readonly l2: number;
  readonly activityRegularizer: Regularizer;
  private lastInput = 0;

  constructor(args: ActivityRegularizationArgs = {}) {
    super(checkArgsObject("ActivityRegularization", args, "an options object"), "ActivityRegularization", ["l1", "l2"]);
    this.activityRegularizer = new Regularizer({ l1: args.l1 ?? 0, l2: args.l2 ?? 0 }, "ActivityRegularization");
    this.l1 = this.activityRegularizer.l1;
    this.l2 = this.activityRegularizer.l2;
  }

  /** The forward hands its input on. */
  protected override get outputUse(): null {
    return null;
  }

  forward(input: number, _step: StepContext): number {
    this.lastInput = input;
    return input;
  }

  /** The penalty of the last forward's samples (what the loss adds; see Dense.activityPenalty). */
  override activityPenalty(step: StepContext): number {
    return this.activityRegularizer.penalty(this.lastInput, step.rows * this.width);
  }

  /**
   * The upstream gradient plus the penalty's. NOTE: into a block of its own: outputGrad belongs to the layer
   * after this one (a merge may hand the same block to several layers).
   */
  backward(outputGrad: number, step: StepContext, needInputGrad: boolean): number {
    if (!needInputGrad) return 0;
    const count = step.rows * this.width;
    const grad = this.inputGradBlock(step.rows);
    getEngine().f32.copyWithin(grad >>> 2, outputGrad >>> 2, (outputGrad >>> 2) + count);
    this.activityRegularizer.addGradient(this.lastInput, grad, count);
    return grad;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), l1: this.l1, l2: this.l2 };
  }
}

registerLayerClasses({ ActivityRegularization });
