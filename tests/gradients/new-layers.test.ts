// Gradients of the single-input layers of issue 9 against central finite differences of densa's own loss
// (tests/helpers/finite-differences.ts): each layer sits between two Dense layers, so the Dense weights' gradients
// check the layer's input gradient and the layer's own weights are checked directly.
import { beforeAll, describe, expect, it } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { init, layers, optimizers, Sequential, tensor } from "../../ts/index.js";
import type { Layer } from "../../ts/layers/layer.js";
import { expectGradientsMatch, uniformArray, uniformTensor } from "../helpers/finite-differences.js";

const ROWS = 11;
const x = (seed: number, features = 5) => uniformTensor([ROWS, features], seed, -2, 2);
const y = (seed: number, width = 3) => uniformTensor([ROWS, width], seed);

beforeAll(() => init());

/** Dense(width) → layers → Dense(3), on 5 features, mean squared error. */
function sandwich(middle: Layer[], width = 6, options: { trainingForward?: boolean; seed?: number } = {}) {
  return {
    layers: [new layers.Dense(width, { activation: "tanh" }), ...middle, new layers.Dense(3)],
    inputShape: [5],
    loss: "mse" as const,
    x: x(options.seed ?? 3),
    y: y(4),
    trainingForward: options.trainingForward,
  };
}

const KINKED = { maxSkipped: 0.5 };

describe("normalization layers", () => {
  it("BatchNormalization with batch statistics (training)", () => {
    expectGradientsMatch(sandwich([new layers.BatchNormalization({ momentum: 0.5 })], 6, { trainingForward: true }));
  });
  it("BatchNormalization over an inner axis (axis 1 of [3, 4] samples)", () => {
    expectGradientsMatch(
      sandwich([new layers.Reshape([3, 4]), new layers.BatchNormalization({ axis: 1 }), new layers.Flatten()], 12, {
        trainingForward: true,
      }),
    );
  });
  it("BatchNormalization without center or scale", () => {
    expectGradientsMatch(
      sandwich([new layers.BatchNormalization({ center: false, scale: false })], 6, { trainingForward: true }),
    );
  });
  it("BatchNormalization frozen (trainable false: moving statistics, as Keras 3)", () => {
    expectGradientsMatch(
      sandwich([new layers.BatchNormalization({ trainable: false, movingVarianceInitializer: "ones" })], 6, {
        trainingForward: true,
      }),
    );
  });
  it("LayerNormalization", () => {
    expectGradientsMatch(sandwich([new layers.LayerNormalization()]));
  });
  it("LayerNormalization with rmsScaling", () => {
    expectGradientsMatch(sandwich([new layers.LayerNormalization({ rmsScaling: true })]));
  });
  it("LayerNormalization over the last two axes of [3, 4] samples, without center", () => {
    expectGradientsMatch(
      sandwich(
        [
          new layers.Reshape([3, 4]),
          new layers.LayerNormalization({ axis: [-2, -1], center: false }),
          new layers.Flatten(),
        ],
        12,
      ),
    );
  });
  it("UnitNormalization", () => {
    expectGradientsMatch(sandwich([new layers.UnitNormalization()]));
  });
});

describe("Embedding", () => {
  it("the table's gradient (repeated ids add up) through Flatten and Dense", () => {
    const ids = tensor(Float32Array.from(uniformArray(ROWS * 3, 9, 0, 7), Math.floor), [ROWS, 3]);
    expectGradientsMatch({
      layers: [new layers.Embedding(7, 4), new layers.Flatten(), new layers.Dense(3, { activation: "tanh" })],
      inputShape: [3],
      loss: "mse",
      x: ids,
      y: y(10),
    });
  });
});

describe("reshaping layers", () => {
  it("Reshape, Permute and Flatten", () => {
    expectGradientsMatch(sandwich([new layers.Reshape([3, -1]), new layers.Permute([2, 1]), new layers.Flatten()], 12));
  });
  it("Permute of three axes", () => {
    expectGradientsMatch(
      sandwich([new layers.Reshape([2, 3, 2]), new layers.Permute([3, 1, 2]), new layers.Flatten()], 12),
    );
  });
  it("RepeatVector", () => {
    expectGradientsMatch(sandwich([new layers.RepeatVector(3), new layers.Flatten()], 4));
  });
  it("Identity and Rescaling", () => {
    expectGradientsMatch(sandwich([new layers.Identity(), new layers.Rescaling(0.5, { offset: 0.1 })]));
  });
});

