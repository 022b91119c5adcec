import { getEngine } from "../engine/engine.js";
import { checkNumber } from "../utils/options.js";
import { Optimizer, type OptimizerArgs, optionalBoolean } from "./optimizer.js";
import type { UpdateRun } from "./update-runs.js";

export interface AdamArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  amsgrad?: boolean;
}

/**
 * Keras 3's Adam (lr 1e-3, β 0.9 / 0.999, ε 1e-7), with AMSGrad as an option. Moments that fall below the
 * smallest normal float over their factors are stored as 0, as under TensorFlow's flush-to-zero CPU kernels
 * (assembly/optimizers-adam-flush.ts).
 */
export class Adam extends Optimizer {
  readonly className: string = "Adam";
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  constructor(
    args: AdamArgs = {},
    defaults = { learningRate: 0.001, name: "adam", weightDecay: null as number | null, className: "Adam" },
  ) {
    super(args, { ...defaults, options: ["beta1", "beta2", "epsilon", "amsgrad"] });
    const fn = defaults.className;
    this.beta1 = checkNumber(fn, "beta1", args.beta1 ?? 0.9, { min: 0, max: 1, maxExclusive: true });
    this.beta2 = checkNumber(fn, "beta2", args.beta2 ?? 0.999, { min: 0, max: 1, maxExclusive: true });
    this.epsilon = checkNumber(fn, "epsilon", args.epsilon ?? 1e-7, { min: 0 });
    this.amsgrad = optionalBoolean(fn, "amsgrad", args.amsgrad, false);
  }

  protected slotNames(): string[] {
    return this.amsgrad ? ["m", "v", "vhat"] : ["m", "v"];
  }

  protected updateStep(run: UpdateRun, learningRate: number, step: number, weightDecay: number): void {
    const slots = run.slots;
    getEngine().kernels.adamUpdate(
      run.param,
      run.grad,
      slots[0],
      slots[1],
      slots[2] ?? 0,
      run.size,
      learningRate,
      this.beta1,
      this.beta2,
      this.epsilon,
      step,
      this.amsgrad ? 1 : 0,
      weightDecay,
    );
  }

  override getConfig() {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}

/** Keras 3's AdamW: Adam with decoupled weight decay, 0.004 by default. */
export class AdamW extends Adam {
  override readonly className = "AdamW";
  constructor(args: AdamArgs = {}) {
    super(args, { learningRate: 0.001, name: "adamw", weightDecay: 0.004, className: "AdamW" });
    if (this.weightDecay === null) throw new Error("AdamW: weightDecay must be a number >= 0, got null");
  }
}
