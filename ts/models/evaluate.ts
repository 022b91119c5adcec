import type { SampleSet } from "./batch-buffers.js";
import type { Trainer } from "./trainer.js";

/**
 * Loss and metrics over a whole set in batches, without training: Keras's evaluate. The loss is the mean of
 * the batch losses weighted by batch size, as Keras 3's loss tracker.
 */
export function evaluateSet(trainer: Trainer, set: SampleSet, batchSize: number, names: readonly string[]): Record<string, number> {
  trainer.resetMetrics();
  let lossTotal = 0;
  for (let start = 0; start < set.count; start += batchSize) {
    const end = Math.min(set.count, start + batchSize);
    const weightPtr = trainer.buffers.load(set, null, start, end);
    lossTotal += trainer.testBatch(end - start, weightPtr) * (end - start);
  }
  return collectLogs(trainer, lossTotal / set.count, names);
}

/** { loss, …metric results } in compile order. */
export function collectLogs(trainer: Trainer, loss: number, names: readonly string[], prefix = ""): Record<string, number> {
  const logs: Record<string, number> = { [`${prefix}loss`]: loss };
  trainer.metrics.forEach((metric, i) => {
    logs[`${prefix}${names[i + 1] ?? metric.name}`] = metric.result();
  });
  return logs;
}
