/**
 * Options of fit: Keras's names in camelCase, Keras's defaults, every value checked before anything runs. Unknown
 * names are errors that list the valid ones (and suggest batchSize for batch_size). The checks of `verbose` and
 * `callbacks` here serve evaluate's and predict's options too.
 */
import { Callback } from "../callbacks/callback.js";
import { normalizeClassWeight } from "../data/checks.js";
import type { DataLike } from "../data/convert.js";
import { describeValue } from "../utils/describe.js";
import { checkNumber, checkOneOf, checkOptionKeys } from "../utils/options.js";
import type { ShuffleMode } from "./batch-indexer.js";
import { type BatchSource, isDataset } from "./dataset-adapter.js";
import { checkValidationSplit } from "./validation-split.js";

export type Verbosity = 0 | 1 | 2 | "auto";

export type ValidationDataLike =
  | readonly [DataLike, DataLike]
  | readonly [DataLike, DataLike, DataLike]
  | { x: DataLike; y: DataLike; sampleWeight?: DataLike }
  | BatchSource;

export interface FitOptions {
  /** Index of the last epoch + 1 (Keras). Default 1. */
  epochs?: number;
  /** Default 32. Arrays only: a data set's batches are used as they come. */
  batchSize?: number;
  /** 0 silent, 1 progress bar, 2 one line per epoch, "auto" = 1. Default "auto". */
  verbose?: Verbosity;
  callbacks?: Callback[];
  /** Fraction of the LAST samples held out for validation (before shuffling). Default 0. */
  validationSplit?: number;
  /** [xVal, yVal], [xVal, yVal, sampleWeightVal], { x, y, sampleWeight } or a data set; wins over validationSplit. */
  validationData?: ValidationDataLike;
  /** Shuffle samples each epoch (true), within batches ("batch") or not. Default true; ignored for data sets. */
  shuffle?: ShuffleMode;
  /** { classIndex: weight }; classes not listed weigh 1. */
  classWeight?: Record<number, number> | Map<number, number>;
  sampleWeight?: DataLike;
  /** Epoch to start at (resuming). Default 0. */
  initialEpoch?: number;
  /** Batches per epoch; required for endless data sets. */
  stepsPerEpoch?: number;
  /**
   * Batches per validation pass. Validation arrays: the first validationSteps batches each pass. A data set:
   * with it, one iterator continues across passes (endless generators); without it, each pass reads the data
   * set from its start (as Keras's cached evaluation iterator).
   */
  validationSteps?: number;
  /** Default: batchSize. Validation arrays only. */
  validationBatchSize?: number;
  /** Validate every N epochs, or on the listed (1-based) epochs. Default 1. */
  validationFreq?: number | readonly number[];
  /** Seed for shuffling (and dropout, if the model uses it): same seed, same run. */
  seed?: number;
}

export type ValidationSource =
  | { kind: "arrays"; x: unknown; y: unknown; sampleWeight: unknown }
  | { kind: "dataset"; dataset: BatchSource };

/** FitOptions with defaults applied and every value checked. Data arguments are still raw (convert them next). */
export interface FitConfig {
  epochs: number;
  batchSize: number;
  verbose: 0 | 1 | 2;
  callbacks: Callback[];
  validationSplit: number;
  validationData: ValidationSource | undefined;
  shuffle: ShuffleMode;
  classWeight: Map<number, number> | undefined;
  sampleWeight: unknown;
  initialEpoch: number;
  stepsPerEpoch: number | undefined;
  validationSteps: number | undefined;
  validationBatchSize: number;
  validationFreq: number | readonly number[];
  seed: number | undefined;
}

const FIT_OPTIONS = [
  "epochs",
  "batchSize",
  "verbose",
  "callbacks",
  "validationSplit",
  "validationData",
  "shuffle",
  "classWeight",
  "sampleWeight",
  "initialEpoch",
  "stepsPerEpoch",
  "validationSteps",
  "validationBatchSize",
  "validationFreq",
  "seed",
];

