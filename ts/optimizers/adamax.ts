import { getEngine } from "../engine/engine.js";
import { checkNumber } from "../utils/options.js";
import { Optimizer, type OptimizerArgs } from "./optimizer.js";
import type { UpdateRun } from "./update-runs.js";

export interface AdamaxArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Keras 3's Adamax: Adam with the infinity norm (lr 1e-3, β 0.9 / 0.999, ε 1e-7). */
export class Adamax extends Optimizer {
  readonly className = "Adamax";
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(args: AdamaxArgs = {}) {
    super(args, { learningRate: 0.001, name: "adamax", className: "Adamax", options: ["beta1", "beta2", "epsilon"] });
    this.beta1 = checkNumber("Adamax", "beta1", args.beta1 ?? 0.9, { min: 0, max: 1, maxExclusive: true });
    this.beta2 = checkNumber("Adamax", "beta2", args.beta2 ?? 0.999, { min: 0, max: 1, maxExclusive: true });
    this.epsilon = checkNumber("Adamax", "epsilon", args.epsilon ?? 1e-7, { min: 0 });
  }

  /** First moment, then the exponentially weighted infinity norm. */
  protected slotNames(): string[] {
    return ["m", "v"];
  }

  protected updateStep(run: UpdateRun, learningRate: number, step: number, weightDecay: number): void {
    getEngine().kernels.adamaxUpdate(
      run.param,
      run.grad,
      run.slots[0],
      run.slots[1],
      run.size,
      learningRate,
      this.beta1,
      this.beta2,
      this.epsilon,
      step,
      weightDecay,
    );
  }

  override getConfig() {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
