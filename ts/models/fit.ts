import { CallbackList } from "../callbacks/callback-list.js";
import type { Logs } from "../callbacks/callback.js";
import type { History } from "../callbacks/history.js";
import { BatchIndexer } from "../data/batches.js";
import { toSampleWeights } from "../data/checks.js";
import { toFloatData } from "../data/convert.js";
import { DatasetAdapter, type BatchSource } from "../data/dataset.js";
import { resolveFitOptions, shouldValidate, type FitConfig } from "../data/fit-options.js";
import { splitValidation } from "../data/split.js";
import { getEngine } from "../engine/engine.js";
import { globalGenerator, RandomGenerator } from "../engine/random.js";
import { Dropout } from "../layers/dropout.js";
import { warnOnce } from "../utils/describe.js";
import { createYielder } from "../utils/yield.js";
import type { SampleSet } from "./batch-buffers.js";
import { collectLogs, evaluateWithCallbacks } from "./evaluate.js";
import { toSampleSet, type SampleSetContext } from "./prepare-data.js";
import type { Sequential } from "./model.js";
import type { Trainer } from "./trainer.js";

/** What fit needs from the model: its trainer once built, and a way to build it from the first data. */
export interface FitHost {
  model: Sequential;
  trainer(fn: string): Trainer;
  buildFromData(perSampleShape: readonly number[], fn: string): void;
  /** Input shape, output width and loss to check data against; `perSampleShape` plans an unbuilt model's. */
  sampleContext(fn: string, names?: readonly [string, string], perSampleShape?: readonly number[]): SampleSetContext;
}

/** Where one epoch's batches come from: array data (with its batch order) or a data set. */
interface BatchStream {
  steps: number | undefined;
  beginEpoch(epoch: number): void;
  /**
   * Loads the next batch into the trainer's buffers; returns its rows and weights pointer, or null at the end.
   * Array data answers synchronously with one reused object, so the per-step path allocates no promise.
   */
  next(step: number): LoadedBatch | null | Promise<LoadedBatch | null>;
  /** A data set ended before the epoch was complete: training stops after this epoch (Keras's warning). */
  readonly ranOutOfData: boolean;
}

interface LoadedBatch {
  rows: number;
  weightPtr: number;
}

/** Keras's fit on arrays: checks everything, then trains. */
export async function fitArrays(host: FitHost, xValue: unknown, yValue: unknown, optionsValue: unknown): Promise<History> {
  const config = resolveFitOptions(optionsValue, { dataset: false });
  const x = toFloatData(xValue, "fit", "x");
  const perSample = x.shape.slice(1);
  let y = toFloatData(yValue, "fit", "y");
  let sampleWeight = config.sampleWeight === undefined ? undefined : toSampleWeights(config.sampleWeight, x.shape[0], "fit");
  let trainX = x;
  let validation: SampleSet | null = null;
  if (config.validationData !== undefined) {
    validation = validationSet(host, config, perSample);
  } else if (config.validationSplit > 0) {
    const split = splitValidation({ x, y, sampleWeight }, config.validationSplit);
    ({ x: trainX, y, sampleWeight } = split.train);
    const held = split.validation;
    validation = toSampleSet(held.x, held.y, held.sampleWeight, undefined, host.sampleContext("fit", ["x", "y"], perSample));
  }
  const train = toSampleSet(trainX, y, sampleWeight, config.classWeight, host.sampleContext("fit", undefined, perSample));
  // Everything checked: only now may the model be built (a first fit) and its trainer made.
  host.buildFromData(perSample, "fit");
  const trainer = host.trainer("fit");
  const indexer = new BatchIndexer(train.count, config.batchSize, { shuffle: config.shuffle, seed: config.seed ?? (config.shuffle === false ? 0 : drawSeed()) });
  const steps = config.stepsPerEpoch ?? indexer.numBatches;
  // NOTE: as Keras's EpochIterator, stepsPerEpoch does not restart the data each epoch: one pass over the
  // batches continues across epochs, an epoch ends early when the pass does, and the next epoch starts a new
  // (reshuffled) pass. Passes are numbered from initialEpoch, so without stepsPerEpoch pass = epoch.
  let pass = -1;
  let cursor = indexer.numBatches;
  const loaded: LoadedBatch = { rows: 0, weightPtr: 0 };
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
      const start = indexer.batchStart(batch);
      loaded.rows = indexer.batchLength(batch);
      loaded.weightPtr = trainer.buffers.load(train, indexer.order, start, start + loaded.rows);
      return loaded;
    },
  };
  return runEpochs(host, trainer, config, stream, validation);
}