describe("noise layers (a fixed draw: the generator restarts before every evaluation)", () => {
  for (const [name, make] of [
    ["GaussianNoise", (seed?: number) => new layers.GaussianNoise(0.3, { seed })],
    ["GaussianDropout", (seed?: number) => new layers.GaussianDropout(0.3, { seed })],
    ["AlphaDropout", (seed?: number) => new layers.AlphaDropout(0.2, { seed })],
  ] as const) {
    it(`${name} with the training generator`, () => expectGradientsMatch(sandwich([make()])));
    it(`${name} with its own seed`, () => expectGradientsMatch(sandwich([make(5)])));
  }
});

describe("activation layers", () => {
  it("ReLU with maxValue, negativeSlope and threshold", () => {
    expectGradientsMatch(sandwich([new layers.ReLU({ maxValue: 0.6, negativeSlope: 0.1, threshold: 0.2 })]), KINKED);
  });
  it("LeakyReLU", () => {
    expectGradientsMatch(sandwich([new layers.LeakyReLU({ negativeSlope: 0.2 })]), KINKED);
  });
  it("PReLU (alpha per value, random start)", () => {
    expectGradientsMatch(
      sandwich([
        new layers.PReLU({
          alphaInitializer: { className: "RandomUniform", config: { minval: 0, maxval: 0.5, seed: 2 } },
        }),
      ]),
      KINKED,
    );
  });
  it("PReLU with shared axes", () => {
    expectGradientsMatch(
      sandwich(
        [
          new layers.Reshape([3, 4]),
          new layers.PReLU({ sharedAxes: [1], alphaInitializer: "ones" }),
          new layers.Flatten(),
        ],
        12,
      ),
      KINKED,
    );
  });
  it("ELU", () => {
    expectGradientsMatch(sandwich([new layers.ELU({ alpha: 0.7 })]), KINKED);
  });
  it("Softmax over the last axis of [3, 4] samples", () => {
    expectGradientsMatch(sandwich([new layers.Reshape([3, 4]), new layers.Softmax(), new layers.Flatten()], 12));
  });
});

describe("ActivityRegularization", () => {
  // NOTE: this checks the layer on its own (the training step adds every layer's activityPenalty to the loss): the
  // gradient of L = Σ w·y + penalty(x) from backward against central differences of the same L in float64.
  it("backward adds l1·sign(x) + 2·l2·x to the upstream gradient, and activityPenalty is l1·Σ|x| + l2·Σx²", () => {
    const layer = new layers.ActivityRegularization({ l1: 0.03, l2: 0.2 });
    layer.build([7]);
    const engine = getEngine();
    const rows = 3,
      count = rows * 7;
    const xs = uniformArray(count, 21, -1, 1),
      ws = uniformArray(count, 22, -1, 1);
    const input = engine.allocF32(count),
      upstream = engine.allocF32(count);
    engine.write(input, xs);
    engine.write(upstream, ws);
    const loss = (values: ArrayLike<number>) =>
      Array.from(values).reduce((total, v, i) => total + ws[i] * v + 0.03 * Math.abs(v) + 0.2 * v * v, 0);
    const step = { rows, training: true, generator: null };
    expect(layer.forward(input, step)).toBe(input);
    expect(layer.activityPenalty(step)).toBeCloseTo(
      Array.from(xs).reduce((t, v) => t + 0.03 * Math.abs(v) + 0.2 * v * v, 0),
      5,
    );
    const gradient = engine.read(layer.backward(upstream, step, true), count);
    const h = 1e-4;
    xs.forEach((_, i) => {
      const plus = Float64Array.from(xs),
        minus = Float64Array.from(xs);
      plus[i] += h;
      minus[i] -= h;
      expect(gradient[i]).toBeCloseTo((loss(plus) - loss(minus)) / (2 * h), 4);
    });
    engine.free(input);
    engine.free(upstream);
    layer.dispose();
  });
});

describe("BatchNormalization on a batch of one sample", () => {
  it("trains as Keras does: no error; the output is β (the sample is its own mean) and the moving statistics move", async () => {
    const model = new Sequential([
      new layers.Dense(4, { inputShape: [3] }),
      new layers.BatchNormalization(),
      new layers.Dense(1),
    ]);
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: "mse" });
    const before = model.layers[1].getWeights().map((weight) => Array.from(weight.data));
    const history = await model.fit(tensor([[0.5, -1, 2]]), tensor([[1]]), { epochs: 3, batchSize: 1, verbose: 0 });
    expect(history.history.loss.every(Number.isFinite)).toBe(true);
    const after = model.layers[1].getWeights().map((weight) => Array.from(weight.data));
    // moving_mean moved towards the sample's Dense outputs; moving_variance decays towards 0 (a one-sample variance).
    expect(after[2]).not.toEqual(before[2]);
    expect(after[3].every((value, i) => value < before[3][i])).toBe(true);
    model.dispose();
  });
});
