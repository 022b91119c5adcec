import { describeValue, formatShape } from "../utils/describe.js";
import { shapeSize } from "../utils/shape.js";
import type { LayerArgs, LayerConfig } from "./layer-args.js";
import { Merge } from "./merge.js";
import { registerLayerClasses } from "./registry.js";
import type { StepContext } from "./step-context.js";

export interface ConcatenateArgs extends LayerArgs {
  /** The axis to join along, counting the batch axis as 0 (Keras's); default -1, the last. */
  axis?: number;
}

/**
 * Keras's Concatenate: joins its inputs along `axis`; the other axes must agree.
 *
 * With a sample of shape [...before, dᵢ, ...after], each input is `outer` = rows × Π before runs of
 * `innerᵢ` = dᵢ × Π after values, and the output's runs are the inputs' runs side by side:
 *
 * forward  for each input i: copyBlocks(outer, innerᵢ, xᵢ, innerᵢ → y + offsetᵢ, Σ inner)
 * backward for each input i: copyBlocks(outer, innerᵢ, dy + offsetᵢ, Σ inner → dxᵢ, innerᵢ)
 */
export class Concatenate extends Merge {
  readonly className = "Concatenate";
  readonly axis: number;
  private outerPerSample = 1;
  private inners: number[] = [];
  private totalInner = 0;

  constructor(args: ConcatenateArgs = {}) {
    super(args, "Concatenate", ["axis"]);
    const axis = args.axis ?? -1;
    if (typeof axis !== "number" || !Number.isInteger(axis) || axis === 0) {
      throw new Error(
        `Concatenate: axis must be a non-zero integer (axis 0 is the batch axis), got ${describeValue(axis)}`,
      );
    }
    this.axis = axis;
  }

  protected mergedShape(shapes: readonly (readonly number[])[], fn: string): number[] {
    const rank = shapes[0].length;
    const describe = () => shapes.map((shape) => formatShape([null, ...shape])).join(", ");
    if (!shapes.every((shape) => shape.length === rank)) {
      throw new Error(`${fn}: Concatenate needs inputs of the same rank, got shapes ${describe()}`);
    }
    // NOTE: Keras's axis counts the batch axis; samples here do not.
    const axis = this.axis < 0 ? rank + this.axis : this.axis - 1;
    if (axis < 0 || axis >= rank)
      throw new Error(`${fn}: Concatenate axis ${this.axis} is out of range for inputs of shapes ${describe()}`);
    const fits = shapes.every((shape) => shape.every((dim, d) => d === axis || dim === shapes[0][d]));
    if (!fits) {
      throw new Error(
        `${fn}: Concatenate along axis ${this.axis} needs inputs whose other axes agree, got shapes ${describe()}`,
      );
    }
    const output = [...shapes[0]];
    output[axis] = shapes.reduce((sum, shape) => sum + shape[axis], 0);
    return output;
  }

  override buildFor(shapes: readonly (readonly number[])[], fn: string, initialize = true): void {
    super.buildFor(shapes, fn, initialize);
    const rank = shapes[0].length;
    const axis = this.axis < 0 ? rank + this.axis : this.axis - 1;
    this.outerPerSample = shapeSize(shapes[0].slice(0, axis));
    this.inners = this.inputShapes.map((shape) => shapeSize(shape.slice(axis)));
    this.totalInner = this.inners.reduce((sum, inner) => sum + inner, 0);
  }

  override forwardNode(inputs: readonly number[], step: StepContext): number {
    const output = this.output(step.rows);
    const outer = step.rows * this.outerPerSample;
    let offset = 0;
    for (let i = 0; i < inputs.length; i++) {
      this.kernels.copyBlocks(outer, this.inners[i], inputs[i], this.inners[i], output + offset * 4, this.totalInner);
      offset += this.inners[i];
    }
    return output;
  }

  override backwardNode(outputGrad: number, step: StepContext, needInputGrad: boolean, inputGrads: number[]): void {
    const outer = step.rows * this.outerPerSample;
    let offset = 0;
    for (let i = 0; i < inputGrads.length; i++) {
      if (needInputGrad) {
        const grad = this.gradBlock(i, step.rows);
        this.kernels.copyBlocks(outer, this.inners[i], outputGrad + offset * 4, this.totalInner, grad, this.inners[i]);
        inputGrads[i] = grad;
      } else {
        inputGrads[i] = 0;
      }
      offset += this.inners[i];
    }
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: this.axis };
  }
}

registerLayerClasses({ Concatenate });
