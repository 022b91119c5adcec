import { canonicalActivationName, type ResolvedActivation, resolveActivation } from "../activations.js";
import { getEngine } from "../engine/engine.js";
import { type Initializer, type InitializerIdentifier, resolveInitializer } from "../initializers/index.js";
import { type Constraint, type ConstraintIdentifier, resolveConstraint } from "../regularizers/constraints.js";
import { type Regularizer, type RegularizerIdentifier, resolveRegularizer } from "../regularizers/regularizers.js";
import { checkBoolean } from "../utils/options.js";
import { Layer } from "./layer.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import type { RowBuffer } from "./row-buffer.js";
import type { FusedLossPath, StepContext } from "./step-context.js";
import { Variable } from "./variable.js";

export interface DenseArgs extends LayerArgs {
  units?: number;
  activation?: string | null;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  activityRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
}

const DENSE_OPTIONS = [
  "units",
  "activation",
  "useBias",
  "kernelInitializer",
  "biasInitializer",
  "kernelRegularizer",
  "biasRegularizer",
  "activityRegularizer",
  "kernelConstraint",
  "biasConstraint",
];

/**
 * Keras's Dense: y = activation(x · kernel + bias), kernel of shape [inputs, units].
 *
 * forward  z = x·W + b, y = f(z)                  one fused kernel call (GEMM + bias + activation epilogue)
 * backward dz = dy ⊙ f'(z)  dW = xᵀ·dz  db = Σ_rows dz  dx = dz·Wᵀ
 */
export class Dense extends Layer {
  readonly className = "Dense";
  readonly units: number;
  readonly activation: string;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly activityRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  private kernel: Variable | null = null;
  private bias: Variable | null = null;
  private resolved: ResolvedActivation | null = null;
  private outputs: RowBuffer | null = null;
  private preActivations: RowBuffer | null = null;
  private preActivationGrads: RowBuffer | null = null;
  private inputGrads: RowBuffer | null = null;
  private activityGrads: RowBuffer | null = null;
  private lastInput = 0;

