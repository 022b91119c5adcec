import { describeValue, formatShape } from "../utils/describe.js";
import { shapeSize } from "../utils/shape.js";
import { Layer } from "./layer.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import { registerLayerClasses } from "./registry.js";
import type { StepContext } from "./step-context.js";

export interface ReshapeArgs extends LayerArgs {
  /** The shape of one output sample; one dimension may be −1 (or null, as tfjs saves it): inferred from the size. */
  targetShape?: readonly (number | null)[];
}

/** Keras's Reshape. Row-major samples keep their order in memory, so forward and backward pass pointers on. */
export class Reshape extends Layer {
  readonly className = "Reshape";
  readonly targetShape: number[];

  constructor(targetShapeOrArgs: readonly number[] | ReshapeArgs, maybeArgs: ReshapeArgs = {}) {
    const args = Array.isArray(targetShapeOrArgs)
      ? { ...maybeArgs, targetShape: targetShapeOrArgs as readonly number[] }
      : { ...checkArgsObject("Reshape", targetShapeOrArgs as ReshapeArgs, "a target shape or an options object") };
    super(args, "Reshape", ["targetShape"]);
    // NOTE: tfjs saves an inferred dimension as null.
    const shape = Array.isArray(args.targetShape)
      ? args.targetShape.map((dim) => (dim === null ? -1 : dim))
      : args.targetShape;
    const valid =
      Array.isArray(shape) &&
      shape.length > 0 &&
      shape.every((dim) => Number.isInteger(dim) && (dim > 0 || dim === -1)) &&
      shape.filter((dim) => dim === -1).length <= 1;
    if (!valid) {
      throw new Error(
        `Reshape: targetShape must be a non-empty list of positive integers with at most one −1, got ${describeValue(shape)}`,
      );
    }
    this.targetShape = [...shape!] as number[];
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    const size = shapeSize(inputShape);
    const known = this.targetShape.filter((dim) => dim !== -1).reduce((product, dim) => product * dim, 1);
    const output = this.targetShape.map((dim) => (dim === -1 ? size / known : dim));
    if (shapeSize(output) !== size || !output.every(Number.isInteger)) {
      throw new Error(
        `${this.name}: cannot reshape an input of shape ${formatShape(inputShape)} (${size} values) to ${formatShape(this.targetShape)}`,
      );
    }
    return output;
  }

  forward(input: number): number {
    return input;
  }

  backward(outputGrad: number, _step: StepContext, needInputGrad: boolean): number {
    return needInputGrad ? outputGrad : 0;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), targetShape: [...this.targetShape] };
  }
}

registerLayerClasses({ Reshape });
