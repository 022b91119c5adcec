// densa vs @tensorflow/tfjs: every loss both have, with a fitting output activation and targets, 10 SGD steps of a
// 7 → 9 (tanh) → k MLP; losses, metrics and final weights to 1e-5 relative (floors in tests/helpers/parity.ts).
// Losses tfjs-layers does not name (Huber, the fromLogits and label-smoothing forms) are written for tfjs as Keras
// 3 defines them, from tfjs's own tf.losses ops.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, it } from "vitest";
import { losses, optimizers } from "../../ts/index.js";
import type { LossIdentifier } from "../../ts/losses/loss.js";
import type { MetricIdentifier } from "../../ts/metrics/index.js";
import {
  expectParity,
  type LayerSpec,
  makeBatches,
  oneHot,
  type ParityCase,
  runParity,
  setupParity,
} from "../helpers/parity.js";

type TfLoss = ParityCase["tfLoss"];
const NONE = tf.Reduction.NONE;

interface LossCase {
  name: string;
  densaLoss: LossIdentifier;
  tfLoss: TfLoss;
  output: string;
  classes: number;
  /** Targets for one sample from its features. */
  target: (x: number[], random: () => number) => number[];
  densaMetrics?: MetricIdentifier[];
  tfMetrics?: ParityCase["tfMetrics"];
  learningRate?: number;
  hidden?: LayerSpec;
  tfTarget?: ParityCase["tfTarget"];
}

const regression = (k: number) => (x: number[], random: () => number) =>
  Array.from({ length: k }, (_, j) => x[j] - 0.5 * x[j + 2] + 0.3 * (random() - 0.5));
const classOf = (x: number[]) => (x[0] + 0.5 * x[3] > 0.4 ? 0 : x[1] - x[5] > 0 ? 1 : 2);
const multiLabel = (x: number[]) => [x[0] > 0 ? 1 : 0, x[1] + x[2] > 0.3 ? 1 : 0];
const plusMinus = (x: number[]) => [x[0] > 0 ? 1 : -1, x[1] - x[4] > 0 ? 1 : -1];
/** Keras's label smoothing of one-hot (k classes) or binary targets, for tfjs's probability losses. */
const smoothCategorical = (ls: number, k: number) => (t: tf.Tensor) => tf.add(tf.mul(t, 1 - ls), ls / k);
const smoothBinary = (ls: number) => (t: tf.Tensor) => tf.add(tf.mul(t, 1 - ls), 0.5 * ls);

