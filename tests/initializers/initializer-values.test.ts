// The other initializers against their definitions (Keras 3, keras/src/initializers): constants, the identity,
// normal / truncated normal / uniform draws with the asked-for moments and bounds (seeded, many draws), Orthogonal
// (QᵀQ = gain²·I), and seeds: a seeded initializer gives the same values on every call; an unseeded one draws
// from the process-wide generator, which setRandomSeed makes reproducible.
import { beforeAll, describe, expect, test } from "vitest";
import { setRandomSeed } from "../../ts/engine/random.js";
import * as initializers from "../../ts/initializers/index.js";
import { draw, stats } from "../helpers/initializer-draws.js";
import { loadEngine } from "../helpers/wasm.js";

beforeAll(loadEngine);

describe("constants", () => {
  test("zeros, ones and constant fill every element", () => {
    expect(Array.from(draw(initializers.zeros(), [3, 3]))).toEqual(new Array(9).fill(0));
    expect(Array.from(draw(initializers.ones(), [7]))).toEqual(new Array(7).fill(1));
    expect(Array.from(draw(initializers.constant({ value: -2.5 }), [2, 3]))).toEqual(new Array(6).fill(-2.5));
    expect(Array.from(draw(initializers.constant(), [2]))).toEqual([0, 0]);
  });

  test("identity: gain on the diagonal of a (possibly non-square) matrix, zeros elsewhere", () => {
    const tall = draw(initializers.identity({ gain: 3 }), [4, 2]);
    expect(Array.from(tall)).toEqual([3, 0, 0, 3, 0, 0, 0, 0]);
    const wide = draw(initializers.identity(), [2, 3]);
    expect(Array.from(wide)).toEqual([1, 0, 0, 0, 1, 0]);
    expect(() => draw(initializers.identity(), [4])).toThrow("identity: the weight must be 2-D, got shape [4]");
    expect(() => draw(initializers.identity(), [2, 2, 2])).toThrow(
      "identity: the weight must be 2-D, got shape [2, 2, 2]",
    );
  });
});

describe("random draws", () => {
  const N = [100, 200];
  test("RandomNormal(mean, stddev)", () => {
    const s = stats(draw(initializers.randomNormal({ mean: 1.5, stddev: 0.2, seed: 5 }), N));
    expect(s.mean).toBeCloseTo(1.5, 2);
    expect(s.std / 0.2).toBeGreaterThan(0.98);
    expect(s.std / 0.2).toBeLessThan(1.02);
    // Untruncated: 20 000 normal draws reach beyond 3σ.
    expect(s.max - 1.5).toBeGreaterThan(3 * 0.2);
  });

  test("RandomNormal defaults: mean 0, stddev 0.05", () => {
    const s = stats(draw(initializers.randomNormal({ seed: 5 }), N));
    expect(Math.abs(s.mean)).toBeLessThan(0.002);
    expect(s.std / 0.05).toBeGreaterThan(0.98);
    expect(s.std / 0.05).toBeLessThan(1.02);
  });

  test("TruncatedNormal(mean, stddev): within mean ± 2·stddev, with the truncated normal's stddev 0.8796·stddev", () => {
    // Keras's TruncatedNormal initializer does not rescale (only VarianceScaling does).
    const s = stats(draw(initializers.truncatedNormal({ mean: -1, stddev: 0.5, seed: 9 }), N));
    expect(s.mean).toBeCloseTo(-1, 2);
    expect(s.min).toBeGreaterThanOrEqual(-1 - 1.0000001);
    expect(s.max).toBeLessThanOrEqual(-1 + 1.0000001);
    expect(s.std / (0.5 * 0.87962566103423978)).toBeGreaterThan(0.98);
    expect(s.std / (0.5 * 0.87962566103423978)).toBeLessThan(1.02);
    const d = stats(draw(initializers.truncatedNormal({ seed: 9 }), N));
    expect(d.max).toBeLessThanOrEqual(0.1 * 1.0000001);
    expect(d.std / (0.05 * 0.87962566103423978)).toBeGreaterThan(0.98);
  });

  test("RandomUniform(minval, maxval) and its defaults ±0.05", () => {
    const s = stats(draw(initializers.randomUniform({ minval: 2, maxval: 5, seed: 11 }), N));
    expect(s.min).toBeGreaterThanOrEqual(2);
    expect(s.max).toBeLessThanOrEqual(5);
    expect(s.min).toBeLessThan(2.01);
    expect(s.max).toBeGreaterThan(4.99);
    expect(s.mean).toBeCloseTo(3.5, 1);
    const d = stats(draw(initializers.randomUniform({ seed: 11 }), N));
    expect([d.min >= -0.05, d.max <= 0.05, d.min < -0.0499, d.max > 0.0499]).toEqual([true, true, true, true]);
    expect(Array.from(draw(initializers.randomUniform({ minval: 1, maxval: 1, seed: 1 }), [3]))).toEqual([1, 1, 1]);
  });
});

