import { canonicalActivationName, resolveActivation, type ResolvedActivation } from "../activations.js";
import { getEngine } from "../engine/engine.js";
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
    this.outputs = new RowBuffer(inputShape.reduce((product, dim) => product * dim, 1));
  }

  /** Softmax kinds normalise along the last axis, so a sample is (size / last) rows of `last` columns. */
  private rowsAndCols(rows: number): [number, number] {
    const shape = this.inputShape;
    const cols = shape[shape.length - 1];
    return [(rows * this.outputs!.width) / cols, cols];
  }

  forward(input: number, rows: number, _training: boolean): number {
    const output = this.outputs!.ensure(rows);
    const [kernelRows, cols] = this.rowsAndCols(rows);
    getEngine().kernels.activationForward(this.resolved!.kind, kernelRows, cols, input, output, this.resolved!.alpha);
    this.lastInput = input;
    return output;
  }

  backward(outputGrad: number, rows: number, needInputGrad: boolean): number {
    if (!needInputGrad) return 0;
    if (this.lossGivesPreActivationGradient) return outputGrad;
    this.inputGrads ??= new RowBuffer(this.outputs!.width);
    const inputGrad = this.inputGrads.ensure(rows);
    const [kernelRows, cols] = this.rowsAndCols(rows);
    const { kind, alpha } = this.resolved!;
    getEngine().kernels.activationBackward(kind, kernelRows, cols, this.lastInput, this.outputs!.ptr, outputGrad, inputGrad, alpha);
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
