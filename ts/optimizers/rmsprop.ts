import { getEngine } from "../engine/engine.js";
import { checkNumber } from "../utils/options.js";
import { Optimizer, type OptimizerArgs, optionalBoolean } from "./optimizer.js";
import type { UpdateRun } from "./update-runs.js";

export interface RMSpropArgs extends OptimizerArgs {
  rho?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
}

/** Keras 3's RMSprop (lr 1e-3, ρ 0.9, ε 1e-7 inside the square root), with momentum and centring. */
export class RMSprop extends Optimizer {
  readonly className = "RMSprop";
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(args: RMSpropArgs = {}) {
    super(args, {
      learningRate: 0.001,
      name: "rmsprop",
      className: "RMSprop",
      options: ["rho", "momentum", "epsilon", "centered"],
    });
    this.rho = checkNumber("RMSprop", "rho", args.rho ?? 0.9, { min: 0, max: 1 });
    this.momentum = checkNumber("RMSprop", "momentum", args.momentum ?? 0, { min: 0, max: 1 });
    this.epsilon = checkNumber("RMSprop", "epsilon", args.epsilon ?? 1e-7, { min: 0 });
    this.centered = optionalBoolean("RMSprop", "centered", args.centered, false);
  }

  /** velocity, then momentum and average gradient when those options are on. */
  protected slotNames(): string[] {
    return ["rms", ...(this.momentum > 0 ? ["momentum"] : []), ...(this.centered ? ["mg"] : [])];
  }

  protected updateStep(run: UpdateRun, learningRate: number, _step: number, weightDecay: number): void {
    const slots = run.slots;
    const momentumSlot = this.momentum > 0 ? slots[1] : 0;
    const averageSlot = this.centered ? slots[slots.length - 1] : 0;
    getEngine().kernels.rmspropUpdate(
      run.param,
      run.grad,
      slots[0],
      momentumSlot,
      averageSlot,
      run.size,
      learningRate,
      this.rho,
      this.momentum,
      this.epsilon,
      this.centered ? 1 : 0,
      weightDecay,
    );
  }

  override getConfig() {
    return {
      ...super.getConfig(),
      rho: this.rho,
      momentum: this.momentum,
      epsilon: this.epsilon,
      centered: this.centered,
    };
  }
}
