// densa vs @tensorflow/tfjs: metrics both have, reported per step by trainOnBatch (on the outputs before the
// update) while 10 SGD steps run; to 1e-5 relative with the weights (floors in tests/helpers/parity.ts).
//
// What tfjs lacks, and what stands in for it here:
// - tfjs's precision / recall count predictions EQUAL to 1 (no threshold); Keras's use y_pred > 0.5. tfjs's
//   function is given the predictions thresholded at 0.5 (with tfjs ops), which is Keras's definition.
// - tfjs's topKCategoricalAccuracy throws NotImplementedError; tf.inTopKAsync on tfjs's own outputs stands in.
// - binary accuracy at another threshold: tfjs's is fixed at 0.5; written with tfjs ops.
// - AUC and root mean squared error: tfjs-layers has neither, so they are not compared here.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { metrics, optimizers } from "../../ts/index.js";
import {
  expectParity as expectParityOfRun,
  makeBatches,
  oneHot,
  PARITY_RTOL,
  type ParityRun,
  runParity,
  SCALAR_FLOOR,
  setupParity,
  worstRelative,
} from "../helpers/parity.js";

const sgd = () => new optimizers.SGD({ learningRate: 0.3 });
const tfSgd = () => tf.train.sgd(0.3);
const hidden = { dense: 9, activation: "tanh" } as const;
const thresholded = (p: tf.Tensor, threshold: number) => tf.cast(tf.greater(p, threshold), "float32");
const multiLabel = (x: number[]) => [x[0] > 0 ? 1 : 0, x[1] + x[2] > 0.3 ? 1 : 0, x[3] * x[4] > 0 ? 1 : 0];
const classOf5 = (x: number[]) => (x[0] > 0.5 ? 0 : x[1] > 0.3 ? 1 : x[2] > 0 ? 2 : x[3] > 0 ? 3 : 4);

/** Parity, and every metric took a value other than 0 and 1 at some step (else agreeing would prove little). */
function expectParity(run: ParityRun): void {
  expectParityOfRun(run);
  run.names.forEach((name, column) => {
    const values = run.densaLogs.map((logs) => logs[column]);
    expect(
      values.some((value) => value > 0 && value < 1) || values.some((value) => value > 1),
      `${name} is always 0 or 1: ${values.join(", ")}`,
    ).toBe(true);
  });
}

beforeAll(setupParity);

