// GEMM kernels against plain scalar references:
//  - a float64 reference with the f32 error bound of a length-k sum (|error| ≤ γ · Σ|a||b|), which any
//    indexing, packing or edge mistake breaks by orders of magnitude;
//  - an f32 emulation of the documented summation order (init, then + a·b for p = 0, 1, …, k-1, each product
//    and sum rounded to f32 with Math.fround), which the kernels must match bit for bit: that is the promise
//    that results do not depend on the form, the tile position or the runtime.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../ts/engine/engine.js";
import { freeAll, loadEngine, randomArray } from "../helpers/wasm.js";

let engine: Engine;
const live: number[] = [];

beforeAll(async () => {
  engine = await loadEngine();
});

afterEach(() => {
  while (live.length) engine.free(live.pop()!);
  freeAll();
});

/** Copies `values` into wasm memory at a 16-byte-aligned address + `skew` bytes (skew 4: misaligned). */
function place(values: ArrayLike<number>, skew: number): number {
  const block = engine.alloc(values.length * 4 + 16);
  live.push(block);
  const ptr = block + skew;
  engine.f32.set(values, ptr >>> 2);
  return ptr;
}

type Form = "NN" | "NT" | "TN";

/** Element accessors for op(A)[i, p] and op(B)[p, j] in each form's storage. */
function accessors(form: Form, m: number, n: number, k: number, a: Float32Array, b: Float32Array) {
  const opA = form === "TN" ? (i: number, p: number) => a[p * m + i] : (i: number, p: number) => a[i * k + p];
  const opB = form === "NT" ? (p: number, j: number) => b[j * k + p] : (p: number, j: number) => b[p * n + j];
  return { opA, opB };
}

interface Reference {
  exact: Float32Array; // f32 emulation of the kernel's summation order
  wide: Float64Array; // float64 value
  bound: Float64Array; // allowed |kernel − wide|
}

function reference(
  m: number,
  n: number,
  k: number,
  opA: (i: number, p: number) => number,
  opB: (p: number, j: number) => number,
  init: (i: number, j: number) => number,
): Reference {
  const exact = new Float32Array(m * n);
  const wide = new Float64Array(m * n);
  const bound = new Float64Array(m * n);
  const gamma = (k + 2) * 2 ** -24;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const start = init(i, j);
      let sum32 = Math.fround(start);
      let sum64 = start;
      let magnitude = Math.abs(start);
      for (let p = 0; p < k; p++) {
        const x = opA(i, p),
          y = opB(p, j);
        sum32 = Math.fround(sum32 + Math.fround(x * y));
        sum64 += x * y;
        magnitude += Math.abs(x * y);
      }
      exact[i * n + j] = sum32;
      wide[i * n + j] = sum64;
      bound[i * n + j] = gamma * magnitude + 1e-30;
    }
  }
  return { exact, wide, bound };
}

function check(label: string, got: Float32Array, ref: Reference): void {
  for (let index = 0; index < got.length; index++) {
    const error = Math.abs(got[index] - ref.wide[index]);
    if (!(error <= ref.bound[index])) {
      expect.fail(`${label}[${index}]: got ${got[index]}, float64 ${ref.wide[index]}, bound ${ref.bound[index]}`);
    }
    if (!Object.is(got[index], ref.exact[index]) && !(got[index] === 0 && ref.exact[index] === 0)) {
      expect.fail(`${label}[${index}]: got ${got[index]}, f32 sequential sum ${ref.exact[index]} (not bit-identical)`);
    }
  }
}

// [m, k, n]: tiny, odd, not multiples of 4 / 8, the MLP shapes (batch 32, 784 → 128), and k = 1700, which
// runs as 3 depth blocks of 567 and so as row blocks of 114 rows (m = 130 needs two).
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 7, 5],
  [4, 8, 8],
  [17, 5, 33],
  [5, 3, 9],
  [9, 17, 7],
  [127, 33, 130],
  [130, 300, 19],
  [1, 784, 128],
  [1, 33, 37],
  [1, 2, 16],
  [1, 64, 10],
  [1, 7, 30],
  [3, 784, 10],
  [32, 784, 128],
  [33, 129, 785],
  [2, 600, 31],
  [130, 1700, 19],
  [2, 1700, 5],
];

