// Functions built on exp/log for the activations: sigmoid, tanh, softplus, and the standard normal CDF Φ
// (exact GELU). Each is written so that it keeps *relative* accuracy where its value gets small, which is
// where the textbook formulas cancel (1 - tanh, 1 + erf for negative x, log(1 + e^x) for large |x|).

import { expV, expm1V, expSumV } from "./math-exp";
import { log1pV } from "./math-log";

/**
 * 1 / (1 + e^-x) per lane, from e = exp(-|x|) only: 1/(1+e) for x >= 0, e/(1+e) for x < 0, so neither
 * branch overflows and sigmoid(-100) is the correct subnormal 3.7e-44 rather than 0. <= 2.3 ulp.
 */
@inline export function sigmoidV(x: v128): v128 {
  const e = expV(f32x4.neg(f32x4.abs(x)));
  const numerator = v128.bitselect(f32x4.splat(1), e, f32x4.ge(x, f32x4.splat(0)));
  return f32x4.div(numerator, f32x4.add(f32x4.splat(1), e));
}

/**
 * tanh per lane: with t = expm1(-2|x|) in (-1, 0], tanh|x| = -t / (t + 2); the sign is copied back from x.
 * expm1 keeps small |x| accurate (tanh x ≈ x), and large |x| saturates to exactly ±1. <= 2.5 ulp.
 */
@inline export function tanhV(x: v128): v128 {
  const t = expm1V(f32x4.mul(f32x4.abs(x), f32x4.splat(-2)));
  const magnitude = f32x4.div(f32x4.neg(t), f32x4.add(t, f32x4.splat(2)));
  return v128.or(magnitude, v128.and(x, f32x4.splat(-0.0)));
}

/** log(1 + e^x) = max(x, 0) + log1p(e^-|x|) per lane: no overflow for large x, relative accuracy for very negative x. */
@inline export function softplusV(x: v128): v128 {
  const tail = log1pV(expV(f32x4.neg(f32x4.abs(x))));
  return f32x4.add(f32x4.max(x, f32x4.splat(0)), tail);
}

/**
 * exp(-a²/2) for a >= 0, without the rounding of a² (which would cost up to 2·a²·2^-24 relative error, ~100
 * ulp near a = 14): a = hi + lo with hi holding the top 12 significant bits, so hi² is exact and
 * a² = hi² + lo·(a + hi); the two parts go to expSumV as an unevaluated sum. a is clamped to 15 (the result
 * underflows to 0 from a ≈ 14.4), which also keeps inf out of the split. <= 1.2 ulp.
 */
@inline export function gaussianV(a: v128): v128 {
  const ac = f32x4.min(a, f32x4.splat(15));
  const hi = v128.and(ac, i32x4.splat(0xfffff000));
  const lo = f32x4.sub(ac, hi);
  const half = f32x4.splat(-0.5);
  return expSumV(f32x4.mul(half, f32x4.mul(hi, hi)), f32x4.mul(half, f32x4.mul(lo, f32x4.add(ac, hi))));
}

// Φ(x) - 1/2 = x·P(x²) for |x| < 1/sqrt(2): degree-4 minimax (relative) fit, error 1.5e-9.
const CDF_P0: f32 = 0.3989422917366028;
const CDF_P1: f32 = -0.06649032235145569;
const CDF_P2: f32 = 0.009972651489078999;
const CDF_P3: f32 = -0.0011823270469903946;
const CDF_P4: f32 = 0.00010404264321550727;
// Upper tail Q(a) = 1 - Φ(a) = exp(-a²/2)·H(z), z = 1/(1 + a/2), for a in [1/sqrt(2), 15]: H is a degree-9
// minimax fit of Q(a)·exp(a²/2) in z (relative error 5.4e-9). The substitution z = 1/(1 + a/2) maps the
// slowly decaying ~1/(a·sqrt(2π)) tail onto a short interval where a polynomial converges (the same idea
// as the t = 1/(1 + p·x) variable of Abramowitz & Stegun 7.1.26, with our own fitted coefficients).
const CDF_H0: f32 = -1.672520738793537e-6;
const CDF_H1: f32 = 0.1995355188846588;
const CDF_H2: f32 = 0.19840160012245178;
const CDF_H3: f32 = 0.15968777239322662;
const CDF_H4: f32 = -0.009697162546217442;
const CDF_H5: f32 = 0.16619707643985748;
const CDF_H6: f32 = -0.6775333881378174;
const CDF_H7: f32 = 0.8058505654335022;
const CDF_H8: f32 = -0.43700656294822693;
const CDF_H9: f32 = 0.09460113197565079;
const CDF_SPLIT: f32 = 0.7071067811865476;

@inline function horner5(w: v128, c0: f32, c1: f32, c2: f32, c3: f32, c4: f32): v128 {
  let p = f32x4.add(f32x4.mul(f32x4.splat(c4), w), f32x4.splat(c3));
  p = f32x4.add(f32x4.mul(p, w), f32x4.splat(c2));
  p = f32x4.add(f32x4.mul(p, w), f32x4.splat(c1));
  return f32x4.add(f32x4.mul(p, w), f32x4.splat(c0));
}

/**
 * Standard normal CDF Φ(x) = (1 + erf(x/sqrt(2)))/2 per lane, computed as x·P(x²) + 1/2 near 0 and from the
 * upper tail Q(|x|) elsewhere (Φ = Q(-x) for x < 0, 1 - Q(x) for x > 0), so Φ keeps relative accuracy
 * deep in the left tail where 1 + erf would cancel. Taking x itself (not x/sqrt(2)) avoids one rounding.
 * <= 6 ulp over the whole range, left tail included (measured 5.2; tests/kernels/math.test.ts). Most of
 * it is the f32 evaluation of the tail polynomial, not the fit.
 */
@inline export function normalCdfV(x: v128): v128 {
  const center = f32x4.add(f32x4.splat(0.5), f32x4.mul(x, horner5(f32x4.mul(x, x), CDF_P0, CDF_P1, CDF_P2, CDF_P3, CDF_P4)));

  const a = f32x4.min(f32x4.abs(x), f32x4.splat(15));
  const z = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), f32x4.mul(f32x4.splat(0.5), a)));
  let h = horner5(z, CDF_H5, CDF_H6, CDF_H7, CDF_H8, CDF_H9);
  // Plain Horner over all ten coefficients (horner5 covers H9..H5).
  h = f32x4.add(f32x4.mul(h, z), f32x4.splat(CDF_H4));
  h = f32x4.add(f32x4.mul(h, z), f32x4.splat(CDF_H3));
  h = f32x4.add(f32x4.mul(h, z), f32x4.splat(CDF_H2));
  h = f32x4.add(f32x4.mul(h, z), f32x4.splat(CDF_H1));
  h = f32x4.add(f32x4.mul(h, z), f32x4.splat(CDF_H0));
  const upper = f32x4.mul(gaussianV(a), h);
  const tail = v128.bitselect(f32x4.sub(f32x4.splat(1), upper), upper, f32x4.ge(x, f32x4.splat(0)));
  return v128.bitselect(center, tail, f32x4.lt(f32x4.abs(x), f32x4.splat(CDF_SPLIT)));
}