const cases: LossCase[] = [
  {
    name: "meanSquaredError",
    densaLoss: "mean_squared_error",
    tfLoss: "meanSquaredError",
    output: "linear",
    classes: 3,
    target: regression(3),
    densaMetrics: ["mae"],
    tfMetrics: ["mae"],
  },
  {
    name: "meanAbsoluteError",
    densaLoss: "mae",
    tfLoss: "meanAbsoluteError",
    output: "linear",
    classes: 3,
    target: regression(3),
    densaMetrics: ["mse"],
    tfMetrics: ["mse"],
  },
  {
    name: "meanAbsolutePercentageError",
    densaLoss: "mape",
    tfLoss: "meanAbsolutePercentageError",
    output: "linear",
    classes: 2,
    target: (x, random) => [1.5 + x[0] + random(), -(1 + x[1] * x[1] + random())],
    densaMetrics: ["mape"],
    tfMetrics: ["mape"],
    learningRate: 0.01,
  },
  {
    name: "meanSquaredLogarithmicError",
    densaLoss: "msle",
    tfLoss: "meanSquaredLogarithmicError",
    output: "softplus",
    classes: 3,
    target: (x, random) => [Math.exp(x[0]), 2 * random(), Math.abs(x[2] + x[3])],
    learningRate: 0.3,
  },
  {
    name: "huber (δ 1)",
    densaLoss: new losses.Huber(),
    tfLoss: (t, p) => tf.losses.huberLoss(t, p, undefined, 1, NONE),
    output: "linear",
    classes: 3,
    target: (x, r) => regression(3)(x, r).map((v) => 2 * v),
  },
  {
    name: "huber (δ 0.3)",
    densaLoss: new losses.Huber({ delta: 0.3 }),
    tfLoss: (t, p) => tf.losses.huberLoss(t, p, undefined, 0.3, NONE),
    output: "linear",
    classes: 3,
    target: regression(3),
  },
  {
    name: "logcosh",
    densaLoss: "logcosh",
    tfLoss: "logcosh",
    output: "linear",
    classes: 3,
    target: (x, r) => regression(3)(x, r).map((v) => 3 * v),
  },
  // NOTE: densa's "accuracy" follows Keras 3 (binary only when the output's last axis is 1), so for these two
  // multi-label outputs it is categorical accuracy; tfjs keeps Keras 2's rule (binary for binaryCrossentropy).
  // The binary accuracies are compared by their explicit names.
  {
    name: "binaryCrossentropy",
    densaLoss: "binary_crossentropy",
    tfLoss: "binaryCrossentropy",
    output: "sigmoid",
    classes: 2,
    target: multiLabel,
    densaMetrics: ["binary_accuracy"],
    tfMetrics: ["accuracy"],
    learningRate: 0.5,
  },
  {
    name: "binaryCrossentropy fromLogits",
    densaLoss: new losses.BinaryCrossentropy({ fromLogits: true }),
    tfLoss: (t, p) => tf.losses.sigmoidCrossEntropy(t, p, undefined, 0, NONE),
    output: "linear",
    classes: 2,
    target: multiLabel,
    densaMetrics: ["binary_accuracy"],
    tfMetrics: ["binaryAccuracy"],
    learningRate: 0.5,
  },
  {
    name: "binaryCrossentropy labelSmoothing 0.1",
    densaLoss: new losses.BinaryCrossentropy({ labelSmoothing: 0.1 }),
    tfLoss: (t, p) => tf.metrics.binaryCrossentropy(smoothBinary(0.1)(t), p),
    output: "sigmoid",
    classes: 2,
    target: multiLabel,
    learningRate: 0.5,
  },
  {
    name: "binaryCrossentropy fromLogits labelSmoothing 0.2",
    densaLoss: new losses.BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.2 }),
    tfLoss: (t, p) => tf.losses.sigmoidCrossEntropy(t, p, undefined, 0.2, NONE),
    output: "linear",
    classes: 2,
    target: multiLabel,
    learningRate: 0.5,
  },
  // NOTE: softmax output + categorical cross-entropy is densa's fused path (the loss gives the logits' gradient).
  {
    name: "categoricalCrossentropy (fused softmax)",
    densaLoss: "categorical_crossentropy",
    tfLoss: "categoricalCrossentropy",
    output: "softmax",
    classes: 3,
    target: (x) => oneHot(classOf(x), 3),
    densaMetrics: ["accuracy"],
    tfMetrics: ["accuracy"],
    learningRate: 0.5,
  },
  {
    name: "categoricalCrossentropy fromLogits",
    densaLoss: new losses.CategoricalCrossentropy({ fromLogits: true }),
    tfLoss: (t, p) => tf.losses.softmaxCrossEntropy(t, p, undefined, 0, NONE),
    output: "linear",
    classes: 3,
    target: (x) => oneHot(classOf(x), 3),
    densaMetrics: ["categorical_accuracy"],
    tfMetrics: ["categoricalAccuracy"],
    learningRate: 0.5,
  },
  {
    name: "categoricalCrossentropy labelSmoothing 0.1 (fused softmax)",
    densaLoss: new losses.CategoricalCrossentropy({ labelSmoothing: 0.1 }),
    tfLoss: (t, p) => tf.metrics.categoricalCrossentropy(smoothCategorical(0.1, 3)(t), p),
    output: "softmax",
    classes: 3,
    target: (x) => oneHot(classOf(x), 3),
    learningRate: 0.5,
  },
  {
    name: "categoricalCrossentropy fromLogits labelSmoothing 0.15",
    densaLoss: new losses.CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.15 }),
    tfLoss: (t, p) => tf.losses.softmaxCrossEntropy(t, p, undefined, 0.15, NONE),
    output: "linear",
    classes: 3,
    target: (x) => oneHot(classOf(x), 3),
    learningRate: 0.5,
  },
  {
    name: "categoricalCrossentropy on soft targets (fused softmax)",
    densaLoss: "categorical_crossentropy",
    tfLoss: "categoricalCrossentropy",
    output: "softmax",
    classes: 3,
    target: (x, random) => {
      const raw = [random() + 0.1, random() + 0.1, x[0] > 0 ? 1 : 0.2];
      const total = raw.reduce((a, b) => a + b);
      return raw.map((v) => v / total);
    },
    learningRate: 0.5,
  },
  {
    name: "sparseCategoricalCrossentropy (fused softmax)",
    densaLoss: "sparse_categorical_crossentropy",
    tfLoss: "sparseCategoricalCrossentropy",
    output: "softmax",
    classes: 3,
    target: (x) => [classOf(x)],
    densaMetrics: ["accuracy"],
    tfMetrics: ["accuracy"],
    learningRate: 0.5,
  },
  {
    name: "sparseCategoricalCrossentropy fromLogits",
    densaLoss: new losses.SparseCategoricalCrossentropy({ fromLogits: true }),
    // NOTE: tfjs checks targets against the output shape unless its loss is its own sparse one, so its side gets
    // the same labels one-hot.
    tfLoss: (t, p) => tf.losses.softmaxCrossEntropy(t, p, undefined, 0, NONE),
    output: "linear",
    classes: 3,
    target: (x) => [classOf(x)],
    tfTarget: ([label]) => oneHot(label, 3),
    densaMetrics: ["sparse_categorical_accuracy"],
    tfMetrics: ["categoricalAccuracy"],
    learningRate: 0.5,
  },
  {
    name: "hinge",
    densaLoss: "hinge",
    tfLoss: "hinge",
    output: "tanh",
    classes: 2,
    target: plusMinus,
    learningRate: 0.3,
  },
  // NOTE: Keras 3 maps all-{0, 1} hinge targets to ±1; tfjs does not, so its side is given the ±1 form.
  {
    name: "hinge on {0, 1} targets",
    densaLoss: "hinge",
    tfLoss: "hinge",
    output: "tanh",
    classes: 2,
    target: (x) => plusMinus(x).map((v) => (v + 1) / 2),
    tfTarget: (row) => row.map((v) => 2 * v - 1),
    learningRate: 0.3,
  },
  {
    name: "squaredHinge on {0, 1} targets",
    densaLoss: "squared_hinge",
    tfLoss: "squaredHinge",
    output: "linear",
    classes: 2,
    target: (x) => plusMinus(x).map((v) => (v + 1) / 2),
    tfTarget: (row) => row.map((v) => 2 * v - 1),
    learningRate: 0.1,
  },
  {
    name: "squaredHinge",
    densaLoss: "squared_hinge",
    tfLoss: "squaredHinge",
    output: "linear",
    classes: 2,
    target: plusMinus,
    learningRate: 0.1,
  },
  {
    name: "categoricalHinge",
    densaLoss: "categorical_hinge",
    tfLoss: "categoricalHinge",
    output: "linear",
    classes: 3,
    target: (x) => oneHot(classOf(x), 3),
    learningRate: 0.3,
  },
  {
    name: "kullbackLeiblerDivergence",
    densaLoss: "kl_divergence",
    tfLoss: "kullbackLeiblerDivergence",
    output: "softmax",
    classes: 3,
    target: (x, random) => {
      const raw = [random() + 0.05, Math.exp(x[0]), 0.5 + x[1] * x[1]];
      const total = raw.reduce((a, b) => a + b);
      return raw.map((v) => v / total);
    },
    learningRate: 0.5,
  },
  {
    name: "poisson",
    densaLoss: "poisson",
    tfLoss: "poisson",
    output: "softplus",
    classes: 3,
    target: (x, random) => [Math.floor(3 * random()), x[0] > 0 ? 2 : 0, Math.round(Math.exp(x[1]))],
    learningRate: 0.2,
  },
  // NOTE: tfjs's cosineProximity and Keras 3's cosine_similarity loss are both −Σ ŷ·t̂ (the negated similarity).
  {
    name: "cosineProximity",
    densaLoss: "cosine_similarity",
    tfLoss: "cosineProximity",
    output: "linear",
    classes: 3,
    target: regression(3),
    learningRate: 0.5,
  },
];