function runForm(form: Form, m: number, k: number, n: number, accumulate: 0 | 1, skew: number, seed: number) {
  const a = randomArray(m * k, seed);
  const b = randomArray(k * n, seed + 1);
  const c0 = randomArray(m * n, seed + 2, -4, 4);
  const aPtr = place(a, skew),
    bPtr = place(b, skew),
    cPtr = place(c0, skew);
  const kernels = engine.kernels;
  const kernel = form === "NN" ? kernels.gemmNN : form === "NT" ? kernels.gemmNT : kernels.gemmTN;
  kernel(m, n, k, aPtr, bPtr, cPtr, accumulate);
  const got = engine.read(cPtr, m * n);
  const { opA, opB } = accessors(form, m, n, k, a, b);
  const ref = reference(m, n, k, opA, opB, (i, j) => (accumulate ? c0[i * n + j] : 0));
  check(`${form} ${m}×${k}·${k}×${n} acc=${accumulate} skew=${skew}`, got, ref);
}

describe.each(["NN", "NT", "TN"] as Form[])("gemm%s", (form) => {
  it.each(SHAPES)("m=%i k=%i n=%i, overwrite and accumulate", (m, k, n) => {
    const seed = m * 7919 + k * 31 + n;
    runForm(form, m, k, n, 0, 0, seed);
    runForm(form, m, k, n, 1, 0, seed + 3);
  });

  it("works on operands at odd (non-16-byte-aligned) addresses", () => {
    for (const [m, k, n] of [
      [5, 9, 11],
      [32, 70, 17],
      [13, 260, 8],
    ] as const) {
      runForm(form, m, k, n, 0, 4, m + k + n);
      runForm(form, m, k, n, 1, 12, m * k * n);
    }
  });

  it("k = 0 gives zeros, or leaves C unchanged when accumulating", () => {
    const c0 = randomArray(6 * 7, 5);
    const cPtr = place(c0, 0);
    const kernel = engine.kernels[`gemm${form}`];
    kernel(6, 7, 0, place([1], 0), place([1], 0), cPtr, 1);
    expect(Array.from(engine.read(cPtr, 42))).toEqual(Array.from(c0));
    kernel(6, 7, 0, place([1], 0), place([1], 0), cPtr, 0);
    expect(Array.from(engine.read(cPtr, 42))).toEqual(new Array(42).fill(0));
  });

  it("handles edge values: zeros, ±0, negatives, large magnitudes, subnormals", () => {
    const m = 6,
      k = 11,
      n = 10;
    const specials = [0, -0, 1e-40, -3e-42, 1e30, -2e30, 7, -7, 1.5e-38, 3.4e38 / 1e10];
    const a = Float32Array.from({ length: m * k }, (_, i) => specials[(i * 3) % specials.length]);
    const b = Float32Array.from({ length: k * n }, (_, i) => specials[(i * 7 + 1) % specials.length] / 1e10);
    const aPtr = place(a, 0),
      bPtr = place(b, 0),
      cPtr = place(new Float32Array(m * n), 0);
    engine.kernels[`gemm${form}`](m, n, k, aPtr, bPtr, cPtr, 0);
    const { opA, opB } = accessors(form, m, n, k, a, b);
    const ref = reference(m, n, k, opA, opB, () => 0);
    const got = engine.read(cPtr, m * n);
    for (let i = 0; i < got.length; i++) expect(got[i], `index ${i}`).toBe(ref.exact[i]);
  });
});