describe("Orthogonal", () => {
  function gram(values: Float32Array, rows: number, cols: number, byColumns: boolean): number[][] {
    const n = byColumns ? cols : rows;
    const at = (r: number, c: number) => values[r * cols + c];
    return Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => {
        let sum = 0;
        for (let k = 0; k < (byColumns ? rows : cols); k++)
          sum += byColumns ? at(k, i) * at(k, j) : at(i, k) * at(j, k);
        return sum;
      }),
    );
  }
  function expectScaledIdentity(matrix: number[][], gain: number): void {
    matrix.forEach((row, i) => row.forEach((value, j) => expect(value).toBeCloseTo(i === j ? gain * gain : 0, 4)));
  }

  test("tall: orthonormal columns times gain", () => {
    expectScaledIdentity(gram(draw(initializers.orthogonal({ gain: 2, seed: 4 }), [9, 5]), 9, 5, true), 2);
  });
  test("wide: orthonormal rows", () => {
    expectScaledIdentity(gram(draw(initializers.orthogonal({ seed: 4 }), [3, 7]), 3, 7, false), 1);
  });
  test("square and higher rank (flattened to rows × last axis)", () => {
    expectScaledIdentity(gram(draw(initializers.orthogonal({ seed: 8 }), [6, 6]), 6, 6, true), 1);
    expectScaledIdentity(gram(draw(initializers.orthogonal({ seed: 8 }), [2, 3, 4]), 6, 4, true), 1);
  });
  test("a 1-D weight is refused", () => {
    expect(() => draw(initializers.orthogonal(), [5])).toThrow(
      "orthogonal: the weight must be at least 2-D, got shape [5]",
    );
  });
});

describe("seeds", () => {
  test("a seeded initializer gives the same values on every call; another seed gives others", () => {
    for (const make of [
      (seed: number) => initializers.randomNormal({ seed }),
      (seed: number) => initializers.randomUniform({ seed }),
      (seed: number) => initializers.truncatedNormal({ seed }),
      (seed: number) => initializers.glorotUniform({ seed }),
      (seed: number) => initializers.orthogonal({ seed }),
    ]) {
      const initializer = make(12);
      const first = draw(initializer, [6, 5]);
      expect(draw(initializer, [6, 5])).toEqual(first);
      expect(draw(make(12), [6, 5])).toEqual(first);
      expect(draw(make(13), [6, 5])).not.toEqual(first);
    }
  });

  test("unseeded initializers draw from the process-wide generator: new values each call, reproducible after setRandomSeed", () => {
    const initializer = initializers.randomNormal();
    setRandomSeed(99);
    const first = draw(initializer, [50]);
    const second = draw(initializer, [50]);
    expect(second).not.toEqual(first);
    setRandomSeed(99);
    expect(draw(initializer, [50])).toEqual(first);
    expect(draw(initializers.randomNormal({ seed: 99 }), [50])).not.toEqual(second);
  });
});
