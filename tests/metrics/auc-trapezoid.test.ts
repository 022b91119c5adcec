// Keras 3's AUC (curve "ROC", summation "interpolation", keras/src/metrics/confusion_metrics.py): confusion counts
// at T thresholds [−ε, 1/(T−1), …, (T−2)/(T−1), 1 + ε] (a prediction counts as positive when > threshold), then
// the trapezoid Σₖ (FPRₖ − FPRₖ₊₁)·(TPRₖ + TPRₖ₊₁)/2. The reference below computes that in float64 from the raw
// predictions; predictions sit strictly between thresholds, so float32 and float64 agree on every comparison.
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { seededFloats } from "../../examples/datasets.mjs";
import { AUC } from "../../ts/metrics/confusion-metrics.js";
import { auc as aucFactory } from "../../ts/metrics/factories.js";
import { denseBatch } from "../helpers/metric-batches.js";
import { freeAll, loadEngine } from "../helpers/wasm.js";

beforeAll(loadEngine);
afterEach(freeAll);

function referenceAuc(
  predictions: readonly number[],
  labels: readonly number[],
  weights: readonly number[],
  perRow: number,
  thresholdCount: number,
): number {
  const thresholds = Array.from({ length: thresholdCount }, (_, k) =>
    k === 0 ? -1e-7 : k === thresholdCount - 1 ? 1 + 1e-7 : k / (thresholdCount - 1),
  );
  const tpr: number[] = [];
  const fpr: number[] = [];
  for (const t of thresholds) {
    let tp = 0,
      fp = 0,
      tn = 0,
      fn = 0;
    predictions.forEach((p, i) => {
      const w = weights[Math.floor(i / perRow)];
      if (labels[i] === 1) p > t ? (tp += w) : (fn += w);
      else p > t ? (fp += w) : (tn += w);
    });
    tpr.push(tp + fn === 0 ? 0 : tp / (tp + fn));
    fpr.push(fp + tn === 0 ? 0 : fp / (fp + tn));
  }
  let area = 0;
  for (let k = 0; k < thresholdCount - 1; k++) area += (fpr[k] - fpr[k + 1]) * ((tpr[k] + tpr[k + 1]) / 2);
  return area;
}

/** Seeded scores between thresholds, labels correlated with them (so the AUC is neither 0.5 nor 1). */
function data(count: number, seed: number, thresholdCount: number) {
  const next = seededFloats(seed);
  const predictions: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    const bucket = Math.floor(next() * (thresholdCount - 1));
    const p = (bucket + 0.5) / (thresholdCount - 1);
    predictions.push(p);
    labels.push(next() < 0.2 + 0.6 * p ? 1 : 0);
  }
  return { predictions, labels };
}

describe("AUC: the trapezoid over the ROC curve", () => {
  test.each([
    [200, 60, 1, 11],
    [200, 45, 3, 12],
    [7, 40, 1, 13],
    [2, 20, 1, 14],
  ])("T = %i, %i predictions, %i per row", (thresholdCount, count, perRow, seed) => {
    const { predictions, labels } = data(count, seed, thresholdCount);
    const metric = new AUC("auc", thresholdCount);
    metric.update(denseBatch(predictions, labels, perRow));
    const ones = new Array(count / perRow).fill(1);
    expect(metric.result()).toBeCloseTo(referenceAuc(predictions, labels, ones, perRow, thresholdCount), 6);
    metric.dispose();
  });

  test("sample weights weigh each row's predictions; batches accumulate; reset clears", () => {
    const { predictions, labels } = data(48, 21, 200);
    const weights = Array.from({ length: 24 }, (_, i) => (i % 5) * 0.5);
    const metric = new AUC();
    metric.update(denseBatch(predictions.slice(0, 20), labels.slice(0, 20), 2, weights.slice(0, 10)));
    metric.update(denseBatch(predictions.slice(20), labels.slice(20), 2, weights.slice(10)));
    expect(metric.result()).toBeCloseTo(referenceAuc(predictions, labels, weights, 2, 200), 6);
    metric.reset();
    expect(metric.result()).toBe(0);
    metric.update(denseBatch(predictions.slice(0, 20), labels.slice(0, 20), 2, weights.slice(0, 10)));
    expect(metric.result()).toBeCloseTo(
      referenceAuc(predictions.slice(0, 20), labels.slice(0, 20), weights.slice(0, 10), 2, 200),
      6,
    );
    metric.dispose();
  });

  test("perfectly ranked scores give 1, reversed give 0, one class only gives 0", () => {
    const perfect = new AUC();
    perfect.update(denseBatch([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1], 1));
    expect(perfect.result()).toBeCloseTo(1, 6);
    const reversed = new AUC();
    reversed.update(denseBatch([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0], 1));
    expect(reversed.result()).toBeCloseTo(0, 6);
    const positivesOnly = new AUC();
    positivesOnly.update(denseBatch([0.1, 0.9], [1, 1], 1));
    expect(positivesOnly.result()).toBe(0);
    for (const metric of [perfect, reversed, positivesOnly]) metric.dispose();
  });

  test("a left Riemann sum would differ: one positive and one negative in the same bucket give ½, not 0 or 1", () => {
    const metric = new AUC("auc", 3);
    metric.update(denseBatch([0.25, 0.25], [1, 0], 1));
    expect(metric.result()).toBeCloseTo(0.5, 12);
    metric.dispose();
  });

  test("config, factory defaults and bad numThresholds", () => {
    const metric = aucFactory();
    expect(metric.name).toBe("auc");
    expect(metric.getConfig()).toEqual({
      className: "AUC",
      config: { name: "auc", numThresholds: 200, curve: "ROC", summationMethod: "interpolation" },
    });
    expect(aucFactory({ name: "roc", numThresholds: 50 }).getConfig().config).toMatchObject({
      name: "roc",
      numThresholds: 50,
    });
    expect(() => new AUC("auc", 1)).toThrow("AUC: numThresholds must be an integer > 1, got 1");
    expect(() => new AUC("auc", 2.5)).toThrow("AUC: numThresholds must be an integer > 1, got 2.5");
    expect(() => aucFactory({ thresholds: 3 } as never)).toThrow("metrics.auc");
  });
});
