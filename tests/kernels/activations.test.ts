// Activation kernels (assembly/activations*.ts) against float64 references written here: forward values in
// float32 ulps, backward against the analytic derivative and against central finite differences of the
// reference, softmax rows of odd widths and huge logits, in-place calls, and body/tail bit identity.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../ts/engine/engine.js";
import { normalCdf, ulpOf } from "../helpers/reference-math.js";
import { freeAll, get, loadEngine, put, randomArray, zeros } from "../helpers/wasm.js";

let engine: Engine;
let kinds: Record<string, number>;
beforeAll(async () => {
  engine = await loadEngine();
  const exports = engine.kernels as unknown as Record<string, { value: number }>;
  kinds = Object.fromEntries(
    Object.keys(exports)
      .filter((k) => k.startsWith("ACTIVATION_"))
      .map((k) => [k.slice(11), exports[k].value]),
  );
});
afterEach(() => freeAll());

const EPS = 2 ** -24; // float32 unit roundoff
const TINY = 2 ** -122; // results below ~16·2^-126 are compared absolutely (subnormal precision)
const SIZES = [1, 3, 5, 17, 33, 127, 130];

// ---- float64 references -------------------------------------------------------------------------------
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const sech2 = (x: number) => (Math.abs(x) > 350 ? 0 : 1 / Math.cosh(x) ** 2);

const normalPdf = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
const geluW = (x: number) => 2 * SQRT_2_OVER_PI * (x + 0.044715 * x ** 3); // 0.5(1 + tanh(w/2)) = sigmoid(w)
const geluDw = (x: number) => 2 * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);

interface Kind {
  name: string;
  alphas: number[];
  kinks?: (a: number) => number[];
  f: (x: number, a: number) => number;
  df: (x: number, a: number) => number;
  /** magnitude of the terms of f' (for a cancellation-aware gradient tolerance); default |f'| */
  dfScale?: (x: number, a: number) => number;
  /** forward tolerance in ulps of the reference (may depend on x); plus TINY absolute */
  ulps: number | ((x: number) => number);
  /** relative gradient tolerance, on top of the error inherited from y for output-based kinds */
  gradRel?: number | ((x: number) => number);
  atol?: number;
}

