// The learning rate a schedule gives each optimizer step, seen in the weights: Keras 3 evaluates the schedule at
// optimizer.iterations (0 at the first update, then 1, 2, …) and only then counts the step. With plain SGD the
// step is w ← w − lr(k)·g, so every step's rate is visible exactly; the rates come from the schedules' closed
// forms in float64 (Keras's documented formulas), not from densa.
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { Adam, SGD } from "../../ts/optimizers/index.js";
import {
  CosineDecay,
  ExponentialDecay,
  InverseTimeDecay,
  PiecewiseConstantDecay,
} from "../../ts/optimizers/schedules.js";
import { disposeWeights, expectClose, step, values, weight } from "../helpers/optimizer-steps.js";
import { loadEngine } from "../helpers/wasm.js";

beforeAll(loadEngine);
afterEach(disposeWeights);

// Distinct gradients per step, so that a rate used one step early or late changes the result.
const gradients = [
  [1, -2, 0.5],
  [0.25, 4, -1],
  [-3, 0.5, 2],
  [2, -1, -0.5],
  [0.5, 0.5, 3],
];
const start = [0.5, -1, 2];

/** w after each step of w ← w − rate(k)·g_k, k = 0, 1, … (float64). */
function sgdTrajectory(rate: (k: number) => number): number[][] {
  let w = [...start];
  return gradients.map((g, k) => (w = w.map((value, i) => value - rate(k) * g[i])));
}

describe("a schedule's rate at each optimizer step", () => {
  const cases: [string, () => SGD, (k: number) => number][] = [
    [
      "PiecewiseConstantDecay",
      () =>
        new SGD({ learningRate: new PiecewiseConstantDecay({ boundaries: [0, 1, 2], values: [1, 0.5, 0.25, 0.125] }) }),
      (k) => (k <= 0 ? 1 : k <= 1 ? 0.5 : k <= 2 ? 0.25 : 0.125),
    ],
    [
      "ExponentialDecay",
      () =>
        new SGD({ learningRate: new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 }) }),
      (k) => 0.1 * 0.5 ** k,
    ],
    [
      "ExponentialDecay, staircase over 2 steps",
      () =>
        new SGD({
          learningRate: new ExponentialDecay({
            initialLearningRate: 0.2,
            decaySteps: 2,
            decayRate: 0.1,
            staircase: true,
          }),
        }),
      (k) => 0.2 * 0.1 ** Math.floor(k / 2),
    ],
    [
      "InverseTimeDecay",
      () => new SGD({ learningRate: new InverseTimeDecay({ initialLearningRate: 0.3, decaySteps: 1, decayRate: 1 }) }),
      (k) => 0.3 / (1 + k),
    ],
    [
      "CosineDecay over 4 steps",
      () => new SGD({ learningRate: new CosineDecay({ initialLearningRate: 0.4, decaySteps: 4 }) }),
      (k) => 0.4 * 0.5 * (1 + Math.cos((Math.PI * Math.min(k, 4)) / 4)),
    ],
  ];
  test.each(cases)("%s: step k uses rate(k), k counted from 0", (_, make, rate) => {
    const optimizer = make();
    const w = weight("dense/kernel", start);
    const expected = sgdTrajectory(rate);
    gradients.forEach((g, k) => {
      expect(optimizer.iterations).toBe(k);
      expect(optimizer.learningRate).toBeCloseTo(rate(k), 7);
      step(optimizer, [w], [g]);
      expectClose(values(w), expected[k], 2e-6);
    });
    expect(optimizer.iterations).toBe(gradients.length);
    optimizer.dispose();
  });

  test("every weight of one step gets the same rate (the schedule is read once, before the updates)", () => {
    const optimizer = new SGD({
      learningRate: new ExponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 0.5 }),
    });
    const a = weight("a", [0, 0]);
    const b = weight("b", [0]);
    step(optimizer, [a, b], [[1, 1], [1]]);
    step(optimizer, [a, b], [[1, 1], [1]]);
    expectClose([...values(a), ...values(b)], [-1.5, -1.5, -1.5]);
    optimizer.dispose();
  });

  test("a schedule restarts from step 0 once the optimizer is disposed", () => {
    const optimizer = new SGD({ learningRate: new PiecewiseConstantDecay({ boundaries: [0], values: [1, 0.1] }) });
    const w = weight("w", [0]);
    step(optimizer, [w], [[1]]);
    step(optimizer, [w], [[1]]);
    expectClose(values(w), [-1.1]);
    optimizer.dispose();
    expect(optimizer.learningRate).toBe(1);
  });

  test("Adam on a schedule: the first bias-corrected step is lr(0)·g/(|g| + ε·…) ≈ lr(0)·sign(g)", () => {
    // Keras's Adam at step 1: m = (1−β1)g, v = (1−β2)g², w −= lr·√(1−β2)/(1−β1) · m/(√v + ε) = lr·g/(|g| + ε/√(1−β2)).
    const optimizer = new Adam({
      learningRate: new PiecewiseConstantDecay({ boundaries: [0], values: [0.5, 0.001] }),
      epsilon: 1e-7,
    });
    const w = weight("w", [1, 1]);
    step(optimizer, [w], [[2, -0.5]]);
    const scale = (g: number) => g / (Math.abs(g) + 1e-7 / Math.sqrt(1 - 0.999));
    expectClose(values(w), [1 - 0.5 * scale(2), 1 - 0.5 * scale(-0.5)], 1e-6);
    optimizer.dispose();
  });
});

describe("a constant learning rate", () => {
  test("is used as given, and callbacks may set it between steps", () => {
    const optimizer = new SGD({ learningRate: 0.5 });
    const w = weight("w", [1]);
    step(optimizer, [w], [[1]]);
    optimizer.learningRate = 0.25;
    expect(optimizer.learningRate).toBe(0.25);
    step(optimizer, [w], [[2]]);
    expectClose(values(w), [1 - 0.5 - 0.5]);
    optimizer.dispose();
  });

  test("cannot be set when a schedule gives it; the error names the schedule", () => {
    const optimizer = new SGD({
      learningRate: new InverseTimeDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 1 }),
      name: "opt",
    });
    expect(() => {
      optimizer.learningRate = 0.1;
    }).toThrow("opt: learningRate comes from a InverseTimeDecay schedule and cannot be set");
    expect(optimizer.learningRate).toBe(1);
  });

  test("a bad rate is refused with the optimizer's name, and the old rate stays", () => {
    const optimizer = new SGD({ learningRate: 0.5, name: "mine" });
    expect(() => {
      optimizer.learningRate = Number.NaN;
    }).toThrow("mine: learningRate must be a finite number >= 0, got NaN");
    expect(optimizer.learningRate).toBe(0.5);
  });

  test("anything but a number or a schedule is refused by the constructor", () => {
    expect(() => new SGD({ learningRate: "0.1" as never })).toThrow(
      'SGD: learningRate must be a number >= 0 or a schedule, got string "0.1"',
    );
    expect(() => new SGD({ learningRate: { call: () => 0.1 } as never })).toThrow(
      "SGD: learningRate must be a number >= 0 or a schedule",
    );
  });
});
