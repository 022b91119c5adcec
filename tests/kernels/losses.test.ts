// Loss kernels against the float64 Keras references in losses-reference.ts: forward (reduced and per sample),
// sample weights, label smoothing, backward against the analytic gradient and against central differences,
// edge values, and the fused softmax + cross-entropy gradient.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../ts/engine/engine.js";
import { randomInts } from "../helpers/seeded.js";
import { expectClose, freeAll, get, loadEngine, put, putI32, randomArray, zeros } from "../helpers/wasm.js";
import {
  EPS,
  finiteDifference,
  LOSS_NAMES,
  type LossName,
  type RefOptions,
  refSampleGradient,
  refSampleLoss,
  softmax,
} from "./losses-reference.js";

let kernels: Engine["kernels"];
beforeAll(async () => {
  kernels = (await loadEngine()).kernels;
});
afterEach(() => freeAll());

const kindOf = (name: LossName): number =>
  (kernels as unknown as Record<string, { value: number }>)[`LOSS_${name}`].value;
const isSparse = (name: LossName) => name.startsWith("SPARSE_");
const COLS = [1, 3, 5, 10, 17, 130];
const ROWS = [1, 3, 33];

interface Batch {
  rows: number;
  cols: number;
  yPred: Float32Array;
  /** Dense targets (rows × cols); for sparse kinds the one-hot rows of `labels`. */
  yTrue: Float32Array;
  labels: Int32Array;
}

/** Deterministic pseudo-random integers in [0, n). */
function oneHot(labels: Int32Array, cols: number): Float32Array {
  const out = new Float32Array(labels.length * cols);
  labels.forEach((label, i) => {
    if (label >= 0 && label < cols) out[i * cols + label] = 1;
  });
  return out;
}

/** Inputs in each kind's domain, away from kinks and clip edges (those get their own tests). */
function makeBatch(name: LossName, rows: number, cols: number, seed: number): Batch {
  const n = rows * cols;
  const labels = randomInts(rows, seed + 7, cols);
  const uniform = (low: number, high: number, s = 0) => randomArray(n, seed + s, low, high);
  const binary = () => Float32Array.from(uniform(0, 1, 3), (u) => (u < 0.5 ? 0 : 1));
  const soft = () => {
    // half the rows one-hot, half a random distribution
    const t = uniform(0.01, 1, 5);
    const hot = oneHot(labels, cols);
    for (let i = 0; i < rows; i++) {
      const row = t.subarray(i * cols, (i + 1) * cols);
      if (i % 2 === 0) row.set(hot.subarray(i * cols, (i + 1) * cols));
      else {
        const s = row.reduce((a, b) => a + b, 0);
        row.forEach((v, j) => (row[j] = v / s));
      }
    }
    return t;
  };
  let yPred: Float32Array;
  let yTrue: Float32Array;
  switch (name) {
    case "BINARY_CROSSENTROPY":
      yPred = uniform(0.02, 0.98);
      yTrue = binary();
      break;
    case "BINARY_CROSSENTROPY_FROM_LOGITS":
      yPred = uniform(-6, 6);
      yTrue = uniform(0, 1, 1);
      break;
    case "CATEGORICAL_CROSSENTROPY":
      yPred = uniform(0.05, 1);
      yTrue = soft();
      break;
    case "CATEGORICAL_CROSSENTROPY_FROM_LOGITS":
      yPred = uniform(-5, 5);
      yTrue = soft();
      break;
    case "SPARSE_CATEGORICAL_CROSSENTROPY":
      yPred = uniform(0.05, 1);
      yTrue = oneHot(labels, cols);
      break;
    case "SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS":
      yPred = uniform(-5, 5);
      yTrue = oneHot(labels, cols);
      break;
    case "MEAN_ABSOLUTE_PERCENTAGE_ERROR":
      yPred = uniform(-3, 3);
      yTrue = Float32Array.from(uniform(0.5, 3, 1), (v, i) => (i % 3 === 0 ? -v : v));
      break;
    case "MEAN_SQUARED_LOGARITHMIC_ERROR":
      yPred = uniform(0.01, 5);
      yTrue = uniform(0.01, 5, 1);
      break;
    case "HINGE":
    case "SQUARED_HINGE":
      yPred = uniform(-2, 2);
      yTrue = binary();
      break;
    case "CATEGORICAL_HINGE":
      yPred = uniform(-2, 2);
      yTrue = oneHot(labels, cols);
      break;
    case "KL_DIVERGENCE":
      yPred = uniform(0.02, 0.98);
      yTrue = uniform(0.01, 1, 1);
      break;
    case "POISSON":
      yPred = uniform(0.1, 4);
      yTrue = Float32Array.from(uniform(0, 5, 1), Math.floor);
      break;
    case "COSINE_SIMILARITY":
      yPred = uniform(-1, 1);
      yTrue = uniform(-1, 1, 1);
      break;
    default:
      yPred = uniform(-3, 3);
      yTrue = uniform(-3, 3, 1);
  }
  return { rows, cols, yPred, yTrue, labels };
}