const KINDS: Kind[] = [
  { name: "LINEAR", alphas: [0], f: (x) => x, df: () => 1, ulps: 0 },
  { name: "RELU", alphas: [0], kinks: () => [0], f: (x) => Math.max(x, 0), df: (x) => (x > 0 ? 1 : 0), ulps: 0 },
  {
    name: "RELU6",
    alphas: [0],
    kinks: () => [0, 6],
    f: (x) => Math.min(Math.max(x, 0), 6),
    df: (x) => (x > 0 && x < 6 ? 1 : 0),
    ulps: 0,
  },
  {
    name: "LEAKY_RELU",
    alphas: [0.2, 0.3, -0.1],
    kinks: () => [0],
    f: (x, a) => (x > 0 ? x : a * x),
    df: (x, a) => (x > 0 ? 1 : a),
    ulps: 0.5,
  },
  {
    name: "HARD_SIGMOID",
    alphas: [0.2, 1 / 6],
    kinks: (a) => [-0.5 / a, 0.5 / a],
    ulps: 1,
    atol: EPS,
    f: (x, a) => Math.min(Math.max(a * x + 0.5, 0), 1),
    df: (x, a) => (a * x + 0.5 > 0 && a * x + 0.5 < 1 ? a : 0),
  },
  {
    name: "ELU",
    alphas: [1, 0.5, -0.3],
    kinks: () => [0],
    ulps: 2,
    f: (x, a) => (x > 0 ? x : a * Math.expm1(x)),
    df: (x, a) => (x > 0 ? 1 : a * Math.exp(x)),
  },
  {
    name: "SELU",
    alphas: [0],
    kinks: () => [0],
    ulps: 2.5,
    f: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
    df: (x) => SELU_SCALE * (x > 0 ? 1 : SELU_ALPHA * Math.exp(x)),
  },
  { name: "EXPONENTIAL", alphas: [0], ulps: 1.5, f: Math.exp, df: Math.exp },
  { name: "SIGMOID", alphas: [0], ulps: 3, f: sigmoid, df: (x) => sigmoid(x) * sigmoid(-x) },
  { name: "TANH", alphas: [0], ulps: 3, f: Math.tanh, df: sech2 },
  { name: "SOFTPLUS", alphas: [0], ulps: 3, f: softplus, df: sigmoid },
  // softsign: f'' jumps at 0, so central differences are only O(h) there; treat 0 as a kink
  {
    name: "SOFTSIGN",
    alphas: [0],
    ulps: 1.5,
    kinks: () => [0],
    f: (x) => (Number.isFinite(x) ? x / (1 + Math.abs(x)) : Math.sign(x)),
    df: (x) => 1 / (1 + Math.abs(x)) ** 2,
  },
  {
    name: "SWISH",
    alphas: [0],
    ulps: 4,
    f: (x) => (x === -Infinity ? -0 : x * sigmoid(x)),
    df: (x) => sigmoid(x) + x * sigmoid(x) * sigmoid(-x),
    dfScale: (x) => sigmoid(x) + Math.abs(x) * sigmoid(x) * sigmoid(-x),
  },
  {
    name: "GELU",
    alphas: [0],
    ulps: 8,
    gradRel: 24 * EPS,
    f: (x) => (x === -Infinity ? -0 : x * normalCdf(x)),
    df: (x) => normalCdf(x) + x * normalPdf(x),
    dfScale: (x) => normalCdf(x) + Math.abs(x) * normalPdf(x),
  },
  {
    name: "GELU_TANH",
    alphas: [0],
    // w = x·(K0 + K1·x²) rounds in float32; sigmoid(w) inherits |w|·(rounding of w) relative error
    ulps: (x) => 4 + 3 * Math.abs(geluW(x)),
    gradRel: (x) => (8 + 6 * Math.abs(geluW(x))) * EPS,
    f: (x) => (x === -Infinity ? -0 : x * sigmoid(geluW(x))),
    // d/dx of x·sigmoid(w): sigmoid(w) + x·sigmoid(w)·sigmoid(-w)·w' (the 1 + tanh form cancels in float64 too)
    df: (x) => sigmoid(geluW(x)) + x * sigmoid(geluW(x)) * sigmoid(-geluW(x)) * geluDw(x),
    dfScale: (x) => sigmoid(geluW(x)) + Math.abs(x * sigmoid(geluW(x)) * sigmoid(-geluW(x)) * geluDw(x)),
  },
  {
    name: "MISH",
    alphas: [0],
    ulps: 5,
    f: (x) => (x === -Infinity ? -0 : x * Math.tanh(softplus(x))),
    df: (x) => Math.tanh(softplus(x)) + x * sech2(softplus(x)) * sigmoid(x),
    dfScale: (x) => Math.tanh(softplus(x)) + Math.abs(x * sech2(softplus(x)) * sigmoid(x)),
  },
];

const EDGES = [
  0,
  -0,
  2 ** -149,
  -(2 ** -149),
  1e-40,
  -1e-40,
  1e-30,
  -1e-30,
  1e-7,
  -1e-7,
  0.5,
  -0.5,
  1,
  -1,
  3,
  -3,
  6,
  5.999999,
  6.000001,
  2.5,
  -2.5,
  20,
  -20,
  30,
  -30,
  88,
  89,
  -88,
  -100,
  -104,
  -120,
  1e4,
  -1e4,
  1e30,
  -1e30,
  3.4028234e38,
  -3.4028234e38,
  Infinity,
  -Infinity,
  NaN,
];

