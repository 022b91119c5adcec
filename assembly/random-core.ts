// The generator behind every random kernel: four xoshiro128** streams (Blackman & Vigna, "Scrambled
// linear pseudorandom number generators", 2018) run side by side in the four i32 lanes of a v128, so one
// step yields four 32-bit outputs with a handful of SIMD integer ops. Not re-exported: no kernels here.
//
// State: 64 bytes the caller owns (any alignment), word w of lane L at byte w·16 + L·4:
//
//   state +0   s0[lane 0] s0[lane 1] s0[lane 2] s0[lane 3]
//         +16  s1[...]
//         +32  s2[...]
//         +48  s3[...]
//
// Fills (fillWords) step the state in locals and write words straight to the output; kernels that draw
// an unknown number of words (rejection, permutations) load the state into globals and call nextBits /
// nextU32. Either way every kernel consumes whole steps (four words) and drops the words left over when
// it returns, so its result depends only on the state and its arguments, never on what ran before.
// Output order: word k of a call is lane k % 4 of step k / 4.

let s0: v128 = i32x4(0, 0, 0, 0);
let s1: v128 = i32x4(0, 0, 0, 0);
let s2: v128 = i32x4(0, 0, 0, 0);
let s3: v128 = i32x4(0, 0, 0, 0);

// @ts-ignore: decorator
@inline export function loadState(state: usize): void {
  s0 = v128.load(state);
  s1 = v128.load(state, 16);
  s2 = v128.load(state, 32);
  s3 = v128.load(state, 48);
  bufferedLeft = 0;
}

// @ts-ignore: decorator
@inline export function saveState(state: usize): void {
  v128.store(state, s0);
  v128.store(state, s1, 16);
  v128.store(state, s2, 32);
  v128.store(state, s3, 48);
}

// @ts-ignore: decorator
@inline function rotl(x: v128, k: i32): v128 {
  return v128.or(i32x4.shl(x, k), i32x4.shr_u(x, 32 - k));
}

/**
 * words[0 … count) ← the next `count` words, in output order. State stays in locals, so the loop is a
 * handful of SIMD ops a step. All four words of the final step are also left in `lastStep` (a partial
 * tail uses its first count % 4; Box–Muller needs the whole step).
 */
// @ts-ignore: decorator
@inline export function fillWords(state: usize, words: usize, count: i32): void {
  let a = v128.load(state), b = v128.load(state, 16), c = v128.load(state, 32), d = v128.load(state, 48);
  const steps = (count + 3) >> 2;
  for (let k = 0; k < steps; k++) {
    // xoshiro128**: output rotl(s1·5, 7)·9; then s2 ^= s0, s3 ^= s1, s1 ^= s2, s0 ^= s3, s2 ^= s1 << 9,
    // s3 = rotl(s3, 11) (same as nextBits, on locals)
    const result = i32x4.mul(rotl(i32x4.mul(b, i32x4.splat(5)), 7), i32x4.splat(9));
    const t = i32x4.shl(b, 9);
    c = v128.xor(c, a);
    d = v128.xor(d, b);
    b = v128.xor(b, c);
    a = v128.xor(a, d);
    c = v128.xor(c, t);
    d = rotl(d, 11);
    if ((k << 2) + 4 <= count) {
      v128.store(words + (<usize>k << 4), result);
    } else {
      v128.store(lastStep, result);
      memory.copy(words + (<usize>k << 4), lastStep, <usize>(count & 3) << 2);
    }
  }
  v128.store(state, a);
  v128.store(state, b, 16);
  v128.store(state, c, 32);
  v128.store(state, d, 48);
}

/** The four words of the last step fillWords made when count % 4 != 0. */
export const lastStep = memory.data(16, 16);

/** One xoshiro128** step in every lane: four uniformly distributed 32-bit words. */
// @ts-ignore: decorator
@inline export function nextBits(): v128 {
  const result = i32x4.mul(rotl(i32x4.mul(s1, i32x4.splat(5)), 7), i32x4.splat(9));
  const t = i32x4.shl(s1, 9);
  s2 = v128.xor(s2, s0);
  s3 = v128.xor(s3, s1);
  s1 = v128.xor(s1, s2);
  s0 = v128.xor(s0, s3);
  s2 = v128.xor(s2, t);
  s3 = rotl(s3, 11);
  return result;
}

// Scalar draws (permutations, rejection loops) read one lane at a time from the last step.
const laneBuffer = memory.data(16, 16);
let bufferedLeft: i32 = 0;

/** The next 32-bit word of the call's output sequence (same order as the vector kernels). */
// @ts-ignore: decorator
@inline export function nextU32(): u32 {
  if (bufferedLeft == 0) {
    v128.store(laneBuffer, nextBits());
    bufferedLeft = 4;
  }
  const word = load<u32>(laneBuffer + (<usize>(4 - bufferedLeft) << 2));
  bufferedLeft--;
  return word;
}

/**
 * Uniform integer in [0, bound), bound ≥ 1, without modulo bias: Lemire's multiply-and-reject ("Fast random
 * integer generation in an interval", 2019). The high word of word·bound is uniform once the low word's
 * biased range, below 2³² mod bound, is rejected.
 */
export function boundedBelow(bound: u32): u32 {
  let product = <u64>nextU32() * <u64>bound;
  let low = <u32>product;
  if (low < bound) {
    const threshold: u32 = (<u32>0 - bound) % bound;
    while (low < threshold) {
      product = <u64>nextU32() * <u64>bound;
      low = <u32>product;
    }
  }
  return <u32>(product >> 32);
}

/** splitmix64 (Steele, Lea & Flood 2014; Vigna's constants): the seeding sequence xoshiro's authors advise. */
// @ts-ignore: decorator
@inline export function splitmix64(x: u64): u64 {
  let z = x;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
  return z ^ (z >> 31);
}
