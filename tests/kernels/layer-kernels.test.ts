// Embedding, reshaping, element-wise (Rescaling, GaussianNoise, ReLU, PReLU) and AlphaDropout kernels against
// plain references, on sizes that are not multiples of 4 (f32x4 bodies and scalar tails both run).
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Engine, Kernels } from "../../ts/engine/engine.js";
import { expectClose, freeAll, get, getI32, loadEngine, put, putI32, randomArray, zeros } from "../helpers/wasm.js";

let engine: Engine;
let k: Kernels;
beforeAll(async () => {
  engine = await loadEngine();
  k = engine.kernels;
});
afterEach(() => freeAll());

describe("Embedding kernels", () => {
  const inputDim = 9,
    outputDim = 7;
  const table = randomArray(inputDim * outputDim, 3);

  it("gathers rows by id and adds gradients back by id (repeated ids add up)", () => {
    const ids = [3, 0, 8, 3, 5, 3, 1, 8, 2, 4, 6];
    const out = zeros(ids.length * outputDim);
    expect(k.embeddingGather(ids.length, put(ids), put(table), inputDim, outputDim, out)).toBe(-1);
    const expected = ids.flatMap((id) => Array.from(table.subarray(id * outputDim, (id + 1) * outputDim)));
    expect(Array.from(get(out, ids.length * outputDim))).toEqual(expected);

    const dys = randomArray(ids.length * outputDim, 4);
    const grad = zeros(inputDim * outputDim, 5); // stale values: the kernel overwrites
    k.embeddingScatterAdd(ids.length, put(ids), put(dys), inputDim, outputDim, grad);
    const reference = new Float64Array(inputDim * outputDim);
    ids.forEach((id, row) => {
      for (let j = 0; j < outputDim; j++) reference[id * outputDim + j] += dys[row * outputDim + j];
    });
    expectClose(get(grad, inputDim * outputDim), reference);
  });

  for (const bad of [9, -1, 2.5, Number.NaN, 1e9, Number.POSITIVE_INFINITY]) {
    it(`stops at the first bad id (${bad}) and returns its position`, () => {
      const ids = [1, 2, 3, 4, 5, bad, 6, bad];
      expect(
        k.embeddingGather(ids.length, put(ids), put(table), inputDim, outputDim, zeros(ids.length * outputDim)),
      ).toBe(5);
    });
  }
});

describe("reshaping kernels", () => {
  /** Reference permutation of `rows` samples of `shape` by 0-based `order`. */
  function permuted(x: Float32Array, rows: number, shape: number[], order: number[]): number[] {
    const size = shape.reduce((a, b) => a * b, 1);
    const outShape = order.map((axis) => shape[axis]);
    const strides = shape.map((_, axis) => shape.slice(axis + 1).reduce((a, b) => a * b, 1));
    const out: number[] = [];
    for (let r = 0; r < rows; r++) {
      for (let flat = 0; flat < size; flat++) {
        let rest = flat,
          offset = 0;
        for (let k2 = 0; k2 < outShape.length; k2++) {
          const stride = outShape.slice(k2 + 1).reduce((a, b) => a * b, 1);
          const index = Math.floor(rest / stride);
          rest -= index * stride;
          offset += index * strides[order[k2]];
        }
        out.push(x[r * size + offset]);
      }
    }
    return out;
  }

  const PERMUTATIONS: [number[], number[]][] = [
    [
      [3, 5],
      [1, 0],
    ],
    [
      [2, 3, 5],
      [2, 0, 1],
    ],
    [
      [4, 1, 3, 2],
      [3, 1, 0, 2],
    ],
    [[7], [0]],
  ];
  for (const [shape, order] of PERMUTATIONS) {
    it(`permuteCopy of [${shape}] by [${order}]`, () => {
      const rows = 3;
      const size = shape.reduce((a, b) => a * b, 1);
      const xs = randomArray(rows * size, size);
      const outShape = order.map((axis) => shape[axis]);
      const strides = shape.map((_, axis) => shape.slice(axis + 1).reduce((a, b) => a * b, 1));
      const out = zeros(rows * size);
      k.permuteCopy(
        rows,
        shape.length,
        size,
        putI32(outShape),
        putI32(order.map((axis) => strides[axis])),
        put(xs),
        out,
      );
      expect(Array.from(get(out, rows * size))).toEqual(permuted(xs, rows, shape, order));
    });
  }

  it("repeatRows copies each row n times; sumRepeats adds the n copies back", () => {
    const rows = 3,
      n = 4,
      width = 7;
    const xs = randomArray(rows * width, 1);
    const out = zeros(rows * n * width);
    k.repeatRows(rows, n, width, put(xs), out);
    const expected: number[] = [];
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < n; c++) expected.push(...xs.subarray(r * width, (r + 1) * width));
    expect(Array.from(get(out, rows * n * width))).toEqual(expected);
    const dys = randomArray(rows * n * width, 2);
    const dx = zeros(rows * width);
    k.sumRepeats(rows, n, width, put(dys), dx);
    const sums = Array.from({ length: rows * width }, (_, i) => {
      const r = Math.floor(i / width),
        j = i % width;
      let total = 0;
      for (let c = 0; c < n; c++) total += dys[(r * n + c) * width + j];
      return total;
    });
    expectClose(get(dx, rows * width), sums);
  });
});