function pool(seed: number): Float32Array {
  const out = new Float32Array(EDGES.length + 400);
  out.set(EDGES);
  out.set(randomArray(200, seed, -8, 8), EDGES.length);
  out.set(randomArray(200, seed + 1, -40, 40), EDGES.length + 200);
  return out;
}

function forward(kind: number, rows: number, cols: number, input: Float32Array, alpha: number): Float32Array {
  const x = put(input);
  const y = zeros(input.length);
  engine.kernels.activationForward(kind, rows, cols, x, y, alpha);
  return get(y, input.length);
}

/** Runs the backward with the pointer the kernel must NOT read filled with NaN. */
function backward(
  kind: number,
  rows: number,
  cols: number,
  z: Float32Array,
  y: Float32Array,
  dy: Float32Array,
  alpha: number,
): Float32Array {
  const needsZ = engine.kernels.activationBackwardNeedsInputFor(kind, alpha);
  const poison = new Float32Array(z.length).fill(NaN);
  const zPtr = put(needsZ ? z : poison);
  const yPtr = put(needsZ ? poison : y);
  const dz = zeros(z.length);
  engine.kernels.activationBackward(kind, rows, cols, zPtr, yPtr, put(dy), dz, alpha);
  return get(dz, z.length);
}

const fmt = (v: number) => (Object.is(v, -0) ? "-0" : String(v));

describe("element-wise activations: forward", () => {
  for (const k of KINDS) {
    for (const alpha of k.alphas) {
      it(`${k.name} (alpha ${alpha.toFixed(3)}) matches the float64 reference on sizes ${SIZES.join(", ")}`, () => {
        const a32 = Math.fround(alpha); // the kernel receives alpha as f32
        const values = pool(7);
        for (const n of SIZES) {
          const input = values.subarray(values.length - n); // random values; the edges are checked below
          const got = forward(kinds[k.name], 1, n, input, alpha);
          for (let i = 0; i < n; i++) expectForward(k, a32, input[i], got[i]);
        }
        const got = forward(kinds[k.name], 5, values.length / 5, values, alpha);
        for (let i = 0; i < values.length; i++) expectForward(k, a32, values[i], got[i]);
      });
    }
  }

  function expectForward(k: Kind, alpha: number, x: number, got: number): void {
    const want = k.f(x, alpha);
    if (Number.isNaN(want) || Number.isNaN(got)) {
      if (Number.isNaN(want) !== Number.isNaN(got)) expect.fail(`${k.name}(${fmt(x)}) = ${got}, want ${want}`);
      return;
    }
    const wantF32 = Math.fround(want);
    if (!Number.isFinite(wantF32) || got === wantF32) {
      if (got !== wantF32) expect.fail(`${k.name}(${fmt(x)}) = ${got}, want ${wantF32}`);
      return;
    }
    const ulps = typeof k.ulps === "number" ? k.ulps : k.ulps(x);
    const tol = ulps * ulpOf(want) + (k.atol ?? TINY);
    if (!(Math.abs(got - want) <= tol)) {
      expect.fail(
        `${k.name}(${fmt(x)}) = ${got}, want ${want} (${(Math.abs(got - want) / ulpOf(want)).toFixed(2)} ulp > ${ulps})`,
      );
    }
  }

  it("NaN in gives NaN out for every element-wise kind", () => {
    for (const k of KINDS) {
      if (k.name === "LINEAR") continue;
      const got = forward(kinds[k.name], 1, 5, Float32Array.of(NaN, 1, NaN, -1, NaN), k.alphas[0]);
      expect([got[0], got[2], got[4]].every(Number.isNaN), k.name).toBe(true);
    }
  });
});