/** `dataset`: x is a data set (iterable of batches) rather than arrays. */
export function resolveFitOptions(options: unknown, context: { dataset: boolean }): FitConfig {
  const fn = "fit";
  checkOptionKeys(fn, options, FIT_OPTIONS);
  const o = (options ?? {}) as FitOptions;
  const batchSize = checkNumber(fn, "batchSize", o.batchSize ?? 32, { integer: true, min: 0, minExclusive: true });
  const config: FitConfig = {
    epochs: checkNumber(fn, "epochs", o.epochs ?? 1, { integer: true, min: 0 }),
    batchSize,
    verbose: resolveVerbose(fn, o.verbose),
    callbacks: checkCallbacks(fn, o.callbacks),
    validationSplit: o.validationSplit === undefined ? 0 : checkValidationSplit(o.validationSplit, fn),
    validationData: o.validationData === undefined ? undefined : resolveValidationData(o.validationData),
    shuffle: resolveShuffle(o.shuffle),
    classWeight: o.classWeight === undefined ? undefined : normalizeClassWeight(o.classWeight, fn),
    sampleWeight: o.sampleWeight,
    initialEpoch: checkNumber(fn, "initialEpoch", o.initialEpoch ?? 0, { integer: true, min: 0 }),
    stepsPerEpoch: optionalCount(fn, "stepsPerEpoch", o.stepsPerEpoch),
    validationSteps: optionalCount(fn, "validationSteps", o.validationSteps),
    validationBatchSize: optionalCount(fn, "validationBatchSize", o.validationBatchSize) ?? batchSize,
    validationFreq: resolveValidationFreq(o.validationFreq),
    seed: o.seed === undefined ? undefined : checkSeed(fn, o.seed),
  };
  if (config.classWeight && config.sampleWeight !== undefined) {
    throw new Error("fit: pass either classWeight or sampleWeight, not both (Keras cannot combine them either)");
  }
  if (config.validationData?.kind === "dataset" && o.validationBatchSize !== undefined) {
    throw new Error(
      "fit: validationBatchSize does not apply to a data set as validationData (its batches are used as they come); leave it out",
    );
  }
  if (context.dataset) {
    if (o.batchSize !== undefined) {
      throw new Error("fit: batchSize does not apply to a data set (its batches are used as they come); leave it out");
    }
    if (config.validationSplit > 0) {
      throw new Error(
        "fit: validationSplit works only with array data (x, y); for a data set pass validationData instead",
      );
    }
    if (config.sampleWeight !== undefined) {
      throw new Error("fit: with a data set, give sample weights inside each batch as [x, y, sampleWeight]");
    }
  }
  return config;
}

/** Keras's _should_eval: validate after epoch (0-based) when (epoch + 1) % freq == 0, or epoch + 1 is listed. */
export function shouldValidate(epoch: number, validationFreq: number | readonly number[]): boolean {
  return typeof validationFreq === "number" ? (epoch + 1) % validationFreq === 0 : validationFreq.includes(epoch + 1);
}

/** "auto" → 1, as Keras does outside distributed training. */
export function resolveVerbose(fn: string, value: unknown): 0 | 1 | 2 {
  const verbose = checkOneOf(fn, "verbose", value ?? "auto", [0, 1, 2, "auto"] as const);
  return verbose === "auto" ? 1 : verbose;
}

export function checkCallbacks(fn: string, value: unknown): Callback[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new Error(`${fn}: callbacks must be an array of Callback, got ${describeValue(value)}`);
  value.forEach((callback: unknown, index) => {
    if (!(callback instanceof Callback)) {
      throw new Error(
        `${fn}: callbacks[${index}] must be a Callback (e.g. new callbacks.EarlyStopping({ … }) or ` +
          `new callbacks.LambdaCallback({ onEpochEnd })), got ${describeValue(callback)}`,
      );
    }
  });
  return value as Callback[];
}

export function optionalCount(fn: string, name: string, value: unknown): number | undefined {
  return value === undefined || value === null
    ? undefined
    : checkNumber(fn, name, value, { integer: true, min: 0, minExclusive: true });
}

function checkSeed(fn: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${fn}: seed must be a non-negative integer, got ${describeValue(value)}`);
  }
  return value;
}

function resolveShuffle(value: unknown): ShuffleMode {
  if (value === undefined) return true;
  if (value === true || value === false || value === "batch") return value;
  throw new Error(`fit: shuffle must be true, false or "batch", got ${describeValue(value)}`);
}

function resolveValidationFreq(value: unknown): number | readonly number[] {
  if (value === undefined) return 1;
  if (typeof value === "number")
    return checkNumber("fit", "validationFreq", value, { integer: true, min: 0, minExclusive: true });
  if (Array.isArray(value) && value.length > 0) {
    value.forEach((epoch: unknown, index) =>
      checkNumber("fit", `validationFreq[${index}]`, epoch, { integer: true, min: 0, minExclusive: true }),
    );
    return value as number[];
  }
  throw new Error(
    `fit: validationFreq must be a positive integer or a non-empty array of epoch numbers (1-based), got ${describeValue(value)}`,
  );
}

function resolveValidationData(value: unknown): ValidationSource {
  if (Array.isArray(value)) {
    if (value.length === 2 || value.length === 3)
      return { kind: "arrays", x: value[0], y: value[1], sampleWeight: value[2] };
    throw new Error(
      `fit: validationData must be [xVal, yVal], [xVal, yVal, sampleWeightVal], { x, y } or a data set; ` +
        `got an array of length ${value.length}`,
    );
  }
  if (isDataset(value)) return { kind: "dataset", dataset: value };
  if (typeof value === "object" && value !== null && "x" in value && "y" in value) {
    const { x, y, sampleWeight } = value as { x: unknown; y: unknown; sampleWeight?: unknown };
    return { kind: "arrays", x, y, sampleWeight };
  }
  throw new Error(
    `fit: validationData must be [xVal, yVal], [xVal, yVal, sampleWeightVal], { x, y } or a data set, got ${describeValue(value)}`,
  );
}
