// Random kernels: exact bits against a TypeScript reference of the generator (splitmix64 seeding, four
// xoshiro128** lanes), then distribution checks with fixed seeds (so they are deterministic).
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Engine, Kernels } from "../../ts/engine/engine.js";
import { expectClose, freeAll, get, getI32, loadEngine, put, randomArray, zeros } from "../helpers/wasm.js";

let engine: Engine;
let k: Kernels;
beforeAll(async () => {
  engine = await loadEngine();
  k = engine.kernels;
});
afterEach(() => freeAll());

const f = Math.fround;

// ---- reference generator -------------------------------------------------------------------------------

const MASK64 = (1n << 64n) - 1n;
function splitmix64(x: bigint): bigint {
  let z = x;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

class Reference {
  // lanes[L] = [s0, s1, s2, s3] of lane L
  lanes: Uint32Array[] = [0, 1, 2, 3].map(() => new Uint32Array(4));
  private buffer: number[] = [];

  constructor(seedLo: number, seedHi: number) {
    let x = (BigInt(seedHi >>> 0) << 32n) | BigInt(seedLo >>> 0);
    const words: number[] = [];
    for (let i = 0; i < 8; i++) {
      x = (x + 0x9e3779b97f4a7c15n) & MASK64;
      const z = splitmix64(x);
      words.push(Number(z & 0xffffffffn), Number(z >> 32n));
    }
    for (let q = 0; q < 16; q++) this.lanes[q & 3][q >> 2] = words[q];
  }

  /** One step of all four lanes: four outputs, lane order. */
  step(): number[] {
    return this.lanes.map((s) => {
      const rotl = (x: number, r: number) => ((x << r) | (x >>> (32 - r))) >>> 0;
      const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
      const t = (s[1] << 9) >>> 0;
      s[2] ^= s[0];
      s[3] ^= s[1];
      s[1] ^= s[2];
      s[0] ^= s[3];
      s[2] ^= t;
      s[3] = rotl(s[3], 11);
      return result;
    });
  }

  /** `count` outputs as one kernel call takes them: whole steps, leftovers dropped. */
  call(count: number): number[] {
    const out: number[] = [];
    while (out.length < count) out.push(...this.step());
    return out.slice(0, count);
  }

  /** Scalar draws within one call (permutation): reads steps lane by lane. */
  startCall(): void {
    this.buffer = [];
  }
  nextU32(): number {
    if (this.buffer.length === 0) this.buffer = this.step();
    return this.buffer.shift()!;
  }
}

const unit24 = (bits: number) => (bits >>> 8) * 2 ** -24;

function referenceNormals(ref: Reference): number[] {
  const w = ref.step();
  const out: number[] = [];
  for (const [a, b] of [
    [w[0], w[1]],
    [w[2], w[3]],
  ]) {
    const u1 = f(((a >>> 8) + 1) * 2 ** -24);
    const u2 = f((b >>> 8) * 2 ** -24);
    const r = f(Math.sqrt(f(-2 * f(Math.log(u1)))));
    const theta = f(f(2 * Math.PI) * u2);
    out.push(f(r * f(Math.cos(theta))), f(r * f(Math.sin(theta))));
  }
  return out;
}

// ---- helpers -------------------------------------------------------------------------------------------

function newState(seedLo: number, seedHi = 0): number {
  const state = zeros(k.RANDOM_STATE_BYTES.value / 4);
  k.randomSeed(state, seedLo, seedHi);
  return state;
}

function bits(state: number, count: number): Uint32Array {
  const out = zeros(count);
  k.randomBits(state, out, count);
  return Uint32Array.from(getI32(out, count));
}

function fill(kind: "uniform" | "normal" | "truncated", state: number, count: number, a: number, b: number) {
  const out = zeros(count);
  if (kind === "uniform") k.randomUniform(state, out, count, a, b);
  else if (kind === "normal") k.randomNormal(state, out, count, a, b);
  else k.randomTruncatedNormal(state, out, count, a, b);
  return get(out, count);
}

function moments(x: ArrayLike<number>): { mean: number; variance: number } {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i];
  const mean = sum / x.length;
  let sq = 0;
  for (let i = 0; i < x.length; i++) sq += (x[i] - mean) ** 2;
  return { mean, variance: sq / x.length };
}

// ---- bits ----------------------------------------------------------------------------------------------

