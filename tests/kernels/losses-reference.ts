// Float64 scalar references for the loss kernels: Keras 3's formulas (keras/src/losses/losses.py, the backends'
// nn.py) written out literally, one sample (row) at a time, plus their analytic gradients.
// Constants are Keras's epsilon rounded to float32, as Keras's float32 tensors see them.

export const EPS = Math.fround(1e-7);
export const ONE_MINUS_EPS = Math.fround(1 - 1e-7);
export const INV_EPS = Math.fround(1 / 1e-7);

export const LOSS_NAMES = [
  "MEAN_SQUARED_ERROR",
  "MEAN_ABSOLUTE_ERROR",
  "HUBER",
  "BINARY_CROSSENTROPY",
  "BINARY_CROSSENTROPY_FROM_LOGITS",
  "CATEGORICAL_CROSSENTROPY",
  "CATEGORICAL_CROSSENTROPY_FROM_LOGITS",
  "SPARSE_CATEGORICAL_CROSSENTROPY",
  "SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS",
  "MEAN_ABSOLUTE_PERCENTAGE_ERROR",
  "MEAN_SQUARED_LOGARITHMIC_ERROR",
  "HINGE",
  "SQUARED_HINGE",
  "CATEGORICAL_HINGE",
  "LOG_COSH",
  "KL_DIVERGENCE",
  "POISSON",
  "COSINE_SIMILARITY",
] as const;
export type LossName = (typeof LOSS_NAMES)[number];

export interface RefOptions {
  /** Huber's delta. */
  param: number;
  labelSmoothing: number;
  /** Every target of the batch is 0 or 1 (Keras then maps hinge targets to ±1). */
  binaryHinge: boolean;
}

const clip = (x: number, low: number, high: number) => Math.min(Math.max(x, low), high);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const mean = (xs: number[]) => sum(xs) / xs.length;
const softplus = (x: number) => Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0);
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Targets after Keras's label smoothing or hinge's {0, 1} → {−1, 1}. */
export function transformTargets(name: LossName, t: ArrayLike<number>, o: RefOptions): number[] {
  const n = t.length;
  const ls = o.labelSmoothing;
  return Array.from(t, (y) => {
    if (name === "BINARY_CROSSENTROPY" || name === "BINARY_CROSSENTROPY_FROM_LOGITS") return y * (1 - ls) + 0.5 * ls;
    if (name === "CATEGORICAL_CROSSENTROPY" || name === "CATEGORICAL_CROSSENTROPY_FROM_LOGITS")
      return y * (1 - ls) + ls / n;
    if ((name === "HINGE" || name === "SQUARED_HINGE") && o.binaryHinge) return 2 * y - 1;
    return y;
  });
}

function logSoftmax(z: number[]): number[] {
  const m = Math.max(...z);
  const lse = Math.log(sum(z.map((v) => Math.exp(v - m))));
  return z.map((v) => v - m - lse);
}

/**
 * Keras's per-sample loss of one row. Sparse kinds take `t` as the one-hot row of the label (all zeros for an
 * out-of-range label, as Keras's one_hot).
 */
export function refSampleLoss(name: LossName, pRow: ArrayLike<number>, tRow: ArrayLike<number>, o: RefOptions): number {
  const p = Array.from(pRow);
  const t = transformTargets(name, tRow, o);
  const d = o.param;
  switch (name) {
    case "MEAN_SQUARED_ERROR":
      return mean(p.map((v, j) => (t[j] - v) ** 2));
    case "MEAN_ABSOLUTE_ERROR":
      return mean(p.map((v, j) => Math.abs(t[j] - v)));
    case "HUBER":
      return mean(
        p.map((v, j) => {
          const e = v - t[j];
          return Math.abs(e) <= d ? 0.5 * e * e : d * Math.abs(e) - 0.5 * d * d;
        }),
      );
    case "BINARY_CROSSENTROPY":
      return mean(
        p.map((v, j) => {
          const c = clip(v, EPS, ONE_MINUS_EPS);
          return -(t[j] * Math.log(c) + (1 - t[j]) * Math.log(1 - c));
        }),
      );
    case "BINARY_CROSSENTROPY_FROM_LOGITS":
      return mean(p.map((z, j) => Math.max(z, 0) - z * t[j] + Math.log1p(Math.exp(-Math.abs(z)))));
    case "CATEGORICAL_CROSSENTROPY":
    case "SPARSE_CATEGORICAL_CROSSENTROPY": {
      const s = sum(p);
      return -sum(p.map((v, j) => t[j] * Math.log(clip(v / s, EPS, ONE_MINUS_EPS))));
    }
    case "CATEGORICAL_CROSSENTROPY_FROM_LOGITS":
    case "SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS": {
      const logP = logSoftmax(p);
      return -sum(logP.map((v, j) => t[j] * v));
    }
    case "MEAN_ABSOLUTE_PERCENTAGE_ERROR":
      return 100 * mean(p.map((v, j) => Math.abs((t[j] - v) / Math.max(Math.abs(t[j]), EPS))));
    case "MEAN_SQUARED_LOGARITHMIC_ERROR":
      return mean(p.map((v, j) => (Math.log(Math.max(v, EPS) + 1) - Math.log(Math.max(t[j], EPS) + 1)) ** 2));
    case "HINGE":
      return mean(p.map((v, j) => Math.max(1 - t[j] * v, 0)));
    case "SQUARED_HINGE":
      return mean(p.map((v, j) => Math.max(1 - t[j] * v, 0) ** 2));
    case "CATEGORICAL_HINGE": {
      const pos = sum(p.map((v, j) => t[j] * v));
      const neg = Math.max(...p.map((v, j) => (1 - t[j]) * v));
      return Math.max(neg - pos + 1, 0);
    }
    case "LOG_COSH":
      return mean(
        p.map((v, j) => {
          const x = v - t[j];
          return x + softplus(-2 * x) - Math.log(2);
        }),
      );
    case "KL_DIVERGENCE":
      return sum(
        p.map((v, j) => {
          const tc = clip(t[j], EPS, 1);
          return tc * Math.log(tc / clip(v, EPS, 1));
        }),
      );
    case "POISSON":
      return mean(p.map((v, j) => v - t[j] * Math.log(v + EPS)));
    case "COSINE_SIMILARITY": {
      const ia = Math.min(1 / Math.sqrt(sum(t.map((v) => v * v))), INV_EPS);
      const ib = Math.min(1 / Math.sqrt(sum(p.map((v) => v * v))), INV_EPS);
      return -sum(p.map((v, j) => t[j] * ia * (v * ib)));
    }
  }
}