describe("element-wise activations: backward", () => {
  for (const k of KINDS) {
    for (const alpha of k.alphas) {
      it(`${k.name} (alpha ${alpha.toFixed(3)}) matches the analytic derivative and central differences`, () => {
        const a32 = Math.fround(alpha);
        const kinks = k.kinks?.(a32) ?? [];
        const z = pool(9).filter(
          (x) => Number.isFinite(x) && Math.abs(x) < 1e6 && kinks.every((c) => Math.abs(x - c) > 1e-4),
        );
        const dy = randomArray(z.length, 10, -2, 2);
        const y = forward(kinds[k.name], 1, z.length, z, alpha);
        const got = backward(kinds[k.name], 1, z.length, z, y, dy, alpha);
        const fromOutput = !engine.kernels.activationBackwardNeedsInputFor(kinds[k.name], alpha);
        for (let i = 0; i < z.length; i++) {
          const x = z[i];
          if (fromOutput && !Number.isFinite(Math.fround(k.f(x, a32)))) continue; // y overflowed: dy·inf is all f32 can say
          const analytic = k.df(x, a32);
          const rel = k.gradRel === undefined ? 16 * EPS : typeof k.gradRel === "number" ? k.gradRel : k.gradRel(x);
          const fwdUlps = typeof k.ulps === "number" ? k.ulps : k.ulps(x);
          // Output-based gradients inherit the forward error of y (|∂f'/∂y| <= 2 for these kinds).
          const inherited = fromOutput ? 2 * (fwdUlps + 1) * ulpOf(k.f(x, a32)) : 0;
          const tol =
            Math.abs(dy[i]) * (rel * (k.dfScale ?? ((t, a) => Math.abs(k.df(t, a))))(x, a32) + inherited) + TINY;
          const want = dy[i] * analytic;
          if (!(Math.abs(got[i] - want) <= tol))
            expect.fail(`${k.name}'(${x}) · ${dy[i]} = ${got[i]}, analytic ${want}, tol ${tol}`);
          // Central difference of the float64 reference, away from kinks and where f stays finite.
          if (Math.abs(x) <= 40) {
            const h = 1e-5 * Math.max(1, Math.abs(x));
            const fd = (k.f(x + h, a32) - k.f(x - h, a32)) / (2 * h);
            if (!(Math.abs(got[i] - dy[i] * fd) <= tol + Math.abs(dy[i]) * 1e-8 * Math.max(1, Math.abs(fd)))) {
              expect.fail(`${k.name}'(${x}) · ${dy[i]} = ${got[i]}, central difference ${dy[i] * fd}`);
            }
          }
        }
      });
    }
  }

  it("gives finite gradients (the limits) at ±1e30 and ±inf", () => {
    const z = Float32Array.of(1e30, -1e30, Infinity, -Infinity, 3.4028234e38, -3.4028234e38);
    for (const k of KINDS) {
      if (k.name === "EXPONENTIAL") continue; // exp overflows: inf·dy is the right answer there
      const a = k.alphas[0];
      const y = forward(kinds[k.name], 1, z.length, z, a);
      const got = backward(kinds[k.name], 1, z.length, z, y, new Float32Array(z.length).fill(1), a);
      for (let i = 0; i < z.length; i++) {
        const limit = k.df(Math.sign(z[i]) * 1e15, Math.fround(a));
        if (!(Math.abs(got[i] - limit) <= 1e-6)) expect.fail(`${k.name}'(${z[i]}) = ${got[i]}, limit ${limit}`);
      }
    }
  });

  it("uses TensorFlow's gradient at the kinks (strict > 0 side) and Keras 3's at the elu joint", () => {
    const at = (name: string, x: number, alpha: number) => {
      const z = Float32Array.of(x);
      return backward(kinds[name], 1, 1, z, forward(kinds[name], 1, 1, z, alpha), Float32Array.of(1), alpha)[0];
    };
    expect([at("RELU", 0, 0), at("RELU", -0, 0)]).toEqual([0, 0]);
    expect([at("RELU6", 0, 0), at("RELU6", 6, 0)]).toEqual([0, 0]);
    expect([at("LEAKY_RELU", 0, 0.2), at("LEAKY_RELU", 0, -0.1)]).toEqual([Math.fround(0.2), Math.fround(-0.1)]);
    expect([at("HARD_SIGMOID", -2.5, 0.2), at("HARD_SIGMOID", 2.5, 0.2)]).toEqual([0, 0]);
    expect([at("ELU", 0, 0.5), at("ELU", 0, -0.3), at("SELU", 0, 0)]).toEqual([
      0.5,
      Math.fround(-0.3),
      Math.fround(SELU_SCALE * SELU_ALPHA),
    ]);
  });

  it("reads z only for the kinds that say so", () => {
    const needsZ = KINDS.filter((k) => engine.kernels.activationBackwardNeedsInput(kinds[k.name])).map((k) => k.name);
    expect(needsZ.sort()).toEqual(["GELU", "GELU_TANH", "MISH", "SOFTSIGN", "SWISH"]);
    expect(engine.kernels.activationBackwardNeedsInputFor(kinds.ELU, -1)).toBe(1);
    expect(engine.kernels.activationBackwardNeedsInputFor(kinds.LEAKY_RELU, -0.1)).toBe(1);
    expect(engine.kernels.activationBackwardNeedsInputFor(kinds.LEAKY_RELU, 0)).toBe(0);
    expect(engine.kernels.activationBackwardNeedsInput(kinds.SOFTMAX)).toBe(0);
    expect(engine.kernels.activationBackwardNeedsInput(kinds.LOG_SOFTMAX)).toBe(0);
  });
});