describe("generator", () => {
  it("seeds and steps exactly like the reference (splitmix64 → four xoshiro128** lanes)", () => {
    for (const [lo, hi] of [
      [0, 0],
      [42, 0],
      [-1, -1],
      [123456789, 987654321],
    ]) {
      const state = newState(lo, hi);
      const ref = new Reference(lo, hi);
      const words = Uint32Array.from(getI32(state, 16));
      for (let q = 0; q < 16; q++) expect(words[q]).toBe(ref.lanes[q & 3][q >> 2]);
      for (const count of [1, 3, 5, 17, 130, 4]) expect(Array.from(bits(state, count))).toEqual(ref.call(count));
    }
  });

  it("same seed gives the same bits; different seeds (low or high word) differ", () => {
    const a = bits(newState(7), 64),
      b = bits(newState(7), 64);
    expect(Array.from(a)).toEqual(Array.from(b));
    for (const [lo, hi] of [
      [8, 0],
      [7, 1],
      [0, 7],
    ]) {
      const other = bits(newState(lo, hi), 64);
      expect(other.filter((x, i) => x === a[i]).length).toBeLessThan(2);
    }
  });

  it("works at unaligned state and output pointers", () => {
    const stateBlock = zeros(17),
      outBlock = zeros(40);
    k.randomSeed(stateBlock + 4, 19, 0);
    k.randomNormal(stateBlock + 4, outBlock + 4, 37, 0, 1);
    const expected = fill("normal", newState(19), 37, 0, 1);
    expect(Array.from(get(outBlock + 4, 37))).toEqual(Array.from(expected));
  });

  it("advances the state: consecutive calls differ", () => {
    const state = newState(3);
    const first = bits(state, 32),
      second = bits(state, 32);
    expect(second.filter((x, i) => x === first[i]).length).toBeLessThan(2);
  });

  it("bits are balanced and lanes are uncorrelated", () => {
    const x = bits(newState(11), 40000);
    const ones = new Array(32).fill(0);
    for (const word of x) for (let b = 0; b < 32; b++) ones[b] += (word >>> b) & 1;
    // each bit is Binomial(40000, ½): σ = 100; 5σ bound
    for (const count of ones) expect(Math.abs(count - 20000)).toBeLessThan(500);
    const u = Array.from(x, (w) => w / 2 ** 32 - 0.5);
    for (const lag of [1, 2, 3, 4]) {
      let c = 0;
      for (let i = lag; i < u.length; i++) c += u[i] * u[i - lag];
      const correlation = c / (u.length - lag) / (1 / 12);
      expect(Math.abs(correlation)).toBeLessThan(0.03); // σ ≈ 0.005
    }
  });
});

// ---- uniform and dropout -------------------------------------------------------------------------------

describe("randomUniform", () => {
  it.each([1, 3, 5, 17, 130])("is u·(high-low) + low from the reference bits, count %i", (n) => {
    const ref = new Reference(5, 0);
    const got = fill("uniform", newState(5), n, -0.25, 3);
    const range = f(3 - -0.25);
    expect(Array.from(got)).toEqual(ref.call(n).map((w) => f(f(unit24(w) * range) + f(-0.25))));
  });

  it("has the right range, mean, variance, histogram (χ²) and KS distance", () => {
    const n = 100_000;
    const x = fill("uniform", newState(2024), n, 0, 1);
    expect(Math.min(...x)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...x)).toBeLessThan(1);
    const { mean, variance } = moments(x);
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
    const bins = new Array(100).fill(0);
    for (const v of x) bins[Math.floor(v * 100)]++;
    const chi2 = bins.reduce((s, c) => s + (c - n / 100) ** 2 / (n / 100), 0);
    expect(chi2).toBeLessThan(99 + 5 * Math.sqrt(2 * 99)); // χ²(99): mean 99, σ 14
    const sorted = Float64Array.from(x).sort();
    let ks = 0;
    sorted.forEach((v, i) => (ks = Math.max(ks, Math.abs((i + 1) / n - v), Math.abs(v - i / n))));
    expect(ks).toBeLessThan(1.63 / Math.sqrt(n)); // 1% critical value
  });

  it("scales to [low, high)", () => {
    const x = fill("uniform", newState(9), 10_000, -3, -1);
    expect(Math.min(...x)).toBeGreaterThanOrEqual(-3);
    expect(Math.max(...x)).toBeLessThan(-1);
    expect(moments(x).mean).toBeCloseTo(-2, 1);
  });
});

