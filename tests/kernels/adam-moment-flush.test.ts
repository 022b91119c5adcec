// adamUpdate flushes a moment to 0 once it falls below its threshold (assembly/optimizers-adam-flush.ts), as
// TensorFlow's flush-to-zero CPU kernels do: moments driven down by steps of zero gradients are followed step
// by step against scalar float32 Adam (tests/helpers/reference-math.ts), bit for bit, on 7 elements (a SIMD
// group and a scalar tail); the flush must happen at the very step the reference says, leave no subnormal
// moment behind, and leave ordinary weights with the bits that Adam without a flush gives.
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { bitsOf } from "../helpers/model-fixtures.js";
import { adamFlushThresholds, scalarAdamF32 } from "../helpers/reference-math.js";
import { freeAll, get, loadEngine, put } from "../helpers/wasm.js";

beforeAll(loadEngine);
afterEach(freeAll);

const SMALLEST_NORMAL = 2 ** -126;
const COUNT = 7;

interface Options {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  amsgrad: boolean;
}

/** Runs `steps` kernel steps of zero gradients from the given moments; returns every step's w, m, v. */
function runKernel(start: { w: number[]; m: number[]; v: number[] }, o: Options, firstStep: number, steps: number) {
  const w = put(start.w),
    g = put(new Float32Array(COUNT)),
    m = put(start.m),
    v = put(start.v),
    vhat = put(start.v);
  const trace: { w: Float32Array; m: Float32Array; v: Float32Array }[] = [];
  for (let step = firstStep; step < firstStep + steps; step++) {
    getEngine().kernels.adamUpdate(
      w,
      g,
      m,
      v,
      vhat,
      COUNT,
      o.learningRate,
      o.beta1,
      o.beta2,
      o.epsilon,
      step,
      o.amsgrad ? 1 : 0,
      o.weightDecay,
    );
    trace.push({ w: get(w, COUNT), m: get(m, COUNT), v: get(v, COUNT) });
  }
  return trace;
}

/** Scalar float32 Adam over the same steps, with the flush (the reference) and, for comparison, without it. */
function runReference(start: { w: number[]; m: number[]; v: number[] }, o: Options, firstStep: number, steps: number) {
  const f = Math.fround;
  const elements = start.w.map((w, i) => ({ w: f(w), m: f(start.m[i]), v: f(start.v[i]), vhat: f(start.v[i]) }));
  const trace: { w: Float32Array; m: Float32Array; v: Float32Array; flushM: number; flushV: number }[] = [];
  for (let step = firstStep; step < firstStep + steps; step++) {
    for (const element of elements) scalarAdamF32(element, 0, step, o);
    const alpha = f(f(f(o.learningRate) * f(Math.sqrt(f(1 - f(f(o.beta2) ** step))))) / f(1 - f(f(o.beta1) ** step)));
    const flush = adamFlushThresholds(f(1 - f(o.beta1)), f(1 - f(o.beta2)), alpha, f(o.epsilon));
    trace.push({
      w: Float32Array.from(elements, (e) => e.w),
      m: Float32Array.from(elements, (e) => e.m),
      v: Float32Array.from(elements, (e) => e.v),
      flushM: flush.m,
      flushV: flush.v,
    });
  }
  return trace;
}

const defaults: Options = {
  learningRate: 0.001,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-7,
  weightDecay: 0,
  amsgrad: false,
};
// Moments a few steps above their thresholds (both signs, different distances), ordinary weights.
const start = {
  w: [0.5, -0.25, 0.125, 0.75, -0.0625, 1.5, -0.03125],
  m: [2e-34, -3e-34, 5e-35, -1e-33, 4e-34, 1e-34, -7e-35],
  v: [1.2e-35, 1.19e-35, 1.22e-35, 1.24e-35, 1.185e-35, 1.21e-35, 1.23e-35],
};
const STEPS = 60;
const FIRST_STEP = 900;

