// Seeding, raw bits, uniform floats and dropout masks. See random-core.ts for the generator and the state.
// Fills write the raw words into the output first (fillWords), then turn them into floats in place:
// an f32x4 pass plus a scalar tail that does the same arithmetic.
import { fillWords, splitmix64 } from "./random-core";

/** Bytes of generator state every random kernel takes (`state` pointer); any alignment. */
export const RANDOM_STATE_BYTES: i32 = 64;

const TWO_POW_MINUS_24: f32 = 5.9604644775390625e-8;

/**
 * Initialises the 64-byte state from a 64-bit seed (seedHi:seedLo): sixteen words from splitmix64 run
 * from the seed, written in order, word q at byte 4q (so lane L's four words are q = L, 4+L, 8+L, 12+L).
 * A lane whose words all came out zero (xoshiro's one forbidden state) gets s0 = 1.
 */
export function randomSeed(state: usize, seedLo: i32, seedHi: i32): void {
  let x = (<u64><u32>seedHi << 32) | <u64><u32>seedLo;
  for (let k = 0; k < 8; k++) {
    x += 0x9E3779B97F4A7C15;
    store<u64>(state + (<usize>k << 3), splitmix64(x));
  }
  for (let lane = 0; lane < 4; lane++) {
    const p = state + (<usize>lane << 2);
    if ((load<u32>(p) | load<u32>(p, 16) | load<u32>(p, 32) | load<u32>(p, 48)) == 0) store<u32>(p, 1);
  }
}

/** outU32[k] = the k-th raw 32-bit output (for tests, and to derive seeds for other things). */
export function randomBits(state: usize, outU32: usize, count: i32): void {
  fillWords(state, outU32, count);
}

// u ∈ [0, 1) on a 2⁻²⁴ grid: the top 24 bits of a word, converted exactly, times 2⁻²⁴.
// @ts-ignore: decorator
@inline function unitV(words: v128): v128 {
  return f32x4.mul(f32x4.convert_i32x4_u(i32x4.shr_u(words, 8)), f32x4.splat(TWO_POW_MINUS_24));
}

// @ts-ignore: decorator
@inline function unitS(word: u32): f32 {
  return <f32>(word >>> 8) * TWO_POW_MINUS_24;
}

/**
 * out[i] = u·(high - low) + low with u uniform in [0, 1) (TF's stateless_uniform form,
 * `rnd * (maxval - minval) + minval`). As in TF, rounding can land a value on `high` when |low| ≫ |high-low|.
 */
export function randomUniform(state: usize, out: usize, count: i32, low: f32, high: f32): void {
  fillWords(state, out, count);
  const range: f32 = high - low;
  const rangeV = f32x4.splat(range), lowV = f32x4.splat(low);
  const end4 = count & ~3;
  let i = 0;
  for (; i < end4; i += 4) {
    const p = out + (<usize>i << 2);
    v128.store(p, f32x4.add(f32x4.mul(unitV(v128.load(p)), rangeV), lowV));
  }
  for (; i < count; i++) {
    const p = out + (<usize>i << 2);
    store<f32>(p, unitS(load<u32>(p)) * range + low);
  }
}

/**
 * Inverted-dropout mask, as Keras 3 / tf.nn.experimental.stateless_dropout: keep where u ≥ rate, and the
 * kept entries carry the 1/(1 - rate) scale, so the layer's output is x·mask. mask[i] ∈ {0, 1/(1-rate)}.
 * rate = 0 keeps everything with scale 1; rate = 1 drops everything.
 */
export function dropoutMask(state: usize, mask: usize, count: i32, rate: f32): void {
  fillWords(state, mask, count);
  const scale: f32 = 1 / (1 - rate);
  const rateV = f32x4.splat(rate), scaleV = f32x4.splat(scale);
  const end4 = count & ~3;
  let i = 0;
  for (; i < end4; i += 4) {
    // f32x4.ge gives all-ones lanes where kept; AND with the bits of `scale` selects scale or +0.
    const p = mask + (<usize>i << 2);
    v128.store(p, v128.and(f32x4.ge(unitV(v128.load(p)), rateV), scaleV));
  }
  for (; i < count; i++) {
    const p = mask + (<usize>i << 2);
    store<f32>(p, unitS(load<u32>(p)) >= rate ? scale : 0);
  }
}
