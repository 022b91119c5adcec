// BatchNormalization, LayerNormalization and UnitNormalization kernels against plain float64 references, on sizes
// that are not multiples of 4 (so the f32x4 bodies and the scalar tails both run) and on both BatchNormalization
// loop orders (channel axis last: inner = 1; channel axis inside the sample: inner > 1).
import { afterEach, beforeAll, describe, it } from "vitest";
import type { Kernels } from "../../ts/engine/engine.js";
import { expectClose, freeAll, get, loadEngine, put, randomArray, zeros } from "../helpers/wasm.js";

let k: Kernels;
beforeAll(async () => {
  k = (await loadEngine()).kernels;
});
afterEach(() => freeAll());

/** x[o, c, i] of an [outer, channels, inner] block. */
const at = (o: number, c: number, i: number, channels: number, inner: number) => (o * channels + c) * inner + i;

function referenceMoments(x: Float32Array, outer: number, channels: number, inner: number) {
  const n = outer * inner;
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) mean[c] += x[at(o, c, i, channels, inner)];
    mean[c] /= n;
    for (let o = 0; o < outer; o++)
      for (let i = 0; i < inner; i++) variance[c] += (x[at(o, c, i, channels, inner)] - mean[c]) ** 2;
    variance[c] /= n;
  }
  return { mean, variance };
}

describe("BatchNormalization kernels", () => {
  const SHAPES = [
    [7, 5, 1],
    [3, 9, 1],
    [5, 3, 7],
    [2, 6, 5],
    [1, 3, 1],
  ] as const;

  for (const [outer, channels, inner] of SHAPES) {
    it(`moments, forward and both backward modes on [${outer}, ${channels}, ${inner}]`, () => {
      const count = outer * channels * inner;
      const xs = randomArray(count, outer * 7 + inner, -2, 3);
      const dys = randomArray(count, channels * 3, -1, 1);
      const gammas = randomArray(channels, 5, 0.5, 1.5);
      const betas = randomArray(channels, 6, -0.5, 0.5);
      const epsilon = 1e-3;
      const { mean, variance } = referenceMoments(xs, outer, channels, inner);
      const x = put(xs),
        dy = put(dys),
        gamma = put(gammas),
        beta = put(betas);
      const meanPtr = zeros(channels),
        variancePtr = zeros(channels);
      k.batchNormMoments(outer, channels, inner, x, meanPtr, variancePtr);
      expectClose(get(meanPtr, channels), mean, { rtol: 1e-5, atol: 1e-6, label: "mean" });
      expectClose(get(variancePtr, channels), variance, { rtol: 1e-5, atol: 1e-6, label: "variance" });

      const invStd = zeros(channels),
        scale = zeros(channels),
        shift = zeros(channels);
      k.batchNormCoefficients(channels, variancePtr, gamma, beta, epsilon, invStd, scale, shift);
      const inv = Array.from(variance, (v) => 1 / Math.sqrt(v + epsilon));
      expectClose(get(invStd, channels), inv, { label: "invStd" });
      expectClose(
        get(scale, channels),
        inv.map((value, c) => value * gammas[c]),
        { label: "scale" },
      );
      expectClose(get(shift, channels), betas, { label: "shift" });

      const y = zeros(count);
      k.batchNormForward(outer, channels, inner, x, meanPtr, scale, shift, y);
      const expectedY = Array.from(xs, (value, index) => {
        const c = Math.floor(index / inner) % channels;
        return (value - mean[c]) * inv[c] * gammas[c] + betas[c];
      });
      expectClose(get(y, count), expectedY, { rtol: 1e-5, atol: 1e-5, label: "y" });

      for (const batchStatistics of [1, 0]) {
        const sumDy = zeros(channels),
          sumDyXhat = zeros(channels),
          u = zeros(channels),
          v = zeros(channels),
          dx = zeros(count);
        k.batchNormBackward(
          outer,
          channels,
          inner,
          x,
          dy,
          meanPtr,
          invStd,
          scale,
          sumDy,
          sumDyXhat,
          u,
          v,
          dx,
          batchStatistics,
        );
        const n = outer * inner;
        const s1 = new Float64Array(channels),
          s2 = new Float64Array(channels);
        xs.forEach((value, index) => {
          const c = Math.floor(index / inner) % channels;
          s1[c] += dys[index];
          s2[c] += dys[index] * (value - mean[c]) * inv[c];
        });
        expectClose(get(sumDy, channels), s1, { rtol: 1e-5, atol: 1e-5, label: "Σdy" });
        expectClose(get(sumDyXhat, channels), s2, { rtol: 1e-5, atol: 1e-5, label: "Σdy·x̂" });
        const expectedDx = Array.from(xs, (value, index) => {
          const c = Math.floor(index / inner) % channels;
          const k1 = gammas[c] * inv[c];
          if (!batchStatistics) return k1 * dys[index];
          const xhat = (value - mean[c]) * inv[c];
          return k1 * (dys[index] - s1[c] / n - (xhat * s2[c]) / n);
        });
        expectClose(get(dx, count), expectedDx, {
          rtol: 1e-4,
          atol: 1e-5,
          label: `dx (batch statistics ${batchStatistics})`,
        });
      }
    });
  }

  it("without γ and β: scale is 1/√(var + ε), shift 0", () => {
    const variances = randomArray(7, 1, 0.1, 2);
    const invStd = zeros(7),
      scale = zeros(7),
      shift = zeros(7, 9);
    k.batchNormCoefficients(7, put(variances), 0, 0, 0.01, invStd, scale, shift);
    const inv = Array.from(variances, (v) => 1 / Math.sqrt(v + 0.01));
    expectClose(get(scale, 7), inv);
    expectClose(get(shift, 7), new Array(7).fill(0));
  });

  it("moving average: moving·momentum + value·(1 − momentum)", () => {
    const moving = randomArray(11, 2),
      values = randomArray(11, 3);
    const ptr = put(moving);
    k.movingAverageUpdate(11, ptr, put(values), 0.9);
    expectClose(
      get(ptr, 11),
      Array.from(moving, (m, i) => m * 0.9 + values[i] * 0.1),
    );
  });
});

