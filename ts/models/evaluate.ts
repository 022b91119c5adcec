import type { Logs } from "../callbacks/callback.js";
import type { CallbackList } from "../callbacks/callback-list.js";
import type { BatchStream } from "./batch-streams.js";
import type { Trainer } from "./trainer.js";

/** What an evaluation needs from the model. */
export interface EvaluationHost {
  /** The trainer; called after the first batch was fetched (a data set's first batch builds the model). */
  trainer(): Trainer;
  /** Throws when the model was disposed while the loop awaited a hook or a batch. */
  checkNotDisposed(): void;
}

/**
 * Loss and metrics over a whole set in batches, without training: Keras's evaluate. The loss is the mean of
 * the batch losses weighted by batch size, as Keras 3's loss tracker. Runs Keras's test hooks: onTestBegin,
 * onTestBatchBegin / onTestBatchEnd (running means) per batch, onTestEnd with the results. fit's validation
 * passes its own list (its progress bar stays silent there).
 * `fn` names the call in errors ("evaluate", or "fit: validationData").
 */
export async function evaluateWithCallbacks(
  host: EvaluationHost,
  batches: BatchStream,
  list: CallbackList,
  fn: string,
): Promise<Record<string, number>> {
  await list.onTestBegin();
  host.checkNotDisposed();
  batches.beginEpoch(0);
  let trainer: Trainer | null = null;
  let lossTotal = 0;
  let seen = 0;
  let logs: Logs = {};
  for (let batch = 0; ; batch++) {
    const next = batches.next(batch);
    const rows = next instanceof Promise ? await next : next;
    if (rows === null) break;
    const begin = list.onTestBatchBegin(batch, logs);
    if (begin) await begin;
    host.checkNotDisposed();
    if (!trainer) {
      trainer = host.trainer();
      trainer.resetMetrics();
    }
    // NOTE: load after the hook, so that an async hook cannot let other work overwrite the batch buffers.
    const weightPtr = batches.load(trainer);
    lossTotal += trainer.testBatch(rows, weightPtr) * rows;
    seen += rows;
    logs = collectLogs(trainer, lossTotal / seen);
    const finished = list.onTestBatchEnd(batch, logs);
    if (finished) await finished;
    host.checkNotDisposed();
  }
  if (!trainer || seen === 0) {
    throw new Error(
      `${fn}: the data gave no batches to evaluate; a generator runs only once, so pass an array of batches, an ` +
        "iterable that can start again, or an endless generator with steps (validationSteps in fit)",
    );
  }
  host.checkNotDisposed();
  const results = collectLogs(trainer, lossTotal / seen);
  await list.onTestEnd(results);
  return results;
}

/** { loss, …metric results } in compile order. */
export function collectLogs(trainer: Trainer, loss: number, prefix = ""): Record<string, number> {
  const logs: Record<string, number> = { [`${prefix}loss`]: loss };
  for (const metric of trainer.metrics) logs[`${prefix}${metric.name}`] = metric.result();
  return logs;
}
