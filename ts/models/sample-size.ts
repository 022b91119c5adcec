import { formatShape } from "../utils/describe.js";

/** Values per sample beyond which no layer could run in densa's 32-bit WebAssembly memory (4 GiB). */
export const MAX_SAMPLE_VALUES = 2 ** 28;

/**
 * Refuses a per-sample shape whose size no layer could hold (2^28 float32 values are 1 GiB per sample), before
 * anything is allocated for it. NOTE: without this, a file that says units: 1e9 or batch_input_shape [null,
 * 1e308] reaches JS arrays of that length inside a layer's build (a RangeError, or a heap exhausted).
 */
export function checkSampleSize(shape: readonly number[], what: string): void {
  const size = shape.reduce((product, dim) => product * dim, 1);
  if (!(size <= MAX_SAMPLE_VALUES)) {
    throw new Error(
      `${what} ${formatShape(shape)} has ${size} values per sample; densa's WebAssembly memory (4 GiB) holds at most ${MAX_SAMPLE_VALUES} per sample`,
    );
  }
}
