// Optimizer update kernels against Keras 3's update_step written out here (keras/src/optimizers/*.py).
// Each reference runs twice: in float64 (compared with a relative tolerance) and with every intermediate
// rounded to float32 in Keras's operation order (compared bit for bit, which also proves that the SIMD
// body and the scalar tail do the same arithmetic, and that the order of operations is Keras's).
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Engine, Kernels } from "../../ts/engine/engine.js";
import { adamFlushThresholds } from "../helpers/reference-math.js";
import { expectClose, freeAll, get, loadEngine, put, randomArray, zeros } from "../helpers/wasm.js";

type Round = (x: number) => number;
const exact: Round = (x) => x;
const f32: Round = Math.fround;
const f = Math.fround;
/** β^t as Keras forms it in float32: ops.power(cast(β), cast(t)). */
const pow32 = (base: number, step: number) => f(f(base) ** step);

type State = Record<string, Float64Array>;
interface Slot {
  name: string;
  size?: number; // default: the weight's size
  fill?: number;
}
interface OptimizerCase {
  name: string;
  slots: Slot[];
  gradScale?: (step: number) => number;
  kernel(k: Kernels, ptr: Record<string, number>, count: number, step: number): void;
  /** One Keras update of every element, rounding each intermediate with r. */
  reference(r: Round, s: State, count: number, step: number): void;
}

const SIZES = [1, 3, 5, 17, 130];
const STEPS = 5;

// ---- Keras 3 update steps -------------------------------------------------------------------------------

function decay(r: Round, w: number, wd: number, lr: number): number {
  // base_optimizer._apply_weight_decay: variable - variable * wd * lr
  return wd === 0 ? w : r(w - r(r(w * f(wd)) * f(lr)));
}

function sgd(lr: number, momentum: number, nesterov: boolean, wd = 0): OptimizerCase {
  return {
    name: `SGD lr=${lr} momentum=${momentum} nesterov=${nesterov} wd=${wd}`,
    slots: momentum === 0 ? [] : [{ name: "velocity" }],
    kernel: (k, p, n) => k.sgdUpdate(p.w, p.g, p.velocity ?? 0, n, lr, momentum, nesterov ? 1 : 0, wd),
    reference(r, s, n) {
      const [LR, M] = [f(lr), f(momentum)];
      for (let i = 0; i < n; i++) {
        const w = decay(r, s.w[i], wd, lr);
        const g = s.g[i];
        if (momentum === 0) {
          s.w[i] = r(w - r(g * LR));
          continue;
        }
        const m = r(r(s.velocity[i] * M) - r(g * LR));
        s.velocity[i] = m;
        s.w[i] = nesterov ? r(w + r(r(m * M) - r(g * LR))) : r(w + m);
      }
    },
  };
}

function adam(lr: number, b1: number, b2: number, eps: number, amsgrad: boolean, wd = 0): OptimizerCase {
  return {
    name: `Adam${wd ? "W" : ""} lr=${lr} b1=${b1} b2=${b2} eps=${eps} amsgrad=${amsgrad} wd=${wd}`,
    slots: [{ name: "m" }, { name: "v" }, { name: "vhat" }],
    // Shrinking gradients make v fall, so AMSGrad's running max actually matters.
    gradScale: (t) => 4 / (t * t),
    kernel: (k, p, n, t) => k.adamUpdate(p.w, p.g, p.m, p.v, p.vhat, n, lr, b1, b2, eps, t, amsgrad ? 1 : 0, wd),
    reference(r, s, n, t) {
      const [LR, B1, B2, EPS] = [f(lr), f(b1), f(b2), f(eps)];
      // alpha = lr * sqrt(1 - beta_2_power) / (1 - beta_1_power)
      const alpha = r(r(LR * r(Math.sqrt(r(1 - pow32(b2, t))))) / r(1 - pow32(b1, t)));
      const flush = adamFlushThresholds(r(1 - B1), r(1 - B2), alpha, EPS);
      for (let i = 0; i < n; i++) {
        const w = decay(r, s.w[i], wd, lr);
        const g = s.g[i];
        let m = r(s.m[i] + r(r(g - s.m[i]) * r(1 - B1)));
        if (Math.abs(m) < flush.m) m = 0;
        let v = r(s.v[i] + r(r(r(g * g) - s.v[i]) * r(1 - B2)));
        if (v < flush.v) v = 0;
        s.m[i] = m;
        s.v[i] = v;
        if (amsgrad) {
          v = Math.max(s.vhat[i], v);
          s.vhat[i] = v;
        }
        s.w[i] = r(w - r(r(m * alpha) / r(r(Math.sqrt(v)) + EPS)));
      }
    },
  };
}

