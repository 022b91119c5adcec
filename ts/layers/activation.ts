import { canonicalActivationName, type ResolvedActivation, resolveActivation } from "../activations.js";
import { getEngine } from "../engine/engine.js";
import { shapeSize } from "../utils/shape.js";
import { Layer } from "./layer.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import { registerLayerClasses } from "./registry.js";
import { RowBuffer } from "./row-buffer.js";
import type { FusedLossPath, StepContext } from "./step-context.js";

export interface ActivationArgs extends LayerArgs {
  activation?: string;
}

/** Keras's Activation layer: applies an activation function (softmax kinds along the last axis). */
export class Activation extends Layer {
  readonly className = "Activation";
  readonly activation: string;
  /** See Dense.lossGivesPreActivationGradient. */
  private lossGivesPreActivationGradient = false;
  private resolved: ResolvedActivation | null = null;
  private outputs: RowBuffer | null = null;
  private inputGrads: RowBuffer | null = null;
  private lastInput = 0;
  /** Softmax kinds normalise along the last axis, so a sample is `rowsPerSample` kernel rows of `cols` values. */
  private cols = 0;
  private rowsPerSample = 0;

  constructor(activationOrArgs: string | ActivationArgs, maybeArgs: ActivationArgs = {}) {
    const args =
      typeof activationOrArgs === "string"
        ? { ...maybeArgs, activation: activationOrArgs }
        : { ...checkArgsObject("Activation", activationOrArgs, "an activation name or an options object") };
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

  override fusedLossPaths(): readonly FusedLossPath[] {
    return this.activation === "softmax" ? ["softmax_cross_entropy"] : [];
  }

  override useFusedLoss(path: FusedLossPath | null): void {
    this.lossGivesPreActivationGradient = path === "softmax_cross_entropy";
  }

  forward(input: number, step: StepContext): number {
    const rows = step.rows;
    const output = this.outputs!.ensure(rows);
    getEngine().kernels.activationForward(
      this.resolved!.kind,
      rows * this.rowsPerSample,
      this.cols,
      input,
      output,
      this.resolved!.alpha,
    );
    this.lastInput = input;
    return output;
  }

  backward(outputGrad: number, step: StepContext, needInputGrad: boolean): number {
    if (!needInputGrad) return 0;
    const rows = step.rows;
    if (this.lossGivesPreActivationGradient) return outputGrad;
    this.inputGrads ??= new RowBuffer(this.outputs!.width);
    const inputGrad = this.inputGrads.ensure(rows);
    const { kind, alpha } = this.resolved!;
    getEngine().kernels.activationBackward(
      kind,
      rows * this.rowsPerSample,
      this.cols,
      this.lastInput,
      this.outputs!.ptr,
      outputGrad,
      inputGrad,
      alpha,
    );
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

registerLayerClasses({ Activation });
