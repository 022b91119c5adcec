// Reduction and metric kernels against plain scalar references, on sizes that are not multiples of 4.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../ts/engine/engine.js";
import { randomInts } from "../helpers/seeded.js";
import { expectClose, freeAll, get, getI32, loadEngine, put, putI32, randomArray, zeros } from "../helpers/wasm.js";

let kernels: Engine["kernels"];
beforeAll(async () => {
  kernels = (await loadEngine()).kernels;
});
afterEach(() => freeAll());

const ROWS = [1, 3, 5, 33, 127];
const COLS = [1, 3, 5, 17, 33, 130];
const EPS = Math.fround(1e-7);
const SENTINEL = 777;

/** Random values rounded to a coarse grid (so rows have ties), with a few NaN / ±Infinity / ±0 dropped in. */
function tiedValues(count: number, seed: number, special = false): Float32Array {
  const out = Float32Array.from(randomArray(count, seed, -2, 2), (v) => Math.round(v * 4) / 4);
  if (special) {
    const picks = randomInts(8, seed + 1, count);
    const specials = [NaN, Infinity, -Infinity, -0, 0, NaN, -Infinity, 2];
    picks.forEach((at, i) => (out[at] = specials[i]));
  }
  return out;
}

/** NumPy's argmax: the first maximum, with NaN above everything (first NaN wins). */
function refArgmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let j = 0; j < row.length; j++) {
    if (Number.isNaN(row[j])) return j;
    if (row[j] > row[best]) best = j;
  }
  return best;
}

const rowOf = (a: ArrayLike<number>, i: number, cols: number) => Array.from(a).slice(i * cols, (i + 1) * cols);

describe("columnSums", () => {
  it("equals the sequential float32 sum of each column, bit for bit, and keeps memory past dst", () => {
    let seed = 1;
    for (const rows of ROWS) {
      for (const cols of COLS) {
        const src = randomArray(rows * cols, seed++, -10, 10);
        const start = randomArray(cols, seed++, -1, 1);
        for (const accumulate of [0, 1]) {
          const dst = put([...start, SENTINEL]);
          kernels.columnSums(rows, cols, put(src), dst, accumulate);
          const want = Array.from(start, (s, j) => {
            let acc = accumulate ? s : 0;
            for (let i = 0; i < rows; i++) acc = Math.fround(acc + src[i * cols + j]);
            return acc;
          });
          expect(Array.from(get(dst, cols)), `${rows}x${cols} accumulate=${accumulate}`).toEqual(want);
          expect(get(dst + cols * 4, 1)[0]).toBe(SENTINEL);
        }
      }
    }
  });
  it("reads any alignment", () => {
    const src = randomArray(5 * 19 + 1, 3);
    const base = put(src);
    const dst = zeros(19);
    kernels.columnSums(5, 19, base + 4, dst, 0);
    const want = Array.from({ length: 19 }, (_, j) =>
      [0, 1, 2, 3, 4].reduce((a, i) => Math.fround(a + src[1 + i * 19 + j]), 0),
    );
    expect(Array.from(get(dst, 19))).toEqual(want);
  });
});

describe("rowArgmax", () => {
  it("finds the first maximum, NaN first, on tied rows with ±Infinity and ±0", () => {
    let seed = 10;
    for (const rows of ROWS) {
      for (const cols of COLS) {
        const src = tiedValues(rows * cols, seed++, rows * cols > 8);
        const dst = putI32(new Array(rows + 1).fill(SENTINEL));
        kernels.rowArgmax(rows, cols, put(src), dst);
        const want = Array.from({ length: rows }, (_, i) => refArgmax(rowOf(src, i, cols)));
        expect(Array.from(getI32(dst, rows)), `${rows}x${cols}`).toEqual(want);
        expect(getI32(dst + rows * 4, 1)[0]).toBe(SENTINEL);
      }
    }
  });
  it("handles all -Infinity rows and ±0 ties", () => {
    const src = put([-Infinity, -Infinity, -Infinity, -0, 0, -1, 0, -0, 5, 5, NaN, 5]);
    const dst = putI32([9, 9, 9, 9]);
    kernels.rowArgmax(4, 3, src, dst);
    expect(Array.from(getI32(dst, 4))).toEqual([0, 0, 2, 1]);
  });
});

