import { getEngine } from "../engine/engine.js";
import { formatShape } from "../utils/describe.js";
import { axisList, sampleAxis } from "./axes.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import { registerLayerClasses } from "./registry.js";
import { ShapePreservingLayer } from "./shape-preserving-layer.js";
import type { StepContext } from "./step-context.js";

export interface SoftmaxArgs extends LayerArgs {
  /** The axis to normalize along; the last (−1, the default). */
  axis?: number | readonly number[];
}

/** Keras's Softmax layer: exp(x) / Σ exp(x) along the last axis of each sample. */
export class Softmax extends ShapePreservingLayer {
  readonly className = "Softmax";
  readonly axis: number;
  private cols = 0;
  private rowsPerSample = 0;

  constructor(args: SoftmaxArgs = {}) {
    super(checkArgsObject("Softmax", args, "an options object"), "Softmax", ["axis"]);
    const axes = axisList(args.axis ?? -1, "Softmax: axis");
    if (axes.length !== 1)
      throw new Error(`Softmax: axis must be one axis (the last), got ${JSON.stringify(args.axis)}`);
    this.axis = axes[0];
  }

  override computeOutputShape(inputShape: readonly number[]): number[] {
    if (sampleAxis(this.axis, inputShape.length, `${this.name}: axis`) !== inputShape.length - 1) {
      throw new Error(
        `${this.name}: densa's Softmax normalizes along the last axis, got axis ${this.axis} for input shape ${formatShape(inputShape)}`,
      );
    }
    return [...inputShape];
  }

  protected override createWeights(inputShape: readonly number[], initialize: boolean): void {
    super.createWeights(inputShape, initialize);
    this.cols = inputShape[inputShape.length - 1];
    this.rowsPerSample = this.width / this.cols;
  }

  forward(input: number, step: StepContext): number {
    const rows = step.rows;
    const kernels = getEngine().kernels;
    const output = this.outputBlock(rows);
    kernels.activationForward(kernels.ACTIVATION_SOFTMAX.value, rows * this.rowsPerSample, this.cols, input, output, 0);
    return output;
  }

  backward(outputGrad: number, step: StepContext, needInputGrad: boolean): number {
    if (!needInputGrad) return 0;
    const rows = step.rows;
    const kernels = getEngine().kernels;
    const inputGrad = this.inputGradBlock(rows);
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
}

registerLayerClasses({ Softmax });
