// log and log1p on f32x4 lanes.
//
// Method (the argument reduction of Cephes logf and fdlibm/musl e_logf.c, written anew here):
//   x = 2^k·m with m in [sqrt(1/2), sqrt(2)), f = m - 1, s = f/(2 + f), so that
//   log(1 + f) = 2·atanh(s) = 2s + s·R(s²)  and, with h = f²/2,  log(1 + f) = f - h + s·(h + R(s²)).
// The second form adds the rounding-sensitive division result s only to a small correction term.
// R(z) = z·(c1 + c2·z + c3·z²) is a minimax fit of 2·atanh(s)/s - 2 on z in [0, 0.0297] (fitted for densa with
// a discrete Remez/LP exchange; absolute fit error 1.7e-9). Then log x = k·LN2_HI + (tail + k·LN2_LO).
//
// The mantissa/exponent split works on the bit pattern: subtracting the bits of sqrt(1/2) before taking the
// exponent field moves the cut from m = 1 to m = sqrt(1/2), so k and m come from one shift and one subtract.
// Subnormal inputs are first scaled by 2^25 (exact).
//
// Measured against float64 (tests/kernels/math.test.ts): log <= 0.83 ulp, log1p <= 1.5 ulp.

import { LN2_HI, LN2_LO } from "./math-exp";

const LOG_R1: f32 = 0.6666678190231323;
const LOG_R2: f32 = 0.39977094531059265;
const LOG_R3: f32 = 0.2988523244857788;

const SQRT_HALF_BITS: i32 = 0x3f3504f3;
const MIN_NORMAL: f32 = 1.1754943508222875e-38; // 2^-126
const TWO_POW_25: f32 = 33554432.0;

/** ln x per lane: log(+0) = log(-0) = -inf, log(x < 0) = NaN, log(+inf) = +inf, NaN -> NaN. */
@inline export function logV(x: v128): v128 {
  const subnormal = f32x4.lt(x, f32x4.splat(MIN_NORMAL));
  const xs = v128.bitselect(f32x4.mul(x, f32x4.splat(TWO_POW_25)), x, subnormal);
  const k = i32x4.shr_s(i32x4.sub(xs, i32x4.splat(SQRT_HALF_BITS)), 23);
  const m = i32x4.sub(xs, i32x4.shl(k, 23)); // bits of m in [sqrt(1/2), sqrt(2))
  const kf = f32x4.sub(f32x4.convert_i32x4_s(k), v128.and(subnormal, f32x4.splat(25)));

  const f = f32x4.sub(m, f32x4.splat(1));
  const s = f32x4.div(f, f32x4.add(f32x4.splat(2), f));
  const z = f32x4.mul(s, s);
  let r = f32x4.add(f32x4.mul(z, f32x4.splat(LOG_R3)), f32x4.splat(LOG_R2));
  r = f32x4.add(f32x4.mul(r, z), f32x4.splat(LOG_R1));
  r = f32x4.mul(r, z);
  const h = f32x4.mul(f32x4.mul(f32x4.splat(0.5), f), f);
  // Small terms first: s·(h + R) + k·LN2_LO - h + f, then the exact k·LN2_HI.
  let result = f32x4.add(f32x4.mul(s, f32x4.add(h, r)), f32x4.mul(kf, f32x4.splat(LN2_LO)));
  result = f32x4.add(f32x4.sub(result, h), f);
  result = f32x4.add(result, f32x4.mul(kf, f32x4.splat(LN2_HI)));

  // Special values, last so they win: +inf -> +inf, ±0 -> -inf, x < 0 or NaN -> NaN.
  const inf = f32x4.splat(Infinity);
  result = v128.bitselect(inf, result, f32x4.eq(x, inf));
  result = v128.bitselect(f32x4.neg(inf), result, f32x4.eq(x, f32x4.splat(0)));
  return v128.bitselect(f32x4.splat(NaN), result, v128.not(f32x4.ge(x, f32x4.splat(0))));
}

/**
 * ln(1 + x) per lane, accurate for tiny x. u = 1 + x rounds; the rounding error c = (1 + x) - u is recovered
 * exactly (Fast2Sum, Dekker 1971) and log1p(x) = log(u) + c/u to first order (Goldberg, "What every computer
 * scientist should know about floating-point arithmetic", 1991, §Theorem 4 discusses the same correction).
 * log1p(-1) = -inf, x < -1 -> NaN, +inf -> +inf, ±0 -> ±0.
 */
@inline export function log1pV(x: v128): v128 {
  const one = f32x4.splat(1);
  const u = f32x4.add(one, x);
  const small = f32x4.le(f32x4.abs(x), one);
  // Fast2Sum needs the larger operand first: 1 when |x| <= 1, else x.
  const c = v128.bitselect(f32x4.sub(x, f32x4.sub(u, one)), f32x4.sub(one, f32x4.sub(u, x)), small);
  let result = f32x4.add(logV(u), f32x4.div(c, u));
  const inf = f32x4.splat(Infinity);
  result = v128.bitselect(f32x4.neg(inf), result, f32x4.eq(x, f32x4.neg(one)));
  result = v128.bitselect(inf, result, f32x4.eq(x, inf));
  return v128.bitselect(x, result, f32x4.eq(x, f32x4.splat(0)));
}
