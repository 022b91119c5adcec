import type { Logs } from "../callbacks/callback.js";
import type { CallbackList } from "../callbacks/callback-list.js";
import type { SampleSet } from "./batch-buffers.js";
import type { Trainer } from "./trainer.js";

/**
 * Loss and metrics over a whole set in batches, without training: Keras's evaluate. The loss is the mean of
 * the batch losses weighted by batch size, as Keras 3's loss tracker. Runs Keras's test hooks: onTestBegin,
 * onTestBatchBegin / onTestBatchEnd (running means) per batch, onTestEnd with the results. fit's validation
 * passes its own list (its progress bar stays silent there).
 * `maxBatches` is Keras's `steps`: evaluate only the first batches.
 */
export async function evaluateWithCallbacks(
  trainer: Trainer,
  set: SampleSet,
  batchSize: number,
  names: readonly string[],
  list: CallbackList,
  maxBatches = Infinity,
): Promise<Record<string, number>> {
  await list.onTestBegin();
  trainer.resetMetrics();
  let lossTotal = 0;
  let seen = 0;
  let logs: Logs = {};
  for (let batch = 0; batch * batchSize < set.count && batch < maxBatches; batch++) {
    const begin = list.onTestBatchBegin(batch, logs);
    if (begin) await begin;
    const start = batch * batchSize;
    const end = Math.min(set.count, start + batchSize);
    // NOTE: load after the hook, so that an async hook cannot let other work overwrite the batch buffers.
    const weightPtr = trainer.buffers.load(set, null, start, end);
    lossTotal += trainer.testBatch(end - start, weightPtr) * (end - start);
    seen += end - start;
    logs = collectLogs(trainer, lossTotal / seen, names);
    const finished = list.onTestBatchEnd(batch, logs);
    if (finished) await finished;
  }
  const results = collectLogs(trainer, lossTotal / seen, names);
  await list.onTestEnd(results);
  return results;
}

/** { loss, …metric results } in compile order. */
export function collectLogs(trainer: Trainer, loss: number, names: readonly string[], prefix = ""): Record<string, number> {
  const logs: Record<string, number> = { [`${prefix}loss`]: loss };
  trainer.metrics.forEach((metric, i) => {
    logs[`${prefix}${names[i + 1] ?? metric.name}`] = metric.result();
  });
  return logs;
}
