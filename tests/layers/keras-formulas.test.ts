// Forward passes checked against Keras 3's formulas written as float64 scalar references, where tfjs lacks the layer
// or the option (Identity, UnitNormalization, LayerNormalization's rms_scaling, ReLU's negative_slope and threshold,
// ELU's alpha ≠ 1, the noise layers' training forward) or differs from Keras (BatchNormalization over an inner
// axis: see tfjs-forward.test.ts).
import { beforeAll, describe, expect, it } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { RandomGenerator } from "../../ts/engine/random.js";
import { init, layers, Sequential, tensor } from "../../ts/index.js";
import type { Layer } from "../../ts/layers/layer.js";
import { expectClose, randomArray } from "../helpers/wasm.js";

beforeAll(() => init());

const ROWS = 5;

/** The model's predictions (inference) or one training forward's output, for `rows` samples of `shape`. */
function run(layer: Layer, shape: number[], x: Float32Array, training = false): Float32Array {
  const model = new Sequential([layer]);
  model.build(shape);
  try {
    if (!training) return model.predict(tensor(x, [ROWS, ...shape])).data;
    const engine = getEngine();
    const input = engine.allocF32(x.length);
    engine.write(input, x);
    const output = engine.read(layer.forward(input, { rows: ROWS, training: true, generator: null }), x.length);
    engine.free(input);
    return output;
  } finally {
    model.dispose();
  }
}

describe("Keras 3 formulas", () => {
  it("Identity passes values on", () => {
    const x = randomArray(ROWS * 6, 1);
    expect(Array.from(run(new layers.Identity(), [6], x))).toEqual(Array.from(x));
  });

  it("UnitNormalization: x · min(1/‖x‖, 1e12) over the last axis, and over the last two axes", () => {
    const x = randomArray(ROWS * 12, 2, -2, 2);
    x.fill(0, 0, 12);
    const normalize = (groups: number, size: number) => {
      const out: number[] = [];
      for (let g = 0; g < groups; g++) {
        const row = Array.from(x.subarray(g * size, (g + 1) * size));
        const factor = Math.min(1 / Math.sqrt(row.reduce((a, b) => a + b * b, 0)), 1e12);
        out.push(...row.map((value) => value * factor));
      }
      return out;
    };
    expectClose(run(new layers.UnitNormalization(), [3, 4], x), normalize(ROWS * 3, 4));
    expectClose(run(new layers.UnitNormalization({ axis: [-2, -1] }), [3, 4], x), normalize(ROWS, 12));
  });

  it("LayerNormalization with rms_scaling: x / √(mean(x²) + ε) · γ", () => {
    const x = randomArray(ROWS * 7, 3, -2, 2);
    const layer = new layers.LayerNormalization({
      rmsScaling: true,
      epsilon: 1e-2,
      gammaInitializer: { className: "RandomUniform", config: { minval: 0.5, maxval: 2, seed: 4 } },
    });
    const model = new Sequential([layer]);
    model.build([7]);
    expect(model.getWeights().map((weight) => weight.shape)).toEqual([[7]]);
    const gamma = model.getWeights()[0].data;
    const expected: number[] = [];
    for (let r = 0; r < ROWS; r++) {
      const row = Array.from(x.subarray(r * 7, (r + 1) * 7));
      const inv = 1 / Math.sqrt(row.reduce((a, b) => a + b * b, 0) / 7 + 1e-2);
      expected.push(...row.map((value, j) => value * inv * gamma[j]));
    }
    expectClose(model.predict(tensor(x, [ROWS, 7])).data, expected);
    model.dispose();
  });

  it("BatchNormalization over an inner axis at inference: (x − moving_mean[c]) / √(moving_var[c] + ε) · γ[c] + β[c]", () => {
    const x = randomArray(ROWS * 15, 5, -2, 2);
    const model = new Sequential([new layers.BatchNormalization({ axis: 1, epsilon: 0.01 })]);
    model.build([3, 5]);
    const [gamma, beta, mean, variance] = [
      randomArray(3, 6),
      randomArray(3, 7),
      randomArray(3, 8),
      randomArray(3, 9, 0.2, 2),
    ];
    model.setWeights([tensor(gamma), tensor(beta), tensor(mean), tensor(variance)]);
    const expected = Array.from(x, (value, i) => {
      const c = Math.floor(i / 5) % 3;
      return ((value - mean[c]) / Math.sqrt(variance[c] + 0.01)) * gamma[c] + beta[c];
    });
    expectClose(model.predict(tensor(x, [ROWS, 3, 5])).data, expected, { atol: 1e-5 });
    model.dispose();
  });

  it("BatchNormalization accepts Keras 2's axis [1] on 2-D inputs as the last axis", () => {
    const layer = new layers.BatchNormalization({ axis: [1] });
    const model = new Sequential([layer]);
    model.build([4]);
    expect(model.getWeights()[0].shape).toEqual([4]);
    model.dispose();
  });

  it("ReLU with negative_slope and threshold: clip(x·[x > t], 0, max) − slope·relu(t − x)", () => {
    const x = randomArray(ROWS * 9, 10, -3, 3);
    const reference = (value: number) =>
      Math.min(Math.max(value > 0.5 ? value : 0, 0), 2) - 0.25 * Math.max(0.5 - value, 0);
    expectClose(
      run(new layers.ReLU({ maxValue: 2, negativeSlope: 0.25, threshold: 0.5 }), [9], x),
      Array.from(x, reference),
    );
  });

  it("ELU with alpha 0.4: x > 0 ? x : 0.4·(eˣ − 1)", () => {
    const x = randomArray(ROWS * 9, 11, -3, 3);
    expectClose(
      run(new layers.ELU({ alpha: 0.4 }), [9], x),
      Array.from(x, (v) => (v > 0 ? v : 0.4 * Math.expm1(v))),
      { atol: 1e-6 },
    );
  });

  it("LeakyReLU's Keras 3 default slope is 0.3", () => {
    const x = randomArray(ROWS * 9, 12, -3, 3);
    expectClose(
      run(new layers.LeakyReLU(), [9], x),
      Array.from(x, (v) => (v > 0 ? v : Math.fround(0.3) * v)),
    );
  });
});

