// References are Keras 3's documented formulas (learning_rate_schedule.py docstrings), evaluated in float64 on
// the float32 inputs Keras uses (its math runs in the initial rate's dtype, float32). Tolerances are float32
// rounding relative to the rate's scale: 1 + cos(x) near x = pi cancels, so there only absolute error is fair.
import { afterEach, describe, expect, it } from "vitest";
import {
  CosineDecay,
  cosineDecay,
  deserializeSchedule,
  ExponentialDecay,
  exponentialDecay,
  InverseTimeDecay,
  PiecewiseConstantDecay,
  piecewiseConstantDecay,
  serializeSchedule,
} from "../../ts/optimizers/schedules.js";
import { jsScalarMath, setScalarMath } from "../../ts/utils/scalar-math.js";

const steps = [0, 1, 2, 7, 99, 100, 101, 250, 999, 1000, 1001, 5000, 123457];

const f32 = Math.fround;

function expectF32Close(got: number, want: number, scale = Math.abs(want)) {
  expect(got).toBe(f32(got)); // a float32 value
  expect(Math.abs(got - want)).toBeLessThanOrEqual(Math.max(Math.abs(want), scale) * 4e-7 + 1e-30);
}

describe("ExponentialDecay", () => {
  it("initial * rate ^ (step / decaySteps), staircase with floor", () => {
    for (const staircase of [false, true]) {
      const schedule = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.96, staircase });
      for (const step of steps) {
        const p = staircase ? Math.floor(f32(step / 100)) : f32(step / 100);
        expectF32Close(schedule.call(step), f32(0.1) * f32(0.96) ** p);
      }
    }
    const stepped = new ExponentialDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 0.5, staircase: true });
    expect([0, 9, 10, 19, 20].map((s) => stepped.call(s))).toEqual([1, 1, 0.5, 0.5, 0.25]);
  });
});

describe("PiecewiseConstantDecay", () => {
  it("values[0] up to and including boundaries[0], then each interval (low, high]", () => {
    const schedule = piecewiseConstantDecay({ boundaries: [100000, 110000], values: [1.0, 0.5, 0.1] });
    expect([0, 100000, 100001, 110000, 110001, 1e9].map((s) => schedule.call(s))).toEqual([
      1,
      1,
      0.5,
      0.5,
      Math.fround(0.1),
      Math.fround(0.1),
    ]);
  });

  it("checks boundaries and values", () => {
    expect(() => new PiecewiseConstantDecay({ boundaries: [10, 5], values: [1, 2, 3] })).toThrow(
      "PiecewiseConstantDecay: boundaries must be strictly increasing, but boundaries[1] = 5 follows 10",
    );
    expect(() => new PiecewiseConstantDecay({ boundaries: [10], values: [1] })).toThrow(
      "PiecewiseConstantDecay: values must have one more element than boundaries (2), got an array of length 1",
    );
  });
});

describe("CosineDecay", () => {
  const reference = (step: number, initial: number, decaySteps: number, alpha: number) => {
    const s = Math.min(step, decaySteps);
    const cosine = 0.5 * (1 + Math.cos((Math.PI * s) / decaySteps));
    return initial * ((1 - alpha) * cosine + alpha);
  };

  it("decays from initial to initial * alpha over decaySteps, then stays", () => {
    for (const alpha of [0, 0.1, 0.5]) {
      const schedule = cosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, alpha });
      for (const step of steps) expectF32Close(schedule.call(step), reference(step, f32(0.1), 1000, f32(alpha)), 0.1);
    }
    const plain = new CosineDecay({ initialLearningRate: 1, decaySteps: 10 });
    expect(plain.call(0)).toBe(1);
    expect(plain.call(10)).toBeLessThan(1e-7);
  });

  it("warm-up: linear from initialLearningRate to warmupTarget, then cosine from warmupTarget", () => {
    const schedule = new CosineDecay({
      initialLearningRate: 0,
      decaySteps: 1000,
      warmupTarget: 0.1,
      warmupSteps: 100,
      alpha: 0.2,
    });
    for (const step of steps) {
      const s = Math.min(step, 1100);
      const want = s < 100 ? (f32(0.1) - 0) * (s / 100) + 0 : reference(s - 100, f32(0.1), 1000, f32(0.2));
      expectF32Close(schedule.call(step), want, 0.1);
    }
  });
});