describe("metric counts", () => {
  const weightsOrNull = (rows: number, seed: number, use: boolean) => (use ? randomArray(rows, seed, 0, 2) : null);
  const weightOf = (w: Float32Array | null, i: number) => (w ? w[i] : 1);

  it("countBinaryMatches: Σ w·(matches per sample / cols), p > threshold vs yTrue", () => {
    let seed = 20;
    for (const rows of ROWS) {
      for (const cols of COLS) {
        for (const useWeights of [false, true]) {
          const n = rows * cols;
          const yPred = Float32Array.from(randomArray(n, seed++, 0, 1), (v, i) => (i % 7 === 0 ? 0.5 : v));
          const yTrue = Float32Array.from(randomArray(n, seed++, 0, 1), (v, i) =>
            i % 11 === 0 ? 0.5 : v < 0.5 ? 0 : 1,
          );
          const w = weightsOrNull(rows, seed++, useWeights);
          for (const threshold of [0.5, 0.3]) {
            const got = kernels.countBinaryMatches(rows, cols, put(yPred), put(yTrue), threshold, w ? put(w) : 0);
            let want = 0;
            for (let i = 0; i < rows; i++) {
              let matches = 0;
              for (let j = 0; j < cols; j++)
                matches += (yPred[i * cols + j] > threshold ? 1 : 0) === yTrue[i * cols + j] ? 1 : 0;
              want += weightOf(w, i) * (matches / cols);
            }
            expectClose([got], [want], {
              rtol: 2e-6,
              atol: 1e-6,
              label: `${rows}x${cols} w=${useWeights} thr=${threshold}`,
            });
          }
        }
      }
    }
  });

  it("countCategoricalMatches and countSparseMatches compare argmaxes", () => {
    let seed = 40;
    for (const rows of ROWS) {
      for (const cols of COLS.filter((c) => c > 1)) {
        for (const useWeights of [false, true]) {
          const yPred = tiedValues(rows * cols, seed++);
          const labels = randomInts(rows, seed++, cols + 1, -1); // includes -1 and cols: never matched
          const oneHot = new Float32Array(rows * cols);
          labels.forEach((l, i) => l >= 0 && l < cols && (oneHot[i * cols + l] = 1));
          // rows with an out-of-range label get a one-hot on the predicted argmax half of the time
          const w = weightsOrNull(rows, seed++, useWeights);
          let wantCategorical = 0;
          let wantSparse = 0;
          for (let i = 0; i < rows; i++) {
            const predicted = refArgmax(rowOf(yPred, i, cols));
            if (predicted === refArgmax(rowOf(oneHot, i, cols))) wantCategorical += weightOf(w, i);
            if (predicted === labels[i]) wantSparse += weightOf(w, i);
          }
          const wp = w ? put(w) : 0;
          const label = `${rows}x${cols} w=${useWeights}`;
          expectClose([kernels.countCategoricalMatches(rows, cols, put(yPred), put(oneHot), wp)], [wantCategorical], {
            rtol: 1e-6,
            label,
          });
          expectClose([kernels.countSparseMatches(rows, cols, put(yPred), putI32(labels), wp)], [wantSparse], {
            rtol: 1e-6,
            label,
          });
        }
      }
    }
  });

  it("countTopKMatches follows tf.math.in_top_k (ties in, non-finite rows and bad labels out)", () => {
    let seed = 60;
    for (const rows of ROWS) {
      for (const cols of COLS) {
        for (const k of [1, 2, 5]) {
          const yPred = tiedValues(rows * cols, seed++, rows > 3);
          const labels = randomInts(rows, seed++, cols + 1, -1);
          const w = weightsOrNull(rows, seed++, k === 2);
          let want = 0;
          for (let i = 0; i < rows; i++) {
            const row = rowOf(yPred, i, cols);
            const label = labels[i];
            if (label < 0 || label >= cols || !row.every(Number.isFinite)) continue;
            if (row.filter((v) => v > row[label]).length < k) want += weightOf(w, i);
          }
          const got = kernels.countTopKMatches(rows, cols, put(yPred), putI32(labels), k, w ? put(w) : 0);
          expectClose([got], [want], { rtol: 1e-6, label: `${rows}x${cols} k=${k}` });
        }
      }
    }
  });

  it("sums of absolute, squared and absolute percentage errors per sample", () => {
    let seed = 80;
    for (const rows of ROWS) {
      for (const cols of COLS) {
        const yPred = randomArray(rows * cols, seed++, -3, 3);
        const yTrue = Float32Array.from(randomArray(rows * cols, seed++, -3, 3), (v, i) => (i % 13 === 0 ? 0 : v));
        const w = weightsOrNull(rows, seed++, rows % 2 === 1);
        const want = { abs: 0, sq: 0, pct: 0 };
        for (let i = 0; i < rows; i++) {
          let abs = 0,
            sq = 0,
            pct = 0;
          for (let j = 0; j < cols; j++) {
            const p = yPred[i * cols + j];
            const t = yTrue[i * cols + j];
            abs += Math.abs(p - t);
            sq += (p - t) ** 2;
            pct += Math.abs((t - p) / Math.max(Math.abs(t), EPS));
          }
          want.abs += weightOf(w, i) * (abs / cols);
          want.sq += weightOf(w, i) * (sq / cols);
          want.pct += weightOf(w, i) * ((100 * pct) / cols);
        }
        const args = [rows, cols, put(yPred), put(yTrue), w ? put(w) : 0] as const;
        const label = `${rows}x${cols}`;
        expectClose([kernels.sumAbsoluteError(...args)], [want.abs], { rtol: 1e-5, label });
        expectClose([kernels.sumSquaredError(...args)], [want.sq], { rtol: 1e-5, label });
        expectClose([kernels.sumAbsolutePercentageError(...args)], [want.pct], { rtol: 1e-5, label });
      }
    }
  });

  it("confusionCounts: TP, FP, TN, FN with yPred > threshold and yTrue cast to bool", () => {
    let seed = 100;
    for (const rows of ROWS) {
      for (const cols of COLS) {
        for (const useWeights of [false, true]) {
          const n = rows * cols;
          const yPred = Float32Array.from(randomArray(n, seed++, 0, 1), (v, i) => (i % 9 === 0 ? 0.5 : v));
          const yTrue = Float32Array.from(randomArray(n, seed++, 0, 1), (v, i) =>
            i % 10 === 0 ? NaN : i % 5 === 0 ? 0.3 : v < 0.5 ? 0 : 1,
          );
          const w = weightsOrNull(rows, seed++, useWeights);
          const want = [0, 0, 0, 0];
          for (let e = 0; e < n; e++) {
            const predicted = yPred[e] > 0.5;
            const actual = yTrue[e] !== 0;
            want[predicted ? (actual ? 0 : 1) : actual ? 3 : 2] += weightOf(w, Math.floor(e / cols));
          }
          const out = zeros(5, SENTINEL);
          kernels.confusionCounts(rows, cols, put(yPred), put(yTrue), 0.5, w ? put(w) : 0, out);
          expectClose(get(out, 4), want, { rtol: 1e-5, atol: 1e-6, label: `${rows}x${cols} w=${useWeights}` });
          expect(get(out + 16, 1)[0]).toBe(SENTINEL);
        }
      }
    }
  });

  it("thresholdCounts matches Keras AUC's thresholds [−ε, 1/(T−1), …, 1 + ε] with clipped predictions", () => {
    let seed = 120;
    for (const numThresholds of [2, 5, 200]) {
      for (const [rows, cols] of [
        [1, 1],
        [33, 1],
        [5, 3],
        [127, 5],
      ] as const) {
        const n = rows * cols;
        const yPred = Float32Array.from(randomArray(n, seed++, -0.2, 1.2), (v, i) =>
          i % 6 === 0 ? 0 : i % 6 === 1 ? 1 : i % 17 === 2 ? 0.5 : v,
        );
        const yTrue = Float32Array.from(randomArray(n, seed++, 0, 1), (v) => (v < 0.4 ? 0 : 1));
        const w = weightsOrNull(rows, seed++, cols !== 1);
        const thresholds = [-EPS];
        for (let i = 1; i < numThresholds - 1; i++) thresholds.push(i / (numThresholds - 1));
        thresholds.push(1 + EPS);
        const want = { tp: [] as number[], fp: [] as number[], tn: [] as number[], fn: [] as number[] };
        for (const threshold of thresholds) {
          let tp = 0,
            fp = 0,
            tn = 0,
            fn = 0;
          for (let e = 0; e < n; e++) {
            const p = Math.min(Math.max(yPred[e], 0), 1);
            const weight = weightOf(w, Math.floor(e / cols));
            if (p > threshold) yTrue[e] ? (tp += weight) : (fp += weight);
            else yTrue[e] ? (fn += weight) : (tn += weight);
          }
          want.tp.push(tp);
          want.fp.push(fp);
          want.tn.push(tn);
          want.fn.push(fn);
        }
        const outs = [
          zeros(numThresholds + 1, SENTINEL),
          zeros(numThresholds + 1, SENTINEL),
          zeros(numThresholds + 1, SENTINEL),
          zeros(numThresholds + 1, SENTINEL),
        ];
        kernels.thresholdCounts(
          rows,
          cols,
          put(yPred),
          put(yTrue),
          numThresholds,
          w ? put(w) : 0,
          outs[0],
          outs[1],
          outs[2],
          outs[3],
        );
        const label = `T=${numThresholds} ${rows}x${cols}`;
        const tolerance = { rtol: 1e-5, atol: 1e-5 };
        expectClose(get(outs[0], numThresholds), want.tp, { ...tolerance, label: `${label} tp` });
        expectClose(get(outs[1], numThresholds), want.fp, { ...tolerance, label: `${label} fp` });
        expectClose(get(outs[2], numThresholds), want.tn, { ...tolerance, label: `${label} tn` });
        expectClose(get(outs[3], numThresholds), want.fn, { ...tolerance, label: `${label} fn` });
        for (const out of outs) expect(get(out + numThresholds * 4, 1)[0]).toBe(SENTINEL);
      }
    }
  });
});

