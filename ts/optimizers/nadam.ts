import { getEngine } from "../engine/engine.js";
import { checkNumber } from "../utils/options.js";
import { Optimizer, type OptimizerArgs } from "./optimizer.js";
import type { UpdateRun } from "./update-runs.js";

export interface NadamArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/**
 * Keras 3's Nadam (lr 1e-3, β 0.9 / 0.999, ε 1e-7) with its momentum schedule. The schedule's running
 * product (Keras's `_u_product`) is one float in wasm memory, advanced once per step before the updates.
 */
export class Nadam extends Optimizer {
  readonly className = "Nadam";
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private scheduleState = 0;

  constructor(args: NadamArgs = {}) {
    super(args, { learningRate: 0.001, name: "nadam", className: "Nadam", options: ["beta1", "beta2", "epsilon"] });
    this.beta1 = checkNumber("Nadam", "beta1", args.beta1 ?? 0.9, { min: 0, max: 1, maxExclusive: true });
    this.beta2 = checkNumber("Nadam", "beta2", args.beta2 ?? 0.999, { min: 0, max: 1, maxExclusive: true });
    this.epsilon = checkNumber("Nadam", "epsilon", args.epsilon ?? 1e-7, { min: 0 });
  }

  protected slotNames(): string[] {
    return ["m", "v"];
  }

  protected override beforeStep(step: number): void {
    getEngine().kernels.nadamScheduleUpdate(this.schedulePtr(), this.beta1, step);
  }

  /** The schedule product's block, starting at 1 (allocated on first use). */
  private schedulePtr(): number {
    if (this.scheduleState === 0) {
      const engine = getEngine();
      this.scheduleState = engine.allocF32(1);
      engine.view(this.scheduleState, 1)[0] = 1;
    }
    return this.scheduleState;
  }

  /** Saved as Keras 3 names it. */
  protected override extraState() {
    return [{ name: "u_product", ptr: this.schedulePtr(), size: 1 }];
  }

  protected updateStep(run: UpdateRun, learningRate: number, step: number, weightDecay: number): void {
    getEngine().kernels.nadamUpdate(
      run.param,
      run.grad,
      run.slots[0],
      run.slots[1],
      this.scheduleState,
      run.size,
      learningRate,
      this.beta1,
      this.beta2,
      this.epsilon,
      step,
      weightDecay,
    );
  }

  override dispose(): void {
    super.dispose();
    if (this.scheduleState) getEngine().free(this.scheduleState);
    this.scheduleState = 0;
  }

  override getConfig() {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
