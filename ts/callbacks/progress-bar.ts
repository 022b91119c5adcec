/**
 * ProgressBar: Keras's ProgbarLogger. Added by fit when verbose is not 0; prints `Epoch 3/20` (when there is
 * more than one epoch) and a Progbar per epoch. evaluate / predict called on their own get a bar too; the
 * validation pass inside fit stays silent, as in Keras.
 */
import { defaultOutput, type OutputWriter } from "../utils/output.js";
import { Progbar } from "../utils/progbar.js";
import { Callback, type Logs, type TrainingParams } from "./callback.js";

export interface ProgressBarOptions {
  /** Where to write; default process.stdout in Node/Deno/Bun, console.log elsewhere. */
  output?: OutputWriter;
  /** Clock in ms (tests). Default performance.now. */
  now?: () => number;
  /** ANSI styles; default on when the output is a terminal. */
  colors?: boolean;
}

export class ProgressBar extends Callback {
  private verbose: 0 | 1 | 2 = 1;
  private epochs = 1;
  private target: number | undefined;
  private seen = 0;
  private bar: Progbar | null = null;
  private calledInFit = false;
  private output: OutputWriter | undefined;
  private readonly now: () => number;
  private readonly colors: boolean | undefined;

  constructor(options: ProgressBarOptions = {}) {
    super();
    this.output = options.output;
    this.colors = options.colors;
    this.now = options.now ?? (() => performance.now());
  }

  override setParams(params: TrainingParams): void {
    super.setParams(params);
    this.verbose = params.verbose === "auto" ? 1 : params.verbose;
    this.epochs = params.epochs;
    this.target = params.steps;
  }

  override onTrainBegin(_logs: Logs): void {
    this.calledInFit = true;
  }

  override onTrainEnd(_logs: Logs): void {
    this.calledInFit = false;
  }

  override onEpochBegin(epoch: number, _logs: Logs): void {
    this.resetBar();
    if (this.verbose && this.epochs > 1) this.writer().write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  override onBatchEnd(batch: number, logs: Logs): void {
    this.updateBar(batch, logs);
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    this.finalizeBar(logs);
  }

  override onTestBegin(_logs: Logs): void {
    if (!this.calledInFit) this.resetBar();
  }

  override onTestBatchEnd(batch: number, logs: Logs): void {
    if (!this.calledInFit) this.updateBar(batch, logs);
  }

  override onTestEnd(logs: Logs): void {
    if (!this.calledInFit) this.finalizeBar(logs);
  }

  override onPredictBegin(_logs: Logs): void {
    this.resetBar();
  }

  override onPredictBatchEnd(batch: number, _logs: Logs): void {
    this.updateBar(batch, undefined);
  }

  override onPredictEnd(_logs: Logs): void {
    this.finalizeBar(undefined);
  }

  private writer(): OutputWriter {
    this.output ??= defaultOutput();
    return this.output;
  }

  /** A new bar, started now (its clock measures this epoch / pass). */
  private resetBar(): void {
    this.seen = 0;
    this.bar = null;
    this.ensureBar();
  }

  private ensureBar(): Progbar {
    this.bar ??= new Progbar(this.target, {
      verbose: this.verbose,
      output: this.writer(),
      now: this.now,
      colors: this.colors,
    });
    return this.bar;
  }

  private updateBar(batch: number, logs: Logs | undefined): void {
    const bar = this.ensureBar();
    this.seen = batch + 1; // one-based
    if (this.verbose === 1) bar.update(this.seen, logs, false);
    else if (logs) bar.observe(logs);
  }

  private finalizeBar(logs: Logs | undefined): void {
    if (this.verbose === 0) return;
    const bar = this.ensureBar();
    if (this.target === undefined) {
      // Unknown length (a data set without stepsPerEpoch): the first full pass tells it.
      this.target = this.seen;
      bar.target = this.seen;
    }
    bar.update(this.target, logs, true);
  }
}
