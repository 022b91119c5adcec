import { getEngine } from "../engine/engine.js";
import { Merge, sameShapes } from "./merge.js";
import type { RowBuffer } from "./row-buffer.js";
import type { StepContext } from "./step-context.js";

/**
 * Maximum and Minimum: the element-wise extremum of the inputs, taken pairwise in input order as Keras does.
 *
 * forward  y = ext(ext(x₀, x₁), x₂) …        extremumElementwise per input after the first
 * backward dxᵢ = dy where xᵢ is the first input equal to y, else 0   (TensorFlow's pairwise gradients give
 *          a tie to the earlier input)  — claimExtremumGradient per input, over a copy of dy
 */
export abstract class ExtremumMerge extends Merge {
  protected abstract readonly takeMax: boolean;
  private lastInputs: number[] = [];
  private remaining: RowBuffer | null = null;

  protected mergedShape(shapes: readonly (readonly number[])[], fn: string): number[] {
    return sameShapes(this.className, shapes, fn);
  }

  override buildFor(shapes: readonly (readonly number[])[], fn: string, initialize = true): void {
    const built = this.built;
    super.buildFor(shapes, fn, initialize);
    // NOTE: the copy of dy that each input's claim takes its share from: scratch of one backward call.
    if (!built) this.remaining = this.declareBuffer(this.outputWidth, { training: true, scratch: true });
  }

  override forwardNode(inputs: readonly number[], step: StepContext): number {
    const count = step.rows * this.outputWidth;
    const output = this.output(step.rows);
    this.kernels.extremumElementwise(inputs[0], inputs[1], output, count, this.takeMax);
    for (let i = 2; i < inputs.length; i++)
      this.kernels.extremumElementwise(output, inputs[i], output, count, this.takeMax);
    if (this.lastInputs.length !== inputs.length) this.lastInputs = new Array<number>(inputs.length).fill(0);
    for (let i = 0; i < inputs.length; i++) this.lastInputs[i] = inputs[i];
    return output;
  }

  override backwardNode(outputGrad: number, step: StepContext, needInputGrad: boolean, inputGrads: number[]): void {
    if (!needInputGrad) {
      inputGrads.fill(0);
      return;
    }
    const count = step.rows * this.outputWidth;
    const remaining = this.remaining!.ensure(step.rows);
    getEngine().f32.copyWithin(remaining >>> 2, outputGrad >>> 2, (outputGrad >>> 2) + count);
    const output = this.outputBuffer!.ptr;
    for (let i = 0; i < inputGrads.length; i++) {
      const grad = this.gradBlock(i, step.rows);
      this.kernels.claimExtremumGradient(this.lastInputs[i], output, remaining, grad, count);
      inputGrads[i] = grad;
    }
  }

  protected override releaseBuffers(): void {
    this.remaining = null;
    super.releaseBuffers();
  }
}
