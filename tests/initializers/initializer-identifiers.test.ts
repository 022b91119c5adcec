// Initializers by name (Keras class names, camelCase, snake_case), from Keras configs (snake_case keys), their
// configs as Keras saves them, tfjs's spellings of VarianceScaling's choices, and errors that name the argument.
import { describe, expect, test } from "vitest";
import * as initializers from "../../ts/initializers/index.js";
import { computeFans } from "../../ts/initializers/initializer.js";

const CLASS_NAMES = [
  "Zeros",
  "Ones",
  "Constant",
  "Identity",
  "RandomNormal",
  "RandomUniform",
  "TruncatedNormal",
  "VarianceScaling",
  "GlorotUniform",
  "GlorotNormal",
  "HeUniform",
  "HeNormal",
  "LecunUniform",
  "LecunNormal",
  "Orthogonal",
];

describe("resolveInitializer", () => {
  test.each(CLASS_NAMES)("%s by class name, camelCase and snake_case", (className) => {
    const camel = className[0].toLowerCase() + className.slice(1);
    const snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    for (const name of [className, camel, snake, { className, config: {} }]) {
      expect(initializers.resolveInitializer(name, "kernelInitializer").className).toBe(className);
    }
  });

  test("Keras configs: snake_case keys become options", () => {
    const normal = initializers.resolveInitializer(
      { className: "RandomNormal", config: { mean: 1, stddev: 2, seed: 3 } },
      "k",
    ) as initializers.RandomNormal;
    expect([normal.mean, normal.stddev, normal.seed]).toEqual([1, 2, 3]);
    const scaling = initializers.resolveInitializer(
      { className: "VarianceScaling", config: { scale: 2, mode: "fan_out", distribution: "uniform", seed: null } },
      "k",
    ) as initializers.VarianceScaling;
    expect(scaling.getConfig()).toEqual({
      className: "VarianceScaling",
      config: { scale: 2, mode: "fan_out", distribution: "uniform", seed: null },
    });
    const constant = initializers.resolveInitializer({ className: "Constant", config: { value: 4 } }, "k");
    expect(constant.getConfig()).toEqual({ className: "Constant", config: { value: 4 } });
    const orthogonal = initializers.resolveInitializer(
      { className: "orthogonal", config: { gain: 0.5 } } as never,
      "k",
    );
    expect(orthogonal.getConfig()).toEqual({ className: "Orthogonal", config: { gain: 0.5, seed: null } });
    expect(initializers.resolveInitializer({ className: "GlorotUniform" } as never, "k").className).toBe(
      "GlorotUniform",
    );
    const instance = initializers.ones();
    expect(initializers.resolveInitializer(instance, "k")).toBe(instance);
  });

  test("unknown names list the valid ones", () => {
    expect(() => initializers.resolveInitializer("glorot", "kernelInitializer")).toThrow(
      'kernelInitializer: unknown initializer "glorot"; expected one of zeros, ones, constant, identity, randomNormal, randomUniform, truncatedNormal, varianceScaling, glorotUniform, glorotNormal, heUniform, heNormal, lecunUniform, lecunNormal, orthogonal',
    );
    expect(() => initializers.resolveInitializer({ className: "Glorot", config: {} }, "biasInitializer")).toThrow(
      'biasInitializer: unknown initializer {"className":"Glorot","config":{}}',
    );
    expect(() => initializers.resolveInitializer(7 as never, "biasInitializer")).toThrow(
      "biasInitializer: unknown initializer 7",
    );
  });
});

describe("configs as Keras saves them", () => {
  test.each([
    [() => initializers.zeros(), { className: "Zeros", config: {} }],
    [() => initializers.ones(), { className: "Ones", config: {} }],
    [() => initializers.constant({ value: 2 }), { className: "Constant", config: { value: 2 } }],
    [() => initializers.identity({ gain: 2 }), { className: "Identity", config: { gain: 2 } }],
    [() => initializers.identity(), { className: "Identity", config: { gain: 1 } }],
    [() => initializers.randomNormal(), { className: "RandomNormal", config: { mean: 0, stddev: 0.05, seed: null } }],
    [
      () => initializers.truncatedNormal({ mean: 1, stddev: 2, seed: 5 }),
      { className: "TruncatedNormal", config: { mean: 1, stddev: 2, seed: 5 } },
    ],
    [
      () => initializers.truncatedNormal(),
      { className: "TruncatedNormal", config: { mean: 0, stddev: 0.05, seed: null } },
    ],
    [
      () => initializers.randomUniform(),
      { className: "RandomUniform", config: { minval: -0.05, maxval: 0.05, seed: null } },
    ],
    [
      () => initializers.varianceScaling(),
      {
        className: "VarianceScaling",
        config: { scale: 1, mode: "fan_in", distribution: "truncated_normal", seed: null },
      },
    ],
    [() => initializers.glorotUniform({ seed: 1 }), { className: "GlorotUniform", config: { seed: 1 } }],
    [() => initializers.glorotNormal(), { className: "GlorotNormal", config: { seed: null } }],
    [() => initializers.heUniform(), { className: "HeUniform", config: { seed: null } }],
    [() => initializers.heNormal(), { className: "HeNormal", config: { seed: null } }],
    [() => initializers.lecunUniform(), { className: "LecunUniform", config: { seed: null } }],
    [() => initializers.lecunNormal(), { className: "LecunNormal", config: { seed: null } }],
    [() => initializers.orthogonal(), { className: "Orthogonal", config: { gain: 1, seed: null } }],
  ])("%#", (make, config) => {
    expect(make().getConfig()).toEqual(config);
  });

  test("tfjs's and Keras 2's spellings of mode and distribution", () => {
    const cases: [string, string, string, string][] = [
      ["fanIn", "normal", "fan_in", "truncated_normal"],
      ["fanOut", "truncatedNormal", "fan_out", "truncated_normal"],
      ["fanAvg", "untruncatedNormal", "fan_avg", "untruncated_normal"],
      ["fan_avg", "uniform", "fan_avg", "uniform"],
    ];
    for (const [mode, distribution, keraMode, kerasDistribution] of cases) {
      const initializer = new initializers.VarianceScaling({ mode, distribution });
      expect([initializer.mode, initializer.distribution]).toEqual([keraMode, kerasDistribution]);
    }
  });
});

