// The tests' one source of pseudo-random data: mulberry32 from examples/datasets.mjs (integer-only arithmetic,
// so a seed gives the same numbers in every runtime), independent of densa's own generator. Tests never read
// Math.random, crypto or the clock for data; tests/hygiene.test.ts keeps it that way.
import { seededFloats } from "../../examples/datasets.mjs";

/** A generator of floats uniform in [0, 1) for `seed`. */
export const seededRandom: (seed: number) => () => number = seededFloats;

/** `count` values uniform in [low, high), as float32. */
export function uniformArray(count: number, seed: number, low = -1, high = 1): Float32Array {
  const next = seededFloats(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = low + (high - low) * next();
  return out;
}

/** `count` integers uniform in [low, low + n). */
export function randomInts(count: number, seed: number, n: number, low = 0): Int32Array {
  return Int32Array.from(uniformArray(count, seed, 0, 1), (u) => low + Math.min(n - 1, Math.floor(u * n)));
}
