// adamUpdate's shortcut for stuck subnormal moments (flags bit 1, assembly/optimizers-adam-subnormal.ts) gives
// the bits of the plain loop and of a scalar float32 Adam, on data full of the cases it reasons about: zero
// gradients, moments on the subnormal grid (stuck and not), zero / subnormal / tiny / large weights, zero v,
// weight decay, AMSGrad, ε = 0 (no shortcut allowed) and a large learning rate (the weight bound grows).
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { bitsOf } from "../helpers/model-fixtures.js";
import { scalarAdamF32 } from "../helpers/reference-math.js";
import { seededRandom } from "../helpers/seeded.js";
import { freeAll, get, loadEngine, put } from "../helpers/wasm.js";

beforeAll(loadEngine);
afterEach(freeAll);

const SUBNORMAL_STEP = 1.401298464324817e-45; // 2⁻¹⁴⁹

/** 1003 elements (not a multiple of 4): the SIMD groups and the scalar tail. */
function awkwardState(seed: number) {
  const next = seededRandom(seed);
  const count = 1003;
  let groupStuck = false;
  const w = new Float32Array(count),
    g = new Float32Array(count),
    m = new Float32Array(count),
    v = new Float32Array(count),
    vhat = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    if (i % 4 === 0) groupStuck = next() < 0.4;
    if (groupStuck) {
      // A group of four stuck lanes: zero gradient, m = ±k·2⁻¹⁴⁹ with k ≤ 4, an ordinary weight.
      w[i] = (next() - 0.5) * 0.2;
      m[i] = (1 + Math.floor(next() * 4)) * SUBNORMAL_STEP * (next() < 0.5 ? -1 : 1);
      v[i] = next() * 1e-6;
      vhat[i] = v[i] * (1 + next());
      continue;
    }
    const wKind = Math.floor(next() * 6);
    w[i] = [0, 1e-40, 2 ** -110, (next() - 0.5) * 2 ** (Math.floor(next() * 80) - 70), (next() - 0.5) * 0.2, 300][
      wKind
    ];
    // Whole groups of zero gradients, so that the all-stuck shortcut is taken as well as the mixed path.
    g[i] = Math.floor(i / 4) % 3 !== 0 || next() < 0.5 ? 0 : (next() - 0.5) * 0.01;
    const mKind = Math.floor(next() * 5);
    const sign = next() < 0.5 ? -1 : 1;
    m[i] = [
      0,
      Math.floor(next() * 12) * SUBNORMAL_STEP * sign,
      (next() - 0.5) * 1e-38,
      (next() - 0.5) * 1e-3,
      SUBNORMAL_STEP * sign,
    ][mKind];
    v[i] = next() < 0.2 ? 0 : next() < 0.1 ? 1e-40 : next() * 1e-6;
    vhat[i] = v[i] * (1 + next());
  }
  return { count, w, g, m, v, vhat };
}

interface Case {
  learningRate: number;
  beta1: number;
  epsilon: number;
  weightDecay: number;
  amsgrad: boolean;
}

function runKernel(state: ReturnType<typeof awkwardState>, c: Case, step: number, shortcut: boolean): Float32Array[] {
  const [w, g, m, v, vhat] = [state.w, state.g, state.m, state.v, state.vhat].map((values) => put(values));
  getEngine().kernels.adamUpdate(
    w,
    g,
    m,
    v,
    vhat,
    state.count,
    c.learningRate,
    c.beta1,
    0.999,
    c.epsilon,
    step,
    (c.amsgrad ? 1 : 0) | (shortcut ? 2 : 0),
    c.weightDecay,
  );
  return [w, m, v, vhat].map((ptr) => get(ptr, state.count));
}

const cases: [string, Case][] = [
  ["Adam", { learningRate: 0.001, beta1: 0.9, epsilon: 1e-7, weightDecay: 0, amsgrad: false }],
  ["AdamW", { learningRate: 0.01, beta1: 0.9, epsilon: 1e-7, weightDecay: 0.004, amsgrad: false }],
  ["AMSGrad", { learningRate: 0.001, beta1: 0.9, epsilon: 1e-7, weightDecay: 0, amsgrad: true }],
  ["ε = 0", { learningRate: 0.001, beta1: 0.9, epsilon: 0, weightDecay: 0, amsgrad: false }],
  ["large rate, small ε", { learningRate: 1000, beta1: 0.9, epsilon: 1e-30, weightDecay: 0, amsgrad: false }],
  ["β1 = 0.5 (fewer stuck values)", { learningRate: 0.001, beta1: 0.5, epsilon: 1e-7, weightDecay: 0, amsgrad: false }],
];

describe("adamUpdate's stuck-moment shortcut", () => {
  test.each(cases)("%s: the same bits as the plain loop and as scalar float32 Adam", (_, c) => {
    for (const [seed, step] of [
      [1, 1],
      [2, 7],
      [3, 500],
    ]) {
      const state = awkwardState(seed);
      const plain = runKernel(state, c, step, false);
      getEngine().kernels.takeAdamStuckGroups();
      const shortcut = runKernel(state, c, step, true);
      const skipped = getEngine().kernels.takeAdamStuckGroups();
      if (c.epsilon === 0) expect(skipped).toBe(0);
      else if (c.beta1 === 0.9) expect(skipped).toBeGreaterThan(50); // the data has ~100 all-stuck groups
      for (let k = 0; k < plain.length; k++)
        expect(Array.from(bitsOf(shortcut[k]))).toEqual(Array.from(bitsOf(plain[k])));
      const reference = Array.from(state.w, (w, i) => ({ w, m: state.m[i], v: state.v[i], vhat: state.vhat[i] }));
      reference.forEach((element, i) => scalarAdamF32(element, state.g[i], step, { ...c, beta2: 0.999 }));
      expect(Array.from(bitsOf(shortcut[0]))).toEqual(
        Array.from(bitsOf(Float32Array.from(reference, (element) => element.w))),
      );
      expect(Array.from(bitsOf(shortcut[1]))).toEqual(
        Array.from(bitsOf(Float32Array.from(reference, (element) => element.m))),
      );
    }
  });

  test("counts the groups it skipped (all four lanes stuck), and none without the flag or with ε = 0", () => {
    const count = 64;
    const zeros = new Float32Array(count);
    const stuck = new Float32Array(count).fill(3 * SUBNORMAL_STEP);
    const weights = new Float32Array(count).fill(0.5);
    const run = (flags: number, epsilon: number) => {
      getEngine().kernels.adamUpdate(
        put(weights),
        put(zeros),
        put(stuck),
        put(new Float32Array(count).fill(1e-6)),
        0,
        count,
        0.001,
        0.9,
        0.999,
        epsilon,
        10,
        flags,
        0,
      );
      return getEngine().kernels.takeAdamStuckGroups();
    };
    expect(run(2, 1e-7)).toBe(16);
    expect(run(0, 1e-7)).toBe(0);
    expect(run(2, 0)).toBe(0);
  });
});
