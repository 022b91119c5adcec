import type { Logs, TrainingModel } from "../callbacks/callback.js";
import { CallbackList } from "../callbacks/callback-list.js";
import { type BatchStream, datasetBatches, orderedBatches } from "./batch-stream.js";
import type { CompiledTraining } from "./compiled-training.js";
import { type BatchSource, DatasetAdapter } from "./dataset-adapter.js";
import { type EvaluateConfig, resolveEvaluateOptions } from "./evaluate-options.js";
import type { Trainer } from "./trainer.js";

/** evaluate(x, y, options): checks everything now (synchronously), and returns the evaluation to start. */
export function evaluateArrays(
  training: CompiledTraining,
  x: unknown,
  y: unknown,
  options: unknown,
): () => Promise<Record<string, number>> {
  const config = resolveEvaluateOptions(options, { dataset: false });
  const set = training.prepare("evaluate", x, y, config.sampleWeight, undefined);
  const batches = orderedBatches(set, config.batchSize, config.steps);
  const list = testCallbacks(training.model, config, batches.steps);
  return () => evaluateWithCallbacks(training, "evaluate", batches, list, "evaluate");
}

/** evaluate(dataset, options): checks the options now, the batches as they come (the first builds an unbuilt model). */
export function evaluateDataset(
  training: CompiledTraining,
  dataset: BatchSource,
  options: unknown,
): () => Promise<Record<string, number>> {
  const config = resolveEvaluateOptions(options, { dataset: true });
  const adapter = new DatasetAdapter(dataset, { fn: "evaluate", stepsPerEpoch: config.steps });
  const batches = datasetBatches(adapter, training, { fn: "evaluate", label: "data set batch" });
  const list = testCallbacks(training.model, config, batches.steps);
  return async () => {
    try {
      return await evaluateWithCallbacks(training, "evaluate", batches, list, "evaluate");
    } finally {
      await adapter.close();
    }
  };
}

/** Keras's evaluate(callbacks=…, verbose=…): the user's callbacks, and a progress bar unless verbose is 0. */
function testCallbacks(model: TrainingModel, config: EvaluateConfig, steps: number | undefined): CallbackList {
  return new CallbackList(config.callbacks, {
    addProgressBar: config.verbose !== 0,
    model,
    params: { epochs: 1, steps, verbose: config.verbose },
    fn: "evaluate",
  });
}

/**
 * Loss and metrics over a whole set in batches, without training: Keras's evaluate. The loss is the mean of
 * the batch losses weighted by batch size, as Keras 3's loss tracker. Runs Keras's test hooks: onTestBegin,
 * onTestBatchBegin / onTestBatchEnd (running means) per batch, onTestEnd with the results. fit's validation
 * passes its own list (its progress bar stays silent there).
 * `caller` is the running call ("evaluate", or "fit" for its validation); `fn` names the data in errors
 * ("evaluate", or "fit: validationData").
 */
export async function evaluateWithCallbacks(
  training: CompiledTraining,
  caller: "evaluate" | "fit",
  batches: BatchStream,
  list: CallbackList,
  fn: string,
): Promise<Record<string, number>> {
  const runs = training.runs;
  await list.onTestBegin();
  runs.checkNotDisposed(caller);
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
    runs.checkNotDisposed(caller);
    if (!trainer) {
      trainer = training.step(caller);
      trainer.resetMetrics();
    }
    // NOTE: load after the hook, so that an async hook cannot let other work overwrite the batch buffers.
    batches.load(trainer);
    lossTotal += trainer.testBatch(rows) * rows;
    seen += rows;
    logs = collectLogs(trainer, lossTotal / seen);
    const finished = list.onTestBatchEnd(batch, logs);
    if (finished) await finished;
    runs.checkNotDisposed(caller);
  }
  if (!trainer || seen === 0) {
    throw new Error(
      `${fn}: the data gave no batches to evaluate; a generator runs only once, so pass an array of batches, an ` +
        "iterable that can start again, or an endless generator with steps (validationSteps in fit)",
    );
  }
  runs.checkNotDisposed(caller);
  const results = collectLogs(trainer, lossTotal / seen);
  await list.onTestEnd(results);
  return results;
}

/** { loss, …per-output losses, …metric results } in compile order (see Trainer.logs). */
export function collectLogs(trainer: Trainer, loss: number): Record<string, number> {
  return trainer.logs(loss);
}
