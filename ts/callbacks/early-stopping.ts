/**
 * EarlyStopping (Keras 3's keras/src/callbacks/early_stopping.py semantics):
 * - each epoch from startFromEpoch on, `wait` counts epochs since the last improvement, where improving means
 *   beating the best value by more than minDelta (current - minDelta < best in min mode);
 * - with a baseline, an improvement only resets `wait` if it also beats the baseline;
 * - training stops once wait >= patience (never at epoch 0);
 * - restoreBestWeights restores the best epoch's weights at the end of training, whether or not it stopped
 *   early; if no epoch ever improved, the first monitored epoch's weights count as the best.
 */

import type { Tensor } from "../tensor.js";
import { warnOnce } from "../utils/describe.js";
import { checkBoolean, checkChoice, checkNumber, checkOneOf, checkOptionKeys, checkString } from "../utils/options.js";
import { defaultOutput, type OutputWriter } from "../utils/output.js";
import { Callback, type Logs } from "./callback.js";
import { MONITOR_MODES, type MonitorMode, resolveMonitorMode, unknownDirectionError } from "./monitor.js";

export interface EarlyStoppingOptions {
  /** Default "val_loss". */
  monitor?: string;
  /** Smallest change that counts as an improvement (absolute value used). Default 0. */
  minDelta?: number;
  /** Epochs without improvement before stopping. Default 0. */
  patience?: number;
  /** 1 prints "Epoch N: early stopping" and the restore message. Default 0. */
  verbose?: 0 | 1;
  mode?: MonitorMode;
  /** Training stops unless the monitored value beats this. */
  baseline?: number | null;
  restoreBestWeights?: boolean;
  /** Epochs to wait before monitoring (warm-up). Default 0. */
  startFromEpoch?: number;
  output?: OutputWriter;
}

const OPTIONS = [
  "monitor",
  "minDelta",
  "patience",
  "verbose",
  "mode",
  "baseline",
  "restoreBestWeights",
  "startFromEpoch",
  "output",
];

export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly verbose: 0 | 1;
  readonly mode: MonitorMode;
  readonly baseline: number | undefined;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  /** Epochs since the last improvement. */
  wait = 0;
  /** Epoch at which training was stopped (0 if it was not). */
  stoppedEpoch = 0;
  best = Infinity;
  bestEpoch = 0;
  bestWeights: Tensor[] | null = null;
  private direction: "min" | "max" | undefined;
  private output: OutputWriter | undefined;

  constructor(options: EarlyStoppingOptions = {}) {
    super();
    const fn = "EarlyStopping";
    checkOptionKeys(fn, options, OPTIONS);
    this.monitor = checkString(fn, "monitor", options.monitor ?? "val_loss");
    this.minDelta = Math.abs(checkNumber(fn, "minDelta", options.minDelta ?? 0));
    this.patience = checkNumber(fn, "patience", options.patience ?? 0, { integer: true, min: 0 });
    this.verbose = checkOneOf(fn, "verbose", options.verbose ?? 0, [0, 1] as const);
    this.mode = checkChoice(fn, "mode", options.mode ?? "auto", MONITOR_MODES);
    this.baseline =
      options.baseline === null || options.baseline === undefined
        ? undefined
        : checkNumber(fn, "baseline", options.baseline);
    this.restoreBestWeights = checkBoolean(fn, "restoreBestWeights", options.restoreBestWeights ?? false);
    this.startFromEpoch = checkNumber(fn, "startFromEpoch", options.startFromEpoch ?? 0, { integer: true, min: 0 });
    this.output = options.output;
    this.direction = resolveMonitorMode(this.monitor, this.mode, undefined);
  }

  override onTrainBegin(): void {
    // Resolve "auto" now that the model (and its metrics) is known, so a bad monitor fails before any epoch runs.
    this.direction = resolveMonitorMode(this.monitor, this.mode, this.model);
    if (!this.direction) throw unknownDirectionError("EarlyStopping", this.monitor);
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = this.direction === "min" ? Infinity : -Infinity;
    this.bestEpoch = 0;
    this.bestWeights = null;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const current = logs[this.monitor];
    if (current === undefined) {
      warnOnce(
        `EarlyStopping: monitor ${JSON.stringify(this.monitor)} is not in the logs; ` +
          `available: ${Object.keys(logs).join(", ")}`,
      );
      return;
    }
    if (epoch < this.startFromEpoch) return;
    const model = this.requireModel();
    if (this.restoreBestWeights && this.bestWeights === null) {
      // Until something improves, the first monitored epoch's weights are the best we have.
      this.bestWeights = model.getWeights();
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = model.getWeights();
      if (this.baseline === undefined || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      model.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) this.print(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights !== null) {
      if (this.verbose > 0)
        this.print(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.requireModel().setWeights(this.bestWeights);
    }
  }

  private isImprovement(value: number, reference: number): boolean {
    return this.direction === "max" ? value - this.minDelta > reference : value + this.minDelta < reference;
  }

  private print(line: string): void {
    this.output ??= defaultOutput();
    this.output.write(line + "\n");
  }
}
