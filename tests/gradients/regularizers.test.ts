// Gradients of the weight and activity penalties against central finite differences of densa's own loss (which
// includes the penalties, as Keras 3's): kernel and bias L1 / L2 / L1L2, activity regularizers on hidden and output
// layers, including a softmax output trained with cross-entropy (tests/helpers/finite-differences.ts explains steps
// and tolerances).
import { beforeAll, describe, it } from "vitest";
import { init, layers, regularizers, tensor } from "../../ts/index.js";
import type { Regularizer } from "../../ts/regularizers/regularizers.js";
import { expectGradientsMatch, uniformTensor } from "../helpers/finite-differences.js";

const ROWS = 11;
const x = uniformTensor([ROWS, 5], 61, -2, 2);
const regression = uniformTensor([ROWS, 3], 62);
const labels = Array.from({ length: ROWS }, (_, i) => (i * 5 + 1) % 3);
const oneHot = tensor(
  Float32Array.from({ length: ROWS * 3 }, (_, i) => (labels[Math.floor(i / 3)] === i % 3 ? 1 : 0)),
  [ROWS, 3],
);
const sparse = tensor(Float32Array.from(labels), [ROWS]);
const binary = tensor(
  Float32Array.from({ length: ROWS * 3 }, (_, i) => ((i * 7) % 5 > 1 ? 1 : 0)),
  [ROWS, 3],
);

const l1 = (factor: number) => regularizers.l1(factor) as Regularizer;
const l2 = (factor: number) => regularizers.l2(factor) as Regularizer;
const l1l2 = (a: number, b: number) => regularizers.l1l2({ l1: a, l2: b }) as Regularizer;

beforeAll(() => init());

describe("weight penalties", () => {
  const cases: [string, Regularizer | null, Regularizer | null][] = [
    ["kernel L1", l1(0.05), null],
    ["kernel L2", l2(0.1), null],
    ["kernel L1L2", l1l2(0.03, 0.07), null],
    ["bias L1", null, l1(0.05)],
    ["bias L2", null, l2(0.2)],
    ["kernel L1L2 and bias L2", l1l2(0.02, 0.05), l2(0.1)],
  ];
  for (const [name, kernelRegularizer, biasRegularizer] of cases) {
    it(name, () => {
      expectGradientsMatch({
        layers: [
          new layers.Dense(6, { activation: "tanh", kernelRegularizer, biasRegularizer }),
          new layers.Dense(3, { kernelRegularizer, biasRegularizer }),
        ],
        inputShape: [5],
        loss: "mse",
        x,
        y: regression,
      });
    });
  }

  it("kernel L2 on a layer without bias", () => {
    expectGradientsMatch({
      layers: [
        new layers.Dense(6, { activation: "tanh", useBias: false, kernelRegularizer: l2(0.1) }),
        new layers.Dense(3, { useBias: false, kernelRegularizer: l1(0.02) }),
      ],
      inputShape: [5],
      loss: "mse",
      x,
      y: regression,
    });
  });
});

describe("activity penalties (on the layer's outputs, not divided by the batch size)", () => {
  it("L2 and L1 on hidden layers", () => {
    expectGradientsMatch({
      layers: [
        new layers.Dense(6, { activation: "tanh", activityRegularizer: l2(0.05) }),
        new layers.Dense(4, { activation: "sigmoid", activityRegularizer: l1(0.02) }),
        new layers.Dense(3),
      ],
      inputShape: [5],
      loss: "mse",
      x,
      y: regression,
    });
  });

  it("L1L2 on a linear output", () => {
    // NOTE: L1's |y| has a kink at every output's zero, which many stencils cross.
    expectGradientsMatch(
      {
        layers: [
          new layers.Dense(6, { activation: "tanh" }),
          new layers.Dense(3, { activityRegularizer: l1l2(0.01, 0.05) }),
        ],
        inputShape: [5],
        loss: "mse",
        x,
        y: regression,
      },
      { maxSkipped: 0.5 },
    );
  });

  // NOTE: softmax + cross-entropy is normally fused (the loss gives the logits' gradient); a penalty on the softmax
  // outputs has its gradient with respect to the outputs, so such a model must not take the fused path.
  it("L2 on a softmax output trained with categorical cross-entropy", () => {
    expectGradientsMatch({
      layers: [
        new layers.Dense(6, { activation: "tanh" }),
        new layers.Dense(3, { activation: "softmax", activityRegularizer: l2(0.1) }),
      ],
      inputShape: [5],
      loss: "categorical_crossentropy",
      x,
      y: oneHot,
    });
  });

  it("L1 on a softmax output trained with sparse categorical cross-entropy", () => {
    expectGradientsMatch({
      layers: [
        new layers.Dense(6, { activation: "tanh" }),
        new layers.Dense(3, { activation: "softmax", activityRegularizer: l1(0.1) }),
      ],
      inputShape: [5],
      loss: "sparse_categorical_crossentropy",
      x,
      y: sparse,
    });
  });

  it("L2 on a sigmoid output trained with binary cross-entropy", () => {
    expectGradientsMatch({
      layers: [
        new layers.Dense(6, { activation: "tanh" }),
        new layers.Dense(3, { activation: "sigmoid", activityRegularizer: l2(0.1) }),
      ],
      inputShape: [5],
      loss: "binary_crossentropy",
      x,
      y: binary,
    });
  });

  it("all penalties together, with a frozen penalised layer in the middle", () => {
    expectGradientsMatch(
      {
        layers: [
          new layers.Dense(6, {
            activation: "relu",
            kernelRegularizer: l1l2(0.01, 0.02),
            biasRegularizer: l2(0.05),
            activityRegularizer: l2(0.01),
          }),
          new layers.Dense(5, {
            activation: "tanh",
            trainable: false,
            kernelRegularizer: l2(1),
            activityRegularizer: l1(0.05),
          }),
          new layers.Dense(3, { activation: "softmax", kernelRegularizer: l2(0.03), activityRegularizer: l2(0.02) }),
        ],
        inputShape: [5],
        loss: "categorical_crossentropy",
        x,
        y: oneHot,
      },
      { maxSkipped: 0.5 },
    );
  });
});
