// exp and expm1 on f32x4 lanes.
//
// Method (Cody & Waite, "Software Manual for the Elementary Functions", 1980; the same reduction as Cephes
// expf and fdlibm): write x = n·ln2 + r with n = nearest(x·log2 e) and |r| <= ln2/2, so exp(x) = 2^n·exp(r).
// ln2 is split into LN2_HI + LN2_LO where LN2_HI has 9 trailing zero bits, so n·LN2_HI is exact for every
// n we can meet (|n| <= 150) and x - n·LN2_HI is exact (Sterbenz); only the tiny n·LN2_LO term rounds.
// exp(r) - 1 = r + r²·Q(r) with Q a degree-4 minimax polynomial for the *relative* error of expm1 on
// [-ln2/2, ln2/2] (fitted for densa with a discrete Remez/LP exchange on 3000 Chebyshev nodes, weight
// r²/expm1(r), coefficients rounded to f32; fit error 1.3e-8 ≈ 0.2 ulp).
//
// Measured against float64 over dense sweeps (tests/kernels/math.test.ts): exp <= 1.01 ulp, expm1 <= 1.7 ulp.
//
// Every step is a lane-wise IEEE operation (no FMA: wasm SIMD has none outside relaxed-simd), so a value
// gives the same bits in every lane, in every runtime, and in the scalar tail (which splats into lane 0).

export const LOG2E: f32 = 1.4426950408889634;
// ln 2 = LN2_HI + LN2_LO; LN2_HI = 0x3f317200.
export const LN2_HI: f32 = 0.693145751953125;
export const LN2_LO: f32 = 1.428606765330187e-6;

const EXPM1_Q0: f32 = 0.4999999701976776;
const EXPM1_Q1: f32 = 0.1666654348373413;
const EXPM1_Q2: f32 = 0.041667211800813675;
const EXPM1_Q3: f32 = 0.008366573601961136;
const EXPM1_Q4: f32 = 0.0013881804188713431;

// exp(x) overflows to +inf above ln(FLT_MAX) ≈ 88.7228 and rounds to 0 below ln(2^-150) ≈ -103.97.
// Clamping just outside keeps n inside [-150, 128] (so the 2^n construction below cannot wrap) while the
// clamped value still produces the correctly rounded inf / 0. NaN passes through min/max (wasm semantics).
const EXP_CLAMP_HI: f32 = 89.0;
const EXP_CLAMP_LO: f32 = -104.0;

/** expm1(r) = r + r²·Q(r) for |r| <= ln2/2 (a little more, for the rounding of n). */
@inline export function expm1Kernel(r: v128): v128 {
  let q = f32x4.splat(EXPM1_Q4);
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(EXPM1_Q3));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(EXPM1_Q2));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(EXPM1_Q1));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(EXPM1_Q0));
  return f32x4.add(r, f32x4.mul(f32x4.mul(r, r), q));
}

/** r = a + b - n·ln2 with the Cody–Waite split; `a` may be large, `b` must be small (|b| < 1). */
@inline function reduce(a: v128, b: v128, n: v128): v128 {
  const head = f32x4.add(f32x4.sub(a, f32x4.mul(n, f32x4.splat(LN2_HI))), b);
  return f32x4.sub(head, f32x4.mul(n, f32x4.splat(LN2_LO)));
}

/**
 * p·2^n for integer-valued n in [-150, 128]. 2^n is built from exponent bits in two halves so that each
 * factor is a normal float; the second multiply does the single rounding into the subnormal range.
 */
@inline function scaleByPow2(p: v128, n: v128): v128 {
  const ni = i32x4.trunc_sat_f32x4_s(n);
  const half = i32x4.shr_s(ni, 1);
  const rest = i32x4.sub(ni, half);
  const bias = i32x4.splat(127);
  const s1 = i32x4.shl(i32x4.add(half, bias), 23);
  const s2 = i32x4.shl(i32x4.add(rest, bias), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

/** e^x per lane: +inf above 88.72, 0 (through the subnormals) below -103.97, NaN -> NaN. */
@inline export function expV(x: v128): v128 {
  const xc = f32x4.min(f32x4.max(x, f32x4.splat(EXP_CLAMP_LO)), f32x4.splat(EXP_CLAMP_HI));
  const n = f32x4.nearest(f32x4.mul(xc, f32x4.splat(LOG2E)));
  const r = reduce(xc, f32x4.splat(0), n);
  const p = f32x4.add(f32x4.splat(1), expm1Kernel(r));
  return scaleByPow2(p, n);
}

/**
 * e^(a+b) where a + b is an unevaluated sum (a exact, |b| small): keeps the low bits of an argument that
 * cannot be represented in one f32, e.g. -x²/2 in the Gaussian tail (see math-special.ts).
 * Inputs must be finite with a + b <= 88; used only with a <= 0.
 */
@inline export function expSumV(a: v128, b: v128): v128 {
  const ac = f32x4.max(a, f32x4.splat(EXP_CLAMP_LO));
  const n = f32x4.nearest(f32x4.mul(f32x4.add(ac, b), f32x4.splat(LOG2E)));
  const r = reduce(ac, b, n);
  const p = f32x4.add(f32x4.splat(1), expm1Kernel(r));
  return scaleByPow2(p, n);
}

// expm1 reaches -1 (to f32 precision) below -17.3; clamping at -30 keeps 2^(n-1) normal.
const EXPM1_CLAMP_LO: f32 = -30.0;

/**
 * e^x - 1 per lane, accurate near 0 (where exp(x) - 1 would cancel). Same reduction as expV:
 * expm1(x) = 2^n·expm1(r) + (2^n - 1), evaluated as 2·(s·expm1(r) + (s - 1/2)) with s = 2^(n-1), which is
 * exact for n = 0 and keeps s a normal float up to n = 128 (the outer ·2 overflows to +inf when it must).
 */
@inline export function expm1V(x: v128): v128 {
  const xc = f32x4.min(f32x4.max(x, f32x4.splat(EXPM1_CLAMP_LO)), f32x4.splat(EXP_CLAMP_HI));
  const n = f32x4.nearest(f32x4.mul(xc, f32x4.splat(LOG2E)));
  const r = reduce(xc, f32x4.splat(0), n);
  const em = expm1Kernel(r);
  const s = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(126)), 23);
  const inner = f32x4.add(f32x4.mul(s, em), f32x4.sub(s, f32x4.splat(0.5)));
  const result = f32x4.add(inner, inner);
  // r + r²·Q turns -0 into +0; keep the sign of zero (expm1(-0) = -0).
  return v128.bitselect(x, result, f32x4.eq(x, f32x4.splat(0)));
}
