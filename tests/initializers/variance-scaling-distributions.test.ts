// Keras 3's VarianceScaling and its presets, checked as distributions (seeded, many draws): the variance is
// scale / n with n = fan_in, fan_out or their mean (Keras's compute_fans: a receptive field multiplies both);
//   uniform:            U(−√(3·scale/n), √(3·scale/n))
//   truncated_normal:   N(0, σ) cut at ±2σ with σ = √(scale/n) / 0.87962566103423978, so the variance after
//                       truncation is scale / n
//   untruncated_normal: N(0, √(scale/n)).
// Bounds: with 20 000 draws the sample standard deviation is within 2 % of the true one (about 4 standard
// errors), and a uniform sample reaches within 0.5 % of its limits.
import { beforeAll, describe, expect, test } from "vitest";
import * as initializers from "../../ts/initializers/index.js";
import { VarianceScaling } from "../../ts/initializers/random.js";
import { draw, stats } from "../helpers/initializer-draws.js";
import { loadEngine } from "../helpers/wasm.js";

beforeAll(loadEngine);

const TRUNCATED_STD_OF_UNIT = 0.87962566103423978;

function expectDistribution(values: Float32Array, distribution: string, variance: number): void {
  const s = stats(values);
  const target = Math.sqrt(variance);
  expect(Math.abs(s.mean)).toBeLessThan(0.03 * target);
  expect(s.std / target).toBeGreaterThan(0.98);
  expect(s.std / target).toBeLessThan(1.02);
  if (distribution === "uniform") {
    const limit = Math.sqrt(3 * variance);
    expect(s.min).toBeGreaterThanOrEqual(-limit);
    expect(s.max).toBeLessThanOrEqual(limit);
    expect(s.min).toBeLessThan(-0.995 * limit);
    expect(s.max).toBeGreaterThan(0.995 * limit);
  } else if (distribution === "truncated_normal") {
    const cut = (2 * target) / TRUNCATED_STD_OF_UNIT;
    expect(s.min).toBeGreaterThanOrEqual(-cut * 1.000001);
    expect(s.max).toBeLessThanOrEqual(cut * 1.000001);
    expect(s.max).toBeGreaterThan(0.99 * cut);
  } else {
    // Untruncated: about 2.3 % of 20 000 draws lie beyond 2σ, so the extremes pass the truncated cut.
    expect(s.max).toBeGreaterThan((2 * target) / TRUNCATED_STD_OF_UNIT);
  }
}

// [shape, fanIn, fanOut]: 20 000 values each.
const shapes: [number[], number, number][] = [
  [[100, 200], 100, 200],
  [[20000], 20000, 20000],
  [[5, 4, 25, 40], 5 * 4 * 25, 5 * 4 * 40],
];

describe.each(["uniform", "truncated_normal", "untruncated_normal"])("distribution %s", (distribution) => {
  test.each(shapes)("shape %j", (shape, fanIn, fanOut) => {
    for (const [mode, fan] of [
      ["fan_in", fanIn],
      ["fan_out", fanOut],
      ["fan_avg", (fanIn + fanOut) / 2],
    ] as const) {
      const scale = 2.5;
      const values = draw(new VarianceScaling({ scale, mode, distribution, seed: 7 }), shape);
      expectDistribution(values, distribution, scale / fan);
    }
  });
});

test("a scalar weight has fans 1 and 1", () => {
  const values = Array.from(
    { length: 4000 },
    (_, seed) => draw(new VarianceScaling({ scale: 4, distribution: "uniform", seed }), [])[0],
  );
  expectDistribution(Float32Array.from(values), "uniform", 4);
});

describe("Keras's presets", () => {
  const shape = [80, 250];
  const [fanIn, fanOut] = [80, 250];
  test.each([
    ["glorotUniform", initializers.glorotUniform, "uniform", 2 / (fanIn + fanOut)],
    ["glorotNormal", initializers.glorotNormal, "truncated_normal", 2 / (fanIn + fanOut)],
    ["heUniform", initializers.heUniform, "uniform", 2 / fanIn],
    ["heNormal", initializers.heNormal, "truncated_normal", 2 / fanIn],
    ["lecunUniform", initializers.lecunUniform, "uniform", 1 / fanIn],
    ["lecunNormal", initializers.lecunNormal, "truncated_normal", 1 / fanIn],
  ] as const)("%s", (_, make, distribution, variance) => {
    expectDistribution(draw(make({ seed: 3 }), shape), distribution, variance);
  });

  test("defaults: scale 1, fan_in, truncated normal (Keras)", () => {
    const initializer = new VarianceScaling();
    expect([initializer.scale, initializer.mode, initializer.distribution, initializer.seed]).toEqual([
      1,
      "fan_in",
      "truncated_normal",
      null,
    ]);
    expectDistribution(draw(new VarianceScaling({ seed: 1 }), shape), "truncated_normal", 1 / fanIn);
  });
});
