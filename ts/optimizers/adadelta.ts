import { getEngine } from "../engine/engine.js";
import { checkNumber } from "../utils/options.js";
import { Optimizer, type OptimizerArgs } from "./optimizer.js";
import type { UpdateRun } from "./update-runs.js";

export interface AdadeltaArgs extends OptimizerArgs {
  rho?: number;
  epsilon?: number;
}

/** Keras 3's Adadelta (lr 1e-3, ρ 0.95, ε 1e-7). */
export class Adadelta extends Optimizer {
  readonly className = "Adadelta";
  readonly rho: number;
  readonly epsilon: number;

  constructor(args: AdadeltaArgs = {}) {
    super(args, { learningRate: 0.001, name: "adadelta", className: "Adadelta", options: ["rho", "epsilon"] });
    this.rho = checkNumber("Adadelta", "rho", args.rho ?? 0.95, { min: 0, max: 1 });
    this.epsilon = checkNumber("Adadelta", "epsilon", args.epsilon ?? 1e-7, { min: 0 });
  }

  /** Accumulated squared gradients, then accumulated squared updates. */
  protected slotNames(): string[] {
    return ["accum_grad", "accum_var"];
  }

  protected updateStep(run: UpdateRun, learningRate: number, _step: number, weightDecay: number): void {
    getEngine().kernels.adadeltaUpdate(
      run.param,
      run.grad,
      run.slots[0],
      run.slots[1],
      run.size,
      learningRate,
      this.rho,
      this.epsilon,
      weightDecay,
    );
  }

  override getConfig() {
    return { ...super.getConfig(), rho: this.rho, epsilon: this.epsilon };
  }
}