const defaults = (name: LossName, batch: Batch, extra: Partial<RefOptions> = {}): RefOptions => ({
  param: 1,
  labelSmoothing: 0,
  binaryHinge: batch.yTrue.every((v) => v === 0 || v === 1),
  ...extra,
});

const row = (a: ArrayLike<number>, i: number, cols: number) => Array.from(a).slice(i * cols, (i + 1) * cols);

interface RunResult {
  loss: number;
  perSample: Float32Array;
  grad: Float32Array;
}

/** Runs lossForward (with per-sample output) and lossBackward (scale) on the kernels. */
function runKernels(name: LossName, b: Batch, weights: Float32Array | null, o: RefOptions, scale: number): RunResult {
  const yPred = put(b.yPred);
  const yTrue = isSparse(name) ? putI32(b.labels) : put(b.yTrue);
  const w = weights ? put(weights) : 0;
  const perSample = zeros(b.rows, NaN);
  const dPred = zeros(b.rows * b.cols, NaN);
  const kind = kindOf(name);
  const loss = kernels.lossForward(kind, b.rows, b.cols, yPred, yTrue, w, perSample, o.param, o.labelSmoothing);
  kernels.lossBackward(kind, b.rows, b.cols, yPred, yTrue, w, dPred, o.param, o.labelSmoothing, scale);
  return { loss, perSample: get(perSample, b.rows), grad: get(dPred, b.rows * b.cols) };
}

function reference(name: LossName, b: Batch, weights: Float32Array | null, o: RefOptions, scale: number) {
  const perSample: number[] = [];
  const grad: number[] = [];
  for (let i = 0; i < b.rows; i++) {
    const p = row(b.yPred, i, b.cols);
    const t = row(b.yTrue, i, b.cols);
    const w = weights ? weights[i] : 1;
    perSample.push(refSampleLoss(name, p, t, o));
    grad.push(...refSampleGradient(name, p, t, o).map((g) => scale * w * g));
  }
  const loss = perSample.reduce((acc, l, i) => acc + (weights ? weights[i] : 1) * l, 0) / b.rows;
  return { loss, perSample, grad };
}

const maxAbs = (xs: ArrayLike<number>) => Array.from(xs).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

function checkAgainstReference(name: LossName, b: Batch, weights: Float32Array | null, o: RefOptions, label: string) {
  const scale = 1 / b.rows;
  const got = runKernels(name, b, weights, o, scale);
  const want = reference(name, b, weights, o, scale);
  expectClose([got.loss], [want.loss], { rtol: 1e-5, atol: 1e-6, label: `${label} loss` });
  expectClose(got.perSample, want.perSample, { rtol: 1e-5, atol: 2e-6, label: `${label} per-sample` });
  if (name === "COSINE_SIMILARITY" && b.cols === 1) checkCosineCancellation(b, got.grad, weights);
  else
    expectClose(got.grad, want.grad, {
      rtol: 1e-4,
      atol: 1e-6 * Math.max(maxAbs(want.grad), 1e-3),
      label: `${label} grad`,
    });
  return got;
}

/**
 * Cosine similarity's gradient ia·(ib·a − Σab·ib³·b) cancels exactly for one output (the cosine of two
 * numbers is ±1 whatever they are), so float32 leaves a residual of the size of its two terms, not of 0.
 */