describe("the three forms agree bit for bit", () => {
  it("NN(A, B) == NT(A, Bᵀ) == TN(Aᵀ, B)", () => {
    const m = 37,
      k = 301,
      n = 45;
    const a = randomArray(m * k, 11),
      b = randomArray(k * n, 12);
    const aT = new Float32Array(k * m),
      bT = new Float32Array(n * k);
    for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) aT[p * m + i] = a[i * k + p];
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) bT[j * k + p] = b[p * n + j];
    const out = (kernel: "gemmNN" | "gemmNT" | "gemmTN", x: Float32Array, y: Float32Array) => {
      const cPtr = place(new Float32Array(m * n), 0);
      engine.kernels[kernel](m, n, k, place(x, 0), place(y, 4), cPtr, 0);
      return Array.from(engine.read(cPtr, m * n));
    };
    const nn = out("gemmNN", a, b);
    expect(out("gemmNT", a, bT)).toEqual(nn);
    expect(out("gemmTN", aT, b)).toEqual(nn);
  });
});

describe("denseForward", () => {
  const relu = (v: number) => (v > 0 ? v : 0);

  function runDense(
    m: number,
    k: number,
    n: number,
    withBias: boolean,
    activation: "linear" | "relu",
    inPlace: boolean,
  ) {
    const x = randomArray(m * k, m + 100 * k + n);
    const w = randomArray(k * n, n + 3);
    const bias = randomArray(n, k + 5, -2, 2);
    const xPtr = place(x, 4),
      wPtr = place(w, 0);
    const biasPtr = withBias ? place(bias, 8) : 0;
    const zPtr = place(new Float32Array(m * n).fill(123), 0);
    const yPtr = inPlace ? zPtr : place(new Float32Array(m * n).fill(-9), 4);
    const kind = activation === "relu" ? engine.kernels.ACTIVATION_RELU.value : engine.kernels.ACTIVATION_LINEAR.value;
    engine.kernels.denseForward(m, n, k, xPtr, wPtr, biasPtr, zPtr, yPtr, kind, 0);
    const ref = reference(
      m,
      n,
      k,
      (i, p) => x[i * k + p],
      (p, j) => w[p * n + j],
      (_, j) => (withBias ? bias[j] : 0),
    );
    const label = `dense ${m}×${k}·${k}×${n} bias=${withBias} ${activation} inPlace=${inPlace}`;
    const z = engine.read(zPtr, m * n);
    const y = engine.read(yPtr, m * n);
    const act = activation === "relu" ? relu : (v: number) => v;
    if (!inPlace) check(`${label} z`, z, ref);
    const expectedY: Reference = {
      exact: ref.exact.map(act),
      wide: ref.wide.map(act),
      bound: ref.bound,
    };
    check(`${label} y`, y, expectedY);
  }

  it.each([
    [1, 1, 1],
    [3, 7, 5],
    [17, 5, 33],
    [127, 33, 130],
    [130, 1700, 19],
    [1, 784, 128],
    [32, 784, 128],
  ])("m=%i k=%i n=%i: bias on/off × linear/relu × y==z / y!=z", (m, k, n) => {
    for (const withBias of [false, true]) {
      for (const activation of ["linear", "relu"] as const) {
        for (const inPlace of [true, false]) runDense(m, k, n, withBias, activation, inPlace);
      }
    }
  });

  it("k = 0 gives z = bias (or zeros) and y = act(z)", () => {
    const m = 5,
      n = 9;
    const bias = randomArray(n, 3, -1, 1);
    const zPtr = place(new Float32Array(m * n).fill(7), 0);
    const yPtr = place(new Float32Array(m * n), 0);
    const { ACTIVATION_RELU, ACTIVATION_LINEAR } = engine.kernels;
    engine.kernels.denseForward(
      m,
      n,
      0,
      place([1], 0),
      place([1], 0),
      place(bias, 4),
      zPtr,
      yPtr,
      ACTIVATION_RELU.value,
      0,
    );
    const z = engine.read(zPtr, m * n),
      y = engine.read(yPtr, m * n);
    for (let i = 0; i < m * n; i++) {
      expect(z[i]).toBe(bias[i % n]);
      expect(y[i]).toBe(relu(bias[i % n]));
    }
    engine.kernels.denseForward(m, n, 0, place([1], 0), place([1], 0), 0, zPtr, zPtr, ACTIVATION_LINEAR.value, 0);
    expect(Array.from(engine.read(zPtr, m * n))).toEqual(new Array(m * n).fill(0));
  });
});

