// Gradients of every loss (all 18 kernel kinds: the 15 losses and the fromLogits forms of the three
// cross-entropies), with label smoothing, Huber's delta, sample weights and class weights, against central finite
// differences of densa's own loss (tests/helpers/finite-differences.ts explains steps and tolerances). The model is
// 5 → 6 (tanh) → k with an output activation that fits the loss, so the loss gradient also travels back through two
// layers. Both cross-entropy paths are covered: softmax + (sparse) categorical cross-entropy, where the loss hands
// the logits' gradient to the layer (fused), and log_softmax / linear outputs with fromLogits (not fused).
import { beforeAll, describe, expect, it } from "vitest";
import { init, layers, losses, type Tensor, tensor } from "../../ts/index.js";
import type { Layer } from "../../ts/layers/layer.js";
import type { LossIdentifier } from "../../ts/losses/loss.js";
import {
  expectGradientsMatch,
  type GradientCheckOptions,
  uniformArray,
  uniformTensor,
} from "../helpers/finite-differences.js";

const ROWS = 11;
const x = uniformTensor([ROWS, 5], 3, -2, 2);
const random = uniformArray(ROWS * 8, 4, 0, 1);

const labels = Array.from({ length: ROWS }, (_, i) => (i * 7 + 3) % 3);
const oneHot = tensor(
  Float32Array.from({ length: ROWS * 3 }, (_, i) => (labels[Math.floor(i / 3)] === i % 3 ? 1 : 0)),
  [ROWS, 3],
);
const sparse = tensor(Float32Array.from(labels), [ROWS]);
const binary = tensor(
  Float32Array.from({ length: ROWS * 2 }, (_, i) => (random[i] > 0.5 ? 1 : 0)),
  [ROWS, 2],
);
const plusMinus = tensor(
  Float32Array.from({ length: ROWS * 2 }, (_, i) => (random[i] > 0.5 ? 1 : -1)),
  [ROWS, 2],
);
const regression = uniformTensor([ROWS, 3], 5, -1.5, 1.5);
/** Probability rows (KL divergence targets, soft labels). */
const distributions = tensor(
  Float32Array.from({ length: ROWS * 3 }, (_, i) => {
    const row = Math.floor(i / 3);
    const total = random[3 * row] + random[3 * row + 1] + random[3 * row + 2] + 0.3;
    return (random[i] + 0.1) / total;
  }),
  [ROWS, 3],
);
// NOTE: targets whose rows do not sum to 1, where the fused gradient p·Σt − t is not p − t.
/** Multi-hot rows with one to three 1s (Σt ∈ {1, 2, 3}). */
const multiHot = tensor(
  Float32Array.from({ length: ROWS * 3 }, (_, i) => (i % 3 === labels[Math.floor(i / 3)] || random[i] > 0.55 ? 1 : 0)),
  [ROWS, 3],
);
/** Unnormalised non-negative rows, Σt from about 0.3 to 5. */
const unnormalised = tensor(
  Float32Array.from({ length: ROWS * 3 }, (_, i) => 0.1 + 1.6 * random[i + 30]),
  [ROWS, 3],
);
const positive = tensor(
  Float32Array.from({ length: ROWS * 3 }, (_, i) => 3 * random[i]),
  [ROWS, 3],
);
const counts = tensor(
  Float32Array.from({ length: ROWS * 3 }, (_, i) => Math.floor(4 * random[i])),
  [ROWS, 3],
);
const awayFromZero = tensor(
  Float32Array.from({ length: ROWS * 2 }, (_, i) => (random[i] > 0.5 ? 1 : -1) * (0.5 + random[i + 20])),
  [ROWS, 2],
);
const sampleWeight = tensor(
  Float32Array.from({ length: ROWS }, (_, i) => [0.5, 2, 0, 1.5, 1][i % 5]),
  [ROWS],
);

interface LossCase {
  name: string;
  loss: LossIdentifier;
  output: string | Layer[];
  y: Tensor;
  sampleWeight?: Tensor;
  classWeight?: Record<number, number>;
  options?: GradientCheckOptions;
}

const KINKED = { maxSkipped: 0.5 };

