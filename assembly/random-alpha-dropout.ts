// AlphaDropout's training forward (Keras 3, keras/src/layers/regularization/alpha_dropout.py): dropped values
// are set to SELU's negative saturation α' = −α·λ instead of 0, then an affine map keeps mean and variance:
//
//   kept = u ≥ rate (u uniform in [0, 1), one word per value, as dropoutMask)
//   y = a·(x·kept + α'·(1 − kept)) + b,   a = ((1 − rate)·(1 + rate·α'²))^(−½),   b = −a·α'·rate
//
// The gradient dy/dx is a where kept and 0 where dropped; the kernel writes it as the mask for the backward.
import { fillWords } from "./random-core";

const TWO_POW_MINUS_24: f32 = 5.9604644775390625e-8;

// @ts-ignore: decorator
@inline function unitV(words: v128): v128 {
  return f32x4.mul(f32x4.convert_i32x4_u(i32x4.shr_u(words, 8)), f32x4.splat(TWO_POW_MINUS_24));
}

/** y and mask (a or 0) for `count` values; the mask block takes the raw words first. */
export function alphaDropoutForward(state: usize, count: i32, x: usize, y: usize, mask: usize, rate: f32, a: f32, b: f32, alphaP: f32): void {
  fillWords(state, mask, count);
  const rateV = f32x4.splat(rate), av = f32x4.splat(a), bv = f32x4.splat(b), pv = f32x4.splat(alphaP);
  const body = count & ~3;
  let i = 0;
  for (; i < body; i += 4) {
    const o = <usize>i << 2;
    const kept = f32x4.ge(unitV(v128.load(mask + o)), rateV);
    const mixed = v128.bitselect(v128.load(x + o), pv, kept);
    v128.store(y + o, f32x4.add(f32x4.mul(av, mixed), bv));
    v128.store(mask + o, v128.and(av, kept));
  }
  for (; i < count; i++) {
    const o = <usize>i << 2;
    const kept = <f32>(load<u32>(mask + o) >>> 8) * TWO_POW_MINUS_24 >= rate;
    store<f32>(y + o, a * (kept ? load<f32>(x + o) : alphaP) + b);
    store<f32>(mask + o, kept ? a : 0);
  }
}
