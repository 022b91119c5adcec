import { getEngine } from "../engine/engine.js";
import { type Initializer, type InitializerIdentifier, resolveInitializer } from "../initializers/index.js";
import { type Constraint, type ConstraintIdentifier, resolveConstraint } from "../regularizers/constraints.js";
import { type Regularizer, type RegularizerIdentifier, resolveRegularizer } from "../regularizers/regularizers.js";
import { checkBoolean, checkNumber } from "../utils/options.js";
import { axisList, trailingAxes } from "./axes.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import { registerLayerClasses } from "./registry.js";
import type { RowBuffer } from "./row-buffer.js";
import { ShapePreservingLayer } from "./shape-preserving-layer.js";
import type { StepContext } from "./step-context.js";
import { Variable } from "./variable.js";

export interface LayerNormalizationArgs extends LayerArgs {
  /** The axes to normalize over: the last (−1, the default) or the last few, e.g. [−2, −1]. */
  axis?: number | readonly number[];
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  /** Keras 3: y = x / √(mean(x²) + ε)·γ; center and scale are then ignored (γ only). */
  rmsScaling?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier | null;
  gammaRegularizer?: RegularizerIdentifier | null;
  betaConstraint?: ConstraintIdentifier | null;
  gammaConstraint?: ConstraintIdentifier | null;
}

const OPTIONS = [
  "axis",
  "epsilon",
  "center",
  "scale",
  "rmsScaling",
  "betaInitializer",
  "gammaInitializer",
  "betaRegularizer",
  "gammaRegularizer",
  "betaConstraint",
  "gammaConstraint",
];

/**
 * Keras's LayerNormalization: each sample is normalized over `axis` on its own, y = (x − mean)/√(var + ε)·γ + β,
 * with γ and β of the normalized axes' shape. With rmsScaling (Keras 3), y = x/√(mean(x²) + ε)·γ.
 */
export class LayerNormalization extends ShapePreservingLayer {
  readonly className = "LayerNormalization";
  readonly axis: number | number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly rmsScaling: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;
  private gamma: Variable | null = null;
  private beta: Variable | null = null;
  private rowsPerSample = 1;
  private cols = 0;
  /** Per kernel row: the mean, then 1/√(var + ε). */
  private means: RowBuffer | null = null;
  private invStds: RowBuffer | null = null;
  private lastInput = 0;

  constructor(args: LayerNormalizationArgs = {}) {
    super(checkArgsObject("LayerNormalization", args, "an options object"), "LayerNormalization", OPTIONS);
    const fn = "LayerNormalization";
    const axes = axisList(args.axis ?? -1, `${fn}: axis`);
    this.axis = Array.isArray(args.axis) ? axes : axes[0];
    this.epsilon = checkNumber(fn, "epsilon", args.epsilon ?? 1e-3, { min: 0, minExclusive: true });
    this.center = checkBoolean(fn, "center", args.center ?? true);
    this.scale = checkBoolean(fn, "scale", args.scale ?? true);
    this.rmsScaling = checkBoolean(fn, "rmsScaling", args.rmsScaling ?? false);
    this.betaInitializer = resolveInitializer(args.betaInitializer ?? "zeros", `${fn}: betaInitializer`);
    this.gammaInitializer = resolveInitializer(args.gammaInitializer ?? "ones", `${fn}: gammaInitializer`);
    this.betaRegularizer = resolveRegularizer(args.betaRegularizer, `${fn}: betaRegularizer`);
    this.gammaRegularizer = resolveRegularizer(args.gammaRegularizer, `${fn}: gammaRegularizer`);
    this.betaConstraint = resolveConstraint(args.betaConstraint, `${fn}: betaConstraint`);
    this.gammaConstraint = resolveConstraint(args.gammaConstraint, `${fn}: gammaConstraint`);
  }

  private get axes(): number[] {
    return Array.isArray(this.axis) ? this.axis : [this.axis];
  }

  override computeOutputShape(inputShape: readonly number[]): number[] {
    trailingAxes(this.axes, inputShape, `${this.name}: axis`);
    return [...inputShape];
  }

  protected override createWeights(inputShape: readonly number[], initialize: boolean): void {
    super.createWeights(inputShape, initialize);
    const { rowsPerSample, cols, first } = trailingAxes(this.axes, inputShape, `${this.name}: axis`);
    this.rowsPerSample = rowsPerSample;
    this.cols = cols;
    const shape = inputShape.slice(first);
    const add = (
      name: string,
      initializer: Initializer,
      regularizer: Regularizer | null,
      constraint: Constraint | null,
    ) => {
      const variable = new Variable(`${this.name}/${name}`, shape, true, regularizer, constraint);
      this.variables.push(variable);
      if (initialize) initializer.fill(variable.ptr, shape);
      return variable;
    };
    // NOTE: as Keras 3, rms scaling keeps γ (whatever `scale` says) and has no β.
    if (this.scale || this.rmsScaling)
      this.gamma = add("gamma", this.gammaInitializer, this.gammaRegularizer, this.gammaConstraint);
    if (this.center && !this.rmsScaling)
      this.beta = add("beta", this.betaInitializer, this.betaRegularizer, this.betaConstraint);
    this.means = this.declareBuffer(rowsPerSample, { keptForBackward: true });
    this.invStds = this.declareBuffer(rowsPerSample, { keptForBackward: true });
  }

  forward(input: number, step: StepContext): number {
    const rows = step.rows;
    const output = this.outputBlock(rows);
    getEngine().kernels.layerNormForward(
      rows * this.rowsPerSample,
      this.cols,
      input,
      this.gamma?.ptr ?? 0,
      this.beta?.ptr ?? 0,
      this.epsilon,
      this.rmsScaling ? 1 : 0,
      output,
      this.means!.ensure(rows),
      this.invStds!.ensure(rows),
    );
    this.lastInput = input;
    return output;
  }

  backward(outputGrad: number, step: StepContext, needInputGrad: boolean): number {
    const rows = step.rows;
    const updates = this.trainable;
    if (!updates && !needInputGrad) return 0;
    const inputGrad = needInputGrad ? this.inputGradBlock(rows) : 0;
    getEngine().kernels.layerNormBackward(
      rows * this.rowsPerSample,
      this.cols,
      this.lastInput,
      outputGrad,
      this.gamma?.ptr ?? 0,
      this.means!.ptr,
      this.invStds!.ptr,
      this.rmsScaling ? 1 : 0,
      updates && this.gamma ? this.gamma.grad : 0,
      updates && this.beta ? this.beta.grad : 0,
      inputGrad,
    );
    return inputGrad;
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      axis: Array.isArray(this.axis) ? [...this.axis] : this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      rmsScaling: this.rmsScaling,
      betaInitializer: this.betaInitializer.getConfig(),
      gammaInitializer: this.gammaInitializer.getConfig(),
      betaRegularizer: this.betaRegularizer?.getConfig() ?? null,
      gammaRegularizer: this.gammaRegularizer?.getConfig() ?? null,
      betaConstraint: this.betaConstraint?.getConfig() ?? null,
      gammaConstraint: this.gammaConstraint?.getConfig() ?? null,
    };
  }
}

registerLayerClasses({ LayerNormalization });