const sign = (x: number) => (x > 0 ? 1 : x < 0 ? -1 : 0);

/** ∂(per-sample loss)/∂p of one row, analytically, with TF's gradients at clips, maxima and minima. */
export function refSampleGradient(
  name: LossName,
  pRow: ArrayLike<number>,
  tRow: ArrayLike<number>,
  o: RefOptions,
): number[] {
  const p = Array.from(pRow);
  const t = transformTargets(name, tRow, o);
  const n = p.length;
  const d = o.param;
  switch (name) {
    case "MEAN_SQUARED_ERROR":
      return p.map((v, j) => (2 * (v - t[j])) / n);
    case "MEAN_ABSOLUTE_ERROR":
      return p.map((v, j) => sign(v - t[j]) / n);
    case "HUBER":
      return p.map((v, j) => {
        const e = v - t[j];
        return (Math.abs(e) <= d ? e : d * sign(e)) / n;
      });
    case "BINARY_CROSSENTROPY":
      return p.map((v, j) => {
        if (v < EPS || v > ONE_MINUS_EPS) return 0;
        return (-t[j] / v + (1 - t[j]) / (1 - v)) / n;
      });
    case "BINARY_CROSSENTROPY_FROM_LOGITS":
      return p.map((z, j) => (sigmoid(z) - t[j]) / n);
    case "CATEGORICAL_CROSSENTROPY":
    case "SPARSE_CATEGORICAL_CROSSENTROPY": {
      const s = sum(p);
      const kept = p.map((v) => v / s >= EPS && v / s <= ONE_MINUS_EPS);
      const tm = sum(t.map((y, j) => (kept[j] ? y : 0)));
      return p.map((v, j) => tm / s - (kept[j] ? t[j] / v : 0));
    }
    case "CATEGORICAL_CROSSENTROPY_FROM_LOGITS":
    case "SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS": {
      const total = sum(t);
      return logSoftmax(p).map((lp, j) => Math.exp(lp) * total - t[j]);
    }
    case "MEAN_ABSOLUTE_PERCENTAGE_ERROR":
      return p.map((v, j) => (100 * sign(v - t[j])) / Math.max(Math.abs(t[j]), EPS) / n);
    case "MEAN_SQUARED_LOGARITHMIC_ERROR":
      return p.map((v, j) => {
        if (v < EPS) return 0;
        return (2 * (Math.log1p(v) - Math.log1p(Math.max(t[j], EPS)))) / (1 + v) / n;
      });
    case "HINGE":
      return p.map((v, j) => (1 - t[j] * v >= 0 ? -t[j] : 0) / n);
    case "SQUARED_HINGE":
      return p.map((v, j) => (-2 * t[j] * Math.max(1 - t[j] * v, 0)) / n);
    case "CATEGORICAL_HINGE": {
      const pos = sum(p.map((v, j) => t[j] * v));
      const values = p.map((v, j) => (1 - t[j]) * v);
      const neg = Math.max(...values);
      if (!(neg - pos + 1 >= 0)) return p.map(() => 0);
      const ties = values.filter((v) => v === neg).length;
      return p.map((_, j) => -t[j] + (values[j] === neg ? (1 - t[j]) / ties : 0));
    }
    case "LOG_COSH":
      return p.map((v, j) => Math.tanh(v - t[j]) / n);
    case "KL_DIVERGENCE":
      return p.map((v, j) => (v < EPS || v > 1 ? 0 : -clip(t[j], EPS, 1) / v));
    case "POISSON":
      return p.map((v, j) => (1 - t[j] / (v + EPS)) / n);
    case "COSINE_SIMILARITY": {
      const ia = Math.min(1 / Math.sqrt(sum(t.map((v) => v * v))), INV_EPS);
      const rawIb = 1 / Math.sqrt(sum(p.map((v) => v * v)));
      const ib = Math.min(rawIb, INV_EPS);
      const sab = sum(p.map((v, j) => v * t[j]));
      return p.map((v, j) => -ia * (ib * t[j] - (rawIb <= INV_EPS ? sab * ib ** 3 * v : 0)));
    }
  }
}

/** Central finite difference of refSampleLoss w.r.t. p[j]. */
export function finiteDifference(
  name: LossName,
  p: ArrayLike<number>,
  t: ArrayLike<number>,
  o: RefOptions,
  j: number,
  h: number,
): number {
  const up = Array.from(p);
  const down = Array.from(p);
  up[j] += h;
  down[j] -= h;
  return (refSampleLoss(name, up, t, o) - refSampleLoss(name, down, t, o)) / (2 * h);
}

/** The softmax of a row, in float64. */
export function softmax(z: ArrayLike<number>): number[] {
  return logSoftmax(Array.from(z)).map(Math.exp);
}