function rmsprop(lr: number, rho: number, momentum: number, eps: number, centered: boolean, wd = 0): OptimizerCase {
  return {
    name: `RMSprop lr=${lr} rho=${rho} momentum=${momentum} eps=${eps} centered=${centered} wd=${wd}`,
    slots: [{ name: "velocity" }, { name: "momentum" }, { name: "average" }],
    kernel: (k, p, n) =>
      k.rmspropUpdate(p.w, p.g, p.velocity, p.momentum, p.average, n, lr, rho, momentum, eps, centered ? 1 : 0, wd),
    reference(r, s, n) {
      const [LR, RHO, MOM, EPS] = [f(lr), f(rho), f(momentum), f(eps)];
      for (let i = 0; i < n; i++) {
        const w = decay(r, s.w[i], wd, lr);
        const g = s.g[i];
        const vel = r(r(RHO * s.velocity[i]) + r(r(1 - RHO) * r(g * g)));
        s.velocity[i] = vel;
        let denominator: number;
        if (centered) {
          const avg = r(r(RHO * s.average[i]) + r(r(1 - RHO) * g));
          s.average[i] = avg;
          denominator = r(r(vel - r(avg * avg)) + EPS);
        } else {
          denominator = r(vel + EPS);
        }
        let increment = r(r(LR * g) / r(Math.sqrt(denominator)));
        if (momentum > 0) {
          increment = r(r(MOM * s.momentum[i]) + increment);
          s.momentum[i] = increment;
        }
        s.w[i] = r(w - increment);
      }
    },
  };
}

function adagrad(lr: number, initial: number, eps: number, wd = 0): OptimizerCase {
  return {
    name: `Adagrad lr=${lr} initial=${initial} eps=${eps} wd=${wd}`,
    slots: [{ name: "accumulator", fill: initial }],
    kernel: (k, p, n) => k.adagradUpdate(p.w, p.g, p.accumulator, n, lr, eps, wd),
    reference(r, s, n) {
      const [LR, EPS] = [f(lr), f(eps)];
      for (let i = 0; i < n; i++) {
        const w = decay(r, s.w[i], wd, lr);
        const g = s.g[i];
        const acc = r(s.accumulator[i] + r(g * g));
        s.accumulator[i] = acc;
        s.w[i] = r(w - r(r(LR * g) / r(Math.sqrt(r(acc + EPS)))));
      }
    },
  };
}

function adadelta(lr: number, rho: number, eps: number, wd = 0): OptimizerCase {
  return {
    name: `Adadelta lr=${lr} rho=${rho} eps=${eps} wd=${wd}`,
    slots: [{ name: "accGrad" }, { name: "accDelta" }],
    kernel: (k, p, n) => k.adadeltaUpdate(p.w, p.g, p.accGrad, p.accDelta, n, lr, rho, eps, wd),
    reference(r, s, n) {
      const [LR, RHO, EPS] = [f(lr), f(rho), f(eps)];
      const rms = (x: number) => r(Math.sqrt(r(x + EPS)));
      for (let i = 0; i < n; i++) {
        const w = decay(r, s.w[i], wd, lr);
        const g = s.g[i];
        const accGrad = r(r(RHO * s.accGrad[i]) + r(r(1 - RHO) * r(g * g)));
        s.accGrad[i] = accGrad;
        const delta = -r(r(rms(s.accDelta[i]) * g) / rms(accGrad));
        s.accDelta[i] = r(r(RHO * s.accDelta[i]) + r(r(1 - RHO) * r(delta * delta)));
        s.w[i] = r(w + r(LR * delta));
      }
    },
  };
}

