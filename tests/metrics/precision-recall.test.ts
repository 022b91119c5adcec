// Keras 3's Precision and Recall at one threshold: over every output of every sample, a prediction is positive
// when > threshold; precision = TP / (TP + FP), recall = TP / (TP + FN), weighted by sample weight, accumulated
// over batches, 0 when the denominator is 0. Reference in float64.
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { seededFloats } from "../../examples/datasets.mjs";
import { ThresholdMetric } from "../../ts/metrics/confusion-metrics.js";
import { precision, recall } from "../../ts/metrics/factories.js";
import { denseBatch } from "../helpers/metric-batches.js";
import { freeAll, loadEngine } from "../helpers/wasm.js";

beforeAll(loadEngine);
afterEach(freeAll);

function counts(predictions: number[], labels: number[], weights: number[], perRow: number, threshold: number) {
  let tp = 0,
    fp = 0,
    fn = 0;
  predictions.forEach((p, i) => {
    const w = weights[Math.floor(i / perRow)];
    if (p > threshold) labels[i] ? (tp += w) : (fp += w);
    else if (labels[i]) fn += w;
  });
  return { precision: tp / (tp + fp), recall: tp / (tp + fn) };
}

const next = seededFloats(77);
const predictions = Array.from({ length: 30 }, () => Math.round(next() * 40) / 40 + 0.01);
const labels = predictions.map((p) => (next() < p ? 1 : 0));
const weights = Array.from({ length: 10 }, (_, i) => 0.25 * (i % 4) + 0.5);

describe("Precision and Recall", () => {
  test.each([0.5, 0.3, 0.71])("threshold %f, weighted, over two batches", (threshold) => {
    const expected = counts(predictions, labels, weights, 3, threshold);
    const p = precision({ thresholds: threshold });
    const r = recall({ thresholds: threshold });
    for (const metric of [p, r]) {
      metric.update(denseBatch(predictions.slice(0, 12), labels.slice(0, 12), 3, weights.slice(0, 4)));
      metric.update(denseBatch(predictions.slice(12), labels.slice(12), 3, weights.slice(4)));
    }
    expect(p.result()).toBeCloseTo(expected.precision, 6);
    expect(r.result()).toBeCloseTo(expected.recall, 6);
    p.dispose();
    r.dispose();
  });

  test("default threshold 0.5; a prediction equal to it is negative", () => {
    const p = new ThresholdMetric("Precision", "precision");
    const r = new ThresholdMetric("Recall", "recall");
    for (const metric of [p, r]) metric.update(denseBatch([0.5, 0.9, 0.6, 0.1], [1, 1, 0, 1], 1));
    expect(p.result()).toBeCloseTo(1 / 2, 12);
    expect(r.result()).toBeCloseTo(1 / 3, 12);
    p.reset();
    r.reset();
    expect([p.result(), r.result()]).toEqual([0, 0]);
    p.dispose();
    r.dispose();
  });

  test("nothing predicted positive: precision 0 (not NaN); no positives: recall 0", () => {
    const p = precision();
    const r = recall();
    for (const metric of [p, r]) metric.update(denseBatch([0.1, 0.2], [0, 0], 1));
    expect([p.result(), r.result()]).toEqual([0, 0]);
    p.dispose();
    r.dispose();
  });

  test("names, configs and bad thresholds", () => {
    expect(precision().name).toBe("precision");
    expect(recall().name).toBe("recall");
    expect(precision({ name: "p70", thresholds: 0.7 }).getConfig()).toEqual({
      className: "Precision",
      config: { name: "p70", thresholds: 0.7 },
    });
    expect(recall({ thresholds: 0.2 }).getConfig()).toEqual({
      className: "Recall",
      config: { name: "recall", thresholds: 0.2 },
    });
    expect(() => precision({ thresholds: 1.5 })).toThrow("Precision: thresholds must be in [0, 1], got 1.5");
    expect(() => recall({ thresholds: -0.1 })).toThrow("Recall: thresholds must be in [0, 1], got -0.1");
    expect(() => recall({ thresholds: Number.NaN })).toThrow("Recall: thresholds must be in [0, 1], got NaN");
    expect(() => precision({ threshold: 0.5 } as never)).toThrow("metrics.precision");
    expect(new ThresholdMetric("Recall", "r", 0).threshold).toBe(0);
    expect(new ThresholdMetric("Recall", "r", 1).threshold).toBe(1);
  });
});