describe("InverseTimeDecay", () => {
  it("initial / (1 + rate * step / decaySteps)", () => {
    for (const staircase of [false, true]) {
      const schedule = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase });
      for (const step of steps) {
        const p = staircase ? Math.floor(f32(step / 10)) : f32(step / 10);
        expectF32Close(schedule.call(step), f32(0.1) / (1 + 0.5 * p));
      }
    }
  });
});

describe("schedules: validation, config, ScalarMath", () => {
  afterEach(() => setScalarMath(jsScalarMath));

  it("validates options and steps", () => {
    expect(() => exponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.9 })).toThrow(
      "ExponentialDecay: decaySteps must be a positive finite number, got 0",
    );
    expect(() => cosineDecay({ initialLearningRate: 0.1, decay_steps: 10 } as never)).toThrow(
      'CosineDecay: unknown option "decay_steps" (did you mean "decaySteps"?)',
    );
    expect(() => exponentialDecay(undefined as never)).toThrow(
      "ExponentialDecay: expected an options object, got undefined",
    );
    const schedule = cosineDecay({ initialLearningRate: 0.1, decaySteps: 10 });
    expect(() => schedule.call(-1)).toThrow("CosineDecay: step must be a finite number >= 0, got -1");
    expect(() => schedule.call(NaN)).toThrow("CosineDecay: step must be a finite number >= 0, got NaN");
  });

  it("round-trips through getConfig and Keras's snake_case serialization", () => {
    const original = new CosineDecay({
      initialLearningRate: 0.01,
      decaySteps: 500,
      alpha: 0.1,
      warmupTarget: 0.05,
      warmupSteps: 50,
    });
    const serialized = serializeSchedule(original);
    expect(serialized).toEqual({
      module: "keras.optimizers.schedules",
      class_name: "CosineDecay",
      config: {
        initial_learning_rate: 0.01,
        decay_steps: 500,
        alpha: 0.1,
        name: "CosineDecay",
        warmup_target: 0.05,
        warmup_steps: 50,
      },
      registered_name: null,
    });
    const again = deserializeSchedule(JSON.parse(JSON.stringify(serialized)));
    expect(again).toBeInstanceOf(CosineDecay);
    for (const step of [0, 25, 50, 300, 600]) expect(again.call(step)).toBe(original.call(step));
    expect(
      new ExponentialDecay(
        new ExponentialDecay({ initialLearningRate: 1, decaySteps: 3, decayRate: 0.5 }).getConfig(),
      ).call(6),
    ).toBe(0.25);
    expect(
      deserializeSchedule({ class_name: "PiecewiseConstantDecay", config: { boundaries: [5], values: [1, 2] } }).call(
        6,
      ),
    ).toBe(2);
    expect(() => deserializeSchedule({ class_name: "toString", config: {} })).toThrow(
      'deserializeSchedule: unknown class_name string "toString"; valid ones are ExponentialDecay, PiecewiseConstantDecay, CosineDecay, InverseTimeDecay',
    );
  });

  it("computes pow / cos through the installed ScalarMath", () => {
    const calls: string[] = [];
    setScalarMath({
      pow: (x, y) => (calls.push(`pow(${x},${y})`), x ** y),
      cos: (x) => (calls.push("cos"), Math.cos(x)),
      exp: Math.exp,
    });
    exponentialDecay({ initialLearningRate: 1, decaySteps: 2, decayRate: 0.5 }).call(3);
    cosineDecay({ initialLearningRate: 1, decaySteps: 2 }).call(1);
    expect(calls).toEqual(["pow(0.5,1.5)", "cos"]);
  });
});
