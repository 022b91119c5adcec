// How a product C(m×n) is cut over threads: into whole 16-column strips (each thread packs only its own strips
// of B and reads all of A) or into 4-row bands (each thread packs every strip of B for its own rows), whichever
// leaves the busiest thread the fewest multiply-adds. The 4-row bands also keep the activation epilogue's
// slices on multiples of 4 elements (see parallel-kernels.ts).
import { splitRange, type Range } from "./split-range.js";

/** Columns of a packed strip and rows of a band. */
const STRIP = 16;
const BAND = 4;

export interface ProductPlan {
  /** One [rows, columns] block of C a thread, in thread order. */
  blocks: [rows: Range, columns: Range][];
}

export function planProduct(m: number, n: number, threads: number): ProductPlan {
  const strips = Math.ceil(n / STRIP), bands = Math.ceil(m / BAND);
  // Padded multiply-adds of the busiest thread, per unit of depth.
  const byColumns = Math.ceil(strips / Math.min(threads, strips)) * STRIP * m;
  const byRows = Math.ceil(bands / Math.min(threads, bands)) * BAND * strips * STRIP;
  if (byColumns <= byRows) {
    return { blocks: splitRange(n, threads, STRIP).map((columns) => [[0, m], columns]) };
  }
  return { blocks: splitRange(m, threads, BAND).map((rows) => [rows, [0, n]]) };
}
