import { canonicalActivationName, resolveActivation, type ResolvedActivation } from "../activations.js";
import { getEngine } from "../engine/engine.js";
import { shapeSize } from "../utils/shape.js";
import { checkArgsObject, Layer, type LayerArgs, type LayerConfig } from "./layer.js";
import { RowBuffer } from "./row-buffer.js";

export interface ActivationArgs extends LayerArgs {
  activation?: string;
}

/** Keras's Activation layer: applies an activation function (softmax kinds along the last axis). */
export class Activation extends Layer {
  readonly className = "Activation";
  readonly activation: string;
  /** See Dense.lossGivesPreActivationGradient. */
  lossGivesPreActivationGradient = false;
  private resolved: ResolvedActivation | null = null;
  private outputs: RowBuffer | null = null;
  private inputGrads: RowBuffer | null = null;
  private lastInput = 0;
  /** Softmax kinds normalise along the last axis, so a sample is `rowsPerSample` kernel rows of `cols` values. */
  private cols = 0;
  private rowsPerSample = 0;

  constructor(activationOrArgs: string | ActivationArgs, maybeArgs: ActivationArgs = {}) {
    const args = typeof activationOrArgs === "string" ? { ...maybeArgs, activation: activationOrArgs } : { ...checkArgsObject("Activation", activationOrArgs, "an activation name or an options object") };
    super(args, "Activation", ["activation"]);
    if (args.activation === undefined) throw new Error("Activation: activation is required, got undefined");
    this.activation = canonicalActivationName(args.activation, "Activation: activation");
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }

  protected override createWeights(inputShape: readonly number[]): void {
    this.resolved = resolveActivation(this.activation);
    const width = shapeSize(inputShape);
    this.outputs = new RowBuffer(width);
    this.cols = inputShape[inputShape.length - 1];
    this.rowsPerSample = width / this.cols;
  }

  forward(input: number, rows: number, _training: boolean): number {
    const output = this.outputs!.ensure(rows);
    getEngine().kernels.activationForward(this.resolved!.kind, rows * this.rowsPerSample, this.cols, input, output, this.resolved!.alpha);
    this.lastInput = input;
    return output;
  }

  backward(outputGrad: number, rows: number, needInputGrad: boolean): number {
    if (!needInputGrad) return 0;
    if (this.lossGivesPreActivationGradient) return outputGrad;
    this.inputGrads ??= new RowBuffer(this.outputs!.width);
    const inputGrad = this.inputGrads.ensure(rows);
    const { kind, alpha } = this.resolved!;
    getEngine().kernels.activationBackward(kind, rows * this.rowsPerSample, this.cols, this.lastInput, this.outputs!.ptr, outputGrad, inputGrad, alpha);
    return inputGrad;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), activation: this.activation };
  }

  protected override releaseBuffers(): void {
    this.outputs?.dispose();
    this.inputGrads?.dispose();
  }
}
