// float64 reference functions that JavaScript's Math lacks, shared by the kernel tests.

/** erfc for x >= 0: positive-term series for erf below 2.5, backward-evaluated continued fraction above. */
export function erfc(x: number): number {
  if (x < 2.5) {
    let term = x,
      sum = x;
    for (let n = 1; term > 1e-17 * sum; n++) {
      term *= (2 * x * x) / (2 * n + 1);
      sum += term;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
  }
  let f = x;
  for (let n = 300; n >= 1; n--) f = x + n / 2 / f;
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/** Φ, the standard normal CDF, accurate in both tails. */
export const normalCdf = (x: number): number => (x >= 0 ? 1 - 0.5 * erfc(x / Math.SQRT2) : 0.5 * erfc(-x / Math.SQRT2));

/** The spacing of float32 values at |v| (2⁻¹⁴⁹ below the smallest normal): one unit in the last place. */
export function ulpOf(v: number): number {
  const a = Math.abs(v);
  return a < 2 ** -126 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(a)) - 23);
}

/**
 * Adam's flush-to-zero thresholds (assembly/optimizers-adam-flush.ts), written from its comment: 2⁻¹²⁶ divided by
 * the smallest of 1 and the positive factors the moment is multiplied with (m: 1 − β1 and α; v: 1 − β2), each
 * factor at least 2⁻²⁴, rounded once to float32; v is never flushed when ε ≤ 0. A moment below its threshold
 * in magnitude is stored as +0.
 */
export function adamFlushThresholds(
  oneMinusBeta1: number,
  oneMinusBeta2: number,
  alpha: number,
  epsilon: number,
): { m: number; v: number } {
  const threshold = (...factors: number[]) =>
    Math.fround(2 ** -126 / Math.max(2 ** -24, Math.min(1, ...factors.filter((factor) => factor > 0))));
  return { m: threshold(oneMinusBeta1, alpha), v: epsilon > 0 ? threshold(oneMinusBeta2) : 0 };
}

/**
 * Keras 3's Adam on one float32 element, each operation rounded to float32 as the kernel does it (Math.fround
 * after a float64 operation is the correctly rounded float32 result, subnormals included: 53 ≥ 2·24 + 2);
 * β^t from float64 and rounded once, as optimizers-common.ts's powerF32; moments flushed to 0 below
 * adamFlushThresholds. Updates `state` in place.
 */
export function scalarAdamF32(
  state: { w: number; m: number; v: number; vhat?: number },
  g: number,
  t: number,
  options: {
    learningRate: number;
    beta1?: number;
    beta2?: number;
    epsilon?: number;
    weightDecay?: number;
    amsgrad?: boolean;
  },
): void {
  const f = Math.fround;
  const lr = f(options.learningRate),
    beta1 = f(options.beta1 ?? 0.9),
    beta2 = f(options.beta2 ?? 0.999),
    epsilon = f(options.epsilon ?? 1e-7);
  const decay = f(options.weightDecay ?? 0);
  const alpha = f(f(lr * f(Math.sqrt(f(1 - f(beta2 ** t))))) / f(1 - f(beta1 ** t)));
  let w = state.w;
  if (decay !== 0) w = f(w - f(f(w * decay) * lr));
  const flush = adamFlushThresholds(f(1 - beta1), f(1 - beta2), alpha, epsilon);
  state.m = f(state.m + f(f(g - state.m) * f(1 - beta1)));
  if (Math.abs(state.m) < flush.m) state.m = 0;
  state.v = f(state.v + f(f(f(g * g) - state.v) * f(1 - beta2)));
  if (state.v < flush.v) state.v = 0;
  let v = state.v;
  if (options.amsgrad) {
    state.vhat = Math.max(state.vhat ?? 0, state.v);
    v = state.vhat;
  }
  state.w = f(w - f(f(state.m * alpha) / f(f(Math.sqrt(v)) + epsilon)));
}
