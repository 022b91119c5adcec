// Every losses.* class, through Loss.forward / Loss.backward, against Keras 3's formulas in float64
// (tests/kernels/losses-reference.ts): the class must pick the right kernel (with or without logits) and pass
// its delta, label smoothing, sample weights and gradient scale. Reduction: Σᵢ wᵢ·lᵢ / rows.
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { seededFloats } from "../../examples/datasets.mjs";
import * as losses from "../../ts/losses/index.js";
import type { Loss } from "../../ts/losses/loss.js";
import { expectClose, freeAll, get, loadEngine, put, putI32, zeros } from "../helpers/wasm.js";
import {
  type LossName,
  type RefOptions,
  refSampleGradient,
  refSampleLoss,
  softmax,
} from "../kernels/losses-reference.js";

beforeAll(loadEngine);
afterEach(freeAll);

const ROWS = 5;
const COLS = 3;
const next = seededFloats(9090);
const uniform = (low: number, high: number) => Array.from({ length: ROWS * COLS }, () => low + (high - low) * next());
const labels = Array.from({ length: ROWS }, (_, i) => (2 * i + 1) % COLS);
const oneHot = labels.flatMap((label) => Array.from({ length: COLS }, (_, c) => (c === label ? 1 : 0)));
const weights = [0.5, 1.5, 0, 2, 1];

interface Case {
  title: string;
  make: () => Loss;
  kernel: LossName;
  predictions: number[];
  targets: number[];
  options?: Partial<RefOptions>;
}

const probabilities = uniform(0.05, 0.95);
const rowsOfProbabilities = Array.from({ length: ROWS }, (_, i) =>
  softmax(uniform(-2, 2).slice(i * COLS, (i + 1) * COLS)),
).flat();
const logits = uniform(-4, 4);
const regression = uniform(-2, 2);
const positive = uniform(0.2, 3);
const binary = uniform(0, 1).map((x) => (x < 0.5 ? 0 : 1));
const distribution = Array.from({ length: ROWS }, (_, i) =>
  softmax(uniform(-1, 1).slice(i * COLS, (i + 1) * COLS)),
).flat();

