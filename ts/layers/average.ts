import type { LayerArgs } from "./layer-args.js";
import { Merge, sameShapes } from "./merge.js";
import { registerLayerClasses } from "./registry.js";
import type { StepContext } from "./step-context.js";

/**
 * Keras's Average: (x₀ + x₁ + …) / n, as Keras computes it (sum first, then one division by n).
 *
 * forward  y = (Σ xᵢ) · (1/n)      addElementwise per input, one scaleElementwise
 * backward dxᵢ = dy / n            one scaleElementwise, the block shared by every input
 */
export class Average extends Merge {
  readonly className = "Average";

  constructor(args: LayerArgs = {}) {
    super(args, "Average");
  }

  protected mergedShape(shapes: readonly (readonly number[])[], fn: string): number[] {
    return sameShapes(this.className, shapes, fn);
  }

  /** Every input gets the same dy / n: one block. */
  protected override get gradBlockCount(): number {
    return 1;
  }

  override forwardNode(inputs: readonly number[], step: StepContext): number {
    const count = step.rows * this.outputWidth;
    const output = this.output(step.rows);
    this.kernels.addElementwise(inputs[0], inputs[1], output, count);
    for (let i = 2; i < inputs.length; i++) this.kernels.addElementwise(output, inputs[i], output, count);
    this.kernels.scaleElementwise(output, 1 / inputs.length, output, count);
    return output;
  }

  override backwardNode(outputGrad: number, step: StepContext, needInputGrad: boolean, inputGrads: number[]): void {
    const shared = needInputGrad ? this.gradBlock(0, step.rows) : 0;
    if (needInputGrad)
      this.kernels.scaleElementwise(outputGrad, 1 / inputGrads.length, shared, step.rows * this.outputWidth);
    for (let i = 0; i < inputGrads.length; i++) inputGrads[i] = shared;
  }
}

registerLayerClasses({ Average });
