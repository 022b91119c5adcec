import type { LayerArgs } from "./layer-args.js";
import { Merge, sameShapes } from "./merge.js";
import { registerLayerClasses } from "./registry.js";
import type { StepContext } from "./step-context.js";

/**
 * Keras's Subtract: x₀ − x₁ (exactly two inputs of one shape).
 *
 * forward  y = x₀ − x₁             one subtractElementwise call
 * backward dx₀ = dy, dx₁ = −dy     one scaleElementwise call
 */
export class Subtract extends Merge {
  readonly className = "Subtract";

  constructor(args: LayerArgs = {}) {
    super(args, "Subtract");
  }

  protected override get exactInputs(): number {
    return 2;
  }

  protected mergedShape(shapes: readonly (readonly number[])[], fn: string): number[] {
    return sameShapes(this.className, shapes, fn);
  }

  /** dx₀ = dy as it is; one block for dx₁ = −dy. */
  protected override get gradBlockCount(): number {
    return 1;
  }

  override forwardNode(inputs: readonly number[], step: StepContext): number {
    const output = this.output(step.rows);
    this.kernels.subtractElementwise(inputs[0], inputs[1], output, step.rows * this.outputWidth);
    return output;
  }

  override backwardNode(outputGrad: number, step: StepContext, needInputGrad: boolean, inputGrads: number[]): void {
    if (!needInputGrad) {
      inputGrads[0] = inputGrads[1] = 0;
      return;
    }
    const negated = this.gradBlock(0, step.rows);
    this.kernels.scaleElementwise(outputGrad, -1, negated, step.rows * this.outputWidth);
    inputGrads[0] = outputGrad;
    inputGrads[1] = negated;
  }
}

registerLayerClasses({ Subtract });