/** Keras's fit on a data set of batches (its generator form). */
export async function fitDataset(host: FitHost, dataset: BatchSource, optionsValue: unknown): Promise<History> {
  const config = resolveFitOptions(optionsValue, { dataset: true });
  const adapter = new DatasetAdapter(dataset, { fn: "fit", stepsPerEpoch: config.stepsPerEpoch });
  // NOTE: an unbuilt model is only built by the first batch, so validation data is checked against its own
  // sample shape here and against the batches' below.
  const validation = validationSet(host, config, undefined);
  let trainer: Trainer | null = null;
  const stream: BatchStream = {
    get steps() {
      return adapter.steps;
    },
    get ranOutOfData() {
      return adapter.ranOutOfData;
    },
    beginEpoch: () => adapter.beginEpoch(),
    next: async (step) => {
      const batch = await adapter.next();
      if (!batch) return null;
      if (!batch.y) throw new Error(`fit: data set batch ${step} has no targets`);
      const perSample = batch.x.shape.slice(1);
      const names = [`data set batch ${step} x`, `data set batch ${step} y`] as const;
      const set = toSampleSet(batch.x, batch.y, batch.sampleWeight, config.classWeight, host.sampleContext("fit", names, perSample));
      if (validation && validation.features !== set.features) {
        throw new Error(`fit: validationData[0] has ${validation.features} values per sample but ${names[0]} has ${set.features}`);
      }
      host.buildFromData(perSample, "fit");
      trainer ??= host.trainer("fit");
      return { rows: set.count, weightPtr: trainer.buffers.load(set, null, 0, set.count) };
    },
  };
  try {
    // NOTE: the model may only be built by the first batch, so the trainer is looked up lazily.
    return await runEpochs(host, null, config, stream, validation);
  } finally {
    await adapter.close();
  }
}

/** The validation arrays, checked against the model (as built from `perSample` training samples, if unbuilt). */
function validationSet(host: FitHost, config: FitConfig, perSample: readonly number[] | undefined): SampleSet | null {
  const source = config.validationData;
  if (!source) return null;
  if (source.kind !== "arrays") throw new Error("fit: validationData must be [x, y] or [x, y, sampleWeight] arrays");
  const x = toFloatData(source.x, "fit", "validationData[0]");
  const y = toFloatData(source.y, "fit", "validationData[1]");
  const weights = source.sampleWeight === undefined ? undefined : toSampleWeights(source.sampleWeight, x.shape[0], "fit", "validationData[2]");
  const names = ["validationData[0]", "validationData[1]"] as const;
  return toSampleSet(x, y, weights, undefined, host.sampleContext("fit", names, perSample ?? x.shape.slice(1)));
}

/** The epoch loop, in Keras 3's callback order (see ts/callbacks/callback.ts). */
async function runEpochs(host: FitHost, knownTrainer: Trainer | null, config: FitConfig, stream: BatchStream, validation: SampleSet | null): Promise<History> {
  const model = host.model;
  model.stopTraining = false;
  const generator = config.seed === undefined ? null : new RandomGenerator(config.seed);
  const dropouts = model.layers.filter((layer): layer is Dropout => layer instanceof Dropout);
  for (const layer of dropouts) layer.trainingGenerator = generator;
  const list = new CallbackList(config.callbacks, {
    addHistory: true,
    addProgressBar: config.verbose !== 0,
    model,
    params: { epochs: config.epochs, steps: stream.steps, verbose: config.verbose },
  });
  const yielder = createYielder();
  let trainer = knownTrainer;
  let epochLogs: Logs = {};
  try {
    await list.onTrainBegin();
    for (let epoch = config.initialEpoch; epoch < config.epochs && !model.stopTraining; epoch++) {
      await list.onEpochBegin(epoch);
      stream.beginEpoch(epoch);
      trainer?.resetMetrics();
      let lossTotal = 0;
      let seen = 0;
      let batchLogs: Logs | null = null;
      for (let step = 0; ; step++) {
        // NOTE: fetch first, as Keras's EpochIterator does, so onBatchBegin only ever sees real batches.
        const next = stream.next(step);
        const batch = next instanceof Promise ? await next : next;
        if (!batch) break;
        const begin = list.onBatchBegin(step, batchLogs ?? {});
        if (begin) await begin;
        if (!trainer) {
          trainer = host.trainer("fit");
          trainer.resetMetrics();
        }
        lossTotal += trainer.trainBatch(batch.rows, batch.weightPtr) * batch.rows;
        seen += batch.rows;
        batchLogs = runningLogs(trainer, lossTotal / seen, batchLogs);
        const end = list.onBatchEnd(step, batchLogs);
        if (end) await end;
        if (model.stopTraining) break;
        const pause = yielder.maybeYield();
        if (pause) await pause;
      }
      if (seen === 0 && trainer && stream.ranOutOfData) {
        // A data set that ran dry exactly at an epoch boundary: the epochs so far stand (Keras stops too).
        warnOnce(RAN_OUT_OF_DATA);
        break;
      }
      if (!trainer || seen === 0) throw new Error("fit: the data gave no batches to train on");
      epochLogs = { ...runningLogs(trainer, lossTotal / seen, null) };
      if (validation && shouldValidate(epoch, config.validationFreq)) {
        const scores = await evaluateWithCallbacks(trainer, validation, config.validationBatchSize, host.model.metricsNames, list);
        Object.assign(epochLogs, prefixed(scores, "val_"));
      }
      await list.onEpochEnd(epoch, epochLogs);
      if (stream.ranOutOfData) {
        warnOnce(RAN_OUT_OF_DATA);
        break;
      }
    }
    await list.onTrainEnd(epochLogs);
  } finally {
    for (const layer of dropouts) layer.trainingGenerator = null;
    generator?.dispose();
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
  if (previous) {
    previous.loss = loss;
    for (const metric of trainer.metrics) previous[metric.name] = metric.result();
    return previous;
  }
  const logs = collectLogs(trainer, loss, ["loss", ...trainer.metrics.map((metric) => metric.name)]);
  return Object.fromEntries(Object.entries(logs).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function prefixed(logs: Logs, prefix: string): Logs {
  return Object.fromEntries(Object.entries(logs).map(([key, value]) => [`${prefix}${key}`, value]));
}
