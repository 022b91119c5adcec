// Elementary functions (assembly/math*.ts) against float64 Math.* references, measured in float32 ulps of the
// reference, over dense sweeps and edge values; plus "a value gives the same bits in the SIMD body, the
// scalar tail and the scalar entry point".
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../ts/engine/engine.js";
import { normalCdf, ulpOf } from "../helpers/reference-math.js";
import { freeAll, get, loadEngine, put, randomArray, zeros } from "../helpers/wasm.js";

let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine();
});
afterEach(() => freeAll());

const FLT_MAX = 3.4028234663852886e38;
const MIN_NORMAL = 2 ** -126;

/** Size of one float32 ulp at the (float64) value v; subnormal spacing below 2^-126. */
/** Error of a float32 result against a float64 reference, in ulps; special values must match exactly. */
function ulpError(got: number, ref: number): number {
  if (Number.isNaN(ref)) return Number.isNaN(got) ? 0 : Infinity;
  if (Math.abs(ref) > FLT_MAX) {
    // overflows in float32: the only right answer is the infinity (RN rounds above FLT_MAX + ulp/2)
    const rounded = Math.fround(ref);
    return got === rounded ? 0 : Infinity;
  }
  if (Number.isNaN(got)) return Infinity;
  return Math.abs(got - ref) / ulpOf(ref);
}

function mathMap(fn: string, input: Float32Array): Float32Array {
  const k = engine.kernels as unknown as Record<string, { value: number }>;
  const x = put(input);
  const y = zeros(input.length);
  engine.kernels.mathMap(k[fn].value, input.length, x, y);
  return get(y, input.length);
}

/** Largest ulp error of the kernel over `inputs`, with the worst input, for the report in failures. */
function worst(
  fn: string,
  inputs: Float32Array,
  ref: (x: number) => number,
): { ulps: number; at: number; got: number; want: number } {
  const out = mathMap(fn, inputs);
  let result = { ulps: 0, at: NaN, got: NaN, want: NaN };
  for (let i = 0; i < inputs.length; i++) {
    const want = ref(inputs[i]);
    const e = ulpError(out[i], want);
    if (!(e <= result.ulps)) result = { ulps: e, at: inputs[i], got: out[i], want };
  }
  // DENSA_ULP_REPORT=1 prints the measured worst case of every sweep (to re-derive the bounds below).
  if (process.env.DENSA_ULP_REPORT) console.log(fn, JSON.stringify(result));
  return result;
}

function linspace(lo: number, hi: number, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + ((hi - lo) * i) / (n - 1);
  return out;
}

/** Every `step`-th float32 bit pattern in [fromBits, toBits]: an even sweep over binades. */
function bitSweep(fromBits: number, toBits: number, step: number): Float32Array {
  const bits = new Uint32Array(Math.floor((toBits - fromBits) / step) + 1);
  for (let i = 0; i < bits.length; i++) bits[i] = fromBits + i * step;
  return new Float32Array(bits.buffer);
}

