import { getEngine } from "../engine/engine.js";
import { checkNumber } from "../utils/options.js";
import { Optimizer, type OptimizerArgs } from "./optimizer.js";
import type { UpdateRun } from "./update-runs.js";

export interface AdagradArgs extends OptimizerArgs {
  initialAccumulatorValue?: number;
  epsilon?: number;
}

/** Keras 3's Adagrad (lr 1e-3, accumulators start at 0.1, ε 1e-7). */
export class Adagrad extends Optimizer {
  readonly className = "Adagrad";
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(args: AdagradArgs = {}) {
    super(args, {
      learningRate: 0.001,
      name: "adagrad",
      className: "Adagrad",
      options: ["initialAccumulatorValue", "epsilon"],
    });
    this.initialAccumulatorValue = checkNumber(
      "Adagrad",
      "initialAccumulatorValue",
      args.initialAccumulatorValue ?? 0.1,
      { min: 0 },
    );
    this.epsilon = checkNumber("Adagrad", "epsilon", args.epsilon ?? 1e-7, { min: 0 });
  }

  protected slotNames(): string[] {
    return ["accumulator"];
  }

  protected override slotInitialValue(): number {
    return this.initialAccumulatorValue;
  }

  protected updateStep(run: UpdateRun, learningRate: number, _step: number, weightDecay: number): void {
    getEngine().kernels.adagradUpdate(
      run.param,
      run.grad,
      run.slots[0],
      run.size,
      learningRate,
      this.epsilon,
      weightDecay,
    );
  }

  override getConfig() {
    return { ...super.getConfig(), initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
