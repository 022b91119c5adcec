import type { Logs } from "../callbacks/callback.js";
import { CallbackList } from "../callbacks/callback-list.js";
import type { History } from "../callbacks/history.js";
import { toSampleWeights } from "../data/checks.js";
import { getEngine } from "../engine/engine.js";
import { globalGenerator, RandomGenerator } from "../engine/random.js";
import { warnOnce } from "../utils/describe.js";
import { createYielder } from "../utils/yield.js";
import { BatchIndexer } from "./batch-indexer.js";
import { type BatchStream, datasetBatches, orderedBatches } from "./batch-stream.js";
import type { CompiledTraining } from "./compiled-training.js";
import { type BatchSource, DatasetAdapter } from "./dataset-adapter.js";
import { collectLogs, evaluateWithCallbacks } from "./evaluate.js";
import { type FitConfig, resolveFitOptions, shouldValidate } from "./fit-options.js";
import { LoopPosition } from "./loop-position.js";
import { toSampleSet } from "./prepare-samples.js";
import type { Trainer } from "./trainer.js";
import { splitValidation } from "./validation-split.js";

/** Validation data ready to run. */
interface Validation {
  batches: BatchStream;
  /** Only for validation arrays: training batches of an unbuilt model must match their features. */
  features: number | undefined;
  /** Lets a validation generator run its `finally` blocks when fit ends. */
  close?: () => Promise<void>;
}

/**
 * Keras's fit on arrays: checks everything now (synchronously, so a bad call throws before the model counts as
 * busy), and returns the training run to start.
 */
export function fitArrays(
  training: CompiledTraining,
  xValue: unknown,
  yValue: unknown,
  optionsValue: unknown,
): () => Promise<History> {
  const config = resolveFitOptions(optionsValue, { dataset: false });
  const x = training.xData(xValue, "fit", "x");
  const perSample = x.shape.slice(1);
  let y = training.yData(yValue, "fit", "y");
  let sampleWeight =
    config.sampleWeight === undefined ? undefined : toSampleWeights(config.sampleWeight, x.shape[0], "fit");
  let trainX = x;
  let validation: Validation | null = null;
  if (config.validationData !== undefined) {
    validation = validationSource(training, config, perSample);
  } else if (config.validationSplit > 0) {
    const split = splitValidation({ x, y, sampleWeight }, config.validationSplit);
    ({ x: trainX, y, sampleWeight } = split.train);
    const held = split.validation;
    const set = toSampleSet(
      held.x,
      held.y,
      held.sampleWeight,
      undefined,
      training.sampleContext("fit", ["x", "y"], perSample),
    );
    validation = {
      batches: orderedBatches(set, config.validationBatchSize, config.validationSteps),
      features: set.features,
    };
  }
  const train = toSampleSet(
    trainX,
    y,
    sampleWeight,
    config.classWeight,
    training.sampleContext("fit", undefined, perSample),
  );
  // Everything checked: only now may the model be built (a first fit) and its trainer made.
  training.buildFromData(perSample, "fit");
  training.step("fit");
  let shuffleSeed = config.seed ?? (config.shuffle === false ? 0 : drawSeed());
  let indexer = new BatchIndexer(train.count, config.batchSize, { shuffle: config.shuffle, seed: shuffleSeed });
  const steps = config.stepsPerEpoch ?? indexer.numBatches;
  // NOTE: as Keras's EpochIterator, stepsPerEpoch does not restart the data each epoch: one pass over the
  // batches continues across epochs, an epoch ends early when the pass does, and the next epoch starts a new
  // (reshuffled) pass. Passes are numbered from initialEpoch, so without stepsPerEpoch pass = epoch.
  let pass = -1;
  let cursor = indexer.numBatches;
  let start = 0;
  let rows = 0;
  const stream: BatchStream = {
    steps,
    ranOutOfData: false,
    beginEpoch: (epoch) => {
      if (config.stepsPerEpoch !== undefined && cursor < indexer.numBatches) return;
      pass = config.stepsPerEpoch === undefined || pass < 0 ? epoch : pass + 1;
      indexer.startEpoch(pass);
      cursor = 0;
    },
    next: (step) => {
      if (step >= steps || cursor >= indexer.numBatches) return null;
      const batch = cursor++;
      start = indexer.batchStart(batch);
      rows = indexer.batchLength(batch);
      return rows;
    },
    load: (trainer) => trainer.buffers.load(train, indexer.order, start, start + rows),
    position: () => ({ shuffleSeed, pass, cursor }),
    seek: (position) => {
      // NOTE: a resumed run without `seed` drew another shuffle seed; the backup's one gives the same order.
      if (position.shuffleSeed !== shuffleSeed) {
        shuffleSeed = position.shuffleSeed;
        indexer = new BatchIndexer(train.count, config.batchSize, { shuffle: config.shuffle, seed: shuffleSeed });
      }
      pass = position.pass;
      indexer.startEpoch(pass);
      cursor = Math.min(position.cursor, indexer.numBatches);
    },
  };
  return () => runEpochs(training, config, stream, validation);
}