describe("element-wise activations: layout", () => {
  it("every kind gives the same bits in the SIMD body, the scalar tail, and in place", () => {
    const values = randomArray(4 * 16 + 3, 31, -12, 12);
    const dy = randomArray(values.length, 32, -1, 1);
    const bits = (a: Float32Array) => Array.from(new Uint32Array(Float32Array.from(a).buffer));
    for (const k of KINDS) {
      const kind = kinds[k.name];
      const alpha = k.alphas[0];
      const y = forward(kind, 1, values.length, values, alpha);
      const dz = backward(kind, 1, values.length, values, y, dy, alpha);
      // one at a time: every value goes through the scalar tail
      for (let i = 0; i < values.length; i++) {
        const one = forward(kind, 1, 1, values.subarray(i, i + 1), alpha);
        expect(bits(one), `${k.name} tail forward ${values[i]}`).toEqual(bits(y.subarray(i, i + 1)));
        const g = backward(kind, 1, 1, values.subarray(i, i + 1), y.subarray(i, i + 1), dy.subarray(i, i + 1), alpha);
        expect(bits(g), `${k.name} tail backward ${values[i]}`).toEqual(bits(dz.subarray(i, i + 1)));
      }
      // in place: x == y, and dz == dy
      const buffer = put(values);
      engine.kernels.activationForward(kind, 1, values.length, buffer, buffer, alpha);
      expect(bits(get(buffer, values.length)), `${k.name} in-place forward`).toEqual(bits(y));
      const needsZ = engine.kernels.activationBackwardNeedsInputFor(kind, alpha);
      const grad = put(dy);
      engine.kernels.activationBackward(kind, 1, values.length, put(values), put(y), grad, grad, alpha);
      expect(bits(get(grad, values.length)), `${k.name} in-place backward (reads ${needsZ ? "z" : "y"})`).toEqual(
        bits(dz),
      );
    }
  });

  it("activationCount covers every exported kind", () => {
    expect(Object.keys(kinds).length).toBe(engine.kernels.activationCount());
    expect(new Set(Object.values(kinds)).size).toBe(engine.kernels.activationCount());
    expect(kinds.LINEAR).toBe(0);
    expect(kinds.RELU).toBe(1);
  });

  it("an empty matrix (0 rows or 0 cols) is a no-op for every kind", () => {
    const y = zeros(4, 7);
    for (const kind of Object.values(kinds)) {
      engine.kernels.activationForward(kind, 0, 4, y, y, 1);
      engine.kernels.activationForward(kind, 4, 0, y, y, 1);
      engine.kernels.activationBackward(kind, 0, 4, y, y, y, y, 1);
    }
    expect(Array.from(get(y, 4))).toEqual([7, 7, 7, 7]);
  });

  it("the float64 normal CDF reference reproduces published values", () => {
    // Φ(-1), Φ(-5), Φ(-10), Φ(2) from standard tables (Abramowitz & Stegun 26.2; exact to the digits given)
    expect(normalCdf(-1) / 0.15865525393145705 - 1).toBeLessThan(1e-13);
    expect(Math.abs(normalCdf(-5) / 2.866515718791939e-7 - 1)).toBeLessThan(1e-12);
    expect(Math.abs(normalCdf(-10) / 7.61985302416047e-24 - 1)).toBeLessThan(1e-12);
    expect(Math.abs(normalCdf(2) - 0.9772498680518208)).toBeLessThan(1e-15);
  });
});