function adamax(lr: number, b1: number, b2: number, eps: number, wd = 0): OptimizerCase {
  return {
    name: `Adamax lr=${lr} b1=${b1} b2=${b2} eps=${eps} wd=${wd}`,
    slots: [{ name: "m" }, { name: "u" }],
    gradScale: (t) => 3 / t,
    kernel: (k, p, n, t) => k.adamaxUpdate(p.w, p.g, p.m, p.u, n, lr, b1, b2, eps, t, wd),
    reference(r, s, n, t) {
      const [LR, B1, B2, EPS] = [f(lr), f(b1), f(b2), f(eps)];
      const correction = r(1 - pow32(b1, t));
      for (let i = 0; i < n; i++) {
        const w = decay(r, s.w[i], wd, lr);
        const g = s.g[i];
        const m = r(s.m[i] + r(r(g - s.m[i]) * r(1 - B1)));
        const u = Math.max(r(B2 * s.u[i]), Math.abs(g));
        s.m[i] = m;
        s.u[i] = u;
        s.w[i] = r(w - r(r(LR * m) / r(correction * r(u + EPS))));
      }
    },
  };
}

function nadam(lr: number, b1: number, b2: number, eps: number, wd = 0): OptimizerCase {
  return {
    name: `Nadam lr=${lr} b1=${b1} b2=${b2} eps=${eps} wd=${wd}`,
    slots: [{ name: "m" }, { name: "v" }, { name: "uProduct", size: 1, fill: 1 }],
    kernel(k, p, n, t) {
      k.nadamScheduleUpdate(p.uProduct, b1, t); // once per training step, before every variable's update
      k.nadamUpdate(p.w, p.g, p.m, p.v, p.uProduct, n, lr, b1, b2, eps, t, wd);
    },
    reference(r, s, n, t) {
      const [LR, B1, B2, EPS] = [f(lr), f(b1), f(b2), f(eps)];
      const mu = (step: number) => r(B1 * r(1 - r(0.5 * pow32(0.96, step))));
      // Nadam._backend_update_step: u_product * beta_1 * (1 - 0.5 * 0.96^t), once per step
      s.uProduct[0] = r(r(s.uProduct[0] * B1) * r(1 - r(0.5 * pow32(0.96, t))));
      const [muT, muNext] = [mu(t), mu(t + 1)];
      const productT = s.uProduct[0];
      const productNext = r(productT * muNext);
      const beta2Power = pow32(b2, t);
      for (let i = 0; i < n; i++) {
        const w = decay(r, s.w[i], wd, lr);
        const g = s.g[i];
        const m = r(s.m[i] + r(r(g - s.m[i]) * r(1 - B1)));
        const v = r(s.v[i] + r(r(r(g * g) - s.v[i]) * r(1 - B2)));
        s.m[i] = m;
        s.v[i] = v;
        const mHat = r(r(r(muNext * m) / r(1 - productNext)) + r(r(r(1 - muT) * g) / r(1 - productT)));
        const vHat = r(v / r(1 - beta2Power));
        s.w[i] = r(w - r(r(mHat * LR) / r(r(Math.sqrt(vHat)) + EPS)));
      }
    },
  };
}