const cases: LossCase[] = [
  { name: "mean squared error", loss: "mse", output: "linear", y: regression },
  { name: "mean absolute error", loss: "mae", output: "linear", y: regression, options: KINKED },
  { name: "mean absolute percentage error", loss: "mape", output: "linear", y: awayFromZero, options: KINKED },
  { name: "mean squared logarithmic error", loss: "msle", output: "softplus", y: positive },
  { name: "huber (δ 1)", loss: "huber", output: "linear", y: uniformTensor([ROWS, 3], 6, -3, 3), options: KINKED },
  { name: "huber (δ 0.4)", loss: new losses.Huber({ delta: 0.4 }), output: "linear", y: regression, options: KINKED },
  { name: "log cosh", loss: "log_cosh", output: "linear", y: uniformTensor([ROWS, 3], 7, -3, 3) },
  { name: "binary cross-entropy (sigmoid)", loss: "binary_crossentropy", output: "sigmoid", y: binary },
  {
    name: "binary cross-entropy, label smoothing 0.2",
    loss: new losses.BinaryCrossentropy({ labelSmoothing: 0.2 }),
    output: "sigmoid",
    y: binary,
  },
  {
    name: "binary cross-entropy fromLogits",
    loss: new losses.BinaryCrossentropy({ fromLogits: true }),
    output: "linear",
    y: binary,
  },
  {
    name: "binary cross-entropy fromLogits, label smoothing 0.1",
    loss: new losses.BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }),
    output: "linear",
    y: binary,
  },
  {
    name: "categorical cross-entropy, Dense softmax (fused)",
    loss: "categorical_crossentropy",
    output: "softmax",
    y: oneHot,
  },
  {
    name: "categorical cross-entropy, Dense softmax, soft targets (fused)",
    loss: "categorical_crossentropy",
    output: "softmax",
    y: distributions,
  },
  {
    name: "categorical cross-entropy, Dense softmax, multi-hot targets (fused)",
    loss: "categorical_crossentropy",
    output: "softmax",
    y: multiHot,
  },
  {
    name: "categorical cross-entropy, Dense softmax, unnormalised targets (fused)",
    loss: "categorical_crossentropy",
    output: "softmax",
    y: unnormalised,
  },
  {
    name: "categorical cross-entropy, Activation softmax layer, multi-hot targets (fused)",
    loss: "categorical_crossentropy",
    output: [new layers.Dense(3), new layers.Activation("softmax")],
    y: multiHot,
  },
  {
    name: "categorical cross-entropy, label smoothing 0.2, unnormalised targets (fused)",
    loss: new losses.CategoricalCrossentropy({ labelSmoothing: 0.2 }),
    output: "softmax",
    y: unnormalised,
  },
  {
    name: "categorical cross-entropy fromLogits, multi-hot targets",
    loss: new losses.CategoricalCrossentropy({ fromLogits: true }),
    output: "linear",
    y: multiHot,
  },
  {
    name: "categorical cross-entropy, Activation softmax layer (fused)",
    loss: "categorical_crossentropy",
    output: [new layers.Dense(3), new layers.Activation("softmax")],
    y: oneHot,
  },
  {
    name: "categorical cross-entropy, label smoothing 0.1 (fused)",
    loss: new losses.CategoricalCrossentropy({ labelSmoothing: 0.1 }),
    output: "softmax",
    y: oneHot,
  },
  {
    name: "categorical cross-entropy on sigmoid outputs (normalised, not fused)",
    loss: "categorical_crossentropy",
    output: "sigmoid",
    y: oneHot,
  },
  {
    name: "categorical cross-entropy fromLogits, linear output",
    loss: new losses.CategoricalCrossentropy({ fromLogits: true }),
    output: "linear",
    y: oneHot,
  },
  {
    name: "categorical cross-entropy fromLogits, log_softmax output (not fused)",
    loss: new losses.CategoricalCrossentropy({ fromLogits: true }),
    output: "log_softmax",
    y: oneHot,
  },
  {
    name: "categorical cross-entropy fromLogits, label smoothing 0.2",
    loss: new losses.CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.2 }),
    output: "linear",
    y: oneHot,
  },
  {
    name: "sparse categorical cross-entropy, Dense softmax (fused)",
    loss: "sparse_categorical_crossentropy",
    output: "softmax",
    y: sparse,
  },
  {
    name: "sparse categorical cross-entropy, Activation softmax layer (fused)",
    loss: "sparse_categorical_crossentropy",
    output: [new layers.Dense(3), new layers.Activation("softmax")],
    y: sparse,
  },
  {
    name: "sparse categorical cross-entropy on sigmoid outputs (not fused)",
    loss: "sparse_categorical_crossentropy",
    output: "sigmoid",
    y: sparse,
  },
  {
    name: "sparse categorical cross-entropy fromLogits",
    loss: new losses.SparseCategoricalCrossentropy({ fromLogits: true }),
    output: "linear",
    y: sparse,
  },
  {
    name: "sparse categorical cross-entropy fromLogits, log_softmax output",
    loss: new losses.SparseCategoricalCrossentropy({ fromLogits: true }),
    output: "log_softmax",
    y: sparse,
  },
  { name: "hinge (±1 targets)", loss: "hinge", output: "tanh", y: plusMinus, options: KINKED },
  { name: "hinge ({0, 1} targets, mapped to ±1)", loss: "hinge", output: "tanh", y: binary, options: KINKED },
  { name: "squared hinge", loss: "squared_hinge", output: "linear", y: plusMinus },
  { name: "squared hinge ({0, 1} targets)", loss: "squared_hinge", output: "linear", y: binary },
  { name: "categorical hinge", loss: "categorical_hinge", output: "linear", y: oneHot, options: KINKED },
  { name: "KL divergence", loss: "kl_divergence", output: "softmax", y: distributions },
  { name: "poisson", loss: "poisson", output: "softplus", y: counts },
  { name: "cosine similarity", loss: "cosine_similarity", output: "linear", y: regression },
  // NOTE: sample weights scale each sample's loss; Keras still divides by the batch size (sum_over_batch_size).
  { name: "mean squared error, sample weights", loss: "mse", output: "linear", y: regression, sampleWeight },
  {
    name: "binary cross-entropy, sample weights",
    loss: "binary_crossentropy",
    output: "sigmoid",
    y: binary,
    sampleWeight,
  },
  {
    name: "categorical cross-entropy (fused), sample weights",
    loss: "categorical_crossentropy",
    output: "softmax",
    y: oneHot,
    sampleWeight,
  },
  {
    name: "categorical cross-entropy fromLogits, sample weights",
    loss: new losses.CategoricalCrossentropy({ fromLogits: true }),
    output: "linear",
    y: oneHot,
    sampleWeight,
  },
  {
    name: "sparse categorical cross-entropy (fused), sample weights",
    loss: "sparse_categorical_crossentropy",
    output: "softmax",
    y: sparse,
    sampleWeight,
  },
  {
    name: "huber, sample weights",
    loss: "huber",
    output: "linear",
    y: uniformTensor([ROWS, 3], 6, -3, 3),
    sampleWeight,
    options: KINKED,
  },
  {
    name: "sparse categorical cross-entropy (fused), class weights",
    loss: "sparse_categorical_crossentropy",
    output: "softmax",
    y: sparse,
    classWeight: { 0: 0.5, 1: 3, 2: 1 },
  },
  // NOTE: classWeight with sampleWeight is refused (as in Keras and in fit), so one-hot targets get class weights alone.
  {
    name: "categorical cross-entropy (fused), class weights of one-hot targets",
    loss: "categorical_crossentropy",
    output: "softmax",
    y: oneHot,
    classWeight: { 0: 2, 2: 0.25 },
  },
];

beforeAll(() => init());

describe("losses: analytic gradients against finite differences", () => {
  it("the multi-hot and unnormalised targets really have rows that do not sum to 1", () => {
    for (const targets of [multiHot, unnormalised]) {
      const sums = Array.from(
        { length: ROWS },
        (_, row) => targets.data[3 * row] + targets.data[3 * row + 1] + targets.data[3 * row + 2],
      );
      expect(sums.filter((sum) => Math.abs(sum - 1) > 0.2).length).toBeGreaterThan(ROWS / 2);
    }
  });

  for (const c of cases) {
    it(c.name, () => {
      const width = c.y.rank === 1 ? 3 : c.y.shape[1];
      const head = typeof c.output === "string" ? [new layers.Dense(width, { activation: c.output })] : c.output;
      expectGradientsMatch(
        {
          layers: [new layers.Dense(6, { activation: "tanh" }), ...head],
          inputShape: [5],
          loss: c.loss,
          x,
          y: c.y,
          sampleWeight: c.sampleWeight,
          classWeight: c.classWeight,
        },
        c.options,
      );
    });
  }
});
