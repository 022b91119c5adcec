import { canonicalActivationName, type ResolvedActivation, resolveActivation } from "../activations.js";
import { getEngine } from "../engine/engine.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import { registerLayerClasses } from "./registry.js";
import { ShapePreservingLayer } from "./shape-preserving-layer.js";
import type { FusedLossPath, StepContext } from "./step-context.js";

export interface ActivationArgs extends LayerArgs {
  activation?: string;
}

/** Keras's Activation layer: applies an activation function (softmax kinds along the last axis). */
export class Activation extends ShapePreservingLayer {
  readonly className = "Activation";
  readonly activation: string;
  private resolved: ResolvedActivation | null = null;
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

  protected override createWeights(inputShape: readonly number[], initialize: boolean): void {
    super.createWeights(inputShape, initialize);
    this.resolved = resolveActivation(this.activation);
    this.cols = inputShape[inputShape.length - 1];
    this.rowsPerSample = this.width / this.cols;
  }

  override fusedLossPaths(): readonly FusedLossPath[] {
    return this.activation === "softmax" ? ["softmax_cross_entropy"] : [];
  }

  forward(input: number, step: StepContext): number {
    const rows = step.rows;
    const output = this.outputBlock(rows);
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
    // NOTE: the fused softmax + cross-entropy kernel gave the gradient with respect to the input already.
    if (step.fusedLoss?.get(this) === "softmax_cross_entropy") return outputGrad;
    const inputGrad = this.inputGradBlock(rows);
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
}

registerLayerClasses({ Activation });