const CASES: OptimizerCase[] = [
  sgd(0.01, 0, false),
  sgd(0.1, 0, false, 0.05),
  sgd(0.1, 0.9, false),
  sgd(0.1, 0.9, true),
  sgd(0.05, 0.5, true, 0.01),
  adam(0.001, 0.9, 0.999, 1e-7, false),
  adam(0.1, 0.9, 0.999, 1e-7, false),
  adam(0.1, 0.8, 0.99, 0.05, true),
  adam(0.1, 0.9, 0.999, 1e-3, true, 0.004), // AdamW with Keras's default weight_decay
  adam(0.05, 0.9, 0.999, 1e-7, false, 0.1),
  rmsprop(0.001, 0.9, 0, 1e-7, false),
  rmsprop(0.05, 0.9, 0, 0.01, false),
  rmsprop(0.05, 0.8, 0.9, 0.01, false),
  rmsprop(0.05, 0.9, 0, 0.01, true),
  rmsprop(0.05, 0.7, 0.5, 0.05, true, 0.02),
  adagrad(0.001, 0.1, 1e-7),
  adagrad(0.2, 0.5, 0.01, 0.03),
  adadelta(0.001, 0.95, 1e-7),
  adadelta(1.0, 0.9, 1e-3),
  adadelta(1.0, 0.8, 0.01, 0.05),
  adamax(0.001, 0.9, 0.999, 1e-7),
  adamax(0.1, 0.8, 0.9, 0.05),
  adamax(0.1, 0.9, 0.999, 1e-3, 0.01),
  nadam(0.001, 0.9, 0.999, 1e-7),
  nadam(0.1, 0.9, 0.999, 0.01),
  nadam(0.1, 0.8, 0.99, 1e-3, 0.02),
];

// ---- harness --------------------------------------------------------------------------------------------

let engine: Engine;
let k: Kernels;
beforeAll(async () => {
  engine = await loadEngine();
  k = engine.kernels;
});
afterEach(() => freeAll());

/** Fresh weight, gradients for every step and zero-or-filled slots, as float32-representable values. */
function initialState(c: OptimizerCase, n: number, seed: number): { state: State; grads: Float32Array[] } {
  const state: State = { w: Float64Array.from(randomArray(n, seed, -1, 1)), g: new Float64Array(n) };
  for (const slot of c.slots) state[slot.name] = new Float64Array(slot.size ?? n).fill(f(slot.fill ?? 0));
  const grads: Float32Array[] = [];
  for (let t = 1; t <= STEPS; t++) {
    const scale = c.gradScale?.(t) ?? 1;
    grads.push(randomArray(n, seed * 31 + t, -1, 1).map((x) => f(x * scale)));
  }
  return { state, grads };
}

function runKernel(c: OptimizerCase, state: State, grads: Float32Array[], n: number, offset = 0): State {
  // offset > 0 shifts every array by that many floats, so pointers are not 16-byte aligned.
  const ptr: Record<string, number> = {};
  for (const [name, values] of Object.entries(state)) {
    const block = zeros(values.length + offset);
    engine.write(block + 4 * offset, values);
    ptr[name] = block + 4 * offset;
  }
  grads.forEach((g, index) => {
    engine.write(ptr.g, g);
    c.kernel(k, ptr, n, index + 1);
  });
  const out: State = {};
  for (const [name, values] of Object.entries(state)) out[name] = Float64Array.from(get(ptr[name], values.length));
  return out;
}

function runReference(c: OptimizerCase, start: State, grads: Float32Array[], n: number, r: Round): State {
  const s: State = {};
  for (const [name, values] of Object.entries(start)) s[name] = Float64Array.from(values);
  grads.forEach((g, index) => {
    s.g.set(g);
    c.reference(r, s, n, index + 1);
  });
  return s;
}

function expectBitEqual(actual: Float64Array, expected: Float64Array, label: string): void {
  for (let i = 0; i < expected.length; i++) {
    if (Object.is(actual[i], expected[i]) || (Number.isNaN(actual[i]) && Number.isNaN(expected[i]))) continue;
    expect.fail(`${label}[${i}]: got ${actual[i]}, float32 reference ${expected[i]}`);
  }
}

