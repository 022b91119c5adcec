// Gradients of every layer against central finite differences of densa's own loss (tests/helpers/finite-differences.ts
// explains the steps and tolerances): Dense with each activation, with and without bias; the Activation layer for each
// activation; Dropout with a fixed mask; Normalization and Flatten inside a model; a frozen layer in the middle.
import { beforeAll, describe, expect, it } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { init, layers, tensor } from "../../ts/index.js";
import { Dropout } from "../../ts/layers/dropout.js";
import {
  buildProblemModel,
  expectGradientsMatch,
  GradientProbe,
  type GradientProblem,
  uniformTensor,
} from "../helpers/finite-differences.js";

const ACTIVATIONS = [
  "linear",
  "relu",
  "sigmoid",
  "tanh",
  "softmax",
  "log_softmax",
  "elu",
  "selu",
  "softplus",
  "softsign",
  "swish",
  "gelu",
  "gelu_new",
  "leaky_relu",
  "relu6",
  "hard_sigmoid",
  "mish",
  "exponential",
];
/** Input ranges that reach each activation's interesting parts (relu6's 6) without overflowing (exponential). */
const INPUT_SCALE: Record<string, number> = { relu6: 5, exponential: 0.5 };

/**
 * Activations with a kink (or a jump in f″, which 5-point stencils also see): a weight moves the pre-activations of
 * all 11 rows, so more of its stencils cross one. Each weight's gradient still sums rows on both sides, so the
 * coordinates that remain test both branches.
 */
const KINKED = new Set(["relu", "relu6", "leaky_relu", "elu", "selu", "hard_sigmoid", "softsign"]);
const options = (activation: string) => (KINKED.has(activation) ? { maxSkipped: 0.5 } : {});

const ROWS = 11;
const x = (seed: number, scale = 2, features = 5) => uniformTensor([ROWS, features], seed, -scale, scale);
const y = (seed: number, width = 3) => uniformTensor([ROWS, width], seed);

beforeAll(() => init());

describe("Dense: every activation, with and without bias (mean squared error)", () => {
  for (const activation of ACTIVATIONS) {
    for (const useBias of [true, false]) {
      it(`${activation}${useBias ? "" : ", no bias"}`, () => {
        expectGradientsMatch(
          {
            layers: [new layers.Dense(6, { activation, useBias }), new layers.Dense(3, { activation, useBias })],
            inputShape: [5],
            loss: "mse",
            x: x(activation.length, INPUT_SCALE[activation]),
            y: y(7),
          },
          options(activation),
        );
      });
    }
  }
});

describe("Activation layer: every activation, hidden and output (mean squared error)", () => {
  for (const activation of ACTIVATIONS) {
    it(activation, () => {
      expectGradientsMatch(
        {
          layers: [
            new layers.Dense(6),
            new layers.Activation(activation),
            new layers.Dense(3),
            new layers.Activation(activation),
          ],
          inputShape: [5],
          loss: "mse",
          x: x(activation.length + 50, INPUT_SCALE[activation]),
          y: y(8),
        },
        options(activation),
      );
    });
  }
});

describe("Dropout (a fixed mask: the generator restarts before every evaluation)", () => {
  const problem = (seed?: number): GradientProblem => ({
    layers: [new layers.Dense(6, { activation: "tanh" }), new layers.Dropout(0.4, { seed }), new layers.Dense(3)],
    inputShape: [5],
    loss: "mse",
    x: x(31),
    y: y(32),
  });

  it("matches finite differences of the training loss with that mask", () => {
    expectGradientsMatch(problem());
  });

  it("with its own seed", () => {
    expectGradientsMatch(problem(77));
  });

  it("the mask is Keras's inverted dropout (zeros and 1 / (1 − rate)), and it changes the loss", () => {
    const spec = problem();
    const probe = new GradientProbe(buildProblemModel(spec), spec);
    try {
      const trainingLoss = probe.loss();
      const inferenceLoss = probe.model.testOnBatch(spec.x, spec.y).loss;
      expect(Math.abs(trainingLoss - inferenceLoss)).toBeGreaterThan(1e-3);
      const dropout = probe.model.layers.find((layer) => layer instanceof Dropout)!;
      const masks = (dropout as unknown as { masks: { ptr: number } }).masks;
      const mask = getEngine().read(masks.ptr, ROWS * 6);
      const kept = Math.fround(1 / (1 - 0.4));
      expect(mask.every((value) => value === 0 || value === kept)).toBe(true);
      const dropped = mask.filter((value) => value === 0).length / mask.length;
      expect(dropped).toBeGreaterThan(0.2);
      expect(dropped).toBeLessThan(0.6);
    } finally {
      probe.dispose();
    }
  });
});

describe("Normalization and Flatten inside a model", () => {
  it("Normalization after a Dense layer passes the gradient divided by the standard deviation", () => {
    expectGradientsMatch({
      layers: [
        new layers.Dense(6, { activation: "tanh" }),
        new layers.Normalization({ mean: [0.1, -0.2, 0.3, 0, 0.5, -0.4], variance: [0.25, 2, 0.5, 1, 4, 0.09] }),
        new layers.Dense(3),
      ],
      inputShape: [5],
      loss: "mse",
      x: x(41),
      y: y(42),
    });
  });

  it("Normalization as the first layer", () => {
    expectGradientsMatch({
      layers: [
        new layers.Normalization({ mean: [1, 0, -1, 0.5, 0], variance: [4, 1, 0.25, 2, 9] }),
        new layers.Dense(6, { activation: "tanh" }),
        new layers.Dense(3),
      ],
      inputShape: [5],
      loss: "mse",
      x: x(43, 3),
      y: y(44),
    });
  });

  it("Flatten of [2, 3] samples as the first layer", () => {
    expectGradientsMatch({
      layers: [new layers.Flatten(), new layers.Dense(4, { activation: "tanh" }), new layers.Dense(2)],
      inputShape: [2, 3],
      loss: "mse",
      x: uniformTensor([ROWS, 2, 3], 45, -2, 2),
      y: y(46, 2),
    });
  });

  it("Flatten between Dense layers passes the gradient on", () => {
    expectGradientsMatch({
      layers: [new layers.Dense(6, { activation: "tanh" }), new layers.Flatten(), new layers.Dense(3)],
      inputShape: [5],
      loss: "mse",
      x: x(47),
      y: y(48),
    });
  });
});

describe("deeper stacks", () => {
  it("four Dense layers with mixed activations", () => {
    expectGradientsMatch({
      layers: [
        new layers.Dense(7, { activation: "elu" }),
        new layers.Dense(6, { activation: "sigmoid" }),
        new layers.Dense(5, { activation: "swish" }),
        new layers.Dense(3, { activation: "softmax" }),
      ],
      inputShape: [5],
      loss: "categorical_crossentropy",
      x: x(51),
      y: tensor(
        Float32Array.from({ length: ROWS * 3 }, (_, i) => (i % 3 === ((i * 5) % 7) % 3 ? 1 : 0)),
        [ROWS, 3],
      ),
    });
  });

  it("a frozen Dense layer in the middle passes the gradient to the layer below it", () => {
    const frozen = new layers.Dense(5, { activation: "tanh", trainable: false });
    const report = expectGradientsMatch({
      layers: [new layers.Dense(6, { activation: "tanh" }), frozen, new layers.Dense(3)],
      inputShape: [5],
      loss: "mse",
      x: x(52),
      y: y(53),
    });
    // NOTE: only the two trainable layers' weights are checked (6·5 + 6 + 3·5 + 3 = 54).
    expect(report.checked + report.skipped).toBe(54);
  });
});
