// Keras 3's L1L2 weight penalty, its shortcuts and its identifiers: penalty l1·Σ|w| + l2·Σw², gradient
// l1·sign(w) + 2·l2·w (keras/src/regularizers/regularizers.py); l1() / l2() default to 0.01, L1L2() to 0.
// References in float64.
import { beforeAll, describe, expect, test } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { Regularizer, regularizers, resolveRegularizer } from "../../ts/regularizers/regularizers.js";
import { expectClose } from "../helpers/optimizer-steps.js";
import { loadEngine } from "../helpers/wasm.js";

beforeAll(loadEngine);

const w = [0.5, -2, 0, 3, -0.25, 1.5, -1]; // seven: SIMD body and tail
const sumAbs = w.reduce((s, x) => s + Math.abs(x), 0);
const sumSquares = w.reduce((s, x) => s + x * x, 0);

function penaltyOf(regularizer: Regularizer): number {
  const engine = getEngine();
  const ptr = engine.allocF32(w.length);
  engine.write(ptr, Float32Array.from(w));
  const penalty = regularizer.penalty(ptr, w.length);
  engine.free(ptr);
  return penalty;
}

function gradientOf(regularizer: Regularizer, start: readonly number[]): number[] {
  const engine = getEngine();
  const ptr = engine.allocF32(w.length);
  const grad = engine.allocF32(w.length);
  engine.write(ptr, Float32Array.from(w));
  engine.write(grad, Float32Array.from(start));
  regularizer.addGradient(ptr, grad, w.length);
  const out = Array.from(engine.read(grad, w.length));
  engine.free(ptr);
  engine.free(grad);
  return out;
}

describe("penalty and gradient", () => {
  test.each([
    [0.01, 0],
    [0, 0.05],
    [0.3, 0.2],
  ])("l1 %f, l2 %f", (l1, l2) => {
    const regularizer = new Regularizer({ l1, l2 });
    expect(penaltyOf(regularizer)).toBeCloseTo(l1 * sumAbs + l2 * sumSquares, 5);
    // The gradient is added to what the grad block holds (the loss's gradient).
    const start = w.map((_, i) => i / 10);
    expectClose(
      gradientOf(regularizer, start),
      w.map((x, i) => start[i] + l1 * Math.sign(x) + 2 * l2 * x),
      1e-6,
    );
  });
});

describe("shortcuts and identifiers give Keras's factors", () => {
  test.each([
    ["regularizers.l1()", () => regularizers.l1(), 0.01, 0],
    ["regularizers.l1(0.2)", () => regularizers.l1(0.2), 0.2, 0],
    ["regularizers.l1({ l1: 0.3 })", () => regularizers.l1({ l1: 0.3 }), 0.3, 0],
    ["regularizers.l1({})", () => regularizers.l1({}), 0.01, 0],
    ["regularizers.l2()", () => regularizers.l2(), 0, 0.01],
    ["regularizers.l2(0.2)", () => regularizers.l2(0.2), 0, 0.2],
    ["regularizers.l2({ l2: 0.4 })", () => regularizers.l2({ l2: 0.4 }), 0, 0.4],
    ["regularizers.l1l2()", () => regularizers.l1l2(), 0.01, 0.01],
    ["regularizers.l1l2({ l1: 0.1 })", () => regularizers.l1l2({ l1: 0.1 }), 0.1, 0],
    ['"l1"', () => resolveRegularizer("l1", "kernelRegularizer")!, 0.01, 0],
    ['"l2"', () => resolveRegularizer("l2", "kernelRegularizer")!, 0, 0.01],
    ['"l1l2"', () => resolveRegularizer("l1l2", "kernelRegularizer")!, 0.01, 0.01],
    ['"l1_l2"', () => resolveRegularizer("l1_l2", "kernelRegularizer")!, 0.01, 0.01],
    ["{ className: L1 }", () => resolveRegularizer({ className: "L1" }, "x")!, 0.01, 0],
    [
      "{ className: L1, config: { l1: 0.5 } }",
      () => resolveRegularizer({ className: "L1", config: { l1: 0.5 } }, "x")!,
      0.5,
      0,
    ],
    ["{ className: L2 }", () => resolveRegularizer({ className: "L2" }, "x")!, 0, 0.01],
    [
      "{ className: L2, config: { l2: 0.5 } }",
      () => resolveRegularizer({ className: "L2", config: { l2: 0.5 } }, "x")!,
      0,
      0.5,
    ],
    ["{ className: L1L2 }", () => resolveRegularizer({ className: "L1L2" }, "x")!, 0, 0],
    [
      "{ className: L1L2, config }",
      () => resolveRegularizer({ className: "L1L2", config: { l1: 0.1, l2: 0.2 } }, "x")!,
      0.1,
      0.2,
    ],
  ])("%s", (_, make, l1, l2) => {
    const regularizer = make();
    expect([regularizer.l1, regularizer.l2]).toEqual([l1, l2]);
    // densa saves every one of them as L1L2 with both factors (a config Keras loads as the same penalty).
    expect(regularizer.getConfig()).toEqual({ className: "L1L2", config: { l1, l2 } });
  });

  test("null, undefined and instances pass through", () => {
    expect(resolveRegularizer(null, "x")).toBeNull();
    expect(resolveRegularizer(undefined, "x")).toBeNull();
    const instance = new Regularizer({ l1: 1 });
    expect(resolveRegularizer(instance, "x")).toBe(instance);
  });
});

describe("bad input names the argument", () => {
  test.each([
    [() => new Regularizer({ l1: -1 }), "L1L2: l1 must be a finite number >= 0, got -1"],
    [() => new Regularizer({ l2: Number.NaN }), "L1L2: l2 must be a finite number >= 0, got NaN"],
    [() => new Regularizer({ l2: "0.1" as never }), 'L1L2: l2 must be a finite number >= 0, got string "0.1"'],
    [() => new Regularizer({ l3: 1 } as never), "L1L2"],
    [() => regularizers.l1(-0.5), "regularizers.l1: l1 must be a finite number >= 0, got -0.5"],
    [() => regularizers.l2({ l1: 0.1 } as never), "regularizers.l2"],
    [() => regularizers.l2(-2), "regularizers.l2: l2 must be a finite number >= 0, got -2"],
    [() => regularizers.l1(null as never), "regularizers.l1: l1 must be a finite number >= 0, got null"],
    [() => regularizers.l1l2({ l1: Infinity }), "regularizers.l1l2: l1 must be a finite number >= 0, got Infinity"],
    [
      () => resolveRegularizer("l3" as never, "kernelRegularizer"),
      'kernelRegularizer: unknown regularizer "l3"; expected "l1", "l2", "l1l2", a regularizers.* instance or { className: "L1" | "L2" | "L1L2", config }',
    ],
    [
      () => resolveRegularizer({ className: "L3" }, "biasRegularizer"),
      'biasRegularizer: unknown regularizer {"className":"L3"}',
    ],
    [() => resolveRegularizer({ config: {} } as never, "biasRegularizer"), "biasRegularizer: unknown regularizer"],
    [() => resolveRegularizer(5 as never, "biasRegularizer"), "biasRegularizer: unknown regularizer 5"],
  ])("%#", (make, message) => {
    expect(make).toThrow(message);
  });
});