describe.each(CASES)("$name", (c) => {
  it.each(SIZES)("matches Keras's update over 5 steps, count %i", (n) => {
    const { state, grads } = initialState(c, n, 1000 + n);
    const got = runKernel(c, state, grads, n);
    const in64 = runReference(c, state, grads, n, exact);
    const in32 = runReference(c, state, grads, n, f32);
    for (const name of Object.keys(state)) {
      if (name === "g") continue;
      expectClose(got[name], in64[name], { rtol: 1e-6, atol: 1e-7, label: `${c.name} ${name}` });
      expectBitEqual(got[name], in32[name], `${c.name} ${name}`);
    }
    // The weight really moved (a kernel that did nothing would not pass vacuously).
    expect(got.w.some((w, i) => Math.abs(w - state.w[i]) > 1e-6)).toBe(true);
  });

  it("gives the same bits at an unaligned offset (no dependence on position)", () => {
    const n = 33;
    const { state, grads } = initialState(c, n, 77);
    const aligned = runKernel(c, state, grads, n, 0);
    const shifted = runKernel(c, state, grads, n, 1);
    for (const name of Object.keys(state)) expectBitEqual(shifted[name], aligned[name], name);
  });
});

describe("late steps (bias corrections from large step numbers)", () => {
  const later = (c: OptimizerCase, offset: number): OptimizerCase => ({
    ...c,
    kernel: (kernels, p, n, t) => c.kernel(kernels, p, n, t + offset),
    reference: (r, s, n, t) => c.reference(r, s, n, t + offset),
  });
  it.each([
    [adam(0.1, 0.9, 0.999, 1e-7, true), 999],
    [adam(0.1, 0.9, 0.999, 1e-3, false, 0.004), 123_456],
    [adamax(0.1, 0.9, 0.999, 1e-7), 4_999],
    [nadam(0.1, 0.9, 0.999, 1e-3), 2_047],
  ])("%#: matches at step offset %i", (c, offset) => {
    const n = 17;
    const { state, grads } = initialState(c, n, 3);
    const got = runKernel(later(c, offset), state, grads, n);
    const in64 = runReference(later(c, offset), state, grads, n, exact);
    const in32 = runReference(later(c, offset), state, grads, n, f32);
    for (const name of Object.keys(state)) {
      if (name === "g") continue;
      expectClose(got[name], in64[name], { rtol: 1e-6, atol: 1e-7, label: name });
      expectBitEqual(got[name], in32[name], name);
    }
  });
});

describe("edge values", () => {
  const edges = [0, -0, 1e-40, -1e-40, 1e-20, -3e-5, 1e20, -1e20, 3e38, -3e38, 0.5, -2];
  it.each(CASES.filter((_, i) => i % 3 === 0))("$name follows the float32 reference on extreme gradients", (c) => {
    const n = 19;
    const { state, grads } = initialState(c, n, 5);
    for (const g of grads) for (let i = 0; i < n; i++) g[i] = f(edges[(i + g.length) % edges.length]);
    state.w[0] = f(1e30); // a huge weight too
    const got = runKernel(c, state, grads, n);
    const in32 = runReference(c, state, grads, n, f32);
    for (const name of Object.keys(state)) if (name !== "g") expectBitEqual(got[name], in32[name], name);
  });
});

describe("option effects (each option changes the result)", () => {
  function finalWeights(c: OptimizerCase): Float64Array {
    const { state, grads } = initialState(c, 17, 9);
    return runKernel(c, state, grads, 17).w;
  }
  const differ = (a: Float64Array, b: Float64Array) => a.some((x, i) => Math.abs(x - b[i]) > 1e-5);
  it("nesterov, momentum, amsgrad, centered and weight decay all matter", () => {
    expect(differ(finalWeights(sgd(0.1, 0.9, true)), finalWeights(sgd(0.1, 0.9, false)))).toBe(true);
    expect(differ(finalWeights(sgd(0.1, 0.9, false)), finalWeights(sgd(0.1, 0, false)))).toBe(true);
    expect(
      differ(finalWeights(adam(0.1, 0.9, 0.999, 1e-7, true)), finalWeights(adam(0.1, 0.9, 0.999, 1e-7, false))),
    ).toBe(true);
    expect(
      differ(finalWeights(rmsprop(0.05, 0.9, 0, 0.01, true)), finalWeights(rmsprop(0.05, 0.9, 0, 0.01, false))),
    ).toBe(true);
    expect(
      differ(finalWeights(adam(0.1, 0.9, 0.999, 1e-7, false, 0.1)), finalWeights(adam(0.1, 0.9, 0.999, 1e-7, false))),
    ).toBe(true);
  });

  it("Adam's first step moves each weight by about lr·sign(g) (bias correction from the step)", () => {
    const n = 9;
    const w = put(new Float32Array(n));
    const g = put(randomArray(n, 3, -2, 2));
    const slots = [zeros(n), zeros(n), zeros(n)];
    k.adamUpdate(w, g, slots[0], slots[1], slots[2], n, 0.01, 0.9, 0.999, 1e-7, 1, 0, 0);
    const grad = get(g, n);
    get(w, n).forEach((x, i) => expect(x).toBeCloseTo(-0.01 * Math.sign(grad[i]), 5));
  });
});