function checkCosineCancellation(b: Batch, got: Float32Array, weights: Float32Array | null) {
  for (let e = 0; e < got.length; e++) {
    const i = Math.floor(e / b.cols);
    const norm = (a: ArrayLike<number>) => Math.sqrt(row(a, i, b.cols).reduce((s, v) => s + v * v, 0));
    const terms = ((weights ? weights[i] : 1) / b.rows) * (Math.abs(b.yTrue[e]) / norm(b.yTrue) / norm(b.yPred)) * 2;
    expect(Math.abs(got[e]), `cosine grad[${e}]`).toBeLessThanOrEqual(4e-7 * terms);
  }
}

describe.each(LOSS_NAMES)("%s", (name) => {
  it("forward, per-sample and backward match the float64 reference on every size, with sample weights", () => {
    let seed = 1;
    for (const cols of COLS) {
      for (const rows of ROWS) {
        const b = makeBatch(name, rows, cols, seed++);
        const weights = randomArray(rows, seed++, 0, 2);
        checkAgainstReference(name, b, weights, defaults(name, b), `${rows}x${cols} weighted`);
        checkAgainstReference(name, b, null, defaults(name, b), `${rows}x${cols}`);
      }
    }
  });

  it("backward matches central differences of the float64 reference loss", () => {
    let seed = 100;
    for (const [rows, cols] of [
      [3, 5],
      [2, 17],
      [1, 130],
      [5, 1],
    ] as const) {
      const b = makeBatch(name, rows, cols, seed++);
      const weights = randomArray(rows, seed++, 0.5, 2);
      const o = defaults(name, b);
      const scale = 1 / rows;
      const got = runKernels(name, b, weights, o, scale);
      const n = rows * cols;
      const step = Math.max(1, Math.floor(n / 24));
      for (let e = 0; e < n; e += step) {
        const i = Math.floor(e / cols);
        const j = e % cols;
        const fd = finiteDifference(name, row(b.yPred, i, cols), row(b.yTrue, i, cols), o, j, 1e-6);
        const expected = scale * weights[i] * fd;
        const tolerance = 1e-4 * Math.abs(expected) + 2e-6 * Math.max(1, maxAbs(got.grad));
        expect(
          Math.abs(got.grad[e] - expected),
          `${rows}x${cols} [${i},${j}] got ${got.grad[e]} fd ${expected}`,
        ).toBeLessThanOrEqual(tolerance);
      }
    }
  });

  it("writes nothing past its outputs and accepts a missing per-sample pointer", () => {
    const b = makeBatch(name, 3, 5, 42);
    const yPred = put(b.yPred);
    const yTrue = isSparse(name) ? putI32(b.labels) : put(b.yTrue);
    const dPred = zeros(16, 12345);
    const kind = kindOf(name);
    const withOut = kernels.lossForward(kind, 3, 5, yPred, yTrue, 0, zeros(3), 1, 0);
    expect(kernels.lossForward(kind, 3, 5, yPred, yTrue, 0, 0, 1, 0)).toBe(withOut);
    kernels.lossBackward(kind, 3, 5, yPred, yTrue, 0, dPred, 1, 0, 1);
    expect(get(dPred + 60, 1)[0]).toBe(12345);
    expect(kernels.lossForward(kind, 0, 5, yPred, yTrue, 0, 0, 1, 0)).toBe(0);
  });
});

describe("alignment", () => {
  it("gives bit-identical results for buffers at any byte offset", () => {
    for (const name of LOSS_NAMES) {
      const b = makeBatch(name, 5, 7, 77);
      const o = defaults(name, b);
      const aligned = runKernels(name, b, randomArray(5, 78, 0, 2), o, 0.2);
      const shift = (values: ArrayLike<number>, asInt = false) => {
        const ptr = asInt ? putI32([0, ...Array.from(values)]) : put([0, ...Array.from(values)]);
        return ptr + 4;
      };
      const yPred = shift(b.yPred);
      const yTrue = isSparse(name) ? shift(b.labels, true) : shift(b.yTrue);
      const w = shift(randomArray(5, 78, 0, 2));
      const perSample = shift(new Float32Array(5));
      const dPred = shift(new Float32Array(35));
      const kind = kindOf(name);
      expect(kernels.lossForward(kind, 5, 7, yPred, yTrue, w, perSample, o.param, 0), name).toBe(aligned.loss);
      kernels.lossBackward(kind, 5, 7, yPred, yTrue, w, dPred, o.param, 0, 0.2);
      expect(Array.from(get(perSample, 5)), name).toEqual(Array.from(aligned.perSample));
      expect(Array.from(get(dPred, 35)), name).toEqual(Array.from(aligned.grad));
    }
  });
});

