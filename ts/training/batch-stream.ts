import type { StreamPosition } from "../callbacks/training-run.js";
import type { SampleSet } from "../models/batch-buffers.js";
import type { CompiledTraining } from "./compiled-training.js";
import type { DatasetAdapter } from "./dataset-adapter.js";
import { toSampleSet } from "./prepare-samples.js";
import type { Trainer } from "./trainer.js";

/**
 * Where the batches of a training epoch or of an evaluation come from, in two steps, as Keras's loops:
 * `next` fetches and checks a batch (nothing enters wasm memory yet), then — after the batch-begin hooks,
 * which may be async and may run evaluate or predict on the same model — `load` copies it into the trainer's
 * buffers right before the step uses them.
 *
 * NOTE: array streams answer `next` synchronously with a plain number, so the per-step path allocates nothing.
 */
export interface BatchStream {
  /** Batches per epoch / pass, when known. */
  readonly steps: number | undefined;
  /** A data set ended before the epoch was complete (Keras's "ran out of data"). */
  readonly ranOutOfData: boolean;
  beginEpoch(epoch: number): void;
  /** The rows of the next batch, or null at the end of the epoch / pass. */
  next(step: number): number | null | Promise<number | null>;
  /** Copies the batch `next` returned into the trainer's buffers. */
  load(trainer: Trainer): void;
  /** Array data only: where the stream stands, and a way back there (BackupAndRestore's resume). */
  position?(): StreamPosition;
  seek?(position: StreamPosition): void;
}

/** Array data in order (evaluate, validation): batch b holds samples [b·size, (b+1)·size), at most `maxBatches`. */
export function orderedBatches(set: SampleSet, batchSize: number, maxBatches = Infinity): BatchStream {
  let start = 0;
  let rows = 0;
  const steps = Math.min(Math.ceil(set.count / batchSize), maxBatches);
  return {
    steps,
    ranOutOfData: false,
    beginEpoch: () => {
      start = 0;
      rows = 0;
    },
    next: (step) => {
      start += rows;
      if (step >= steps || start >= set.count) return null;
      rows = Math.min(batchSize, set.count - start);
      return rows;
    },
    load: (trainer) => trainer.buffers.load(set, null, start, start + rows),
  };
}

export interface DatasetStreamOptions {
  fn: string;
  /** How errors name a batch: "data set batch" → "data set batch 3 x". */
  label: string;
  classWeight?: Map<number, number>;
  /** Extra check of each converted batch (fit: training batches against the validation arrays). */
  check?: (set: SampleSet, xName: string) => void;
}

/**
 * Batches of a data set (Keras's generator input), each checked against the model; the first one builds an
 * unbuilt model. The adapter's epoch logic (stepsPerEpoch, one-shot generators) decides where passes end.
 */
export function datasetBatches(
  adapter: DatasetAdapter,
  training: CompiledTraining,
  options: DatasetStreamOptions,
): BatchStream {
  const { fn, label } = options;
  let pending: SampleSet | null = null;
  return {
    get steps() {
      return adapter.steps;
    },
    get ranOutOfData() {
      return adapter.ranOutOfData;
    },
    beginEpoch: () => adapter.beginEpoch(),
    next: async (step) => {
      pending = null;
      const batch = await adapter.next();
      if (!batch) return null;
      if (!batch.y) throw new Error(`${fn}: ${label} ${step} has no targets`);
      const perSample = batch.x.shape.slice(1);
      const names = [`${label} ${step} x`, `${label} ${step} y`] as const;
      const context = training.sampleContext(fn, names, perSample);
      if (context.inputWidths || context.targetWidths) {
        throw new Error(
          `${fn}: data sets of batches are not supported yet for a model of several inputs or outputs; pass arrays (x as an array or an object keyed by input name)`,
        );
      }
      const set = toSampleSet(batch.x, batch.y, batch.sampleWeight, options.classWeight, context);
      options.check?.(set, names[0]);
      training.buildFromData(perSample, fn);
      pending = set;
      return set.count;
    },
    load: (trainer) => trainer.buffers.load(pending!, null, 0, pending!.count),
  };
}