// ---- clipping, regularizers, constraints ----------------------------------------------------------------

const f64Sum = (values: ArrayLike<number>, term: (x: number) => number) => {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += term(values[i]);
  return sum;
};

describe("gradient clipping", () => {
  it.each([1, 3, 5, 17, 130, 4099])("sumOfSquares is Σx² to float32 precision, count %i", (n) => {
    const x = randomArray(n, n, -3, 3);
    x[0] = 1e-20; // tiny and huge terms together
    if (n > 2) x[2] = 3e3;
    expect(k.sumOfSquares(put(x), n)).toBe(f(f64Sum(x, (v) => v * v)));
    expect(k.sumOfSquares(put(new Float32Array(n)), n)).toBe(0);
  });

  it("sumOfSquares does not depend on alignment", () => {
    const x = randomArray(37, 4);
    const block = zeros(38);
    engine.write(block + 4, x);
    expect(k.sumOfSquares(block + 4, 37)).toBe(k.sumOfSquares(put(x), 37));
  });

  it.each([1, 3, 5, 17, 130])("scaleInPlace and clipByValue, count %i", (n) => {
    const x = randomArray(n, 8 + n, -5, 5);
    x[0] = -0;
    const a = put(x);
    k.scaleInPlace(a, n, -0.3);
    expectBitEqual(
      Float64Array.from(get(a, n)),
      Float64Array.from(x, (v) => f(v * f(-0.3))),
      "scaled",
    );
    const b = put(x);
    k.clipByValue(b, n, -1.5, 1.5);
    expectBitEqual(
      Float64Array.from(get(b, n)),
      Float64Array.from(x, (v) => Math.max(Math.min(v, 1.5), -1.5)),
      "clipped",
    );
  });

  it.each([1, 3, 5, 17, 130])("clipByNorm is Keras's g·c / max(‖g‖, c), count %i", (n) => {
    for (const clipNorm of [0.5, 1e3]) {
      const x = randomArray(n, 20 + n, -2, 2);
      const p = put(x);
      k.clipByNorm(p, n, clipNorm);
      const norm = Math.sqrt(f64Sum(x, (v) => v * v));
      const got = get(p, n);
      expectClose(
        got,
        Array.from(x, (v) => (v * clipNorm) / Math.max(norm, clipNorm)),
        { rtol: 1e-6, atol: 1e-7 },
      );
      // float32 emulation of the same expression, bit for bit
      const s = f(f64Sum(x, (v) => v * v));
      const denominator = Math.max(f(Math.sqrt(s)), f(clipNorm));
      expectBitEqual(
        Float64Array.from(got),
        Float64Array.from(x, (v) => f(f(v * f(clipNorm)) / denominator)),
        "clip",
      );
      expect(Math.sqrt(f64Sum(got, (v) => v * v))).toBeLessThanOrEqual(clipNorm * (1 + 1e-6));
    }
    const z = put(new Float32Array(n));
    k.clipByNorm(z, n, 1);
    expect(Array.from(get(z, n))).toEqual(new Array(n).fill(0));
  });

  it("globalNormScale is Keras's clip_by_global_norm factor", () => {
    const parts = [randomArray(5, 1, -3, 3), randomArray(17, 2, -3, 3), randomArray(130, 3, -3, 3)];
    const total = parts.reduce((sum, part) => sum + k.sumOfSquares(put(part), part.length), 0);
    for (const clipNorm of [0.1, 1, 5, 1e4]) {
      const factor = k.globalNormScale(total, clipNorm);
      const norm = Math.sqrt(total);
      expect(factor).toBeCloseTo(clipNorm * Math.min(1 / norm, 1 / clipNorm), 6);
      const n32 = f(Math.sqrt(f(total)));
      const c = f(clipNorm);
      expect(factor).toBe(f(f(c * Math.min(f(1 / n32), f(1 / c))) + f(n32 - n32)));
    }
    expect(k.globalNormScale(Infinity, 1)).toBeNaN();
    expect(k.globalNormScale(0, 2)).toBeCloseTo(1, 6);
  });
});

