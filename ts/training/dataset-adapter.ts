/**
 * fit / evaluate on a data set (also fit's validationData) — Keras's generator input: any iterable or async
 * iterable of batches `[x, y]`, `[x, y, sampleWeight]` or `{ x, y, sampleWeight? }`. `requireTargets: false`
 * also reads `x` alone, `[x]` or `{ x }`, but predict takes no data set: it is synchronous, and a data set may
 * be async.
 *
 * Epoch semantics follow Keras's EpochIterator:
 * - without stepsPerEpoch, each epoch asks the source for a new iterator and runs it to the end. An array of
 *   batches (or any re-iterable) restarts; a generator object is one-shot, so its second epoch is empty and
 *   `ranOutOfData` tells the loop to stop ("Your input ran out of data").
 * - with stepsPerEpoch, one iterator continues across epochs, `stepsPerEpoch` batches each (endless generators);
 *   if it ends early the epoch is cut short and `ranOutOfData` is set.
 */

import { checkSameSampleCount, toSampleWeights } from "../data/checks.js";
import { type FloatData, toFloatData } from "../data/convert.js";
import { isNumericTypedArray } from "../data/flatten.js";
import { Tensor } from "../tensor.js";
import { describeValue, formatShape } from "../utils/describe.js";

export type BatchSource = Iterable<unknown> | AsyncIterable<unknown>;

export interface DatasetBatch {
  x: FloatData;
  /** Undefined only for predict-style batches (requireTargets false). */
  y: FloatData | undefined;
  /** Shape [n] when given. */
  sampleWeight: FloatData | undefined;
}

