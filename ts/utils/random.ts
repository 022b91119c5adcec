/**
 * A small seeded generator for host-side randomness (shuffling sample order). Integer-only arithmetic
 * (Math.imul, >>>), so every JS engine produces the same sequence for the same seed.
 *
 * Algorithm: xoshiro128** by Blackman & Vigna (https://prng.di.unimi.it/). Its state is filled from a
 * SplitMix-style sequence (golden-ratio increments through the MurmurHash3 32-bit finalizer), as the authors
 * recommend, so nearby seeds and streams give unrelated sequences.
 */
export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** `seed` is any safe integer; `stream` picks an independent sequence for the same seed (e.g. the epoch). */
  constructor(seed: number, stream = 0) {
    let state = (Math.floor(seed / 0x100000000) ^ Math.imul(stream, 0x9e3779b9)) >>> 0;
    state = (splitMix32(state) ^ (seed >>> 0)) >>> 0;
    const next = () => {
      state = (state + 0x9e3779b9) >>> 0;
      return splitMix32(state);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /** Next value, uniform in [0, 2^32). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform integer in [0, bound), 1 <= bound <= 2^32, without modulo bias (rejection sampling). */
  nextBelow(bound: number): number {
    const limit = 0x100000000 - (0x100000000 % bound);
    let value = this.nextUint32();
    while (value >= limit) value = this.nextUint32();
    return value % bound;
  }
}

/** Fisher–Yates shuffle of `values[start, end)` in place. */
export function shuffleRange(values: Int32Array, start: number, end: number, random: SeededRandom): void {
  for (let i = end - 1; i > start; i--) {
    const j = start + random.nextBelow(i - start + 1);
    const held = values[i];
    values[i] = values[j];
    values[j] = held;
  }
}

/** A fresh random seed for runs without one. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x100000000);
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** MurmurHash3's fmix32: a bijective avalanche of 32 bits. */
function splitMix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