describe("label smoothing", () => {
  for (const name of [
    "BINARY_CROSSENTROPY",
    "BINARY_CROSSENTROPY_FROM_LOGITS",
    "CATEGORICAL_CROSSENTROPY",
    "CATEGORICAL_CROSSENTROPY_FROM_LOGITS",
  ] as const) {
    it(`${name} smooths targets as Keras`, () => {
      for (const [rows, cols] of [
        [3, 3],
        [33, 10],
        [1, 17],
      ] as const) {
        const b = makeBatch(name, rows, cols, rows * cols);
        for (const ls of [0.1, 0.35]) {
          checkAgainstReference(
            name,
            b,
            randomArray(rows, 9, 0, 1),
            defaults(name, b, { labelSmoothing: ls }),
            `${rows}x${cols} ls=${ls}`,
          );
        }
      }
    });
  }
  it("is ignored by the kinds Keras does not smooth", () => {
    const b = makeBatch("MEAN_SQUARED_ERROR", 3, 5, 3);
    const plain = runKernels("MEAN_SQUARED_ERROR", b, null, defaults("MEAN_SQUARED_ERROR", b), 1);
    const smoothed = runKernels(
      "MEAN_SQUARED_ERROR",
      b,
      null,
      defaults("MEAN_SQUARED_ERROR", b, { labelSmoothing: 0.3 }),
      1,
    );
    expect(smoothed.loss).toBe(plain.loss);
  });
});

describe("parameters and label conventions", () => {
  it("Huber uses delta", () => {
    for (const delta of [0.25, 2.5]) {
      const b = makeBatch("HUBER", 33, 17, 11);
      checkAgainstReference("HUBER", b, null, defaults("HUBER", b, { param: delta }), `delta=${delta}`);
    }
  });
  it("hinge keeps labels that are not all 0/1 as they are", () => {
    for (const name of ["HINGE", "SQUARED_HINGE"] as const) {
      const b = makeBatch(name, 3, 10, 5);
      b.yTrue = Float32Array.from(b.yTrue, (v) => 2 * v - 1); // ±1 labels
      checkAgainstReference(name, b, null, defaults(name, b), "±1");
      b.yTrue[4] = 0.5;
      const o = defaults(name, b);
      expect(o.binaryHinge).toBe(false);
      checkAgainstReference(name, b, null, o, "mixed");
    }
  });
  it("sparse labels outside [0, cols) give zero loss and zero gradient", () => {
    for (const name of ["SPARSE_CATEGORICAL_CROSSENTROPY", "SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS"] as const) {
      const b = makeBatch(name, 3, 5, 8);
      b.labels = Int32Array.from([-1, 2, 5]);
      b.yTrue = oneHot(b.labels, 5);
      const got = checkAgainstReference(name, b, null, defaults(name, b), "bad labels");
      expect(got.perSample[0]).toBe(0);
      expect(got.perSample[2]).toBe(0);
      expect(Array.from(got.grad.subarray(0, 5))).toEqual([0, 0, 0, 0, 0]);
    }
  });
});