  constructor(unitsOrArgs: number | DenseArgs, maybeArgs: DenseArgs = {}) {
    const args =
      typeof unitsOrArgs === "number"
        ? { ...maybeArgs, units: unitsOrArgs }
        : { ...checkArgsObject("Dense", unitsOrArgs, "units (a positive integer) or an options object") };
    super(args, "Dense", DENSE_OPTIONS);
    const units = args.units;
    if (typeof units !== "number" || !Number.isInteger(units) || units <= 0) {
      throw new Error(`Dense: units must be a positive integer, got ${String(units)}`);
    }
    this.units = units;
    this.activation = canonicalActivationName(args.activation, "Dense: activation");
    this.useBias = checkBoolean("Dense", "useBias", args.useBias ?? true);
    this.kernelInitializer = resolveInitializer(args.kernelInitializer ?? "glorotUniform", "Dense: kernelInitializer");
    this.biasInitializer = resolveInitializer(args.biasInitializer ?? "zeros", "Dense: biasInitializer");
    this.kernelRegularizer = resolveRegularizer(args.kernelRegularizer, "Dense: kernelRegularizer");
    this.biasRegularizer = resolveRegularizer(args.biasRegularizer, "Dense: biasRegularizer");
    this.activityRegularizer = resolveRegularizer(args.activityRegularizer, "Dense: activityRegularizer");
    this.kernelConstraint = resolveConstraint(args.kernelConstraint, "Dense: kernelConstraint");
    this.biasConstraint = resolveConstraint(args.biasConstraint, "Dense: biasConstraint");
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 1) {
      throw new Error(
        `${this.name}: Dense expects one feature axis per sample, got input shape [${inputShape.join(", ")}]; add a Flatten layer before it`,
      );
    }
    return [this.units];
  }

  protected override createWeights(inputShape: readonly number[], initialize: boolean): void {
    const inputs = inputShape[0];
    this.resolved = resolveActivation(this.activation);
    this.kernel = new Variable(
      `${this.name}/kernel`,
      [inputs, this.units],
      true,
      this.kernelRegularizer,
      this.kernelConstraint,
    );
    this.variables.push(this.kernel);
    if (initialize) this.kernelInitializer.fill(this.kernel.ptr, this.kernel.shape);
    if (this.useBias) {
      this.bias = new Variable(`${this.name}/bias`, [this.units], true, this.biasRegularizer, this.biasConstraint);
      this.variables.push(this.bias);
      if (initialize) this.biasInitializer.fill(this.bias.ptr, this.bias.shape);
    }
    const units = this.units;
    this.outputs = this.declareBuffer(units);
    if (this.keepsPreActivation) this.preActivations = this.declareBuffer(units, { keptForBackward: true });
    // NOTE: dz and the activity penalty's copy of dy live inside one backward call: scratch, shared with
    // every other layer's scratch.
    if (this.resolved.name !== "linear") this.preActivationGrads = this.declareBuffer(units, SCRATCH);
    if (this.activityRegularizer) this.activityGrads = this.declareBuffer(units, SCRATCH);
    this.inputGrads = this.declareBuffer(inputs, { inputGradient: true });
  }

  /** Whether the backward must keep z = x·W + b apart from y = f(z). */
  private get keepsPreActivation(): boolean {
    const activation = this.resolved!;
    return activation.name !== "linear" && activation.needsInput;
  }

  forward(input: number, step: StepContext): number {
    const rows = step.rows;
    const activation = this.resolved!;
    const inputs = this.kernel!.shape[0];
    const output = this.outputs!.ensure(rows);
    const preActivation = this.preActivations ? this.preActivations.ensure(rows) : output;
    getEngine().kernels.denseForward(
      rows,
      this.units,
      inputs,
      input,
      this.kernel!.ptr,
      this.bias ? this.bias.ptr : 0,
      preActivation,
      output,
      activation.kind,
      activation.alpha,
    );
    this.lastInput = input;
    return output;
  }

  /** Keras 3 adds the activity penalty of this batch's outputs to the loss (not divided by the batch size). */
  override activityPenalty(step: StepContext): number {
    if (!this.activityRegularizer) return 0;
    return this.activityRegularizer.penalty(this.outputs!.ptr, step.rows * this.units);
  }

  /**
   * NOTE: an activity penalty on the softmax outputs has its gradient with respect to the outputs, which the
   * fused path (a gradient with respect to the logits) cannot take; such a layer runs softmax's own backward.
   */
  override fusedLossPaths(): readonly FusedLossPath[] {
    return this.activation === "softmax" && this.activityRegularizer === null ? SOFTMAX_PATH : NO_PATH;
  }

  backward(outputGrad: number, step: StepContext, needInputGrad: boolean): number {
    const rows = step.rows;
    const kernels = getEngine().kernels;
    const activation = this.resolved!;
    const inputs = this.kernel!.shape[0];
    const output = this.outputs!.ptr;
    if (this.activityRegularizer) {
      // NOTE: outputGrad belongs to the layer after this one (a merge may hand the same block to several
      // layers), so the penalty's gradient is added into a copy.
      const withPenalty = this.activityGrads!.ensure(rows);
      getEngine().f32.copyWithin(withPenalty >>> 2, outputGrad >>> 2, (outputGrad >>> 2) + rows * this.units);
      this.activityRegularizer.addGradient(output, withPenalty, rows * this.units);
      outputGrad = withPenalty;
    }
    let preActivationGrad = outputGrad;
    // NOTE: when the loss gives the gradient with respect to the pre-activation (softmax + categorical or
    // sparse categorical cross-entropy, fused in one kernel), backward skips f'. Sigmoid + binary
    // cross-entropy is not fused and runs both backward rules.
    if (activation.name !== "linear" && step.fusedLoss?.get(this) !== "softmax_cross_entropy") {
      preActivationGrad = this.preActivationGrads!.ensure(rows);
      const preActivation = this.preActivations ? this.preActivations.ptr : output;
      kernels.activationBackward(
        activation.kind,
        rows,
        this.units,
        preActivation,
        output,
        outputGrad,
        preActivationGrad,
        activation.alpha,
      );
    }
    if (this.trainable) {
      kernels.gemmTN(inputs, this.units, rows, this.lastInput, preActivationGrad, this.kernel!.grad, 0);
      if (this.bias) kernels.columnSums(rows, this.units, preActivationGrad, this.bias.grad, 0);
    }
    if (!needInputGrad) return 0;
    const inputGrad = this.inputGrads!.ensure(rows);
    kernels.gemmNT(rows, inputs, this.units, preActivationGrad, this.kernel!.ptr, inputGrad, 0);
    return inputGrad;
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer.getConfig(),
      biasInitializer: this.biasInitializer.getConfig(),
      kernelRegularizer: this.kernelRegularizer?.getConfig() ?? null,
      biasRegularizer: this.biasRegularizer?.getConfig() ?? null,
      activityRegularizer: this.activityRegularizer?.getConfig() ?? null,
      kernelConstraint: this.kernelConstraint?.getConfig() ?? null,
      biasConstraint: this.biasConstraint?.getConfig() ?? null,
    };
  }
}

const SCRATCH = { training: true, scratch: true };
const SOFTMAX_PATH: readonly FusedLossPath[] = ["softmax_cross_entropy"];
const NO_PATH: readonly FusedLossPath[] = [];