beforeAll(setupParity);

describe("losses: densa vs tfjs", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const learningRate = c.learningRate ?? 0.1;
      expectParity(
        await runParity({
          inputs: 7,
          layers: [c.hidden ?? { dense: 9, activation: "tanh" }, { dense: c.classes, activation: c.output }],
          densaOptimizer: () => new optimizers.SGD({ learningRate }),
          tfOptimizer: () => tf.train.sgd(learningRate),
          densaLoss: c.densaLoss,
          tfLoss: c.tfLoss,
          densaMetrics: c.densaMetrics,
          tfMetrics: c.tfMetrics,
          tfTarget: c.tfTarget,
          batches: makeBatches(c.name.length * 31, 10, 13, 7, 1, c.target),
        }),
      );
    });
  }
});

describe("weight penalties: densa vs tfjs", () => {
  it("kernel L1 + L2 and bias L2 add to the loss and to the gradients", async () => {
    expectParity(
      await runParity({
        inputs: 7,
        layers: [
          { dense: 9, activation: "tanh", kernelL1: 0.01, kernelL2: 0.02, biasL2: 0.05 },
          { dense: 3, activation: "linear", kernelL2: 0.03 },
        ],
        densaOptimizer: () => new optimizers.SGD({ learningRate: 0.1 }),
        tfOptimizer: () => tf.train.sgd(0.1),
        densaLoss: "mse",
        tfLoss: "meanSquaredError",
        batches: makeBatches(5, 10, 13, 7, 1, regression(3)),
      }),
    );
  });
});
