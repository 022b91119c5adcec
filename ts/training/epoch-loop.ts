import type { Logs } from "../callbacks/callback.js";
import { CallbackList } from "../callbacks/callback-list.js";
import type { History } from "../callbacks/history.js";
import { RandomGenerator } from "../engine/random.js";
import { warnOnce } from "../utils/describe.js";
import { createYielder } from "../utils/yield.js";
import type { BatchStream } from "./batch-stream.js";
import type { CompiledTraining } from "./compiled-training.js";
import { collectLogs, evaluateWithCallbacks } from "./evaluate.js";
import { type FitConfig, shouldValidate } from "./fit-options.js";
import { LoopPosition } from "./loop-position.js";
import type { Trainer } from "./trainer.js";

// fit's epoch loop: the batches of each epoch through the trainer, validation after an epoch, callbacks in Keras
// 3's order, and the checks that stop a run whose model was disposed meanwhile. fit.ts sets up what it runs.

/** Validation data ready to run. */
export interface Validation {
  batches: BatchStream;
  /** Only for validation arrays: training batches of an unbuilt model must match their features. */
  features: number | undefined;
  /** Lets a validation generator run its `finally` blocks when fit ends. */
  close?: () => Promise<void>;
}

/** The epoch loop, in Keras 3's callback order (see ts/callbacks/callback.ts). */
export async function runEpochs(
  training: CompiledTraining,
  config: FitConfig,
  stream: BatchStream,
  validation: Validation | null,
): Promise<History> {
  const { model, runs } = training;
  model.stopTraining = false;
  const generator = config.seed === undefined ? null : new RandomGenerator(config.seed);
  const list = new CallbackList(config.callbacks, {
    addHistory: true,
    addProgressBar: config.verbose !== 0,
    model,
    params: { epochs: config.epochs, steps: stream.steps, verbose: config.verbose },
  });
  const yielder = createYielder();
  // NOTE: the model may only be built by a data set's first batch, so the trainer is looked up lazily.
  let trainer: Trainer | null = null;
  let epochLogs: Logs = {};
  const run = new LoopPosition(stream, generator);
  /** The trainer, looked up once the model is built, with fit's metrics reset and its generator in the step context. */
  const startTrainer = (): Trainer => {
    const started = training.step("fit");
    started.resetMetrics();
    // NOTE: noise layers without a seed of their own draw from fit's seeded generator (the step context).
    started.generator = generator;
    return started;
  };
  list.setTrainingRun(run);
  try {
    await list.onTrainBegin();
    runs.checkNotDisposed("fit");
    const resume = run.takeResume();
    for (let epoch = resume?.epoch ?? config.initialEpoch; epoch < config.epochs && !model.stopTraining; epoch++) {
      await list.onEpochBegin(epoch);
      runs.checkNotDisposed("fit");
      const resuming = resume !== null && epoch === resume.epoch;
      if (resuming) run.restoreBeforeEpoch(resume);
      stream.beginEpoch(epoch);
      trainer?.resetMetrics();
      let lossTotal = 0;
      let seen = 0;
      let firstStep = 0;
      if (resuming) {
        ({ lossTotal, seen } = resume);
        firstStep = await run.restoreInEpoch(resume);
        // NOTE: a backup taken after an epoch's last batch resumes with no batch left to train in it.
        trainer ??= startTrainer();
      }
      run.at(epoch, firstStep, lossTotal, seen);
      let batchLogs: Logs | null = null;
      for (let step = firstStep; ; step++) {
        // NOTE: fetch and check first, as Keras's EpochIterator does, so onBatchBegin only ever sees real
        // batches; copy into wasm only after the hook, which may itself run evaluate / predict on this model.
        const next = stream.next(step);
        const rows = next instanceof Promise ? await next : next;
        if (rows === null) break;
        const begin = list.onBatchBegin(step, batchLogs ?? {});
        if (begin) await begin;
        runs.checkNotDisposed("fit");
        trainer ??= startTrainer();
        stream.load(trainer);
        lossTotal += trainer.trainBatch(rows) * rows;
        seen += rows;
        run.at(epoch, step + 1, lossTotal, seen);
        batchLogs = runningLogs(trainer, lossTotal / seen, batchLogs);
        const end = list.onBatchEnd(step, batchLogs);
        if (end) await end;
        runs.checkNotDisposed("fit");
        if (model.stopTraining) break;
        const pause = yielder.maybeYield();
        if (pause) await pause;
      }
      runs.checkNotDisposed("fit");
      if (seen === 0 && trainer && stream.ranOutOfData) {
        // A data set that ran dry exactly at an epoch boundary: the epochs so far stand (Keras stops too).
        warnOnce(RAN_OUT_OF_DATA);
        break;
      }
      if (!trainer || seen === 0) throw new Error("fit: the data gave no batches to train on");
      epochLogs = { ...runningLogs(trainer, lossTotal / seen, null) };
      if (validation && shouldValidate(epoch, config.validationFreq)) {
        runs.setValidating(true);
        try {
          const scores = await evaluateWithCallbacks(training, "fit", validation.batches, list, "fit: validationData");
          Object.assign(epochLogs, prefixed(scores, "val_"));
        } finally {
          runs.setValidating(false);
        }
      }
      run.at(epoch + 1, 0, 0, 0);
      await list.onEpochEnd(epoch, epochLogs);
      runs.checkNotDisposed("fit");
      if (stream.ranOutOfData) {
        warnOnce(RAN_OUT_OF_DATA);
        break;
      }
    }
    runs.checkNotDisposed("fit");
    await list.onTrainEnd(epochLogs);
  } finally {
    list.setTrainingRun(undefined);
    if (trainer) (trainer as Trainer).generator = null;
    generator?.dispose();
    await validation?.close?.();
  }
  return list.history!;
}

const RAN_OUT_OF_DATA =
  "fit: your input ran out of data; interrupting training. Make sure that your data set or generator can " +
  "generate at least stepsPerEpoch × epochs batches.";

/** Running means so far this epoch, keys in sorted order (as Keras prints them); reuses `previous`. */
function runningLogs(trainer: Trainer, loss: number, previous: Logs | null): Logs {
  if (previous) return trainer.logs(loss, previous);
  const logs = collectLogs(trainer, loss);
  return Object.fromEntries(Object.entries(logs).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function prefixed(logs: Logs, prefix: string): Logs {
  return Object.fromEntries(Object.entries(logs).map(([key, value]) => [`${prefix}${key}`, value]));
}