// Batch-1 inference (m = 1) runs its own vector × matrix path (assembly/gemm-row.ts) in 32-, 16- and 8-column
// strips, a 4-column window, a last window over the final 1–3 columns (storing only those lanes), and scalar
// columns when n < 4, each with its own bias load: every mix is covered (n = 1, 3: scalar only, 4: one window,
// 5, 7: window + last window of 1 or 3, 10: 8 + last 2, 14: 8 + 4 + last 2, 21: 16 + 4 + last 1, 30: 16 + 8 +
// 4 + last 2, 32: one 32-strip, 53: 32 + 16 + 4 + last 1, 100: 3 × 32 + 4, 128: 32-strips), with and without
// bias, under every activation epilogue, for odd and even k (an odd k runs its first step before the pairs).
describe("denseForward with one row (m = 1)", () => {
  const WIDTHS = [1, 3, 4, 5, 7, 10, 14, 21, 30, 32, 53, 100, 128];

  /** The activation kernel on z (itself tested against float64 in activations.test.ts), as the epilogue reference. */
  function activated(kind: number, n: number, z: Float32Array, alpha: number): Float32Array {
    const zPtr = place(z, 0);
    const yPtr = place(new Float32Array(n), 0);
    engine.kernels.activationForward(kind, 1, n, zPtr, yPtr, alpha);
    return engine.read(yPtr, n);
  }

  it.each(WIDTHS)("n=%i: z is the scalar sum (bias first) and y the activation of it, for every epilogue", (n) => {
    const exports = engine.kernels as unknown as Record<string, { value: number }>;
    const kinds = Object.keys(exports)
      .filter((name) => name.startsWith("ACTIVATION_"))
      .map((name) => [name, exports[name].value] as const);
    expect(kinds.length).toBeGreaterThanOrEqual(18);
    for (const k of [1, 2, 6, 33]) {
      const x = randomArray(k, 7 * n + k);
      const w = randomArray(k * n, n + 11 * k);
      const bias = randomArray(n, n + k + 1, -2, 2);
      for (const withBias of [true, false]) {
        const ref = reference(
          1,
          n,
          k,
          (_, p) => x[p],
          (p, j) => w[p * n + j],
          (_, j) => (withBias ? bias[j] : 0),
        );
        for (const [name, kind] of kinds) {
          const alpha =
            name === "ACTIVATION_HARD_SIGMOID"
              ? 1 / 6
              : name === "ACTIVATION_LEAKY_RELU" || name === "ACTIVATION_ELU"
                ? 0.3
                : 0;
          for (const inPlace of [false, true]) {
            const zPtr = place(new Float32Array(n).fill(123), 0);
            const yPtr = inPlace ? zPtr : place(new Float32Array(n).fill(-9), 4);
            engine.kernels.denseForward(
              1,
              n,
              k,
              place(x, 4),
              place(w, 0),
              withBias ? place(bias, 8) : 0,
              zPtr,
              yPtr,
              kind,
              alpha,
            );
            const label = `1×${k}·${k}×${n} bias=${withBias} ${name} inPlace=${inPlace}`;
            if (!inPlace) check(`${label} z`, engine.read(zPtr, n), ref);
            const y = engine.read(yPtr, n);
            const expected = activated(kind, n, ref.exact, alpha);
            for (let j = 0; j < n; j++) {
              if (!Object.is(y[j], expected[j]))
                expect.fail(`${label} y[${j}]: got ${y[j]}, activation of the reference sum ${expected[j]}`);
            }
          }
        }
      }
    }
  });
});
