/**
 * What a learning curve shows, independent of how it is drawn: one panel per metric (loss first), each with
 * its training series (`accuracy`) and validation series (`val_accuracy`), against 1-based epochs.
 */
import { describeValue, listNames } from "../utils/describe.js";
import { checkNumber, checkOptionKeys } from "../utils/options.js";

/** fit's History, or anything shaped like it: Keras's `history.history` dictionary and the epoch indices. */
export interface HistoryLike {
  /** Metric name → one value per epoch (Keras's keys: loss, accuracy, val_loss, val_accuracy, …). */
  readonly history: Readonly<Record<string, readonly number[]>>;
  /** 0-based epoch indices (fit's History has them); default 0, 1, 2, … */
  readonly epoch?: readonly number[];
}

export interface LearningCurveOptions {
  /** Metrics to draw, by base name ("loss", "accuracy"); default loss then every other metric in the history. */
  metrics?: readonly string[];
  /** Width: pixels of the whole SVG, or characters of every text line. */
  width?: number;
  /** Height: pixels of the whole SVG, or lines of each text panel. */
  height?: number;
}

export type SeriesRole = "training" | "validation";

export interface CurveSeries {
  /** The history key, e.g. "val_loss". */
  key: string;
  role: SeriesRole;
  /** x (1-based epoch) of each value; values[i] may be NaN or ±Infinity (a gap). */
  epochs: number[];
  values: number[];
}

export interface CurvePanel {
  metric: string;
  series: CurveSeries[];
  /** Smallest and largest finite value of the panel's series; null when there is none. */
  range: [number, number] | null;
  /** First and last epoch of the panel. */
  epochRange: [number, number];
}

/** Keys fit's callbacks log that are settings, not measurements; drawn only when asked for by name. */
const NOT_METRICS = new Set(["learning_rate", "lr"]);

const VALIDATION_PREFIX = "val_";

/** Checks the history and options and returns the panels to draw. `fn` names the caller in errors. */
export function curvePanels(
  fn: string,
  source: unknown,
  options: LearningCurveOptions,
  extraOptions: readonly string[],
): CurvePanel[] {
  checkOptionKeys(fn, options, ["metrics", "width", "height", ...extraOptions]);
  const history = readHistory(fn, source);
  const keys = Object.keys(history).filter((key) => history[key].length > 0);
  if (keys.length === 0) throw new Error(`${fn}: the history has no values to plot (did fit run at least one epoch?)`);
  const metrics = options.metrics === undefined ? defaultMetrics(keys) : checkMetrics(fn, options.metrics, keys);
  const epochOf = epochNumbers(fn, source as HistoryLike, Math.max(...keys.map((key) => history[key].length)));
  return metrics.map((metric) => {
    const series: CurveSeries[] = [];
    for (const [key, role] of [
      [metric, "training"],
      [VALIDATION_PREFIX + metric, "validation"],
    ] as const) {
      const values = history[key];
      // NOTE: a series shorter than the run (e.g. val_ keys with validationFreq > 1) is drawn from the first
      // epoch on, as plotting history["val_loss"] does in Python: the History does not record which epochs it
      // skipped.
      if (values?.length) series.push({ key, role, epochs: epochOf.slice(0, values.length), values: [...values] });
    }
    const finite = series.flatMap((item) => item.values.filter(Number.isFinite));
    const range: [number, number] | null = finite.length ? [Math.min(...finite), Math.max(...finite)] : null;
    const lengths = series.map((item) => item.values.length);
    return { metric, series, range, epochRange: [epochOf[0], epochOf[Math.max(...lengths) - 1]] };
  });
}

function readHistory(fn: string, source: unknown): Record<string, readonly number[]> {
  const history = (source as HistoryLike | null)?.history;
  if (typeof history !== "object" || history === null || Array.isArray(history)) {
    throw new Error(
      `${fn}: expected fit's History (an object with a .history of metric → values), got ${describeValue(source)}`,
    );
  }
  for (const [key, values] of Object.entries(history)) {
    if (!Array.isArray(values) || values.some((value) => typeof value !== "number")) {
      throw new Error(`${fn}: history.${key} must be an array of numbers, got ${describeValue(values)}`);
    }
  }
  return history as Record<string, readonly number[]>;
}

/** loss first, then the other base names in the order fit logged them. */
function defaultMetrics(keys: readonly string[]): string[] {
  const bases = new Set(keys.map(baseName).filter((name) => !NOT_METRICS.has(name)));
  if (bases.size === 0) bases.add(baseName(keys[0])); // a history of learning rates only: draw it rather than nothing
  return [...bases].sort((a, b) => Number(b === "loss") - Number(a === "loss"));
}

function baseName(key: string): string {
  return key.startsWith(VALIDATION_PREFIX) ? key.slice(VALIDATION_PREFIX.length) : key;
}

function checkMetrics(fn: string, metrics: unknown, keys: readonly string[]): string[] {
  if (!Array.isArray(metrics) || metrics.length === 0) {
    throw new Error(
      `${fn}: metrics must be a non-empty array of metric names (e.g. ["loss", "accuracy"]), got ${describeValue(metrics)}`,
    );
  }
  for (const metric of metrics) {
    if (typeof metric !== "string" || !(keys.includes(metric) || keys.includes(VALIDATION_PREFIX + metric))) {
      throw new Error(
        `${fn}: metrics lists ${describeValue(metric)} but the history has no such values; it has ${listNames(keys)}`,
      );
    }
  }
  return [...new Set(metrics as string[])];
}

/** 1-based epoch numbers for `count` epochs: from history.epoch when it covers them, else 1, 2, 3, … */
function epochNumbers(fn: string, source: HistoryLike, count: number): number[] {
  const given = source.epoch;
  if (given === undefined || (Array.isArray(given) && given.length === 0))
    return Array.from({ length: count }, (_, i) => i + 1);
  if (
    !Array.isArray(given) ||
    given.length < count ||
    !given.every((value, i) => Number.isInteger(value) && (i === 0 || value > given[i - 1]))
  ) {
    throw new Error(`${fn}: history.epoch must list ${count} increasing epoch indices, got ${describeValue(given)}`);
  }
  return given.slice(0, count).map((epoch) => epoch + 1);
}

/** Checks a size option; returns it, or the default. */
export function sizeOption(fn: string, name: string, value: unknown, fallback: number, min: number): number {
  return value === undefined ? fallback : checkNumber(fn, name, value, { integer: true, min });
}
