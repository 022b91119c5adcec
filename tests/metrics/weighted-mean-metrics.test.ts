// Keras 3's mean metrics (MeanMetricWrapper / Mean): each sample's value is the mean over its outputs, and the
// metric is Σᵢ wᵢ·vᵢ / Σᵢ wᵢ over every batch since the last reset (Σ wᵢ = rows when unweighted). Per-sample
// values follow Keras's functions: binary_accuracy ((p > threshold) == y), categorical / sparse accuracy (argmax,
// first index on ties), top-k (label among the k highest), MAE, MSE, RMSE (√ of the weighted mean of squared
// errors), MAPE (100·|y − p| / max(|y|, ε)). References in float64.
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { seededFloats } from "../../examples/datasets.mjs";
import * as factories from "../../ts/metrics/factories.js";
import { RootMeanSquaredError, TopKCategoricalAccuracy, weightTotal } from "../../ts/metrics/mean-metrics.js";
import type { Metric } from "../../ts/metrics/metric.js";
import { denseBatch, sparseBatch } from "../helpers/metric-batches.js";
import { freeAll, loadEngine } from "../helpers/wasm.js";

beforeAll(loadEngine);
afterEach(freeAll);

const COLS = 3;
const ROWS = 9;
const next = seededFloats(4242);
const predictions = Array.from({ length: ROWS * COLS }, () => Math.round(next() * 100) / 100);
const regressionTargets = Array.from({ length: ROWS * COLS }, () => Math.round((next() * 4 - 2) * 100) / 100);
const binaryTargets = predictions.map(() => (next() < 0.5 ? 1 : 0));
const labels = Array.from({ length: ROWS }, () => Math.floor(next() * COLS));
const oneHot = labels.flatMap((label) => Array.from({ length: COLS }, (_, c) => (c === label ? 1 : 0)));
const weights = Array.from({ length: ROWS }, (_, i) => [0.5, 2, 0, 1.25][i % 4]);

const row = (values: readonly number[], i: number) => values.slice(i * COLS, (i + 1) * COLS);
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const argmax = (values: number[]) => values.indexOf(Math.max(...values));

/** Σ wᵢ·vᵢ / Σ wᵢ over the rows. */
function weightedMean(perSample: (i: number) => number, w: readonly number[] | null): number {
  let total = 0,
    count = 0;
  for (let i = 0; i < ROWS; i++) {
    const weight = w ? w[i] : 1;
    total += weight * perSample(i);
    count += weight;
  }
  return total / count;
}

/** Updates over two batches (rows 0–3 and 4–8) so that accumulation is part of every check. */
function run(metric: Metric, targets: readonly number[], w: readonly number[] | null, sparse = false): number {
  for (const [from, to] of [
    [0, 4],
    [4, ROWS],
  ]) {
    const p = predictions.slice(from * COLS, to * COLS);
    const ws = w ? w.slice(from, to) : undefined;
    metric.update(
      sparse
        ? sparseBatch(p, targets.slice(from, to), COLS, ws)
        : denseBatch(p, targets.slice(from * COLS, to * COLS), COLS, ws),
    );
  }
  const result = metric.result();
  metric.dispose();
  return result;
}

const perSample: [string, () => Metric, readonly number[], (i: number) => number, boolean?][] = [
  [
    "binaryAccuracy",
    () => factories.binaryAccuracy(),
    binaryTargets,
    (i) => mean(row(predictions, i).map((p, c) => Number((p > 0.5 ? 1 : 0) === row(binaryTargets, i)[c]))),
  ],
  [
    "binaryAccuracy (threshold 0.3)",
    () => factories.binaryAccuracy({ threshold: 0.3 }),
    binaryTargets,
    (i) => mean(row(predictions, i).map((p, c) => Number((p > 0.3 ? 1 : 0) === row(binaryTargets, i)[c]))),
  ],
  [
    "categoricalAccuracy",
    () => factories.categoricalAccuracy(),
    oneHot,
    (i) => Number(argmax(row(predictions, i)) === labels[i]),
  ],
  [
    "sparseCategoricalAccuracy",
    () => factories.sparseCategoricalAccuracy(),
    labels,
    (i) => Number(argmax(row(predictions, i)) === labels[i]),
    true,
  ],
  [
    "topKCategoricalAccuracy (k 2)",
    () => factories.topKCategoricalAccuracy({ k: 2 }),
    oneHot,
    (i) => Number(row(predictions, i).filter((p) => p > row(predictions, i)[labels[i]]).length < 2),
  ],
  [
    "top-k with integer labels (k 2)",
    () => new TopKCategoricalAccuracy(2, "sparse_top_k"),
    labels,
    (i) => Number(row(predictions, i).filter((p) => p > row(predictions, i)[labels[i]]).length < 2),
    true,
  ],
  [
    "meanAbsoluteError",
    () => factories.meanAbsoluteError(),
    regressionTargets,
    (i) => mean(row(predictions, i).map((p, c) => Math.abs(p - row(regressionTargets, i)[c]))),
  ],
  [
    "meanSquaredError",
    () => factories.meanSquaredError(),
    regressionTargets,
    (i) => mean(row(predictions, i).map((p, c) => (p - row(regressionTargets, i)[c]) ** 2)),
  ],
  [
    "meanAbsolutePercentageError",
    () => factories.meanAbsolutePercentageError(),
    regressionTargets,
    (i) =>
      mean(
        row(predictions, i).map(
          (p, c) =>
            (100 * Math.abs(row(regressionTargets, i)[c] - p)) / Math.max(Math.abs(row(regressionTargets, i)[c]), 1e-7),
        ),
      ),
  ],
];

