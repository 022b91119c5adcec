// float64 reference functions that JavaScript's Math lacks, shared by the kernel tests.

/** erfc for x >= 0: positive-term series for erf below 2.5, backward-evaluated continued fraction above. */
export function erfc(x: number): number {
  if (x < 2.5) {
    let term = x, sum = x;
    for (let n = 1; term > 1e-17 * sum; n++) { term *= (2 * x * x) / (2 * n + 1); sum += term; }
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
