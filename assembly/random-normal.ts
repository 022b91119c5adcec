// Normal and truncated-normal fills (Keras's RandomNormal / TruncatedNormal / Glorot- and He-normal
// initializers draw from these). See random-core.ts for the generator and the state.
import { fillWords, lastStep, loadState, nextBits, saveState } from "./random-core";

const TWO_POW_MINUS_24: f32 = 5.9604644775390625e-8;
const TWO_PI: f32 = 6.2831854820251465; // 2π rounded to f32

/**
 * Four standard normals from the four words of one step at `words`, by the Box–Muller transform (Box &
 * Muller 1958): words (0, 1) and (2, 3) each make a pair from their top 24 bits, u1 = (w + 1)·2⁻²⁴ ∈ (0, 1]
 * so the log is finite, u2 = w·2⁻²⁴ ∈ [0, 1), r = √(-2 ln u1), z = (r cos 2πu2, r sin 2πu2).
 * NOTE: f32 math with AssemblyScript's own Mathf.log/cos/sin, pure wasm, so the same bits in every
 * runtime (and no f64 log tables in the binary). |z| ≤ √(48 ln 2) ≈ 5.77; beyond that lies 8·10⁻⁹ of the mass.
 */
// @ts-ignore: decorator
@inline function boxMuller(words: usize): v128 {
  const r0 = Mathf.sqrt(-2 * Mathf.log(<f32>((load<u32>(words) >>> 8) + 1) * TWO_POW_MINUS_24));
  const t0 = TWO_PI * (<f32>(load<u32>(words, 4) >>> 8) * TWO_POW_MINUS_24);
  const r1 = Mathf.sqrt(-2 * Mathf.log(<f32>((load<u32>(words, 8) >>> 8) + 1) * TWO_POW_MINUS_24));
  const t1 = TWO_PI * (<f32>(load<u32>(words, 12) >>> 8) * TWO_POW_MINUS_24);
  let z = f32x4.splat(0);
  z = f32x4.replace_lane(z, 0, r0 * Mathf.cos(t0));
  z = f32x4.replace_lane(z, 1, r0 * Mathf.sin(t0));
  z = f32x4.replace_lane(z, 2, r1 * Mathf.cos(t1));
  z = f32x4.replace_lane(z, 3, r1 * Mathf.sin(t1));
  return z;
}

const scratch = memory.data(16, 16);

/** out[i] = z·stddev + mean, z standard normal (TF's `rnd * stddev + mean`, in f32). */
export function randomNormal(state: usize, out: usize, count: i32, mean: f32, stddev: f32): void {
  fillWords(state, out, count);
  const meanV = f32x4.splat(mean), stddevV = f32x4.splat(stddev);
  const end4 = count & ~3;
  let i = 0;
  for (; i < end4; i += 4) {
    const p = out + (<usize>i << 2);
    v128.store(p, f32x4.add(f32x4.mul(boxMuller(p), stddevV), meanV));
  }
  if (i < count) {
    // The partial last step: its four words are all in lastStep; same arithmetic, first count % 4 lanes.
    v128.store(scratch, f32x4.add(f32x4.mul(boxMuller(lastStep), stddevV), meanV));
    memory.copy(out + (<usize>i << 2), scratch, <usize>(count - i) << 2);
  }
}

/**
 * Normal values more than 2 standard deviations from the mean are dropped and drawn again, as
 * tf.random.truncated_normal (and so Keras's TruncatedNormal) does: out[i] = z·stddev + mean with |z| ≤ 2.
 * Steps are drawn in order, four normals each; the accepted ones fill `out` in order (a rejection loop,
 * so scalar; initializers call it once per weight).
 */
export function randomTruncatedNormal(state: usize, out: usize, count: i32, mean: f32, stddev: f32): void {
  loadState(state);
  let i = 0;
  while (i < count) {
    v128.store(scratch, nextBits());
    v128.store(scratch, boxMuller(scratch));
    for (let lane = 0; lane < 4 && i < count; lane++) {
      const z = load<f32>(scratch + (<usize>lane << 2));
      if (abs<f32>(z) <= 2) {
        store<f32>(out + (<usize>i << 2), z * stddev + mean);
        i++;
      }
    }
  }
  saveState(state);
}
