// The merge kernels (assembly/merge.ts) against plain scalar references in float32 (Math.fround per step, the
// order the kernels promise), on sizes that are not multiples of 4 so the scalar tails run too.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../ts/engine/engine.js";
import { freeAll, get, loadEngine, put, randomArray, zeros } from "../helpers/wasm.js";

let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine();
});
afterEach(freeAll);

const SIZES = [1, 3, 5, 7, 13, 37];
const f = Math.fround;

function elementwise(
  name: string,
  kernel: (a: number, b: number, out: number, n: number) => void,
  reference: (a: number, b: number) => number,
) {
  it(name, () => {
    for (const n of SIZES) {
      const a = randomArray(n, n, -3, 3);
      const b = randomArray(n, n + 100, -3, 3);
      const out = zeros(n + 1, 77);
      kernel(put(a), put(b), out, n);
      expect(Array.from(get(out, n)), `n=${n}`).toEqual(Array.from(a, (x, i) => f(reference(x, b[i]))));
      expect(get(out + n * 4, 1)[0], "writes past the end").toBe(77);
    }
  });
}

describe("element-wise", () => {
  elementwise(
    "addElementwise",
    (a, b, o, n) => engine.kernels.addElementwise(a, b, o, n),
    (x, y) => x + y,
  );
  elementwise(
    "subtractElementwise",
    (a, b, o, n) => engine.kernels.subtractElementwise(a, b, o, n),
    (x, y) => x - y,
  );
  elementwise(
    "scaleElementwise (−0.37)",
    (a, _b, o, n) => engine.kernels.scaleElementwise(a, -0.37, o, n),
    (x) => x * f(-0.37),
  );
  elementwise(
    "extremumElementwise max",
    (a, b, o, n) => engine.kernels.extremumElementwise(a, b, o, n, true),
    Math.max,
  );
  elementwise(
    "extremumElementwise min",
    (a, b, o, n) => engine.kernels.extremumElementwise(a, b, o, n, false),
    Math.min,
  );

  it("claimExtremumGradient gives each position's gradient to the first input equal to the result", () => {
    for (const n of SIZES) {
      // Ties on purpose: values from a small set.
      const inputs = [1, 2, 3].map((seed) => Float32Array.from(randomArray(n, seed * n), (v) => Math.round(v * 2)));
      const result = Float32Array.from(inputs[0], (_, i) => Math.max(...inputs.map((x) => x[i])));
      const dy = randomArray(n, 9 + n);
      const remaining = put(dy);
      const resultPtr = put(result);
      const claimed = new Float32Array(n);
      inputs.forEach((x, k) => {
        const dx = zeros(n);
        engine.kernels.claimExtremumGradient(put(x), resultPtr, remaining, dx, n);
        const first = Array.from({ length: n }, (_, i) => inputs.findIndex((other) => other[i] === result[i]));
        expect(Array.from(get(dx, n)), `n=${n} input ${k}`).toEqual(Array.from(dy, (g, i) => (first[i] === k ? g : 0)));
        get(dx, n).forEach((value, i) => (claimed[i] += value));
      });
      expect(Array.from(claimed)).toEqual(Array.from(dy));
      expect(Array.from(get(remaining, n))).toEqual(new Array(n).fill(0));
    }
  });
});

describe("row kernels", () => {
  it("copyBlocks copies strided runs and nothing else", () => {
    for (const width of SIZES) {
      const blocks = 3;
      const srcStride = width + 2;
      const dstStride = width + 5;
      const src = randomArray(blocks * srcStride, width);
      const dst = zeros(blocks * dstStride, 55);
      engine.kernels.copyBlocks(blocks, width, put(src), srcStride, dst, dstStride);
      const want = new Float32Array(blocks * dstStride).fill(55);
      for (let b = 0; b < blocks; b++) for (let c = 0; c < width; c++) want[b * dstStride + c] = src[b * srcStride + c];
      expect(Array.from(get(dst, blocks * dstStride)), `width=${width}`).toEqual(Array.from(want));
    }
  });

  it("rowDot sums four lanes then the tail, and scaleRows scales each row", () => {
    for (const cols of SIZES) {
      const rows = 3;
      const x = randomArray(rows * cols, cols, -2, 2);
      const y = randomArray(rows * cols, cols + 7, -2, 2);
      const out = zeros(rows);
      engine.kernels.rowDot(rows, cols, put(x), put(y), out);
      const want = Array.from({ length: rows }, (_, r) => {
        const lanes = [0, 0, 0, 0];
        const main = cols & ~3;
        for (let c = 0; c < main; c++) lanes[c % 4] = f(lanes[c % 4] + f(x[r * cols + c] * y[r * cols + c]));
        let sum = f(f(f(lanes[0] + lanes[1]) + lanes[2]) + lanes[3]);
        for (let c = main; c < cols; c++) sum = f(sum + f(x[r * cols + c] * y[r * cols + c]));
        return sum;
      });
      expect(Array.from(get(out, rows)), `cols=${cols}`).toEqual(want);
      const scaled = zeros(rows * cols);
      engine.kernels.scaleRows(rows, cols, put(x), out, scaled);
      expect(Array.from(get(scaled, rows * cols))).toEqual(Array.from(x, (v, i) => f(v * want[Math.floor(i / cols)])));
    }
  });

  it("rowL2Normalize and its backward match float64 formulas (Keras's l2_normalize, ε = 1e-12)", () => {
    for (const cols of SIZES) {
      const rows = 3;
      const x = randomArray(rows * cols, cols + 3, -2, 2);
      x.fill(0, 0, cols); // a zero row: the clamp is active there
      const dy = randomArray(rows * cols, cols + 4);
      const xPtr = put(x);
      const out = zeros(rows * cols);
      const inverse = zeros(rows);
      const unclamped = zeros(rows);
      engine.kernels.rowL2Normalize(rows, cols, xPtr, out, inverse, unclamped);
      const dx = zeros(rows * cols);
      engine.kernels.rowL2NormalizeBackward(rows, cols, out, inverse, unclamped, put(dy), dx, zeros(rows));
      for (let r = 0; r < rows; r++) {
        const row = Array.from(x.subarray(r * cols, (r + 1) * cols));
        const squares = row.reduce((sum, v) => sum + v * v, 0);
        const norm = Math.sqrt(Math.max(squares, 1e-12));
        const normalized = row.map((v) => v / norm);
        const g = Array.from(dy.subarray(r * cols, (r + 1) * cols));
        const along = squares > 1e-12 ? normalized.reduce((sum, v, c) => sum + v * g[c], 0) : 0;
        const grad = g.map((gc, c) => (gc - normalized[c] * along) / norm);
        get(out + r * cols * 4, cols).forEach((v, c) => expect(v).toBeCloseTo(normalized[c], 5));
        get(dx + r * cols * 4, cols).forEach((v, c) =>
          expect(Math.abs(v - grad[c])).toBeLessThan(1e-4 * Math.max(1, Math.abs(grad[c]))),
        );
      }
    }
  });
});