describe.each([
  ["unweighted", null],
  ["weighted", weights],
] as const)("%s", (_, w) => {
  test.each(perSample)("%s", (__, make, targets, value, sparse) => {
    expect(run(make(), targets, w, sparse)).toBeCloseTo(weightedMean(value, w), 5);
  });

  test("rootMeanSquaredError is the square root of the weighted mean squared error", () => {
    const mse = weightedMean(
      (i) => mean(row(predictions, i).map((p, c) => (p - row(regressionTargets, i)[c]) ** 2)),
      w,
    );
    expect(run(factories.rootMeanSquaredError(), regressionTargets, w)).toBeCloseTo(Math.sqrt(mse), 5);
  });
});

describe("state and bookkeeping", () => {
  test("reset starts a new mean; no data gives 0", () => {
    const metric = factories.meanAbsoluteError();
    expect(metric.result()).toBe(0);
    metric.update(denseBatch([1, 2], [0, 0], 1));
    expect(metric.result()).toBe(1.5);
    metric.reset();
    expect(metric.result()).toBe(0);
    metric.update(denseBatch([4], [0], 1));
    expect(metric.result()).toBe(4);
  });

  test("weightTotal: rows when unweighted, Σ w otherwise", () => {
    expect(weightTotal(denseBatch([0, 0, 0], [0, 0, 0], 1))).toBe(3);
    expect(weightTotal(denseBatch([0, 0, 0], [0, 0, 0], 1, [0.5, 2, 0.25]))).toBe(2.75);
  });

  test("top-k's label block grows with the batch and is freed by dispose", () => {
    const metric = new TopKCategoricalAccuracy(1);
    metric.update(denseBatch([0.9, 0.1], [1, 0], 2));
    metric.update(denseBatch([0.9, 0.1, 0.2, 0.8, 0.6, 0.4], [0, 1, 0, 1, 1, 0], 2));
    // Matches: row 1 of the first batch, rows 2 and 3 of the second (row 1 has label 1 but scores 0.9 / 0.1).
    expect(metric.result()).toBeCloseTo(3 / 4, 12);
    metric.dispose();
    metric.dispose();
  });

  test("names and configs as Keras saves them", () => {
    expect(factories.binaryAccuracy().getConfig()).toEqual({
      className: "BinaryAccuracy",
      config: { name: "binary_accuracy", threshold: 0.5 },
    });
    expect(factories.binaryAccuracy({ name: "acc", threshold: 0.7 }).getConfig()).toEqual({
      className: "BinaryAccuracy",
      config: { name: "acc", threshold: 0.7 },
    });
    expect(factories.categoricalAccuracy().getConfig()).toEqual({
      className: "CategoricalAccuracy",
      config: { name: "categorical_accuracy" },
    });
    expect(factories.sparseCategoricalAccuracy().getConfig()).toEqual({
      className: "SparseCategoricalAccuracy",
      config: { name: "sparse_categorical_accuracy" },
    });
    expect(factories.topKCategoricalAccuracy().getConfig()).toEqual({
      className: "TopKCategoricalAccuracy",
      config: { name: "top_k_categorical_accuracy", k: 5 },
    });
    expect(factories.meanAbsoluteError().getConfig()).toEqual({
      className: "MeanAbsoluteError",
      config: { name: "mean_absolute_error" },
    });
    expect(factories.meanSquaredError().getConfig()).toEqual({
      className: "MeanSquaredError",
      config: { name: "mean_squared_error" },
    });
    expect(factories.rootMeanSquaredError().getConfig()).toEqual({
      className: "RootMeanSquaredError",
      config: { name: "root_mean_squared_error" },
    });
    expect(factories.meanAbsolutePercentageError().getConfig()).toEqual({
      className: "MeanAbsolutePercentageError",
      config: { name: "mean_absolute_percentage_error" },
    });
    expect(factories.meanSquaredError({ name: "m" }).name).toBe("m");
  });

  test("bad options name the factory", () => {
    expect(() => factories.topKCategoricalAccuracy({ k: 0 })).toThrow(
      "topKCategoricalAccuracy: k must be a positive integer, got 0",
    );
    expect(() => factories.topKCategoricalAccuracy({ k: 1.5 })).toThrow(
      "topKCategoricalAccuracy: k must be a positive integer, got 1.5",
    );
    expect(() => factories.binaryAccuracy({ thresholds: 0.5 } as never)).toThrow("metrics.binaryAccuracy");
    expect(() => factories.meanSquaredError({ k: 1 } as never)).toThrow("metrics.meanSquaredError");
    const unknown = { threshold: 1 } as never;
    expect(() => factories.categoricalAccuracy(unknown)).toThrow("metrics.categoricalAccuracy");
    expect(() => factories.sparseCategoricalAccuracy(unknown)).toThrow("metrics.sparseCategoricalAccuracy");
    expect(() => factories.topKCategoricalAccuracy(unknown)).toThrow("metrics.topKCategoricalAccuracy");
    expect(() => factories.meanAbsoluteError(unknown)).toThrow("metrics.meanAbsoluteError");
    expect(() => factories.rootMeanSquaredError(unknown)).toThrow("metrics.rootMeanSquaredError");
    expect(() => factories.meanAbsolutePercentageError(unknown)).toThrow("metrics.meanAbsolutePercentageError");
    expect(() => factories.recall(unknown)).toThrow("metrics.recall");
  });
});