describe("noise layers: training forward from densa's seeded generator, identity at inference", () => {
  const x = randomArray(ROWS * 7, 13, -2, 2);
  /** The normals the layer's own generator draws first. */
  const normals = (seed: number, mean: number, stddev: number) => {
    const generator = new RandomGenerator(seed);
    const engine = getEngine();
    const out = engine.allocF32(x.length);
    engine.kernels.randomNormal(generator.statePtr, out, x.length, mean, stddev);
    const values = engine.read(out, x.length);
    engine.free(out);
    generator.dispose();
    return values;
  };

  it("GaussianNoise: x + N(0, stddev)", () => {
    const noise = normals(3, 0, 0.4);
    expectClose(
      run(new layers.GaussianNoise(0.4, { seed: 3 }), [7], x, true),
      Array.from(x, (v, i) => v + noise[i]),
    );
    expect(Array.from(run(new layers.GaussianNoise(0.4, { seed: 3 }), [7], x))).toEqual(Array.from(x));
  });

  it("GaussianDropout: x · N(1, √(rate / (1 − rate)))", () => {
    const mask = normals(4, 1, Math.sqrt(0.3 / 0.7));
    expectClose(
      run(new layers.GaussianDropout(0.3, { seed: 4 }), [7], x, true),
      Array.from(x, (v, i) => v * mask[i]),
    );
    expect(Array.from(run(new layers.GaussianDropout(0.3, { seed: 4 }), [7], x))).toEqual(Array.from(x));
  });

  it("AlphaDropout: each value is a·x + b (kept) or a·α′ + b (dropped), about `rate` of them dropped", () => {
    const rate = 0.25,
      alphaP = -1.6732632423543772 * 1.0507009873554805;
    const a = ((1 - rate) * (1 + rate * alphaP ** 2)) ** -0.5,
      b = -a * alphaP * rate;
    const big = randomArray(400 * 7, 14, -2, 2);
    const layer = new layers.AlphaDropout(rate, { seed: 9 });
    const model = new Sequential([layer]);
    model.build([7]);
    const engine = getEngine();
    const input = engine.allocF32(big.length);
    engine.write(input, big);
    const y = engine.read(layer.forward(input, { rows: 400, training: true, generator: null }), big.length);
    engine.free(input);
    model.dispose();
    let dropped = 0;
    y.forEach((value, i) => {
      const kept = Math.abs(value - (a * big[i] + b)) <= 1e-5 * Math.max(1, Math.abs(value));
      const drop = Math.abs(value - (a * alphaP + b)) <= 1e-5;
      expect(kept || drop, `value ${i}`).toBe(true);
      if (drop && !kept) dropped++;
    });
    expect(dropped / big.length).toBeGreaterThan(0.2);
    expect(dropped / big.length).toBeLessThan(0.3);
  });
});
