import { getEngine } from "../engine/engine.js";
import { describeValue, formatShape } from "../utils/describe.js";
import { shapeSize } from "../utils/shape.js";
import { Layer } from "./layer.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import { registerLayerClasses } from "./registry.js";
import type { RowBuffer } from "./row-buffer.js";
import type { StepContext } from "./step-context.js";

export interface PermuteArgs extends LayerArgs {
  /** A permutation of the sample axes, 1-based as in Keras: [2, 1] swaps the two axes of a [a, b] sample. */
  dims?: readonly number[];
}

/** Keras's Permute: reorders the axes of each sample; the backward applies the inverse permutation. */
export class Permute extends Layer {
  readonly className = "Permute";
  readonly dims: number[];
  private size = 0;
  /** i32 blocks: forward output shape and source strides, then the same for the backward (input shape, strides into dy). */
  private plan = 0;
  private outputs: RowBuffer | null = null;
  private inputGrads: RowBuffer | null = null;

  constructor(dimsOrArgs: readonly number[] | PermuteArgs, maybeArgs: PermuteArgs = {}) {
    const args = Array.isArray(dimsOrArgs)
      ? { ...maybeArgs, dims: dimsOrArgs as readonly number[] }
      : {
          ...checkArgsObject(
            "Permute",
            dimsOrArgs as PermuteArgs,
            "dims (a permutation of 1 … rank) or an options object",
          ),
        };
    super(args, "Permute", ["dims"]);
    const dims = args.dims;
    const valid =
      Array.isArray(dims) &&
      dims.length > 0 &&
      dims.length <= 9 &&
      [...dims].sort((a, b) => a - b).every((dim, i) => dim === i + 1);
    if (!valid)
      throw new Error(`Permute: dims must be a permutation of 1 … rank (at most 9 axes), got ${describeValue(dims)}`);
    this.dims = [...dims!];
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== this.dims.length) {
      throw new Error(
        `${this.name}: dims ${JSON.stringify(this.dims)} permute ${this.dims.length} axes, but the input shape ${formatShape(inputShape)} has ${inputShape.length}`,
      );
    }
    return this.dims.map((dim) => inputShape[dim - 1]);
  }

  protected override createWeights(inputShape: readonly number[]): void {
    const rank = inputShape.length;
    const outputShape = this.computeOutputShape(inputShape);
    const strides = (shape: readonly number[]) => shape.map((_, axis) => shapeSize(shape, axis + 1));
    const inputStrides = strides(inputShape);
    const outputStrides = strides(outputShape);
    const order = this.dims.map((dim) => dim - 1);
    const inverse = inputShape.map((_, axis) => order.indexOf(axis));
    const engine = getEngine();
    this.plan = engine.alloc(rank * 16);
    engine.i32.set(
      [
        ...outputShape,
        ...order.map((axis) => inputStrides[axis]),
        ...inputShape,
        ...inverse.map((k) => outputStrides[k]),
      ],
      this.plan >>> 2,
    );
    this.size = shapeSize(inputShape);
    this.outputs = this.declareBuffer(this.size);
    this.inputGrads = this.declareBuffer(this.size, { inputGradient: true });
  }

  forward(input: number, step: StepContext): number {
    const rows = step.rows;
    const output = this.outputs!.ensure(rows);
    const rank = this.dims.length;
    getEngine().kernels.permuteCopy(rows, rank, this.size, this.plan, this.plan + rank * 4, input, output);
    return output;
  }

  backward(outputGrad: number, step: StepContext, needInputGrad: boolean): number {
    if (!needInputGrad) return 0;
    const rows = step.rows;
    const inputGrad = this.inputGrads!.ensure(rows);
    const rank = this.dims.length;
    getEngine().kernels.permuteCopy(
      rows,
      rank,
      this.size,
      this.plan + rank * 8,
      this.plan + rank * 12,
      outputGrad,
      inputGrad,
    );
    return inputGrad;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), dims: [...this.dims] };
  }

  protected override releaseBuffers(): void {
    if (this.plan) getEngine().free(this.plan);
    this.plan = 0;
  }
}

registerLayerClasses({ Permute });