// ---- softmax / log_softmax --------------------------------------------------------------------------------

function softmaxRow(x: ArrayLike<number>): number[] {
  const m = Math.max(...Array.from(x));
  const e = Array.from(x, (v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

describe("softmax and log_softmax", () => {
  const WIDTHS = [1, 3, 5, 17, 130];

  function logits(rows: number, cols: number, seed: number, scale: number): Float32Array {
    const x = randomArray(rows * cols, seed, -scale, scale);
    if (scale > 100) for (let i = 0; i < x.length; i += 3) x[i] = Math.sign(x[i]) * 1e4; // ±1e4 logits
    return x;
  }

  for (const cols of WIDTHS) {
    for (const scale of [5, 1e4]) {
      it(`forward and backward on rows of width ${cols}, logits up to ±${scale}`, () => {
        const rows = 3;
        const x = logits(rows, cols, cols * 7 + scale, scale);
        const dy = randomArray(rows * cols, cols + 5, -1, 1);
        const y = forward(kinds.SOFTMAX, rows, cols, x, 0);
        const ly = forward(kinds.LOG_SOFTMAX, rows, cols, x, 0);
        const dz = backward(kinds.SOFTMAX, rows, cols, x, y, dy, 0);
        const ldz = backward(kinds.LOG_SOFTMAX, rows, cols, x, ly, dy, 0);
        for (let r = 0; r < rows; r++) {
          const xr = x.subarray(r * cols, (r + 1) * cols);
          const g = dy.subarray(r * cols, (r + 1) * cols);
          const m = Math.max(...xr);
          const p = softmaxRow(xr);
          // error analysis: x - m rounds (|x - m|·eps), the sum adds its terms' errors and ~cols/4 roundings
          const sumErr = EPS * (p.reduce((a, pj, j) => a + pj * Math.abs(xr[j] - m), 0) + cols / 4 + 2);
          const logS = Math.log(xr.reduce((a, v) => a + Math.exp(v - m), 0));
          const dot = p.reduce((a, pj, j) => a + pj * g[j], 0);
          const gSum = g.reduce((a, b) => a + b, 0);
          for (let j = 0; j < cols; j++) {
            const i = r * cols + j;
            const shiftErr = EPS * (Math.abs(xr[j] - m) + 3);
            expectNear(y[i], p[j], p[j] * (shiftErr + sumErr) + TINY, `softmax[${r},${j}]`);
            const lref = xr[j] - m - logS;
            expectNear(
              ly[i],
              lref,
              EPS * (Math.abs(xr[j] - m) + 2 * Math.abs(logS) + 2) + sumErr + ulpOf(lref),
              `log_softmax[${r},${j}]`,
            );
            // analytic JVPs
            const jvp = p[j] * (g[j] - dot);
            const gradTol = 1e-6 * p[j] * (Math.abs(g[j]) + Math.abs(dot) + 1) + (shiftErr + sumErr) * p[j] * 4 + TINY;
            expectNear(dz[i], jvp, gradTol, `softmax'[${r},${j}]`);
            const ljvp = g[j] - p[j] * gSum;
            expectNear(
              ldz[i],
              ljvp,
              1e-6 * (Math.abs(g[j]) + p[j] * Math.abs(gSum)) + 4 * (shiftErr + sumErr) * p[j] * Math.abs(gSum) + TINY,
              `log_softmax'[${r},${j}]`,
            );
            // central differences of L(x) = Σ dy·f(x), for moderate logits
            if (scale <= 5) {
              const h = 1e-6;
              const bump = (d: number) => {
                const v = Array.from(xr);
                v[j] += d;
                return v;
              };
              const fd =
                (softmaxRow(bump(h)).reduce((a, q, t) => a + q * g[t], 0) -
                  softmaxRow(bump(-h)).reduce((a, q, t) => a + q * g[t], 0)) /
                (2 * h);
              expectNear(dz[i], fd, gradTol + 1e-8, `softmax' fd[${r},${j}]`);
              const lfd =
                (bump(h).reduce(
                  (a, v, t) => a + g[t] * (v - Math.log(bump(h).reduce((s, u) => s + Math.exp(u), 0))),
                  0,
                ) -
                  bump(-h).reduce(
                    (a, v, t) => a + g[t] * (v - Math.log(bump(-h).reduce((s, u) => s + Math.exp(u), 0))),
                    0,
                  )) /
                (2 * h);
              expectNear(ldz[i], lfd, 1e-6 * (Math.abs(g[j]) + Math.abs(gSum)) + 1e-7, `log_softmax' fd[${r},${j}]`);
            }
          }
        }
        // in place (x == y, dz == dy) gives the same bits
        for (const [kind, out, grad] of [
          [kinds.SOFTMAX, y, dz],
          [kinds.LOG_SOFTMAX, ly, ldz],
        ] as const) {
          const buf = put(x);
          engine.kernels.activationForward(kind, rows, cols, buf, buf, 0);
          expect(Array.from(get(buf, x.length))).toEqual(Array.from(out));
          const gbuf = put(dy);
          engine.kernels.activationBackward(kind, rows, cols, 0, put(out), gbuf, gbuf, 0);
          expect(Array.from(get(gbuf, x.length))).toEqual(Array.from(grad));
        }
      });
    }
  }

  function expectNear(got: number, want: number, tol: number, label: string): void {
    if (!(Math.abs(got - want) <= tol)) expect.fail(`${label}: got ${got}, want ${want} (tol ${tol})`);
  }

  it("rows sum to 1, a row's NaN stays in that row, and a single column gives 1 / 0", () => {
    const cols = 33;
    const x = randomArray(4 * cols, 77, -30, 30);
    x[cols + 5] = NaN;
    const y = forward(kinds.SOFTMAX, 4, cols, x, 0);
    for (const r of [0, 2, 3]) {
      const s = y.subarray(r * cols, (r + 1) * cols).reduce((a, b) => a + b, 0);
      expect(Math.abs(s - 1)).toBeLessThan(cols * EPS);
    }
    expect(Array.from(y.subarray(cols, 2 * cols)).every(Number.isNaN)).toBe(true);
    expect(Array.from(forward(kinds.SOFTMAX, 3, 1, Float32Array.of(-1e4, 0, 1e30), 0))).toEqual([1, 1, 1]);
    expect(Array.from(forward(kinds.LOG_SOFTMAX, 3, 1, Float32Array.of(-1e4, 0, 1e30), 0))).toEqual([0, 0, 0]);
  });

  it("matches for sizes 1…130 laid out as one row", () => {
    for (const n of SIZES) {
      const x = randomArray(n, n, -10, 10);
      const y = forward(kinds.SOFTMAX, 1, n, x, 0);
      const p = softmaxRow(x);
      for (let j = 0; j < n; j++) expectNear(y[j], p[j], p[j] * EPS * (24 + n / 4) + TINY, `softmax n=${n} [${j}]`);
    }
  });
});
