// Learning-rate schedule options as Keras 3 names and defaults them, their configs, and the errors for bad
// options, steps and serialized forms; the warm-up of CosineDecay from a non-zero initial rate (Keras:
// initial + (target − initial)·step/warmupSteps).
import { describe, expect, test } from "vitest";
import {
  CosineDecay,
  deserializeSchedule,
  ExponentialDecay,
  exponentialDecay,
  InverseTimeDecay,
  PiecewiseConstantDecay,
} from "../../ts/optimizers/schedules.js";

describe("options are checked by name", () => {
  test.each([
    [
      () => new ExponentialDecay({ initialLearningRate: "1" as never, decaySteps: 1, decayRate: 0.5 }),
      "ExponentialDecay: initialLearningRate",
    ],
    [
      () => new ExponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: Number.NaN }),
      "ExponentialDecay: decayRate",
    ],
    [
      () => new ExponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 0.5, staircase: 1 as never }),
      "ExponentialDecay: staircase",
    ],
    [
      () => new ExponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 0.5, name: 5 as never }),
      "ExponentialDecay: name",
    ],
    [() => exponentialDecay(5 as never), "ExponentialDecay: expected an options object, got 5"],
    [() => exponentialDecay([] as never), "ExponentialDecay: expected an options object"],
    [
      () => new PiecewiseConstantDecay({ boundaries: [], values: [1] }),
      "PiecewiseConstantDecay: boundaries must be a non-empty array of numbers",
    ],
    [
      () => new PiecewiseConstantDecay({ boundaries: 5 as never, values: [1, 2] }),
      "PiecewiseConstantDecay: boundaries must be a non-empty array of numbers, got 5",
    ],
    [
      () => new PiecewiseConstantDecay({ boundaries: [1, "2" as never], values: [1, 2, 3] }),
      "PiecewiseConstantDecay: boundaries[1]",
    ],
    [
      () => new PiecewiseConstantDecay({ boundaries: [2, 2], values: [1, 2, 3] }),
      "PiecewiseConstantDecay: boundaries must be strictly increasing, but boundaries[1] = 2 follows 2",
    ],
    [
      () => new PiecewiseConstantDecay({ boundaries: [1], values: [1, "2" as never] }),
      "PiecewiseConstantDecay: values[1]",
    ],
    [
      () => new PiecewiseConstantDecay({ boundaries: [1], values: [1, 2], name: 3 as never }),
      "PiecewiseConstantDecay: name",
    ],
    [() => new CosineDecay({ initialLearningRate: Number.NaN, decaySteps: 1 }), "CosineDecay: initialLearningRate"],
    [() => new CosineDecay({ initialLearningRate: 1, decaySteps: 0 }), "CosineDecay: decaySteps"],
    [() => new CosineDecay({ initialLearningRate: 1, decaySteps: 1, alpha: "0" as never }), "CosineDecay: alpha"],
    [() => new CosineDecay({ initialLearningRate: 1, decaySteps: 1, name: 1 as never }), "CosineDecay: name"],
    [
      () => new CosineDecay({ initialLearningRate: 1, decaySteps: 1, warmupTarget: Number.NaN }),
      "CosineDecay: warmupTarget",
    ],
    [() => new CosineDecay({ initialLearningRate: 1, decaySteps: 1, warmupSteps: -1 }), "CosineDecay: warmupSteps"],
    [
      () => new InverseTimeDecay({ initialLearningRate: Number.NaN, decaySteps: 1, decayRate: 1 }),
      "InverseTimeDecay: initialLearningRate",
    ],
    [
      () => new InverseTimeDecay({ initialLearningRate: 1, decaySteps: 0, decayRate: 1 }),
      "InverseTimeDecay: decaySteps",
    ],
    [
      () => new InverseTimeDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: "1" as never }),
      "InverseTimeDecay: decayRate",
    ],
    [
      () => new InverseTimeDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 1, staircase: "no" as never }),
      "InverseTimeDecay: staircase",
    ],
    [
      () => new InverseTimeDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 1, name: 2 as never }),
      "InverseTimeDecay: name",
    ],
    [() => new InverseTimeDecay({ initial_learning_rate: 1 } as never), "InverseTimeDecay: unknown option"],
    [
      () => deserializeSchedule({ class_name: "Nope", config: {} }),
      'deserializeSchedule: unknown class_name string "Nope"; valid ones are ExponentialDecay, PiecewiseConstantDecay, CosineDecay, InverseTimeDecay',
    ],
    [
      () => deserializeSchedule({ class_name: "CosineDecay", config: 3 }),
      "deserializeSchedule: expected an options object, got 3",
    ],
    [
      () => new ExponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 0.5 }).call(Infinity),
      "ExponentialDecay: step must be a finite number >= 0, got Infinity",
    ],
    [
      () => new InverseTimeDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 1 }).call(-1),
      "InverseTimeDecay: step must be a finite number >= 0, got -1",
    ],
  ])("%#", (make, message) => {
    expect(make).toThrow(message);
  });
});

describe("names, defaults and configs", () => {
  test("class names and default names as Keras", () => {
    expect(new PiecewiseConstantDecay({ boundaries: [1], values: [1, 2] })).toMatchObject({
      className: "PiecewiseConstantDecay",
      name: "PiecewiseConstant",
    });
    expect(new PiecewiseConstantDecay({ boundaries: [1], values: [1, 2], name: "pc" }).name).toBe("pc");
    expect(new InverseTimeDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 1 })).toMatchObject({
      className: "InverseTimeDecay",
      name: "InverseTimeDecay",
      staircase: false,
    });
    expect(new CosineDecay({ initialLearningRate: 1, decaySteps: 1 })).toMatchObject({
      alpha: 0,
      warmupTarget: null,
      warmupSteps: 0,
      name: "CosineDecay",
    });
  });

  test("InverseTimeDecay is continuous unless staircase: step 1 of decaySteps 2 gives 1 / (1 + rate·½)", () => {
    expect(new InverseTimeDecay({ initialLearningRate: 1, decaySteps: 2, decayRate: 1 }).call(1)).toBeCloseTo(
      1 / 1.5,
      6,
    );
    expect(new InverseTimeDecay({ initialLearningRate: 1, decaySteps: 2, decayRate: 1, staircase: true }).call(1)).toBe(
      1,
    );
  });

  test("configs", () => {
    expect(new PiecewiseConstantDecay({ boundaries: [1, 5], values: [1, 0.5, 0.25] }).getConfig()).toEqual({
      boundaries: [1, 5],
      values: [1, 0.5, 0.25],
      name: "PiecewiseConstant",
    });
    expect(
      new InverseTimeDecay({
        initialLearningRate: 0.1,
        decaySteps: 3,
        decayRate: 0.5,
        staircase: true,
        name: "it",
      }).getConfig(),
    ).toEqual({
      initialLearningRate: 0.1,
      decaySteps: 3,
      decayRate: 0.5,
      staircase: true,
      name: "it",
    });
  });

  test("CosineDecay's warm-up starts at initialLearningRate", () => {
    const schedule = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmupTarget: 1, warmupSteps: 10 });
    expect(schedule.call(0)).toBeCloseTo(0.1, 6);
    expect(schedule.call(5)).toBeCloseTo(0.55, 6);
    expect(schedule.call(10)).toBeCloseTo(1, 6);
  });
});