const cases: Case[] = [
  {
    title: "MeanSquaredError",
    make: () => new losses.MeanSquaredError(),
    kernel: "MEAN_SQUARED_ERROR",
    predictions: regression,
    targets: uniform(-2, 2),
  },
  {
    title: "MeanAbsoluteError",
    make: () => new losses.MeanAbsoluteError(),
    kernel: "MEAN_ABSOLUTE_ERROR",
    predictions: regression,
    targets: uniform(-2, 2),
  },
  {
    title: "MeanAbsolutePercentageError",
    make: () => new losses.MeanAbsolutePercentageError(),
    kernel: "MEAN_ABSOLUTE_PERCENTAGE_ERROR",
    predictions: regression,
    targets: positive,
  },
  {
    title: "MeanSquaredLogarithmicError",
    make: () => new losses.MeanSquaredLogarithmicError(),
    kernel: "MEAN_SQUARED_LOGARITHMIC_ERROR",
    predictions: positive,
    targets: uniform(0.1, 3),
  },
  {
    title: "Huber (delta 1)",
    make: () => new losses.Huber(),
    kernel: "HUBER",
    predictions: regression,
    targets: uniform(-2, 2),
    options: { param: 1 },
  },
  {
    title: "Huber (delta 0.3)",
    make: () => new losses.Huber({ delta: 0.3 }),
    kernel: "HUBER",
    predictions: regression,
    targets: uniform(-2, 2),
    options: { param: 0.3 },
  },
  {
    title: "BinaryCrossentropy",
    make: () => new losses.BinaryCrossentropy(),
    kernel: "BINARY_CROSSENTROPY",
    predictions: probabilities,
    targets: binary,
  },
  {
    title: "BinaryCrossentropy (labelSmoothing 0.2)",
    make: () => new losses.BinaryCrossentropy({ labelSmoothing: 0.2 }),
    kernel: "BINARY_CROSSENTROPY",
    predictions: probabilities,
    targets: binary,
    options: { labelSmoothing: 0.2 },
  },
  {
    title: "BinaryCrossentropy (fromLogits)",
    make: () => new losses.BinaryCrossentropy({ fromLogits: true }),
    kernel: "BINARY_CROSSENTROPY_FROM_LOGITS",
    predictions: logits,
    targets: binary,
  },
  {
    title: "CategoricalCrossentropy",
    make: () => new losses.CategoricalCrossentropy(),
    kernel: "CATEGORICAL_CROSSENTROPY",
    predictions: rowsOfProbabilities,
    targets: oneHot,
  },
  {
    title: "CategoricalCrossentropy (fromLogits, labelSmoothing 0.1)",
    make: () => new losses.CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }),
    kernel: "CATEGORICAL_CROSSENTROPY_FROM_LOGITS",
    predictions: logits,
    targets: oneHot,
    options: { labelSmoothing: 0.1 },
  },
  {
    title: "SparseCategoricalCrossentropy",
    make: () => new losses.SparseCategoricalCrossentropy(),
    kernel: "SPARSE_CATEGORICAL_CROSSENTROPY",
    predictions: rowsOfProbabilities,
    targets: oneHot,
  },
  {
    title: "SparseCategoricalCrossentropy (fromLogits)",
    make: () => new losses.SparseCategoricalCrossentropy({ fromLogits: true }),
    kernel: "SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS",
    predictions: logits,
    targets: oneHot,
  },
  {
    title: "Hinge",
    make: () => new losses.Hinge(),
    kernel: "HINGE",
    predictions: regression,
    targets: binary,
    options: { binaryHinge: true },
  },
  {
    title: "SquaredHinge",
    make: () => new losses.SquaredHinge(),
    kernel: "SQUARED_HINGE",
    predictions: regression,
    targets: binary,
    options: { binaryHinge: true },
  },
  {
    title: "CategoricalHinge",
    make: () => new losses.CategoricalHinge(),
    kernel: "CATEGORICAL_HINGE",
    predictions: regression,
    targets: oneHot,
  },
  {
    title: "LogCosh",
    make: () => new losses.LogCosh(),
    kernel: "LOG_COSH",
    predictions: regression,
    targets: uniform(-2, 2),
  },
  {
    title: "KLDivergence",
    make: () => new losses.KLDivergence(),
    kernel: "KL_DIVERGENCE",
    predictions: rowsOfProbabilities,
    targets: distribution,
  },
  {
    title: "Poisson",
    make: () => new losses.Poisson(),
    kernel: "POISSON",
    predictions: positive,
    targets: uniform(0, 3),
  },
  {
    title: "CosineSimilarity",
    make: () => new losses.CosineSimilarity(),
    kernel: "COSINE_SIMILARITY",
    predictions: regression,
    targets: uniform(-2, 2),
  },
];

describe.each([
  ["unweighted", null],
  ["weighted", weights],
] as const)("%s", (_, w) => {
  test.each(cases)("$title", ({ make, kernel, predictions, targets, options }) => {
    const o: RefOptions = { param: 1, labelSmoothing: 0, binaryHinge: false, ...options };
    const loss = make();
    const pPtr = put(predictions);
    const tPtr = loss.sparseLabels ? putI32(labels) : put(targets);
    const wPtr = w ? put(w) : 0;
    const perSample = Array.from({ length: ROWS }, (_, i) =>
      refSampleLoss(kernel, predictions.slice(i * COLS, (i + 1) * COLS), targets.slice(i * COLS, (i + 1) * COLS), o),
    );
    const expected = perSample.reduce((sum, l, i) => sum + (w ? w[i] : 1) * l, 0) / ROWS;
    // float32 sums: relative tolerance (MAPE is in percent, so its values are large).
    expectClose([loss.forward(ROWS, COLS, pPtr, tPtr, wPtr)], [expected], { rtol: 1e-6, atol: 1e-6, label: kernel });

    const scale = 0.75;
    const gradient = zeros(ROWS * COLS, Number.NaN);
    loss.backward(ROWS, COLS, pPtr, tPtr, wPtr, gradient, scale);
    const expectedGradient = Array.from({ length: ROWS }, (_, i) =>
      refSampleGradient(
        kernel,
        predictions.slice(i * COLS, (i + 1) * COLS),
        targets.slice(i * COLS, (i + 1) * COLS),
        o,
      ).map((g) => scale * (w ? w[i] : 1) * g),
    ).flat();
    expectClose(get(gradient, ROWS * COLS), expectedGradient, { rtol: 1e-4, atol: 1e-6, label: kernel });
  });
});
