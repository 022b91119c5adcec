// Keras's AUC (ROC curve, "interpolation" summation) is the trapezoid rule over the ROC points at its thresholds
// [−ε, 1/(T−1), …, (T−2)/(T−1), 1 + ε] (a prediction counts as positive above a threshold). Two independent
// float64 references:
// - with predictions on a few levels that the thresholds separate, the trapezoid over the ROC curve is exactly
//   the Mann–Whitney statistic P(score⁺ > score⁻) + ½·P(score⁺ = score⁻): ties between a positive and a
//   negative are the diagonal segments where a left or right Riemann sum differs from the trapezoid;
// - with continuous predictions and few thresholds, the ROC points counted here and summed by the trapezoid.
// Predictions reach the metric through a Dense layer fixed to the identity, and evaluate runs several batches.
import { beforeAll, describe, expect, it } from "vitest";
import { init, layers, metrics, Sequential, tensor } from "../../ts/index.js";
import { seededRandom } from "../helpers/model-fixtures.js";

beforeAll(() => init());

const EPSILON = 1e-7;

/** densa's AUC of `scores` for `labels`, through evaluate in batches of 16. */
async function densaAuc(scores: number[], labels: number[], numThresholds?: number): Promise<number> {
  const model = new Sequential([new layers.Dense(1, { inputShape: [1], useBias: false, kernelInitializer: "ones" })]);
  model.compile({
    optimizer: "sgd",
    loss: "mse",
    metrics: [metrics.auc(numThresholds === undefined ? {} : { numThresholds })],
  });
  const result = await model.evaluate(
    tensor(Float32Array.from(scores), [scores.length, 1]),
    tensor(Float32Array.from(labels), [labels.length, 1]),
    { batchSize: 16, verbose: 0 },
  );
  model.dispose();
  return result.auc;
}

function mannWhitney(scores: number[], labels: number[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((positive, i) => {
    if (labels[i] !== 1) return;
    scores.forEach((negative, j) => {
      if (labels[j] !== 0) return;
      pairs += 1;
      wins += positive > negative ? 1 : positive === negative ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

function trapezoidOverThresholds(scores: number[], labels: number[], numThresholds: number): number {
  const thresholds = [
    -EPSILON,
    ...Array.from({ length: numThresholds - 2 }, (_, i) => (i + 1) / (numThresholds - 1)),
    1 + EPSILON,
  ];
  const points = thresholds.map((threshold) => {
    let tp = 0,
      fp = 0,
      fn = 0,
      tn = 0;
    scores.forEach((score, i) => {
      const predicted = Math.min(1, Math.max(0, score)) > threshold;
      if (labels[i] === 1) predicted ? tp++ : fn++;
      else predicted ? fp++ : tn++;
    });
    return { tpr: tp / (tp + fn), fpr: fp / (fp + tn) };
  });
  let area = 0;
  for (let k = 0; k + 1 < points.length; k++)
    area += ((points[k].fpr - points[k + 1].fpr) * (points[k].tpr + points[k + 1].tpr)) / 2;
  return area;
}

/** Seeded labels and scores that lean towards them; `levels` > 0 puts the scores on that many midpoints. */
function data(count: number, seed: number, levels: number): { scores: number[]; labels: number[] } {
  const random = seededRandom(seed);
  const labels = Array.from({ length: count }, () => (random() < 0.45 ? 1 : 0));
  const scores = labels.map((label) => {
    const raw = Math.min(0.999, Math.max(0, 0.35 * label + 0.65 * random()));
    return levels > 0 ? (Math.floor(raw * levels) + 0.5) / levels : raw;
  });
  return { scores, labels };
}

describe("AUC against float64 references", () => {
  it("scores on 8 levels (many positive/negative ties): the trapezoid is the Mann–Whitney statistic", async () => {
    const { scores, labels } = data(90, 5, 8);
    const exact = mannWhitney(scores, labels);
    // NOTE: a Riemann sum would drop or double half the tie mass; make sure it is large enough to see.
    const ties = scores.filter((s, i) => labels[i] === 1 && scores.some((t, j) => labels[j] === 0 && t === s)).length;
    expect(ties).toBeGreaterThan(20);
    expect(Math.abs((await densaAuc(scores, labels)) - exact)).toBeLessThan(1e-6);
    expect(Math.abs(trapezoidOverThresholds(scores, labels, 200) - exact)).toBeLessThan(1e-12);
  });

  it("continuous scores, 7 thresholds: the trapezoid over the thresholds' ROC points", async () => {
    const { scores, labels } = data(70, 6, 0);
    const expected = trapezoidOverThresholds(scores, labels, 7);
    expect(Math.abs((await densaAuc(scores, labels, 7)) - expected)).toBeLessThan(1e-6);
  });

  it("perfect, reversed and constant scores give 1, 0 and ½", async () => {
    const labels = [0, 1, 0, 1, 1, 0];
    expect(
      await densaAuc(
        labels.map((l) => 0.2 + 0.6 * l),
        labels,
      ),
    ).toBeCloseTo(1, 6);
    expect(
      await densaAuc(
        labels.map((l) => 0.8 - 0.6 * l),
        labels,
      ),
    ).toBeCloseTo(0, 6);
    expect(
      await densaAuc(
        labels.map(() => 0.4),
        labels,
      ),
    ).toBeCloseTo(0.5, 6);
  });
});
