import { getEngine } from "../engine/engine.js";
import { checkNumber } from "../utils/options.js";
import { Optimizer, type OptimizerArgs, optionalBoolean } from "./optimizer.js";
import type { UpdateRun } from "./update-runs.js";

export interface SGDArgs extends OptimizerArgs {
  momentum?: number;
  nesterov?: boolean;
}

/** Keras 3's SGD: plain, with momentum, or Nesterov momentum (lr 0.01). */
export class SGD extends Optimizer {
  readonly className = "SGD";
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(args: SGDArgs = {}) {
    super(args, { learningRate: 0.01, name: "SGD", className: "SGD", options: ["momentum", "nesterov"] });
    this.momentum = checkNumber("SGD", "momentum", args.momentum ?? 0, { min: 0, max: 1 });
    this.nesterov = optionalBoolean("SGD", "nesterov", args.nesterov, false);
  }

  protected slotNames(): string[] {
    return this.momentum > 0 ? ["momentum"] : [];
  }

  protected updateStep(run: UpdateRun, learningRate: number, _step: number, weightDecay: number): void {
    getEngine().kernels.sgdUpdate(
      run.param,
      run.grad,
      run.slots[0] ?? 0,
      run.size,
      learningRate,
      this.momentum,
      this.nesterov ? 1 : 0,
      weightDecay,
    );
  }

  override getConfig() {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}