describe("L1/L2 regularizer", () => {
  const penalty64 = (w: ArrayLike<number>, l1: number, l2: number) =>
    f(l1) * f64Sum(w, Math.abs) + f(l2) * f64Sum(w, (v) => v * v);

  it.each([1, 3, 5, 17, 130])("penalty is l1·Σ|w| + l2·Σw², count %i", (n) => {
    const w = randomArray(n, 40 + n, -2, 2);
    for (const [l1, l2] of [
      [0.01, 0],
      [0, 0.01],
      [0.003, 0.02],
      [0, 0],
    ]) {
      expect(k.l1l2Penalty(put(w), n, l1, l2)).toBeCloseTo(penalty64(w, l1, l2), 6);
    }
  });

  it.each([1, 3, 5, 17, 130])("gradient adds l1·sign(w) + 2·l2·w, count %i", (n) => {
    const w = randomArray(n, 50 + n, -2, 2);
    w[0] = 0; // sign(0) = 0
    if (n > 1) w[1] = -0;
    const g = randomArray(n, 60 + n, -1, 1);
    const [l1, l2] = [0.03, 0.2];
    const gp = put(g);
    k.addL1L2Gradient(put(w), gp, n, l1, l2);
    const expected = Array.from(g, (gi, i) => gi + f(l1) * Math.sign(w[i]) + 2 * f(l2) * w[i]);
    expectClose(get(gp, n), expected, { rtol: 1e-6, atol: 1e-7 });
    const exact32 = Float64Array.from(g, (gi, i) => f(gi + f(f(f(l1) * Math.sign(w[i])) + f(f(2 * f(l2)) * w[i]))));
    expectBitEqual(Float64Array.from(get(gp, n)), exact32, "grad");
  });

  it("gradient matches central finite differences of the penalty", () => {
    const n = 7;
    const w = Float64Array.from(randomArray(n, 70, 0.1, 1), (v, i) => (i % 2 ? -v : v)); // away from the kink
    const [l1, l2] = [0.05, 0.3];
    const g = zeros(n);
    k.addL1L2Gradient(put(w), g, n, l1, l2);
    const grad = get(g, n);
    const h = 1e-4;
    for (let i = 0; i < n; i++) {
      const plus = Float64Array.from(w),
        minus = Float64Array.from(w);
      plus[i] += h;
      minus[i] -= h;
      const fd = (penalty64(plus, l1, l2) - penalty64(minus, l1, l2)) / (2 * h);
      expect(grad[i]).toBeCloseTo(fd, 5);
      // and on the kernel's own penalty, with a step float32 can resolve
      const H = 1e-2;
      const kp = Float32Array.from(w),
        km = Float32Array.from(w);
      kp[i] += H;
      km[i] -= H;
      const kfd = (k.l1l2Penalty(put(kp), n, l1, l2) - k.l1l2Penalty(put(km), n, l1, l2)) / (2 * H);
      expect(Math.abs(grad[i] - kfd)).toBeLessThan(1e-3);
    }
  });
});