function concat(...parts: ArrayLike<number>[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const EDGES = [
  0,
  -0,
  Infinity,
  -Infinity,
  NaN,
  1,
  -1,
  2 ** -149,
  -(2 ** -149),
  1e-40,
  -1e-40,
  MIN_NORMAL,
  -MIN_NORMAL,
  FLT_MAX,
  -FLT_MAX,
  1e-30,
  -1e-30,
  0.5,
  -0.5,
  0.34657359,
  -0.34657359,
  0.3466,
  -0.3466,
  2,
  10,
  -10,
  88,
  88.72283,
  88.7228394,
  88.7229,
  89,
  -87.33654,
  -87.34,
  -100,
  -103,
  -103.2789,
  -103.97,
  -104,
  -105,
  -150,
  1e10,
  -1e10,
];

describe("exp", () => {
  it("is within 1.5 ulp of float64 exp over [-105, 90] and at the edges", () => {
    const inputs = concat(linspace(-105, 90, 200_003), randomArray(50_001, 11, -2, 2), EDGES);
    const w = worst("MATH_EXP", inputs, Math.exp);
    expect(w.ulps, JSON.stringify(w)).toBeLessThanOrEqual(1.5);
  });

  it("overflows to +inf, underflows through the subnormals to 0, and propagates NaN", () => {
    const out = mathMap("MATH_EXP", Float32Array.of(89, 1e30, Infinity, -104, -1e30, -Infinity, NaN, -103.2789, 0, -0));
    expect(Array.from(out.subarray(0, 3))).toEqual([Infinity, Infinity, Infinity]);
    expect(Array.from(out.subarray(3, 6))).toEqual([0, 0, 0]);
    expect(out[6]).toBeNaN();
    expect(out[7]).toBeGreaterThan(0); // exp(-103.2789) ≈ 1.4e-45, the smallest subnormal
    expect(out[7]).toBeLessThan(MIN_NORMAL);
    expect(Array.from(out.subarray(8))).toEqual([1, 1]);
  });
});

describe("expm1", () => {
  it("is within 2 ulp of float64 expm1, including tiny arguments", () => {
    const inputs = concat(
      linspace(-40, 89, 100_001),
      linspace(-1, 1, 100_001),
      randomArray(20_000, 12, -1e-4, 1e-4),
      bitSweep(0x00000001, 0x3f000000, 9973),
      EDGES,
    );
    const w = worst("MATH_EXPM1", inputs, Math.expm1);
    expect(w.ulps, JSON.stringify(w)).toBeLessThanOrEqual(2);
    expect(Object.is(mathMap("MATH_EXPM1", Float32Array.of(-0))[0], -0)).toBe(true);
  });
});

describe("log", () => {
  it("is within 1 ulp of float64 log over all positive binades, subnormals included", () => {
    const inputs = concat(bitSweep(0x00000001, 0x7f7fffff, 2111), linspace(0.5, 2, 100_001), EDGES);
    const w = worst("MATH_LOG", inputs, Math.log);
    expect(w.ulps, JSON.stringify(w)).toBeLessThanOrEqual(1);
  });

  it("gives log(±0) = -inf, log(x < 0) = NaN, log(inf) = inf, NaN -> NaN", () => {
    const out = mathMap("MATH_LOG", Float32Array.of(0, -0, -1, -1e-45, -Infinity, Infinity, NaN, 1));
    expect(Array.from(out)).toEqual([-Infinity, -Infinity, NaN, NaN, NaN, Infinity, NaN, 0]);
  });
});

describe("log1p", () => {
  it("is within 2 ulp of float64 log1p", () => {
    const inputs = concat(
      linspace(-0.99999, 1e3, 100_001),
      linspace(-1, 1, 100_001),
      randomArray(20_000, 13, -1e-5, 1e-5),
      bitSweep(0x00000001, 0x3f000000, 9973),
      EDGES.filter((v) => !(v < -1)),
    );
    const w = worst("MATH_LOG1P", inputs, Math.log1p);
    expect(w.ulps, JSON.stringify(w)).toBeLessThanOrEqual(2);
    const out = mathMap("MATH_LOG1P", Float32Array.of(-1, -2, Infinity, -0));
    expect(out[0]).toBe(-Infinity);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBe(Infinity);
    expect(Object.is(out[3], -0)).toBe(true);
  });
});

const sigmoid64 = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const softplus64 = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

describe("sigmoid, tanh, softplus", () => {
  const inputs = concat(
    linspace(-110, 100, 100_001),
    linspace(-3, 3, 100_001),
    randomArray(10_000, 14, -1e-3, 1e-3),
    EDGES,
  );
  it("sigmoid is within 3 ulp (relative even in the far left tail)", () => {
    const w = worst("MATH_SIGMOID", inputs, sigmoid64);
    expect(w.ulps, JSON.stringify(w)).toBeLessThanOrEqual(3);
  });
  it("tanh is within 3 ulp, odd, and saturates to exactly ±1", () => {
    const w = worst("MATH_TANH", inputs, Math.tanh);
    expect(w.ulps, JSON.stringify(w)).toBeLessThanOrEqual(3);
    const out = mathMap("MATH_TANH", Float32Array.of(20, -20, Infinity, -Infinity, -0));
    expect(Array.from(out.subarray(0, 4))).toEqual([1, -1, 1, -1]);
    expect(Object.is(out[4], -0)).toBe(true);
  });
  it("softplus is within 3 ulp", () => {
    const w = worst("MATH_SOFTPLUS", inputs, softplus64);
    expect(w.ulps, JSON.stringify(w)).toBeLessThanOrEqual(3);
  });
});

describe("normal CDF", () => {
  it("is within 6 ulp of float64 Φ, the left tail included (relative, down to the subnormals)", () => {
    const center = worst(
      "MATH_NORMAL_CDF",
      concat(linspace(-5, 16, 100_001), linspace(-1, 1, 20_001), EDGES),
      normalCdf,
    );
    expect(center.ulps, JSON.stringify(center)).toBeLessThanOrEqual(6);
    const tail = worst("MATH_NORMAL_CDF", linspace(-14.5, -5, 100_001), normalCdf);
    expect(tail.ulps, JSON.stringify(tail)).toBeLessThanOrEqual(6);
    expect(Array.from(mathMap("MATH_NORMAL_CDF", Float32Array.of(-Infinity, -20, 0, 20, Infinity)))).toEqual([
      0, 0, 0.5, 1, 1,
    ]);
  });
});

describe("scalar entry points and body/tail bit identity", () => {
  const names: Array<[string, (x: number) => number]> = [
    ["MATH_EXP", (x) => engine.kernels.scalarExp(x)],
    ["MATH_LOG", (x) => engine.kernels.scalarLog(x)],
  ];
  // 4·k + 3 values: lanes 0–3 of the SIMD body and the scalar tail all see the same set of values.
  const values = concat(randomArray(4 * 200, 21, -100, 90), randomArray(400, 22, 0, 5), EDGES.slice(0, 39));

  for (const [fn, scalar] of names) {
    it(`${fn}: SIMD body lanes, scalar tail and the scalar export agree bit for bit`, () => {
      expect(values.length % 4).toBe(3);
      const asBits = (a: Float32Array) => new Uint32Array(Float32Array.from(a).buffer);
      const fromScalar = Float32Array.from(values, (v) => scalar(v));
      for (let shift = 0; shift < 4; shift++) {
        // Rotating the array moves every value through every lane and, for some, into the tail.
        const rotate = (a: Float32Array) => concat(a.subarray(shift), a.subarray(0, shift));
        const input = rotate(values);
        const got = asBits(mathMap(fn, input));
        const want = asBits(rotate(fromScalar));
        for (let i = 0; i < got.length; i++) {
          if (Number.isNaN(input[i])) continue; // NaN payloads may differ; NaN handling is tested above
          if (got[i] !== want[i])
            expect.fail(`${fn}(${input[i]}) at ${i}: ${got[i].toString(16)} vs scalar ${want[i].toString(16)}`);
        }
      }
    });
  }

  it("an unaligned input pointer gives the same bits", () => {
    const n = 37;
    const input = randomArray(n, 23, -20, 20);
    const aligned = mathMap("MATH_EXP", input);
    const block = zeros(n + 1);
    engine.write(block + 4, input);
    engine.kernels.mathMap((engine.kernels as any).MATH_EXP.value, n, block + 4, block + 4);
    expect(Array.from(get(block + 4, n))).toEqual(Array.from(aligned));
  });

  it("scalarPow, scalarCos, scalarSqrt match float64 Math to float32 precision", () => {
    const k = engine.kernels;
    for (const [x, y] of [
      [2, 10],
      [1.5, -3.25],
      [10, 0.5],
      [0.001, 2],
      [7, 0],
    ]) {
      expect(k.scalarPow(x, y)).toBeCloseTo(Math.fround(Math.fround(x) ** Math.fround(y)), 5);
      expect(Math.abs(k.scalarPow(x, y) / Math.fround(x) ** Math.fround(y) - 1)).toBeLessThan(3e-7);
    }
    for (const x of randomArray(200, 24, -10, 10)) {
      expect(Math.abs(k.scalarCos(x) - Math.cos(x))).toBeLessThan(2 ** -24);
      const s = k.scalarSqrt(Math.abs(x));
      expect(s).toBe(Math.fround(Math.sqrt(Math.abs(x)))); // sqrt is correctly rounded
    }
  });
});
