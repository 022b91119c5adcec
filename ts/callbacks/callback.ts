/**
 * Callbacks: hooks the training loop calls at fixed points, as in Keras 3.
 *
 * CALL ORDER — the contract the training loop (fit / evaluate / predict) must follow
 * -------------------------------------------------------------------------------
 * fit(x, y, options):
 *   1. Validate every argument and convert the data (nothing may change before this succeeds).
 *   2. model.stopTraining = false.
 *   3. list = new CallbackList(options.callbacks, { addHistory: true, addProgressBar: verbose !== 0,
 *        model, params: { epochs, steps, verbose } })  // steps = batches per epoch (undefined if unknown)
 *   4. await list.onTrainBegin()
 *   5. for epoch = initialEpoch .. epochs-1:
 *        reset the metrics; await list.onEpochBegin(epoch)
 *        for batch = 0 .. steps-1:
 *          fetch and check the batch (a data set's next item)
 *          await list.onBatchBegin(batch)                       // (skip the await when it returns undefined)
 *          copy the batch into wasm; run one training step
 *          await list.onBatchEnd(batch, logs)  // logs = running means over the epoch so far:
 *                                              //   { accuracy, loss, … } — keys sorted, as Keras's logs
 *          if model.stopTraining: break
 *          maybe yield to the event loop (see utils/yield.ts)
 *        epochLogs = { ...final training metrics }
 *        if validation data and this epoch validates (validationFreq):
 *          run evaluate with the SAME list (its onTest* hooks fire; the progress bar stays silent) and add
 *          its results as "val_" + name: epochLogs.val_loss, epochLogs.val_accuracy, …
 *        await list.onEpochEnd(epoch, epochLogs)   // callbacks may add keys (learning_rate) and stop training
 *        if model.stopTraining: break
 *   6. await list.onTrainEnd(lastEpochLogs)    // EarlyStopping restores best weights here; CSVLogger closes
 *   7. return list.history
 *
 * evaluate(x, y, options): await list.onTestBegin(); per batch onTestBatchBegin(b) / onTestBatchEnd(b, logs);
 *   await list.onTestEnd(logs). predict(x): onPredictBegin, onPredictBatchBegin/End(b, {}), onPredictEnd —
 *   called synchronously, because predict returns its Tensor synchronously: predict refuses async hooks.
 * In fit and evaluate, a batch is fetched (and checked) before onBatchBegin / onTestBatchBegin and copied into
 * wasm memory after it, so a hook may run evaluate or predict on the same model (see docs/API.md for which
 * calls a model refuses while fit or evaluate runs).
 *
 * Hooks may be async: the list awaits each one before calling the next (in list order). Logs are plain
 * { name: number } objects; a hook may add keys that later callbacks then see (as Keras's dict).
 * Batch-level dispatch returns undefined when no hook returned a promise, so the hot loop does
 * `const pending = list.onBatchEnd(b, logs); if (pending) await pending;` and allocates no promise.
 * NOTE: the loop may reuse one logs object per batch; callbacks must copy batch logs they want to keep.
 */
import type { Tensor } from "../tensor.js";
import type { TrainingRun } from "./training-run.js";

/** Metric values by Keras name: loss, accuracy, val_loss, learning_rate, … */
export type Logs = Record<string, number>;

/** What callbacks may touch on the model. */
export interface TrainingModel {
  /** Set to true to end fit after the current batch / epoch. */
  stopTraining: boolean;
  /** Copies of all weights, in a fixed order. */
  getWeights(): Tensor[];
  setWeights(weights: Tensor[]): void;
  /** The compiled optimizer; learningRate is read and assigned by ReduceLROnPlateau / LearningRateScheduler. */
  readonly optimizer?: { learningRate: number } | null;
  /**
   * Whether a compiled metric improves "up" (accuracy) or "down" (mse); undefined if unknown. Lets
   * EarlyStopping in mode "auto" handle custom metrics, as Keras reads metric._direction.
   */
  metricDirection?(name: string): "up" | "down" | undefined;
}

/** Keras's callback.params. */
export interface TrainingParams {
  epochs: number;
  /** Batches per epoch; undefined when a data set's length is unknown. */
  steps: number | undefined;
  verbose: 0 | 1 | 2 | "auto";
}

export type HookResult = void | Promise<void>;

/** Base class: override the hooks you need. `model` and `params` are set before onTrainBegin. */
export class Callback {
  model: TrainingModel | undefined;
  params: TrainingParams | undefined;
  /**
   * The running fit's loop position, set before onTrainBegin (undefined outside fit): BackupAndRestore reads a
   * snapshot of it and resumes from one.
   */
  trainingRun: TrainingRun | undefined;

  setModel(model: TrainingModel): void {
    this.model = model;
  }

  setParams(params: TrainingParams): void {
    this.params = params;
  }

  onTrainBegin(_logs: Logs): HookResult {}
  onTrainEnd(_logs: Logs): HookResult {}
  onEpochBegin(_epoch: number, _logs: Logs): HookResult {}
  onEpochEnd(_epoch: number, _logs: Logs): HookResult {}
  /** Keras's on_train_batch_begin. */
  onBatchBegin(_batch: number, _logs: Logs): HookResult {}
  /** Keras's on_train_batch_end; logs hold the running epoch means. */
  onBatchEnd(_batch: number, _logs: Logs): HookResult {}
  onTestBegin(_logs: Logs): HookResult {}
  onTestEnd(_logs: Logs): HookResult {}
  onTestBatchBegin(_batch: number, _logs: Logs): HookResult {}
  onTestBatchEnd(_batch: number, _logs: Logs): HookResult {}
  onPredictBegin(_logs: Logs): HookResult {}
  onPredictEnd(_logs: Logs): HookResult {}
  onPredictBatchBegin(_batch: number, _logs: Logs): HookResult {}
  onPredictBatchEnd(_batch: number, _logs: Logs): HookResult {}

  /** The model, or a clear error when a callback is used outside fit. */
  protected requireModel(): TrainingModel {
    if (!this.model) throw new Error(`${this.constructor.name}: no model is set; callbacks run inside model.fit()`);
    return this.model;
  }
}