describe("metrics: densa vs tfjs", () => {
  it("binary accuracy, precision and recall (threshold 0.5) on a multi-label sigmoid output", async () => {
    expectParity(
      await runParity({
        inputs: 7,
        layers: [hidden, { dense: 3, activation: "sigmoid" }],
        densaOptimizer: sgd,
        tfOptimizer: tfSgd,
        densaLoss: "binary_crossentropy",
        tfLoss: "binaryCrossentropy",
        densaMetrics: ["binary_accuracy", "precision", "recall"],
        tfMetrics: [
          "binaryAccuracy",
          (t: tf.Tensor, p: tf.Tensor) => tf.metrics.precision(t, thresholded(p, 0.5)),
          (t: tf.Tensor, p: tf.Tensor) => tf.metrics.recall(t, thresholded(p, 0.5)),
        ],
        batches: makeBatches(21, 10, 13, 7, 1, multiLabel),
      }),
    );
  });

  it("binary accuracy, precision and recall at threshold 0.7", async () => {
    expectParity(
      await runParity({
        inputs: 7,
        layers: [hidden, { dense: 3, activation: "sigmoid" }],
        densaOptimizer: sgd,
        tfOptimizer: tfSgd,
        densaLoss: "binary_crossentropy",
        tfLoss: "binaryCrossentropy",
        densaMetrics: [
          metrics.binaryAccuracy({ threshold: 0.7 }),
          metrics.precision({ thresholds: 0.7 }),
          metrics.recall({ thresholds: 0.7 }),
        ],
        tfMetrics: [
          (t: tf.Tensor, p: tf.Tensor) => tf.mean(tf.cast(tf.equal(t, thresholded(p, 0.7)), "float32"), -1),
          (t: tf.Tensor, p: tf.Tensor) => tf.metrics.precision(t, thresholded(p, 0.7)),
          (t: tf.Tensor, p: tf.Tensor) => tf.metrics.recall(t, thresholded(p, 0.7)),
        ],
        batches: makeBatches(22, 10, 13, 7, 1.5, multiLabel),
      }),
    );
  });

  it("categorical accuracy, mse and mae on a softmax output", async () => {
    expectParity(
      await runParity({
        inputs: 7,
        layers: [hidden, { dense: 5, activation: "softmax" }],
        densaOptimizer: sgd,
        tfOptimizer: tfSgd,
        densaLoss: "categorical_crossentropy",
        tfLoss: "categoricalCrossentropy",
        densaMetrics: ["categorical_accuracy", "mse", "mae"],
        tfMetrics: ["categoricalAccuracy", "mse", "mae"],
        batches: makeBatches(23, 10, 13, 7, 1, (x) => oneHot(classOf5(x), 5)),
      }),
    );
  });

  it("sparse categorical accuracy on integer labels", async () => {
    expectParity(
      await runParity({
        inputs: 7,
        layers: [hidden, { dense: 5, activation: "softmax" }],
        densaOptimizer: sgd,
        tfOptimizer: tfSgd,
        densaLoss: "sparse_categorical_crossentropy",
        tfLoss: "sparseCategoricalCrossentropy",
        densaMetrics: ["sparse_categorical_accuracy"],
        tfMetrics: [(t: tf.Tensor, p: tf.Tensor) => tf.metrics.sparseCategoricalAccuracy(t, p)],
        batches: makeBatches(24, 10, 13, 7, 1, (x) => [classOf5(x)]),
      }),
    );
  });

  it("mean absolute percentage error on a regression", async () => {
    expectParity(
      await runParity({
        inputs: 7,
        layers: [hidden, { dense: 2 }],
        densaOptimizer: () => new optimizers.SGD({ learningRate: 0.05 }),
        tfOptimizer: () => tf.train.sgd(0.05),
        densaLoss: "mse",
        tfLoss: "meanSquaredError",
        densaMetrics: ["mape", "mae", "mse"],
        tfMetrics: ["mape", "mae", "mse"],
        batches: makeBatches(25, 10, 13, 7, 1, (x, random) => [2 + x[0] + random(), -1.5 + x[1] * x[2]]),
      }),
    );
  });

  for (const sparse of [false, true]) {
    it(`${sparse ? "sparse " : ""}top-k categorical accuracy (k 2) against tf.inTopKAsync on tfjs's outputs`, async () => {
      const batches = makeBatches(26, 10, 13, 7, 1, (x) => (sparse ? [classOf5(x)] : oneHot(classOf5(x), 5)));
      const run = await runParity({
        inputs: 7,
        layers: [hidden, { dense: 5, activation: "softmax" }],
        densaOptimizer: sgd,
        tfOptimizer: tfSgd,
        densaLoss: sparse ? "sparse_categorical_crossentropy" : "categorical_crossentropy",
        tfLoss: sparse ? "sparseCategoricalCrossentropy" : "categoricalCrossentropy",
        densaMetrics: [metrics.topKCategoricalAccuracy({ k: 2, name: "top2" })],
        batches,
      });
      expectParity({ ...run, densaLogs: run.densaLogs.map((logs) => logs.slice(0, 1)), names: run.names.slice(0, 1) });
      const hits: number[] = [];
      for (const [step, batch] of batches.entries()) {
        const labels = batch.y.map((row) => (sparse ? row[0] : row.indexOf(1)));
        const inTopK = await tf.inTopKAsync(
          tf.tensor2d(run.tfOutputs[step], [labels.length, 5]),
          tf.tensor1d(labels, "int32"),
          2,
        );
        const data = Array.from(await inTopK.data());
        hits.push(data.reduce((total, hit) => total + hit, 0) / labels.length);
      }
      const densaTopK = run.densaLogs.map((logs) => logs[1]);
      expect(worstRelative(densaTopK, hits, SCALAR_FLOOR).error).toBeLessThanOrEqual(PARITY_RTOL);
      // NOTE: the metric must not be trivially 0 or 1 for the comparison to mean something.
      expect(hits.some((value) => value > 0 && value < 1)).toBe(true);
    });
  }
});
