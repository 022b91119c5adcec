import type { LayerArgs } from "./layer-args.js";
import { Merge, sameShapes } from "./merge.js";
import { registerLayerClasses } from "./registry.js";
import type { StepContext } from "./step-context.js";

/**
 * Keras's Add: the element-wise sum of its inputs (all of one shape).
 *
 * forward  y = x₀ + x₁ + …        one addElementwise call per input after the first
 * backward dxᵢ = dy                every input gets the output's gradient as it is (no copy)
 */
export class Add extends Merge {
  readonly className = "Add";

  constructor(args: LayerArgs = {}) {
    super(args, "Add");
  }

  protected mergedShape(shapes: readonly (readonly number[])[], fn: string): number[] {
    return sameShapes(this.className, shapes, fn);
  }

  /** Every input gets dy as it is. */
  protected override get gradBlockCount(): number {
    return 0;
  }

  override forwardNode(inputs: readonly number[], step: StepContext): number {
    const count = step.rows * this.outputWidth;
    const output = this.output(step.rows);
    this.kernels.addElementwise(inputs[0], inputs[1], output, count);
    for (let i = 2; i < inputs.length; i++) this.kernels.addElementwise(output, inputs[i], output, count);
    return output;
  }

  override backwardNode(outputGrad: number, _step: StepContext, needInputGrad: boolean, inputGrads: number[]): void {
    for (let i = 0; i < inputGrads.length; i++) inputGrads[i] = needInputGrad ? outputGrad : 0;
  }
}

registerLayerClasses({ Add });
