import type { History } from "../callbacks/history.js";
import { toSampleWeights } from "../data/checks.js";
import { getEngine } from "../engine/engine.js";
import { globalGenerator } from "../engine/random.js";
import { BatchIndexer } from "./batch-indexer.js";
import { type BatchStream, datasetBatches, orderedBatches } from "./batch-stream.js";
import type { CompiledTraining } from "./compiled-training.js";
import { type BatchSource, DatasetAdapter } from "./dataset-adapter.js";
import { runEpochs, type Validation } from "./epoch-loop.js";
import { type FitConfig, resolveFitOptions } from "./fit-options.js";
import { toSampleSet } from "./prepare-samples.js";
import { splitValidation } from "./validation-split.js";

// Keras's fit, set up: what it trains on (arrays, shuffled into batches, or a data set's batches) and what it
// validates on, all checked before the run starts; the run itself is the epoch loop (epoch-loop.ts).

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