describe("dropoutMask", () => {
  it.each([1, 3, 5, 17, 130])("keeps where u ≥ rate, with scale 1/(1-rate), count %i", (n) => {
    const ref = new Reference(6, 0);
    const mask = zeros(n);
    k.dropoutMask(newState(6), mask, n, 0.3);
    const scale = f(1 / f(1 - f(0.3)));
    expect(Array.from(get(mask, n))).toEqual(ref.call(n).map((w) => (f(unit24(w)) >= f(0.3) ? scale : 0)));
  });

  it.each([0.1, 0.5, 0.8])("keep rate ≈ 1 - rate and mean ≈ 1 (rate %f)", (rate) => {
    const n = 50_000;
    const mask = zeros(n);
    k.dropoutMask(newState(31), mask, n, rate);
    const m = get(mask, n);
    const scale = f(1 / f(1 - f(rate)));
    const kept = m.filter((x) => x === scale).length;
    expect(kept + m.filter((x) => x === 0).length).toBe(n);
    const sigma = Math.sqrt(n * rate * (1 - rate));
    expect(Math.abs(kept - n * (1 - rate))).toBeLessThan(5 * sigma);
    expect(moments(m).mean).toBeCloseTo(1, 1);
  });

  it("rate 0 keeps everything at scale 1; rate 1 drops everything", () => {
    const mask = zeros(33);
    k.dropoutMask(newState(1), mask, 33, 0);
    expect(Array.from(get(mask, 33))).toEqual(new Array(33).fill(1));
    k.dropoutMask(newState(1), mask, 33, 1);
    expect(Array.from(get(mask, 33))).toEqual(new Array(33).fill(0));
  });
});

// ---- normal --------------------------------------------------------------------------------------------

describe("randomNormal and randomTruncatedNormal", () => {
  it.each([1, 3, 5, 17, 130])("normal is Box–Muller on the reference bits, count %i", (n) => {
    const ref = new Reference(12, 0);
    const z: number[] = [];
    while (z.length < n) z.push(...referenceNormals(ref));
    const got = fill("normal", newState(12), n, 0.5, 2);
    expectClose(
      got,
      z.slice(0, n).map((v) => f(f(v * 2) + 0.5)),
      { rtol: 1e-6, atol: 1e-6 },
    );
  });

  it("normal has the right mean, standard deviation and 1σ/2σ mass", () => {
    const n = 100_000;
    const x = fill("normal", newState(77), n, 0, 1);
    const { mean, variance } = moments(x);
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(Math.sqrt(variance) - 1)).toBeLessThan(0.01);
    expect(x.filter((v) => Math.abs(v) < 1).length / n).toBeCloseTo(0.6827, 2);
    expect(x.filter((v) => Math.abs(v) < 2).length / n).toBeCloseTo(0.9545, 2);
    const y = fill("normal", newState(78), 20_000, -3, 0.25);
    expect(moments(y).mean).toBeCloseTo(-3, 2);
    expect(Math.sqrt(moments(y).variance)).toBeCloseTo(0.25, 2);
  });

  it.each([1, 3, 5, 17, 130])("truncated normal takes the reference draws with |z| ≤ 2, count %i", (n) => {
    const ref = new Reference(13, 0);
    const z: number[] = [];
    while (z.length < n) z.push(...referenceNormals(ref).filter((v) => Math.abs(v) <= 2));
    const got = fill("truncated", newState(13), n, 1, 0.5);
    expectClose(
      got,
      z.slice(0, n).map((v) => f(f(v * 0.5) + 1)),
      { rtol: 1e-6, atol: 1e-6 },
    );
  });

  it("truncated normal stays within 2σ and has the truncated standard deviation", () => {
    const n = 100_000;
    const x = fill("truncated", newState(99), n, 2, 3);
    expect(Math.min(...x)).toBeGreaterThanOrEqual(2 - 6);
    expect(Math.max(...x)).toBeLessThanOrEqual(2 + 6);
    const { mean, variance } = moments(x);
    expect(Math.abs(mean - 2)).toBeLessThan(0.03);
    // sd of a standard normal truncated to [-2, 2] is 0.87962566103423978 (the constant Keras divides by)
    expect(Math.sqrt(variance) / 3).toBeCloseTo(0.8796, 2);
  });
});

// ---- permutation ---------------------------------------------------------------------------------------