describe("weight constraints (axis 0: one norm per column)", () => {
  const EPS = f(1e-7);
  const SHAPES: Array<[number, number]> = [
    [1, 1],
    [3, 5],
    [5, 17],
    [17, 33],
    [130, 7],
    [7, 130],
    [1, 21],
  ];

  function columnNorms(w: ArrayLike<number>, rows: number, cols: number, r: Round): number[] {
    return Array.from({ length: cols }, (_, j) => {
      let sum = 0;
      for (let i = 0; i < rows; i++) sum = r(sum + r(w[i * cols + j] * w[i * cols + j]));
      return r(Math.sqrt(sum));
    });
  }

  function reference(kind: string, w: Float32Array, rows: number, cols: number, r: Round, a = 0, b = 0, rate = 1) {
    const norms = columnNorms(w, rows, cols, r);
    return Float64Array.from(w, (x, index) => {
      const n = norms[index % cols];
      if (kind === "unit") return r(x / r(EPS + n));
      const desired =
        kind === "max"
          ? Math.max(Math.min(n, f(b)), 0)
          : r(r(f(rate) * Math.max(Math.min(n, f(b)), f(a))) + r(r(1 - f(rate)) * n));
      return r(x * r(desired / r(EPS + n)));
    });
  }

  it.each(SHAPES)("maxNorm, unitNorm, minMaxNorm on %i×%i", (rows, cols) => {
    const w = randomArray(rows * cols, rows * 100 + cols, -1.5, 1.5);
    const run = (apply: (p: number) => void) => {
      const p = put(w);
      apply(p);
      return Float64Array.from(get(p, rows * cols));
    };
    const cases: Array<[string, Float64Array, number, number, number]> = [
      ["max", run((p) => k.maxNormConstraint(p, rows, cols, 1.2)), 0, 1.2, 1],
      ["unit", run((p) => k.unitNormConstraint(p, rows, cols)), 0, 0, 1],
      ["minmax", run((p) => k.minMaxNormConstraint(p, rows, cols, 0.8, 1.1, 1)), 0.8, 1.1, 1],
      ["minmax", run((p) => k.minMaxNormConstraint(p, rows, cols, 0.5, 2, 0.3)), 0.5, 2, 0.3],
    ];
    for (const [kind, got, a, b, rate] of cases) {
      expectClose(got, reference(kind, w, rows, cols, exact, a, b, rate), { rtol: 2e-6, atol: 1e-7, label: kind });
      expectBitEqual(got, reference(kind, w, rows, cols, f32, a, b, rate), kind);
    }
    // What the constraints promise, checked directly on the result.
    const [maxed, unit, minmax] = [cases[0][1], cases[1][1], cases[2][1]];
    columnNorms(maxed, rows, cols, exact).forEach((n) => expect(n).toBeLessThanOrEqual(1.2 * (1 + 1e-6)));
    columnNorms(unit, rows, cols, exact).forEach((n) => expect(n).toBeCloseTo(1, 5));
    const before = columnNorms(w, rows, cols, exact);
    columnNorms(minmax, rows, cols, exact).forEach((n, j) => {
      // ε in the denominator shrinks the result by n/(ε + n), noticeable only for tiny columns.
      expect(n).toBeGreaterThanOrEqual(0.8 * (before[j] / (1e-7 + before[j])) * (1 - 1e-6));
      expect(n).toBeLessThanOrEqual(1.1 * (1 + 1e-6));
    });
  });

  it("leaves zero columns at zero", () => {
    const p = put(new Float32Array(12));
    k.maxNormConstraint(p, 3, 4, 1);
    k.unitNormConstraint(p, 3, 4);
    expect(Array.from(get(p, 12))).toEqual(new Array(12).fill(0));
  });

  it.each([1, 3, 5, 17, 130])("nonNeg is max(w, 0), count %i", (n) => {
    const w = randomArray(n, 90 + n, -1, 1);
    const p = put(w);
    k.nonNegConstraint(p, n);
    expectBitEqual(
      Float64Array.from(get(p, n)),
      Float64Array.from(w, (x) => Math.max(x, 0)),
      "nonneg",
    );
  });
});