describe("computeFans (Keras's compute_fans)", () => {
  test.each([
    [[], [1, 1]],
    [[7], [7, 7]],
    [
      [3, 5],
      [3, 5],
    ],
    [
      [2, 3, 4, 5],
      [2 * 3 * 4, 2 * 3 * 5],
    ],
    [
      [3, 4, 5],
      [12, 15],
    ],
  ])("%j → %j", (shape, fans) => {
    expect(computeFans(shape)).toEqual(fans);
  });
});

describe("bad options name the initializer and the option", () => {
  test.each([
    [() => initializers.constant({ value: Number.NaN }), "constant: value must be a finite number, got NaN"],
    [() => initializers.constant({ value: "1" as never }), "constant: value must be a finite number, got 1"],
    [() => initializers.constant({ val: 1 } as never), "Constant"],
    [() => initializers.identity({ gain: Infinity }), "identity: gain must be a finite number, got Infinity"],
    [() => initializers.identity({ scale: 1 } as never), "Identity"],
    [() => initializers.randomNormal({ mean: Number.NaN }), "randomNormal: mean must be a finite number, got NaN"],
    [
      () => initializers.randomNormal({ stddev: Infinity }),
      "randomNormal: stddev must be a finite number, got Infinity",
    ],
    [() => initializers.randomNormal({ std: 1 } as never), "RandomNormal"],
    [
      () => initializers.truncatedNormal({ mean: Number.NaN }),
      "truncatedNormal: mean must be a finite number, got NaN",
    ],
    [
      () => initializers.truncatedNormal({ stddev: Number.NaN }),
      "truncatedNormal: stddev must be a finite number, got NaN",
    ],
    [() => initializers.truncatedNormal({ sd: 1 } as never), "TruncatedNormal"],
    [
      () => initializers.randomUniform({ minval: Number.NaN }),
      "randomUniform: minval must be a finite number, got NaN",
    ],
    [
      () => initializers.randomUniform({ maxval: Infinity }),
      "randomUniform: maxval must be a finite number, got Infinity",
    ],
    [
      () => initializers.randomUniform({ minval: 1, maxval: 0 }),
      "randomUniform: maxval must be >= minval, got minval 1 and maxval 0",
    ],
    [() => initializers.randomUniform({ min: 1 } as never), "RandomUniform"],
    [() => initializers.varianceScaling({ scale: 0 }), "varianceScaling: scale must be > 0, got 0"],
    [
      () => initializers.varianceScaling({ scale: Number.NaN }),
      "varianceScaling: scale must be a finite number, got NaN",
    ],
    [
      () => initializers.varianceScaling({ mode: "fan" }),
      "varianceScaling: mode must be one of fan_in, fan_out, fan_avg, got fan",
    ],
    [
      () => initializers.varianceScaling({ distribution: "gauss" }),
      "varianceScaling: distribution must be one of truncated_normal, untruncated_normal, uniform, got gauss",
    ],
    [() => initializers.varianceScaling({ seeds: 1 } as never), "VarianceScaling"],
    [() => initializers.glorotUniform({ seed: -1 }), "varianceScaling"],
    [() => initializers.glorotUniform({ scale: 1 } as never), "GlorotUniform"],
    [() => initializers.glorotNormal({ scale: 1 } as never), "GlorotNormal"],
    [() => initializers.heUniform({ scale: 1 } as never), "HeUniform"],
    [() => initializers.heNormal({ scale: 1 } as never), "HeNormal"],
    [() => initializers.lecunUniform({ scale: 1 } as never), "LecunUniform"],
    [() => initializers.lecunNormal({ scale: 1 } as never), "LecunNormal"],
    [() => initializers.orthogonal({ gain: Number.NaN }), "orthogonal: gain must be a finite number, got NaN"],
    [() => initializers.orthogonal({ seed: 1.5 }), "orthogonal"],
    [() => initializers.orthogonal({ g: 1 } as never), "Orthogonal"],
    [() => initializers.randomNormal({ seed: "1" as never }), "randomNormal"],
  ])("%#", (make, message) => {
    expect(make).toThrow(message);
  });

  test("seed null or undefined means unseeded", () => {
    expect(initializers.randomNormal({ seed: null }).seed).toBeNull();
    expect(initializers.randomNormal({}).seed).toBeNull();
    expect(initializers.randomNormal({ seed: 0 }).seed).toBe(0);
  });
});
