/**
 * ReduceLROnPlateau (Keras 3's reduce_lr_on_plateau.py semantics): when the monitored value has not improved
 * by more than minDelta for `patience` epochs, learningRate = max(learningRate * factor, minLr), then wait
 * `cooldown` epochs before counting again. Adds `learning_rate` to each epoch's logs (so History and the
 * progress bar show it). Mode "auto" maximizes monitors whose name contains "acc", minimizes the rest.
 */

import { warnOnce } from "../utils/describe.js";
import { checkChoice, checkNumber, checkOneOf, checkOptionKeys, checkString } from "../utils/options.js";
import { defaultOutput, type OutputWriter } from "../utils/output.js";
import { formatFloatRepr } from "../utils/python-format.js";
import { Callback, type Logs } from "./callback.js";
import { MONITOR_MODES, type MonitorMode } from "./monitor.js";
import { optimizerOf } from "./optimizer-of.js";

export interface ReduceLROnPlateauOptions {
  /** Default "val_loss". */
  monitor?: string;
  /** new_lr = lr * factor; must be in (0, 1). Default 0.1. */
  factor?: number;
  /** Default 10. */
  patience?: number;
  verbose?: 0 | 1;
  mode?: MonitorMode;
  /** Threshold for a new optimum. Default 1e-4. */
  minDelta?: number;
  /** Epochs to wait after a reduction. Default 0. */
  cooldown?: number;
  /** Lower bound on the learning rate. Default 0. */
  minLr?: number;
  output?: OutputWriter;
}

const OPTIONS = ["monitor", "factor", "patience", "verbose", "mode", "minDelta", "cooldown", "minLr", "output"];

export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly verbose: 0 | 1;
  readonly mode: MonitorMode;
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  wait = 0;
  cooldownCounter = 0;
  best = Infinity;
  private maximize = false;
  private output: OutputWriter | undefined;

  constructor(options: ReduceLROnPlateauOptions = {}) {
    super();
    const fn = "ReduceLROnPlateau";
    checkOptionKeys(fn, options, OPTIONS);
    this.monitor = checkString(fn, "monitor", options.monitor ?? "val_loss");
    this.factor = checkNumber(fn, "factor", options.factor ?? 0.1, {
      min: 0,
      max: 1,
      minExclusive: true,
      maxExclusive: true,
    });
    this.patience = checkNumber(fn, "patience", options.patience ?? 10, { integer: true, min: 0 });
    this.verbose = checkOneOf(fn, "verbose", options.verbose ?? 0, [0, 1] as const);
    this.mode = checkChoice(fn, "mode", options.mode ?? "auto", MONITOR_MODES);
    this.minDelta = checkNumber(fn, "minDelta", options.minDelta ?? 1e-4, { min: 0 });
    this.cooldown = checkNumber(fn, "cooldown", options.cooldown ?? 0, { integer: true, min: 0 });
    this.minLr = checkNumber(fn, "minLr", options.minLr ?? 0, { min: 0 });
    this.output = options.output;
    this.reset();
  }

  override onTrainBegin(): void {
    optimizerOf(this.requireModel(), "ReduceLROnPlateau");
    this.reset();
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const optimizer = optimizerOf(this.requireModel(), "ReduceLROnPlateau");
    // NOTE: Keras reads the float32 variable; fround gives the same number here and in the logs.
    const currentLr = Math.fround(optimizer.learningRate);
    logs.learning_rate = currentLr;
    const current = logs[this.monitor];
    if (current === undefined) {
      warnOnce(
        `ReduceLROnPlateau: monitor ${JSON.stringify(this.monitor)} is not in the logs; ` +
          `available: ${Object.keys(logs).join(", ")}`,
      );
      return;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.isBetter(current)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter <= 0) {
      this.wait += 1;
      if (this.wait >= this.patience && currentLr > Math.fround(this.minLr)) {
        const newLr = Math.max(currentLr * this.factor, this.minLr);
        optimizer.learningRate = newLr;
        if (this.verbose > 0) {
          this.output ??= defaultOutput();
          this.output.write(
            `\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${formatFloatRepr(newLr)}.\n`,
          );
        }
        this.cooldownCounter = this.cooldown;
        this.wait = 0;
      }
    }
  }

  private isBetter(current: number): boolean {
    return this.maximize ? current > this.best + this.minDelta : current < this.best - this.minDelta;
  }

  private reset(): void {
    this.maximize = this.mode === "max" || (this.mode === "auto" && this.monitor.includes("acc"));
    this.best = this.maximize ? -Infinity : Infinity;
    this.cooldownCounter = 0;
    this.wait = 0;
  }
}