function referencePermutation(ref: Reference, n: number): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  ref.startCall();
  for (let i = n - 1; i > 0; i--) {
    const bound = BigInt(i + 1);
    let product = BigInt(ref.nextU32()) * bound;
    let low = product & 0xffffffffn;
    if (low < bound) {
      const threshold = ((1n << 32n) - bound) % bound;
      while (low < threshold) {
        product = BigInt(ref.nextU32()) * bound;
        low = product & 0xffffffffn;
      }
    }
    const j = Number(product >> 32n);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function permutation(state: number, n: number): number[] {
  const out = zeros(Math.max(n, 1));
  k.randomPermutation(state, out, n);
  return Array.from(getI32(out, n));
}

describe("randomPermutation", () => {
  it.each([1, 2, 3, 5, 17, 130, 1000])("is the reference Fisher–Yates, a permutation, not the identity (n=%i)", (n) => {
    const ref = new Reference(21, 0);
    const p = permutation(newState(21), n);
    expect(p).toEqual(referencePermutation(ref, n));
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    if (n >= 5) expect(p.some((v, i) => v !== i)).toBe(true);
  });

  it("is uniform over the 24 orderings of 4 items (χ²)", () => {
    const state = newState(5);
    const counts = new Map<string, number>();
    const draws = 24_000;
    for (let d = 0; d < draws; d++) {
      const key = permutation(state, 4).join("");
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - 1000) ** 2 / 1000, 0);
    expect(chi2).toBeLessThan(23 + 5 * Math.sqrt(46)); // χ²(23)
  });

  it("every position is equally likely to receive every item (n = 7, unbiased bounded draws)", () => {
    const state = newState(8);
    const n = 7,
      draws = 14_000;
    const table = Array.from({ length: n }, () => new Array(n).fill(0));
    for (let d = 0; d < draws; d++) permutation(state, n).forEach((v, i) => table[i][v]++);
    const expected = draws / n;
    const chi2 = table.flat().reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(36 + 5 * Math.sqrt(72)); // (n-1)² degrees of freedom
  });
});

// ---- orthogonal ----------------------------------------------------------------------------------------

/** Reference Q with positive diag(R): modified Gram–Schmidt twice, in float64. */
function referenceQ(a: Float32Array, rows: number, cols: number): Float64Array {
  const q = Float64Array.from(a);
  for (let j = 0; j < cols; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < j; p++) {
        let dot = 0;
        for (let i = 0; i < rows; i++) dot += q[i * cols + p] * q[i * cols + j];
        for (let i = 0; i < rows; i++) q[i * cols + j] -= dot * q[i * cols + p];
      }
    }
    let norm = 0;
    for (let i = 0; i < rows; i++) norm += q[i * cols + j] ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < rows; i++) q[i * cols + j] /= norm;
  }
  return q;
}

describe("orthogonalize", () => {
  it.each([
    [1, 1],
    [3, 3],
    [5, 3],
    [17, 5],
    [33, 33],
    [130, 17],
    [64, 63],
  ])("gives Keras's Q·sign(diag R) for %i×%i", (rows, cols) => {
    const a = fill("normal", newState(rows * 1000 + cols), rows * cols, 0, 1);
    const ptr = put(a);
    k.orthogonalize(rows, cols, ptr, zeros(rows * cols + 3 * cols));
    const q = get(ptr, rows * cols);
    expectClose(q, referenceQ(a, rows, cols), { rtol: 1e-4, atol: 2e-5 });
    for (let p = 0; p < cols; p++) {
      for (let j = 0; j < cols; j++) {
        let dot = 0,
          r = 0;
        for (let i = 0; i < rows; i++) {
          dot += q[i * cols + p] * q[i * cols + j];
          r += q[i * cols + p] * a[i * cols + j];
        }
        expect(Math.abs(dot - (p === j ? 1 : 0))).toBeLessThan(1e-5); // QᵀQ = I
        if (p > j) expect(Math.abs(r)).toBeLessThan(1e-4); // R = QᵀA upper triangular …
        if (p === j) expect(r).toBeGreaterThan(0); // … with a positive diagonal
      }
    }
  });

  it("leaves a wide matrix alone (the caller transposes)", () => {
    const a = randomArray(6, 1);
    const ptr = put(a);
    k.orthogonalize(2, 3, ptr, zeros(6 + 9));
    expect(Array.from(get(ptr, 6))).toEqual(Array.from(a));
  });
});