/** Keras's fit on a data set of batches (its generator form); checks the options now, the batches as they come. */
export function fitDataset(
  training: CompiledTraining,
  dataset: BatchSource,
  optionsValue: unknown,
): () => Promise<History> {
  const config = resolveFitOptions(optionsValue, { dataset: true });
  const adapter = new DatasetAdapter(dataset, { fn: "fit", stepsPerEpoch: config.stepsPerEpoch });
  // NOTE: an unbuilt model is only built by the first batch, so validation arrays are checked against their
  // own sample shape here and against the batches' below.
  const validation = validationSource(training, config, undefined);
  const stream = datasetBatches(adapter, training, {
    fn: "fit",
    label: "data set batch",
    classWeight: config.classWeight,
    check: (set, xName) => {
      if (validation?.features !== undefined && validation.features !== set.features) {
        throw new Error(
          `fit: validationData[0] has ${validation.features} values per sample but ${xName} has ${set.features}`,
        );
      }
    },
  });
  return async () => {
    try {
      return await runEpochs(training, config, stream, validation);
    } finally {
      await adapter.close();
    }
  };
}

/**
 * The validation data: arrays, checked now against the model (as built from `perSample` training samples, if
 * unbuilt), or a data set, whose batches are checked as they come. Each pass evaluates validationSteps batches
 * (arrays: the first ones; a data set with validationSteps continues one iterator across passes, as Keras's
 * cached evaluation iterator; without it, each pass reads the data set from its start).
 */
function validationSource(
  training: CompiledTraining,
  config: FitConfig,
  perSample: readonly number[] | undefined,
): Validation | null {
  const source = config.validationData;
  if (!source) return null;
  if (source.kind === "dataset") {
    const adapter = new DatasetAdapter(source.dataset, {
      fn: "fit: validationData",
      stepsPerEpoch: config.validationSteps,
    });
    const batches = datasetBatches(adapter, training, { fn: "fit", label: "validationData batch" });
    return { batches, features: undefined, close: () => adapter.close() };
  }
  const x = training.xData(source.x, "fit", "validationData[0]");
  const y = training.yData(source.y, "fit", "validationData[1]");
  const weights =
    source.sampleWeight === undefined
      ? undefined
      : toSampleWeights(source.sampleWeight, x.shape[0], "fit", "validationData[2]");
  const names = ["validationData[0]", "validationData[1]"] as const;
  const set = toSampleSet(
    x,
    y,
    weights,
    undefined,
    training.sampleContext("fit", names, perSample ?? x.shape.slice(1)),
  );
  return { batches: orderedBatches(set, config.validationBatchSize, config.validationSteps), features: set.features };
}

/** The epoch loop, in Keras 3's callback order (see ts/callbacks/callback.ts). */
async function runEpochs(
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

/**
 * A shuffle seed for a fit without `seed`, drawn from the process-wide generator, so that setRandomSeed makes
 * the batch order reproducible too (as keras.utils.set_random_seed does), not Math.random.
 */
function drawSeed(): number {
  const engine = getEngine();
  const words = engine.alloc(8);
  try {
    engine.kernels.randomBits(globalGenerator().statePtr, words, 2);
    const [low, high] = engine.i32.subarray(words >>> 2, (words >>> 2) + 2);
    return (low >>> 0) + (high & 0x1fffff) * 4294967296;
  } finally {
    engine.free(words);
  }
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
