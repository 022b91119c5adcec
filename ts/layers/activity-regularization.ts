import { Regularizer } from "../regularizers/regularizers.js";
import { shapeSize } from "../utils/shape.js";
import { checkArgsObject, Layer, type LayerArgs, type LayerConfig } from "./layer.js";

export interface ActivityRegularizationArgs extends LayerArgs {
  l1?: number;
  l2?: number;
}

/**
 * Keras's ActivityRegularization: passes its input on and adds l1·Σ|x| + l2·Σx² of the batch's values to the
 * loss (Keras 3: not divided by the batch size); the backward adds the penalty's gradient to the upstream one.
 */
export class ActivityRegularization extends Layer {
  readonly className = "ActivityRegularization";
  readonly l1: number;
  readonly l2: number;
  readonly activityRegularizer: Regularizer;
  private width = 0;
  private lastInput = 0;

  constructor(args: ActivityRegularizationArgs = {}) {
    super(checkArgsObject("ActivityRegularization", args, "an options object"), "ActivityRegularization", ["l1", "l2"]);
    this.activityRegularizer = new Regularizer({ l1: args.l1 ?? 0, l2: args.l2 ?? 0 }, "ActivityRegularization");
    this.l1 = this.activityRegularizer.l1;
    this.l2 = this.activityRegularizer.l2;
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }

  protected override createWeights(inputShape: readonly number[]): void {
    this.width = shapeSize(inputShape);
  }

  forward(input: number): number {
    this.lastInput = input;
    return input;
  }

  /** The penalty of the last forward's `rows` samples (what the loss adds; see Dense.activityPenalty). */
  activityPenalty(rows: number): number {
    return this.activityRegularizer.penalty(this.lastInput, rows * this.width);
  }

  /** NOTE: adds the penalty's gradient into the upstream gradient block in place, as Dense's activity regularizer does. */
  backward(outputGrad: number, rows: number, needInputGrad: boolean): number {
    if (!needInputGrad) return 0;
    this.activityRegularizer.addGradient(this.lastInput, outputGrad, rows * this.width);
    return outputGrad;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), l1: this.l1, l2: this.l2 };
  }
}