/** True for iterables / async iterables that are not themselves data (arrays, typed arrays, Tensors, strings). */
export function isDataset(value: unknown, options: { allowArrays?: boolean } = {}): value is BatchSource {
  if (typeof value !== "object" || value === null) return false;
  if (value instanceof Tensor || isNumericTypedArray(value) || ArrayBuffer.isView(value)) return false;
  if (Array.isArray(value)) return options.allowArrays === true;
  const candidate = value as { [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown };
  return typeof candidate[Symbol.asyncIterator] === "function" || typeof candidate[Symbol.iterator] === "function";
}

export interface DatasetAdapterOptions {
  /** Function name for errors. Default "fit". */
  fn?: string;
  /** Batches per epoch; needed for endless sources. */
  stepsPerEpoch?: number;
  /** Batches must carry targets (fit, evaluate). Default true. */
  requireTargets?: boolean;
}

type AnyIterator = Iterator<unknown> | AsyncIterator<unknown>;

export class DatasetAdapter {
  readonly stepsPerEpoch: number | undefined;
  private readonly source: BatchSource;
  private readonly fn: string;
  private readonly requireTargets: boolean;
  private iterator: AnyIterator | null = null;
  private stepInEpoch = 0;
  private batchesSeen = 0;
  private learnedSteps: number | undefined;
  private ranOut = false;
  private xSampleShape: readonly number[] | undefined;
  private ySampleShape: readonly number[] | undefined;

  constructor(source: unknown, options: DatasetAdapterOptions = {}) {
    const fn = options.fn ?? "fit";
    if (!isDataset(source, { allowArrays: true })) {
      throw new Error(
        `${fn}: expected a data set (an iterable or async iterable of batches), got ${describeValue(source)}`,
      );
    }
    const steps = options.stepsPerEpoch;
    if (steps !== undefined && (!Number.isInteger(steps) || steps < 1)) {
      throw new Error(`${fn}: stepsPerEpoch must be a positive integer, got ${describeValue(steps)}`);
    }
    this.source = source;
    this.fn = fn;
    this.stepsPerEpoch = steps;
    this.requireTargets = options.requireTargets ?? true;
    if (Array.isArray(source)) {
      if (source.length === 0) throw new Error(`${fn}: the data set is an empty array; expected at least one batch`);
      this.learnedSteps = source.length;
    }
  }

  /** Batches per epoch if known: stepsPerEpoch, an array's length, or what the first full pass counted. */
  get steps(): number | undefined {
    return this.stepsPerEpoch ?? this.learnedSteps;
  }

  /** The source ended before the epoch was complete (or gave nothing): stop training, as Keras does. */
  get ranOutOfData(): boolean {
    return this.ranOut;
  }

  beginEpoch(): void {
    this.stepInEpoch = 0;
    this.ranOut = false;
    if (this.stepsPerEpoch === undefined || this.iterator === null) this.iterator = this.open();
  }

  /** The next batch of this epoch, validated and converted; undefined when the epoch is over. */
  async next(): Promise<DatasetBatch | undefined> {
    if (this.iterator === null) return undefined;
    if (this.stepsPerEpoch !== undefined && this.stepInEpoch >= this.stepsPerEpoch) return undefined;
    const step = this.iterator.next();
    const result = isPromiseLike(step) ? await step : step;
    if (result.done) {
      this.iterator = null;
      if (this.stepsPerEpoch !== undefined || this.stepInEpoch === 0) this.ranOut = true;
      else this.learnedSteps ??= this.stepInEpoch;
      return undefined;
    }
    const batch = this.normalize(result.value, this.batchesSeen);
    this.stepInEpoch++;
    this.batchesSeen++;
    return batch;
  }

  /** Lets a generator run its `finally` blocks; call when fit ends, normally or not. */
  async close(): Promise<void> {
    const iterator = this.iterator;
    this.iterator = null;
    if (iterator && typeof iterator.return === "function") await iterator.return();
  }

  private open(): AnyIterator {
    const source = this.source as { [Symbol.iterator]?: () => AnyIterator; [Symbol.asyncIterator]?: () => AnyIterator };
    const iterator = source[Symbol.asyncIterator]?.() ?? source[Symbol.iterator]?.();
    if (!iterator || typeof iterator.next !== "function") {
      throw new Error(`${this.fn}: the data set's iterator has no next() method`);
    }
    return iterator;
  }

  private normalize(batch: unknown, index: number): DatasetBatch {
    const fn = this.fn;
    const where = `dataset batch ${index}`;
    let x: unknown;
    let y: unknown;
    let sampleWeight: unknown;
    if (Array.isArray(batch) && batch.length >= 1 && batch.length <= 3 && (batch.length > 1 || !this.requireTargets)) {
      [x, y, sampleWeight] = batch;
    } else if (typeof batch === "object" && batch !== null && !Array.isArray(batch) && "x" in batch) {
      ({ x, y, sampleWeight } = batch as { x: unknown; y?: unknown; sampleWeight?: unknown });
    } else if (!this.requireTargets && (batch instanceof Tensor || isNumericTypedArray(batch))) {
      x = batch;
    } else {
      const expected = this.requireTargets ? "[x, y], [x, y, sampleWeight] or { x, y }" : "x, [x] or { x }";
      throw new Error(`${fn}: ${where} must be ${expected}, got ${describeValue(batch)}`);
    }
    const xData = toFloatData(x, fn, `${where} x`);
    this.xSampleShape = checkConsistent(xData, this.xSampleShape, fn, `${where} x`);
    let yData: FloatData | undefined;
    if (y !== undefined && y !== null) {
      yData = toFloatData(y, fn, `${where} y`);
      checkSameSampleCount(xData, yData, fn, `${where} x`, "y");
      this.ySampleShape = checkConsistent(yData, this.ySampleShape, fn, `${where} y`);
    } else if (this.requireTargets) {
      throw new Error(`${fn}: ${where} has no y; expected [x, y] or { x, y }`);
    }
    const weights =
      sampleWeight === undefined || sampleWeight === null
        ? undefined
        : toSampleWeights(sampleWeight, xData.shape[0], fn, `${where} sampleWeight`);
    return { x: xData, y: yData, sampleWeight: weights };
  }
}

/** Every batch must have the per-sample shape of the first one (the batch size may vary). */
function checkConsistent(
  data: FloatData,
  expected: readonly number[] | undefined,
  fn: string,
  arg: string,
): readonly number[] {
  const perSample = data.shape.slice(1);
  if (expected && (expected.length !== perSample.length || expected.some((dim, axis) => dim !== perSample[axis]))) {
    throw new Error(
      `${fn}: ${arg} has per-sample shape ${formatShape(perSample)} but earlier batches had ${formatShape(expected)}`,
    );
  }
  return expected ?? perSample;
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}