describe("LayerNormalization kernels", () => {
  for (const [rows, cols] of [
    [5, 7],
    [3, 13],
    [4, 1],
    [2, 8],
  ] as const) {
    for (const rms of [0, 1]) {
      it(`forward and backward on ${rows}×${cols}${rms ? ", rms scaling" : ""}`, () => {
        const count = rows * cols;
        const xs = randomArray(count, cols + rms, -2, 2),
          dys = randomArray(count, rows, -1, 1);
        const gammas = randomArray(cols, 8, 0.5, 1.5),
          betas = randomArray(cols, 9, -1, 1);
        const epsilon = 1e-3;
        const x = put(xs),
          dy = put(dys),
          gamma = put(gammas),
          beta = rms ? 0 : put(betas);
        const y = zeros(count),
          mean = zeros(rows),
          invStd = zeros(rows);
        k.layerNormForward(rows, cols, x, gamma, beta, epsilon, rms, y, mean, invStd);
        const expectedY: number[] = [],
          expectedDx: number[] = [];
        const dGamma = new Float64Array(cols),
          dBeta = new Float64Array(cols);
        for (let r = 0; r < rows; r++) {
          const row = Array.from(xs.subarray(r * cols, (r + 1) * cols));
          const d = Array.from(dys.subarray(r * cols, (r + 1) * cols));
          const m = rms ? 0 : row.reduce((a, b) => a + b, 0) / cols;
          const inv = 1 / Math.sqrt(row.reduce((a, b) => a + (b - m) ** 2, 0) / cols + epsilon);
          const xhat = row.map((value) => (value - m) * inv);
          xhat.forEach((value, j) => expectedY.push(value * gammas[j] + (rms ? 0 : betas[j])));
          const g = d.map((value, j) => value * gammas[j]);
          const meanG = rms ? 0 : g.reduce((a, b) => a + b, 0) / cols;
          const meanGX = g.reduce((a, value, j) => a + value * xhat[j], 0) / cols;
          g.forEach((value, j) => expectedDx.push(inv * (value - meanG - xhat[j] * meanGX)));
          d.forEach((value, j) => {
            dGamma[j] += value * xhat[j];
            dBeta[j] += value;
          });
        }
        expectClose(get(y, count), expectedY, { rtol: 1e-5, atol: 1e-5, label: "y" });
        const dgamma = zeros(cols, 7),
          dbeta = zeros(cols, 7),
          dx = zeros(count);
        k.layerNormBackward(rows, cols, x, dy, gamma, mean, invStd, rms, dgamma, dbeta, dx);
        expectClose(get(dgamma, cols), dGamma, { rtol: 1e-5, atol: 1e-5, label: "dγ" });
        expectClose(get(dbeta, cols), dBeta, { rtol: 1e-5, atol: 1e-5, label: "dβ" });
        // NOTE: a row of one value normalizes to 0 whatever x, so its dx is rounding noise around 0.
        expectClose(get(dx, count), expectedDx, { rtol: 1e-4, atol: cols === 1 ? 1e-3 : 1e-5, label: "dx" });
      });
    }
  }
});

describe("UnitNormalization kernels", () => {
  for (const [rows, cols] of [
    [5, 7],
    [3, 13],
    [2, 4],
  ] as const) {
    it(`forward and backward on ${rows}×${cols}, with an all-zero row (the 1e-12 floor)`, () => {
      const count = rows * cols;
      const xs = randomArray(count, cols, -2, 2);
      xs.fill(0, 0, cols);
      const dys = randomArray(count, rows + 1, -1, 1);
      const y = zeros(count),
        factors = zeros(rows),
        dx = zeros(count);
      const epsilon = 1e-12;
      k.unitNormForward(rows, cols, put(xs), epsilon, y, factors);
      k.unitNormBackward(rows, cols, y, put(dys), factors, epsilon, dx);
      const expectedY: number[] = [],
        expectedDx: number[] = [];
      for (let r = 0; r < rows; r++) {
        const row = Array.from(xs.subarray(r * cols, (r + 1) * cols));
        const d = Array.from(dys.subarray(r * cols, (r + 1) * cols));
        const squares = row.reduce((a, b) => a + b * b, 0);
        const factor = Math.min(1 / Math.sqrt(squares), 1 / epsilon);
        const out = row.map((value) => value * factor);
        expectedY.push(...out);
        const clamped = factor === 1 / epsilon;
        const projection = clamped ? 0 : d.reduce((a, value, j) => a + value * out[j], 0);
        expectedDx.push(...d.map((value, j) => factor * (value - out[j] * projection)));
      }
      expectClose(get(y, count), expectedY, { label: "y" });
      expectClose(get(dx, count), expectedDx, { rtol: 1e-4, atol: 1e-5, label: "dx" });
    });
  }
});
