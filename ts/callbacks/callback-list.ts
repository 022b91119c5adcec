/**
 * CallbackList: calls every callback's hook in order, awaiting async ones one after another. fit builds one
 * per call with the user's callbacks, then History, then ProgressBar (unless the user passed their own),
 * exactly as Keras's CallbackList(add_history=True, add_progbar=verbose != 0).
 */
import { describeValue } from "../utils/describe.js";
import type { OutputWriter } from "../utils/output.js";
import { Callback, type HookResult, type Logs, type TrainingModel, type TrainingParams } from "./callback.js";
import { History } from "./history.js";
import { ProgressBar } from "./progress-bar.js";
import type { TrainingRun } from "./training-run.js";

export interface CallbackListOptions {
  addHistory?: boolean;
  addProgressBar?: boolean;
  model?: TrainingModel;
  params?: TrainingParams;
  /** Output for the progress bar added here (tests, custom sinks). */
  output?: OutputWriter;
  /** Function name for argument errors. Default "fit". */
  fn?: string;
}

type EpochHook = "onEpochBegin" | "onEpochEnd";
type BatchHook =
  | "onBatchBegin"
  | "onBatchEnd"
  | "onTestBatchBegin"
  | "onTestBatchEnd"
  | "onPredictBatchBegin"
  | "onPredictBatchEnd";
type RunHook = "onTrainBegin" | "onTrainEnd" | "onTestBegin" | "onTestEnd" | "onPredictBegin" | "onPredictEnd";

export class CallbackList {
  readonly callbacks: Callback[];
  readonly history: History | undefined;
  readonly progressBar: ProgressBar | undefined;

  constructor(callbacks: readonly Callback[] | undefined = [], options: CallbackListOptions = {}) {
    const fn = options.fn ?? "fit";
    if (!Array.isArray(callbacks))
      throw new Error(`${fn}: callbacks must be an array of Callback, got ${describeValue(callbacks)}`);
    callbacks.forEach((callback, index) => {
      if (!(callback instanceof Callback)) {
        throw new Error(
          `${fn}: callbacks[${index}] must be a Callback (e.g. new callbacks.EarlyStopping({ … }) or ` +
            `new callbacks.LambdaCallback({ onEpochEnd })), got ${describeValue(callback)}`,
        );
      }
    });
    this.callbacks = [...callbacks];
    let history = this.callbacks.find((callback): callback is History => callback instanceof History);
    let progressBar = this.callbacks.find((callback): callback is ProgressBar => callback instanceof ProgressBar);
    if (!history && options.addHistory) this.callbacks.push((history = new History()));
    if (!progressBar && options.addProgressBar)
      this.callbacks.push((progressBar = new ProgressBar({ output: options.output })));
    this.history = history;
    this.progressBar = progressBar;
    if (options.model) this.setModel(options.model);
    if (options.params) this.setParams(options.params);
  }

  setModel(model: TrainingModel): void {
    for (const callback of this.callbacks) callback.setModel(model);
  }

  setParams(params: TrainingParams): void {
    for (const callback of this.callbacks) callback.setParams(params);
  }

  /** Gives every callback fit's loop position (fit calls this before onTrainBegin, and clears it after). */
  setTrainingRun(run: TrainingRun | undefined): void {
    for (const callback of this.callbacks) callback.trainingRun = run;
  }

  onTrainBegin(logs: Logs = {}): Promise<void> {
    return this.runAll("onTrainBegin", logs);
  }
  onTrainEnd(logs: Logs = {}): Promise<void> {
    return this.runAll("onTrainEnd", logs);
  }
  onTestBegin(logs: Logs = {}): Promise<void> {
    return this.runAll("onTestBegin", logs);
  }
  onTestEnd(logs: Logs = {}): Promise<void> {
    return this.runAll("onTestEnd", logs);
  }
  onPredictBegin(logs: Logs = {}): Promise<void> {
    return this.runAll("onPredictBegin", logs);
  }
  onPredictEnd(logs: Logs = {}): Promise<void> {
    return this.runAll("onPredictEnd", logs);
  }
  onEpochBegin(epoch: number, logs: Logs = {}): Promise<void> {
    return this.runEpoch("onEpochBegin", epoch, logs);
  }
  onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    return this.runEpoch("onEpochEnd", epoch, logs);
  }

  /** Batch hooks return undefined when every callback ran synchronously (no promise allocated). */
  onBatchBegin(batch: number, logs: Logs = {}): Promise<void> | undefined {
    return this.runBatch("onBatchBegin", batch, logs);
  }
  onBatchEnd(batch: number, logs: Logs = {}): Promise<void> | undefined {
    return this.runBatch("onBatchEnd", batch, logs);
  }
  onTestBatchBegin(batch: number, logs: Logs = {}): Promise<void> | undefined {
    return this.runBatch("onTestBatchBegin", batch, logs);
  }
  onTestBatchEnd(batch: number, logs: Logs = {}): Promise<void> | undefined {
    return this.runBatch("onTestBatchEnd", batch, logs);
  }
  onPredictBatchBegin(batch: number, logs: Logs = {}): Promise<void> | undefined {
    return this.runBatch("onPredictBatchBegin", batch, logs);
  }
  onPredictBatchEnd(batch: number, logs: Logs = {}): Promise<void> | undefined {
    return this.runBatch("onPredictBatchEnd", batch, logs);
  }

  private async runAll(hook: RunHook, logs: Logs): Promise<void> {
    for (const callback of this.callbacks) await callback[hook](logs);
  }

  private async runEpoch(hook: EpochHook, epoch: number, logs: Logs): Promise<void> {
    for (const callback of this.callbacks) await callback[hook](epoch, logs);
  }

  private runBatch(hook: BatchHook, batch: number, logs: Logs): Promise<void> | undefined {
    const callbacks = this.callbacks;
    for (let i = 0; i < callbacks.length; i++) {
      const result: HookResult = callbacks[i][hook](batch, logs);
      // NOTE: test for a thenable, not for undefined: plain-JS hooks may return any value (an arrow's push()).
      if (typeof (result as { then?: unknown } | undefined)?.then === "function") {
        return this.finishBatch(result as Promise<void>, i + 1, hook, batch, logs);
      }
    }
    return undefined;
  }

  /** The slow path: a hook returned a promise, so the rest run after it settles. */
  private async finishBatch(
    pending: Promise<void>,
    from: number,
    hook: BatchHook,
    batch: number,
    logs: Logs,
  ): Promise<void> {
    await pending;
    for (let i = from; i < this.callbacks.length; i++) await this.callbacks[i][hook](batch, logs);
  }
}
