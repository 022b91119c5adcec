import { getEngine } from "../engine/engine.js";
import { formatShape } from "../utils/describe.js";
import { shapeSize } from "../utils/shape.js";
import { axisList, sampleAxis } from "./axes.js";
import { Layer } from "./layer.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import { registerLayerClasses } from "./registry.js";
import { RowBuffer } from "./row-buffer.js";
import type { StepContext } from "./step-context.js";

export interface SoftmaxArgs extends LayerArgs {
  /** The axis to normalize along; the last (−1, the default). */
  axis?: number | readonly number[];
}

/** Keras's Softmax layer: exp(x) / Σ exp(x) along the last axis of each sample. */
export class Softmax extends Layer {
  readonly className = "Softmax";
  readonly axis: number;
  private cols = 0;
  private rowsPerSample = 0;
  private outputs: RowBuffer | null = null;
  private inputGrads: RowBuffer | null = null;

  constructor(args: SoftmaxArgs = {}) {
    super(checkArgsObject("Softmax", args, "an options object"), "Softmax", ["axis"]);
    const axes = axisList(args.axis ?? -1, "Softmax: axis");
    if (axes.length !== 1)
      throw new Error(`Softmax: axis must be one axis (the last), got ${JSON.stringify(args.axis)}`);
    this.axis = axes[0];
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (sampleAxis(this.axis, inputShape.length, `${this.name}: axis`) !== inputShape.length - 1) {
      throw new Error(
        `${this.name}: densa's Softmax normalizes along the last axis, got axis ${this.axis} for input shape ${formatShape(inputShape)}`,
      );
    }
    return [...inputShape];
  }

  protected override createWeights(inputShape: readonly number[]): void {
    this.cols = inputShape[inputShape.length - 1];
    this.rowsPerSample = shapeSize(inputShape) / this.cols;
    this.outputs = new RowBuffer(shapeSize(inputShape));
  }

  forward(input: number, step: StepContext): number {
    const rows = step.rows;
    const kernels = getEngine().kernels;
    const output = this.outputs!.ensure(rows);
    kernels.activationForward(kernels.ACTIVATION_SOFTMAX.value, rows * this.rowsPerSample, this.cols, input, output, 0);
    return output;
  }

  backward(outputGrad: number, step: StepContext, needInputGrad: boolean): number {
    if (!needInputGrad) return 0;
    const rows = step.rows;
    const kernels = getEngine().kernels;
    const inputGrad = (this.inputGrads ??= new RowBuffer(this.outputs!.width)).ensure(rows);
    kernels.activationBackward(
      kernels.ACTIVATION_SOFTMAX.value,
      rows * this.rowsPerSample,
      this.cols,
      0,
      this.outputs!.ptr,
      outputGrad,
      inputGrad,
      0,
    );
    return inputGrad;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: this.axis };
  }

  protected override releaseBuffers(): void {
    this.outputs?.dispose();
    this.inputGrads?.dispose();
  }
}

registerLayerClasses({ Softmax });
