// "sparse_top_k_categorical_accuracy" resolved by name (Keras's default k = 5), against a scalar reference: a
// sample counts when its integer label is among the k highest predictions of its row (no ties here: the
// scores are continuous). 8 classes, so top-5 is neither always nor never right.
import { beforeAll, describe, expect, it } from "vitest";
import { init, layers, Sequential, tensor } from "../../ts/index.js";
import { randomInts, uniformArray } from "../helpers/seeded.js";

beforeAll(() => init());

const ROWS = 60;
const CLASSES = 8;

function topKAccuracy(scores: Float32Array, labels: Int32Array, k: number, weights?: ArrayLike<number>): number {
  let hits = 0;
  let total = 0;
  for (let r = 0; r < ROWS; r++) {
    const row = scores.subarray(r * CLASSES, (r + 1) * CLASSES);
    const higher = row.filter((score) => score > row[labels[r]]).length;
    const weight = weights ? weights[r] : 1;
    if (higher < k) hits += weight;
    total += weight;
  }
  return hits / total;
}

describe("sparse_top_k_categorical_accuracy by name", () => {
  it("is the share of labels among the 5 highest scores, per batch and accumulated over evaluate", async () => {
    const model = new Sequential([new layers.Dense(CLASSES, { activation: "softmax", inputShape: [5] })]);
    model.setWeights([
      tensor(uniformArray(5 * CLASSES, 61, -2, 2), [5, CLASSES]),
      tensor(uniformArray(CLASSES, 62), [CLASSES]),
    ]);
    model.compile({
      optimizer: "sgd",
      loss: "sparse_categorical_crossentropy",
      metrics: ["sparse_top_k_categorical_accuracy"],
    });
    const x = tensor(uniformArray(ROWS * 5, 63, -1, 1), [ROWS, 5]);
    const labels = randomInts(ROWS, 64, CLASSES);
    const expected = topKAccuracy(model.predict(x).data, labels, 5);
    expect(expected).toBeGreaterThan(0.3);
    expect(expected).toBeLessThan(0.95);
    const scores = await model.evaluate(x, Array.from(labels), { batchSize: 16, verbose: 0 });
    expect(Object.keys(scores)).toEqual(["loss", "sparse_top_k_categorical_accuracy"]);
    expect(scores.sparse_top_k_categorical_accuracy).toBeCloseTo(expected, 6);
    // NOTE: as in Keras 3, metrics given as `metrics` ignore sample weights (only weighted_metrics see them).
    const weights = Array.from({ length: ROWS }, (_, i) => [0.5, 2, 1][i % 3]);
    const weighted = await model.evaluate(x, Array.from(labels), { batchSize: 16, sampleWeight: weights, verbose: 0 });
    expect(weighted.sparse_top_k_categorical_accuracy).toBeCloseTo(expected, 6);
    expect(topKAccuracy(model.predict(x).data, labels, 5, weights)).not.toBeCloseTo(expected, 3);
    model.dispose();
  });
});