describe("element-wise layer kernels", () => {
  const count = 23;
  const xs = randomArray(count, 9, -3, 3);
  xs[0] = 0;
  xs[1] = 0.5; // on a threshold below
  const dys = randomArray(count, 10);

  it("scaleShift and addElementwise", () => {
    const y = zeros(count);
    k.scaleShift(count, put(xs), y, 0.25, -1.5);
    expectClose(
      get(y, count),
      Array.from(xs, (v) => Math.fround(v * 0.25) - 1.5),
    );
    const bs = randomArray(count, 11);
    k.addElementwise(put(xs), put(bs), y, count);
    expectClose(
      get(y, count),
      Array.from(xs, (v, i) => v + bs[i]),
    );
  });

  /** Keras 3's relu with its three options, and its derivative (0 at the kinks). */
  const relu = (x: number, maxValue: number | null, slope: number, threshold: number) => {
    let positive = x > threshold ? x : 0;
    if (maxValue !== null) positive = Math.min(Math.max(positive, 0), maxValue);
    return positive - slope * Math.max(threshold - x, 0);
  };
  const reluGrad = (x: number, maxValue: number | null, slope: number, threshold: number) => {
    if (x < threshold) return slope;
    const inside = x > threshold && (maxValue === null || (x > 0 && x < maxValue));
    return inside ? 1 : 0;
  };
  for (const [maxValue, slope, threshold] of [
    [null, 0, 0],
    [2, 0, 0],
    [null, 0.3, 0],
    [1.5, 0.1, 0.5],
    [null, 0.2, -1],
  ] as const) {
    it(`reluForward / reluBackward with maxValue ${maxValue}, negativeSlope ${slope}, threshold ${threshold}`, () => {
      const [low, high] = maxValue === null ? [-Infinity, Infinity] : [0, maxValue];
      const y = zeros(count),
        dx = zeros(count);
      k.reluForward(count, put(xs), y, low, high, threshold, slope);
      k.reluBackward(count, put(xs), put(dys), dx, low, high, threshold, slope);
      expectClose(
        get(y, count),
        Array.from(xs, (v) => relu(v, maxValue, slope, threshold)),
      );
      expectClose(
        get(dx, count),
        Array.from(xs, (v, i) => dys[i] * reluGrad(v, maxValue, slope, threshold)),
      );
    });
  }

  it("preluForward / preluBackward (α per position) and expandByIndex / sumByIndex (shared α)", () => {
    const rows = 3,
      width = 7;
    const x = randomArray(rows * width, 12, -2, 2),
      dy = randomArray(rows * width, 13);
    const alpha = randomArray(width, 14, 0, 0.5);
    const y = zeros(rows * width),
      dx = zeros(rows * width),
      dalpha = zeros(width, 3);
    k.preluForward(rows, width, put(x), put(alpha), y);
    k.preluBackward(rows, width, put(x), put(dy), put(alpha), dx, dalpha);
    expectClose(
      get(y, rows * width),
      Array.from(x, (v, i) => (v > 0 ? v : alpha[i % width] * v)),
    );
    expectClose(
      get(dx, rows * width),
      Array.from(x, (v, i) => (v > 0 ? dy[i] : v < 0 ? alpha[i % width] * dy[i] : 0)),
    );
    const expectedDalpha = new Float64Array(width);
    x.forEach((v, i) => (expectedDalpha[i % width] += dy[i] * Math.min(v, 0)));
    expectClose(get(dalpha, width), expectedDalpha);

    const index = [0, 1, 2, 0, 1, 2, 2];
    const expanded = zeros(width);
    k.expandByIndex(width, putI32(index), put([5, 6, 7]), expanded);
    expect(Array.from(get(expanded, width))).toEqual(index.map((i) => [5, 6, 7][i]));
    const summed = zeros(3, 9);
    const src = randomArray(width, 15);
    k.sumByIndex(width, putI32(index), put(src), 3, summed);
    expectClose(
      get(summed, 3),
      [0, 1, 2].map((target) => index.reduce((a, i, j) => a + (i === target ? src[j] : 0), 0)),
    );
  });
});

describe("AlphaDropout kernel", () => {
  it("uses one raw word per value as dropoutMask does: kept where u ≥ rate, y = a·(kept ? x : α′) + b, mask a or 0", () => {
    const count = 4 * 9 + 3;
    const rate = 0.3,
      alphaP = -1.7580993408473766,
      a = ((1 - rate) * (1 + rate * alphaP ** 2)) ** -0.5,
      b = -a * alphaP * rate;
    const state = engine.alloc(64),
      copy = engine.alloc(64);
    k.randomSeed(state, 123, 0);
    k.randomSeed(copy, 123, 0);
    const words = engine.alloc(count * 4);
    k.randomBits(copy, words, count);
    const raw = getI32(words, count);
    const xs = randomArray(count, 16, -2, 2);
    const y = zeros(count),
      mask = zeros(count);
    k.alphaDropoutForward(state, count, put(xs), y, mask, rate, a, b, alphaP);
    const kept = Array.from(raw, (word) => ((word >>> 8) * 2 ** -24 >= rate ? 1 : 0));
    expectClose(
      get(y, count),
      kept.map((keep, i) => Math.fround(a) * (keep ? xs[i] : Math.fround(alphaP)) + Math.fround(b)),
    );
    expect(Array.from(get(mask, count))).toEqual(kept.map((keep) => (keep ? Math.fround(a) : 0)));
    expect(kept.some((keep) => !keep) && kept.some(Boolean)).toBe(true);
    // The state advanced by the same words: the next draws agree.
    const next = engine.alloc(16),
      nextCopy = engine.alloc(16);
    k.randomBits(state, next, 4);
    k.randomBits(copy, nextCopy, 4);
    expect(Array.from(getI32(next, 4))).toEqual(Array.from(getI32(nextCopy, 4)));
    for (const ptr of [state, copy, words, next, nextCopy]) engine.free(ptr);
  });
});
