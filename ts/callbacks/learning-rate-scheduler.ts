/**
 * LearningRateScheduler: at the start of every epoch, learningRate = schedule(epoch, currentLearningRate)
 * (Keras 3's learning_rate_scheduler.py); the rate in effect is logged as `learning_rate` at the epoch's end.
 *   new LearningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)))
 */

import { describeValue } from "../utils/describe.js";
import { checkFunction, checkOneOf } from "../utils/options.js";
import { defaultOutput, type OutputWriter } from "../utils/output.js";
import { formatFloatRepr } from "../utils/python-format.js";
import { Callback, type Logs } from "./callback.js";
import { optimizerOf } from "./optimizer-of.js";

/** epoch is 0-based; lr is the current learning rate. May be async. */
export type Schedule = (epoch: number, learningRate: number) => number | Promise<number>;

export class LearningRateScheduler extends Callback {
  readonly schedule: Schedule;
  readonly verbose: 0 | 1;
  private output: OutputWriter | undefined;

  constructor(schedule: Schedule, options: { verbose?: 0 | 1; output?: OutputWriter } = {}) {
    super();
    this.schedule = checkFunction<Schedule>("LearningRateScheduler", "schedule", schedule);
    this.verbose = checkOneOf("LearningRateScheduler", "verbose", options.verbose ?? 0, [0, 1] as const);
    this.output = options.output;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    const optimizer = optimizerOf(this.requireModel(), "LearningRateScheduler");
    const current = Math.fround(optimizer.learningRate);
    const next: unknown = await this.schedule(epoch, current);
    if (typeof next !== "number" || !Number.isFinite(next) || next < 0) {
      throw new Error(
        `LearningRateScheduler: schedule(${epoch}, ${current}) must return a finite number >= 0, got ${describeValue(next)}`,
      );
    }
    optimizer.learningRate = next;
    if (this.verbose > 0) {
      this.output ??= defaultOutput();
      this.output.write(
        `\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${formatFloatRepr(next)}.\n`,
      );
    }
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    logs.learning_rate = Math.fround(optimizerOf(this.requireModel(), "LearningRateScheduler").learningRate);
  }
}