describe("adamUpdate's flush of subnormal-bound moments", () => {
  test.each([
    ["Keras defaults", defaults],
    ["AdamW (weight decay 0.004) with AMSGrad", { ...defaults, weightDecay: 0.004, amsgrad: true }],
    ["β1 = 0.5, learning rate 0.1", { ...defaults, beta1: 0.5, learningRate: 0.1 }],
  ])("%s: every step's w, m, v have the reference's bits; no moment is ever stored subnormal", (_, o) => {
    const kernel = runKernel(start, o, FIRST_STEP, STEPS);
    const reference = runReference(start, o, FIRST_STEP, STEPS);
    let flushedM = 0,
      flushedV = 0;
    for (let s = 0; s < STEPS; s++) {
      for (const key of ["w", "m", "v"] as const)
        expect(Array.from(bitsOf(kernel[s][key])), `step ${FIRST_STEP + s} ${key}`).toEqual(
          Array.from(bitsOf(reference[s][key])),
        );
      for (let i = 0; i < COUNT; i++) {
        const m = kernel[s].m[i],
          v = kernel[s].v[i];
        // 0 or at least the threshold, which is itself at least the smallest normal float.
        expect(m === 0 || Math.abs(m) >= reference[s].flushM, `m[${i}] at step ${FIRST_STEP + s}`).toBe(true);
        expect(v === 0 || v >= reference[s].flushV).toBe(true);
        expect(m === 0 || Math.abs(m) >= SMALLEST_NORMAL).toBe(true);
        expect(Object.is(m, -0)).toBe(false); // flushed to +0 in every lane
        if (m === 0 && (s === 0 ? start.m[i] : kernel[s - 1].m[i]) !== 0) flushedM++;
        if (v === 0 && (s === 0 ? start.v[i] : kernel[s - 1].v[i]) !== 0) flushedV++;
      }
    }
    // The data reaches the thresholds within the run: every m and v is flushed once.
    expect(flushedM).toBe(COUNT);
    expect(flushedV).toBe(COUNT);
  });

  test("the thresholds sit where no multiply of the kernel meets a subnormal number (Keras defaults)", () => {
    const { flushM, flushV } = runReference(start, defaults, FIRST_STEP, 1)[0];
    const f = Math.fround;
    expect(f(flushM * f(0.1))).toBeGreaterThanOrEqual(SMALLEST_NORMAL); // (g − m)·(1 − β1) with g = 0
    expect(f(flushM * f(0.001))).toBeGreaterThanOrEqual(SMALLEST_NORMAL); // m·α, α ≈ lr late in training
    expect(f(flushV * f(1 - f(0.999)))).toBeGreaterThanOrEqual(SMALLEST_NORMAL); // (g² − v)·(1 − β2)
    expect(flushM).toBeLessThan(1e-34);
    expect(flushV).toBeLessThan(1e-34);
  });

  test("ordinary weights keep the bits of Adam without a flush", () => {
    const kernel = runKernel(start, defaults, FIRST_STEP, STEPS);
    // Adam without the flush, in float64 (the weights' updates are far below their ulps either way).
    const w = start.w.map(Math.fround),
      m = start.m.map(Math.fround),
      v = start.v.map(Math.fround);
    for (let step = FIRST_STEP; step < FIRST_STEP + STEPS; step++) {
      const alpha = (0.001 * Math.sqrt(1 - 0.999 ** step)) / (1 - 0.9 ** step);
      for (let i = 0; i < COUNT; i++) {
        m[i] *= 0.9;
        v[i] *= 0.999;
        w[i] = Math.fround(w[i] - (m[i] * alpha) / (Math.sqrt(v[i]) + 1e-7));
      }
    }
    expect(Array.from(bitsOf(kernel[STEPS - 1].w))).toEqual(Array.from(bitsOf(Float32Array.from(w))));
  });

  test("with ε = 0 the second moment is never flushed (0 would divide a finite update by 0)", () => {
    const o = { ...defaults, epsilon: 0 };
    const kernel = runKernel(start, o, FIRST_STEP, STEPS);
    const reference = runReference(start, o, FIRST_STEP, STEPS);
    expect(reference[0].flushV).toBe(0);
    expect(Array.from(bitsOf(kernel[STEPS - 1].v))).toEqual(Array.from(bitsOf(reference[STEPS - 1].v)));
    expect(kernel[STEPS - 1].v.every((value) => value > 0)).toBe(true);
    expect(kernel[STEPS - 1].w.every(Number.isFinite)).toBe(true);
  });
});