describe("edge values", () => {
  it("binary cross-entropy clips probabilities 0 and 1 and stops their gradient", () => {
    const b: Batch = {
      rows: 2,
      cols: 5,
      yPred: Float32Array.from([0, 1, 0, 1, 0.5, EPS, 1 - EPS, 0.3, 1e-9, 0.999999]),
      yTrue: Float32Array.from([0, 1, 1, 0, 1, 0, 1, 1, 0, 0]),
      labels: new Int32Array(2),
    };
    const got = checkAgainstReference(
      "BINARY_CROSSENTROPY",
      b,
      null,
      defaults("BINARY_CROSSENTROPY", b),
      "probability edges",
    );
    expect(got.grad[0]).toBe(0);
    expect(got.grad[3]).toBe(0);
    expect(Number.isFinite(got.loss)).toBe(true);
    // a confident wrong answer costs about −log(ε) per element, not Infinity
    expect(got.perSample[0]).toBeGreaterThan(6);
  });
  it("logit kinds stay finite and exact at ±100", () => {
    for (const name of [
      "BINARY_CROSSENTROPY_FROM_LOGITS",
      "CATEGORICAL_CROSSENTROPY_FROM_LOGITS",
      "SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS",
    ] as const) {
      const b: Batch = {
        rows: 3,
        cols: 5,
        yPred: Float32Array.from([100, -100, 0, -0, 3, -100, -100, 100, 100, -100, 100, 100, 100, 100, 100]),
        yTrue: new Float32Array(15),
        labels: Int32Array.from([1, 0, 4]),
      };
      b.yTrue = name.startsWith("BINARY") ? Float32Array.from({ length: 15 }, (_, i) => i % 2) : oneHot(b.labels, 5);
      const got = checkAgainstReference(name, b, Float32Array.from([1, 0.5, 2]), defaults(name, b), "logit edges");
      expect(got.grad.every(Number.isFinite)).toBe(true);
      expect(got.perSample.every(Number.isFinite)).toBe(true);
    }
  });
  it("categorical cross-entropy takes one-hot probabilities, zero targets and unnormalised rows", () => {
    for (const name of [
      "CATEGORICAL_CROSSENTROPY",
      "CATEGORICAL_CROSSENTROPY_FROM_LOGITS",
      "KL_DIVERGENCE",
      "POISSON",
      "MEAN_SQUARED_LOGARITHMIC_ERROR",
    ] as const) {
      const b: Batch = {
        rows: 3,
        cols: 5,
        yPred: Float32Array.from([0, 1, 0, 0, 0, 0.2, 0.2, 0.2, 0.2, 0.2, 3, 1, 0.5, 0.25, 0.25]),
        yTrue: Float32Array.from([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        labels: new Int32Array(3),
      };
      const got = checkAgainstReference(name, b, null, defaults(name, b), "edges");
      expect(got.perSample.every(Number.isFinite)).toBe(true);
      if (name === "CATEGORICAL_CROSSENTROPY") expect(got.perSample[2] === 0).toBe(true);
    }
  });
  it("kinks take TF's subgradients: sign(0) = 0, maxima pass ties, tied maxima share", () => {
    const mae: Batch = {
      rows: 1,
      cols: 3,
      yPred: Float32Array.from([0.5, -1, 2]),
      yTrue: Float32Array.from([0.5, 0, 2]),
      labels: new Int32Array(1),
    };
    const maeGrad = checkAgainstReference(
      "MEAN_ABSOLUTE_ERROR",
      mae,
      null,
      defaults("MEAN_ABSOLUTE_ERROR", mae),
      "p = t",
    ).grad;
    expect(maeGrad[0] === 0 && maeGrad[2] === 0).toBe(true);
    const hinge: Batch = {
      rows: 1,
      cols: 3,
      yPred: Float32Array.from([1, -1, 0.5]),
      yTrue: Float32Array.from([1, 0, 1]),
      labels: new Int32Array(1),
    };
    const hingeGrad = checkAgainstReference("HINGE", hinge, null, defaults("HINGE", hinge), "u = 0").grad;
    expect(hingeGrad[0]).toBeCloseTo(-1 / 3, 6);
    expect(hingeGrad[1]).toBeCloseTo(1 / 3, 6);
    const categorical: Batch = {
      rows: 2,
      cols: 3,
      yPred: Float32Array.from([0.5, 0.5, 0.2, 0.1, 0.2, 3]),
      yTrue: Float32Array.from([0, 0, 1, 0, 0, 1]),
      labels: new Int32Array(2),
    };
    const catGrad = checkAgainstReference(
      "CATEGORICAL_HINGE",
      categorical,
      null,
      defaults("CATEGORICAL_HINGE", categorical),
      "ties",
    ).grad;
    expect(Array.from(catGrad.subarray(0, 3))).toEqual([0.25, 0.25, -0.5]); // scale 1/2, tie shares 1/2 each
    expect(Array.from(catGrad.subarray(3)).every((v) => v === 0)).toBe(true); // margin met: no gradient
    const msle: Batch = {
      rows: 1,
      cols: 2,
      yPred: Float32Array.from([EPS, 0]),
      yTrue: Float32Array.from([1, 1]),
      labels: new Int32Array(1),
    };
    const msleGrad = checkAgainstReference(
      "MEAN_SQUARED_LOGARITHMIC_ERROR",
      msle,
      null,
      defaults("MEAN_SQUARED_LOGARITHMIC_ERROR", msle),
      "p = ε",
    ).grad;
    expect(msleGrad[0]).toBeLessThan(0);
    expect(msleGrad[1]).toBe(0);
  });
  it("MAPE divides zero targets by ε, cosine similarity handles zero vectors", () => {
    const m: Batch = {
      rows: 1,
      cols: 3,
      yPred: Float32Array.from([0.5, -2, 0]),
      yTrue: Float32Array.from([0, 0, 1]),
      labels: new Int32Array(1),
    };
    checkAgainstReference(
      "MEAN_ABSOLUTE_PERCENTAGE_ERROR",
      m,
      null,
      defaults("MEAN_ABSOLUTE_PERCENTAGE_ERROR", m),
      "zero targets",
    );
    const c: Batch = {
      rows: 3,
      cols: 5,
      yPred: Float32Array.from([0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 0, 0, 0, 0, 0]),
      yTrue: Float32Array.from([1, 2, 3, 4, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
      labels: new Int32Array(3),
    };
    const got = checkAgainstReference("COSINE_SIMILARITY", c, null, defaults("COSINE_SIMILARITY", c), "zero vectors");
    expect(got.perSample.every((v) => v === 0)).toBe(true);
  });
});

describe("softmaxCrossEntropyBackward", () => {
  /** Reference: softmax Jacobian (J[k][i] = p_k(δ_ki − p_i)) times the CE-from-probabilities gradient. */
  function jacobianTimesGradient(probs: number[], t: number[], o: RefOptions): number[] {
    const g = refSampleGradient("CATEGORICAL_CROSSENTROPY", probs, t, o);
    return probs.map((pi, i) => probs.reduce((acc, pk, k) => acc + g[k] * pk * ((k === i ? 1 : 0) - pi), 0));
  }

  for (const sparse of [false, true]) {
    it(`equals the softmax Jacobian times the CE gradient (${sparse ? "sparse" : "dense"} labels)`, () => {
      let seed = 500;
      for (const cols of [3, 5, 10, 17, 130]) {
        for (const rows of ROWS) {
          const b = makeBatch(
            sparse ? "SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS" : "CATEGORICAL_CROSSENTROPY_FROM_LOGITS",
            rows,
            cols,
            seed++,
          );
          const probs = new Float32Array(rows * cols);
          for (let i = 0; i < rows; i++) probs.set(softmax(row(b.yPred, i, cols)), i * cols);
          const weights = randomArray(rows, seed++, 0, 2);
          for (const ls of sparse ? [0] : [0, 0.2]) {
            const o: RefOptions = { param: 1, labelSmoothing: ls, binaryHinge: false };
            const dLogits = zeros(rows * cols, NaN);
            const yTrue = sparse ? putI32(b.labels) : put(b.yTrue);
            kernels.softmaxCrossEntropyBackward(
              rows,
              cols,
              put(probs),
              yTrue,
              sparse ? 1 : 0,
              put(weights),
              dLogits,
              ls,
              1 / rows,
            );
            const want: number[] = [];
            for (let i = 0; i < rows; i++) {
              want.push(
                ...jacobianTimesGradient(row(probs, i, cols), row(b.yTrue, i, cols), o).map(
                  (g) => (g * weights[i]) / rows,
                ),
              );
            }
            const got = get(dLogits, rows * cols);
            expectClose(got, want, { rtol: 1e-4, atol: 2e-6 * maxAbs(want), label: `${rows}x${cols} ls=${ls}` });
            // and it matches lossBackward of the logits kind on the same logits
            const viaLogits = runKernels(
              sparse ? "SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS" : "CATEGORICAL_CROSSENTROPY_FROM_LOGITS",
              b,
              weights,
              o,
              1 / rows,
            );
            expectClose(got, viaLogits.grad, {
              rtol: 1e-4,
              atol: 2e-6 * maxAbs(want),
              label: `${rows}x${cols} vs logits`,
            });
          }
        }
      }
    });
  }
  it("may write over the probabilities in place", () => {
    const probs = Float32Array.from(softmax([1, 2, 3, -1, 0.5]));
    const labels = putI32([2]);
    const p = put(probs);
    kernels.softmaxCrossEntropyBackward(1, 5, p, labels, 1, 0, p, 0, 1);
    expectClose(
      get(p, 5),
      Array.from(probs, (v, j) => v - (j === 2 ? 1 : 0)),
      { rtol: 1e-6, atol: 1e-7 },
    );
  });
});