describe("firstNonFinite (predict's input check)", () => {
  it("finds the first NaN or ±Infinity at any position, as a scalar scan does", async () => {
    const engine = await loadEngine();
    // NOTE: the kernel checks 16 floats a block, then searches a bad block float by float: sizes around a
    // block, and positions on both sides of a block's edge.
    for (const size of [1, 3, 4, 5, 15, 16, 17, 31, 33, 130, 784]) {
      const clean = new Float32Array(size).map((_, i) => (i % 7) - 3 + 1e-40);
      expect(engine.kernels.firstNonFinite(put(clean), size), `clean ${size}`).toBe(-1);
      for (const bad of [NaN, Infinity, -Infinity]) {
        for (const at of new Set([0, size >> 1, size - 1, 15, 16, 47].filter((position) => position < size))) {
          const values = clean.slice();
          values[at] = bad;
          if (at + 1 < size) values[size - 1] = NaN; // a later bad value must not win
          const reference = values.findIndex((value) => !Number.isFinite(value));
          expect(engine.kernels.firstNonFinite(put(values), size), `${bad} at ${at} of ${size}`).toBe(reference);
        }
      }
    }
    expect(engine.kernels.firstNonFinite(put(Float32Array.of(3.4028234663852886e38, -3.4028234663852886e38)), 2)).toBe(
      -1,
    );
  });
});
