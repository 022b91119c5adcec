import type { LayerArgs } from "./layer-args.js";
import { Merge, sameShapes } from "./merge.js";
import { registerLayerClasses } from "./registry.js";
import type { StepContext } from "./step-context.js";

/**
 * Keras's Multiply: the element-wise product of its inputs (all of one shape).
 *
 * forward  y = x₀ · x₁ · …                  multiplyElementwise per input after the first
 * backward dxᵢ = dy · Π_{j≠i} xⱼ            n − 1 multiplyElementwise calls per input
 */
export class Multiply extends Merge {
  readonly className = "Multiply";
  private lastInputs: number[] = [];

  constructor(args: LayerArgs = {}) {
    super(args, "Multiply");
  }

  protected mergedShape(shapes: readonly (readonly number[])[], fn: string): number[] {
    return sameShapes(this.className, shapes, fn);
  }

  override forwardNode(inputs: readonly number[], step: StepContext): number {
    const count = step.rows * this.outputWidth;
    const output = this.output(step.rows);
    this.kernels.multiplyElementwise(inputs[0], inputs[1], output, count);
    for (let i = 2; i < inputs.length; i++) this.kernels.multiplyElementwise(output, inputs[i], output, count);
    if (this.lastInputs.length !== inputs.length) this.lastInputs = new Array<number>(inputs.length).fill(0);
    for (let i = 0; i < inputs.length; i++) this.lastInputs[i] = inputs[i];
    return output;
  }

  override backwardNode(outputGrad: number, step: StepContext, needInputGrad: boolean, inputGrads: number[]): void {
    const count = step.rows * this.outputWidth;
    for (let i = 0; i < inputGrads.length; i++) {
      if (!needInputGrad) {
        inputGrads[i] = 0;
        continue;
      }
      const grad = this.gradBlock(i, step.rows);
      let first = true;
      for (let j = 0; j < this.lastInputs.length; j++) {
        if (j === i) continue;
        this.kernels.multiplyElementwise(first ? outputGrad : grad, this.lastInputs[j], grad, count);
        first = false;
      }
      inputGrads[i] = grad;
    }
  }
}

registerLayerClasses({ Multiply });
