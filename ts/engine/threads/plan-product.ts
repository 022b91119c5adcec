// How work is cut into parts for the pool: a task is [0, total) in parts of `span` (control-block.ts), and a
// thread claims parts until none is left, so more parts than threads keep the threads busy to the end even when
// one of them starts late or is interrupted, at the price of a claim (~0.1 µs) and a call per part.
//
// Products: C(m×n) by whole 16-column strips of B or by 2-row bands of A, whichever packs nothing twice:
//   NN, NT   by strips: a part packs its own strips of B (each strip is packed once, whichever thread) and
//            reads A in place; by bands, every part would pack all of B again.
//   TN       by bands: a part packs its own 2-row panels of Aᵀ and the few strips of B (k = the batch, small);
//            by strips, every part would pack all of Aᵀ again.
//   A product too narrow to cut the preferred way is cut the other way; a row-wise epilogue (softmax) needs
//   whole rows, so bands.

//
// NOTE (measured, bench/threads-locality.mjs and threads-profile.mjs): in a training step the threads' parts of a
// Dense kernel's weights do not line up. The forward reads W by 16-column strips, dW is written by row bands
// (TN) and the optimizer updates element ranges, i.e. rows; so half of the W lines a thread reads or writes were
// last written or read by the other core, and each step moves about half of W between the cores' caches. With 2
// threads on the bench model, Adam split takes 77 µs in a step against 31–40 µs alone (62 µs on one thread), the
// first layer's forward gets 1.35–1.6× from 2 threads, its dW 1.8×. Owning columns would keep W, dW and the
// optimizer slots in one core's cache: dW by strips too (each part then packs all of Aᵀ: one part per thread),
// and the optimizer by the same column ranges over rows of W (an Adam kernel with a row stride).

/** Columns of a packed strip, rows of a register tile (assembly/gemm-kernel.ts). */
const STRIP = 16;
const BAND = 2;
/** Elements of an element-wise part are a multiple of 16 (a 64-byte cache line: no line is written by two threads). */
const LINE = 16;
/**
 * Parts a task is cut into, per thread. NOTE: with two parts a thread, a worker that starts a part's time late
 * still ends its share with the calling thread; four leave less idle time at the end, but each part of the bench
 * model's products would drop under the size where a part's own cost shows (PARALLEL_MIN_WORK).
 */
const PARTS_PER_THREAD = 4;

export interface Plan {
  /** Products: cut by rows (bands) instead of columns (strips). */
  byRows: boolean;
  /** The range [0, total) a task covers (rows, columns or elements) and the length of a part. */
  total: number;
  span: number;
  /** Parts: ceil(total / span); 1 = run on the calling thread alone. */
  parts: number;
}

/** Parts for `units` units of `unit` (the last unit may be short: total ≤ units·unit) and `work` in all. */
function cut(total: number, unit: number, work: number, threads: number, minPartWork: number, byRows: boolean): Plan {
  const units = Math.ceil(total / unit);
  const wanted = Math.min(units, threads * PARTS_PER_THREAD, Math.floor(work / minPartWork));
  if (threads < 2 || wanted < 2) return { byRows, total, span: Math.max(total, 1), parts: 1 };
  // Parts of whole units, a multiple of the thread count where the units allow it (no thread ends with one part
  // more than another), else as many as wanted.
  for (let parts = wanted; parts >= threads; parts--) {
    const span = Math.ceil(units / parts);
    if (Math.ceil(units / span) % threads === 0) return plan(byRows, total, span * unit);
  }
  return plan(byRows, total, Math.ceil(units / wanted) * unit);
}

function plan(byRows: boolean, total: number, span: number): Plan {
  return { byRows, total, span, parts: Math.ceil(total / span) };
}

export type ProductForm = "NN" | "NT" | "TN";

/** How C(m×n) = op(A)·op(B) with depth k is cut over `threads` (rowWise: the epilogue needs whole rows). */
export function planProduct(
  form: ProductForm,
  m: number,
  n: number,
  k: number,
  threads: number,
  minPartMacs: number,
  rowWise = false,
): Plan {
  const work = m * n * Math.max(k, 1);
  const strips = Math.ceil(n / STRIP),
    bands = Math.ceil(m / BAND);
  const byRows = rowWise || (form === "TN" ? bands >= threads : strips < threads && bands > strips);
  return byRows ? cut(m, BAND, work, threads, minPartMacs, true) : cut(n, STRIP, work, threads, minPartMacs, false);
}

/** How `count` elements of an element-wise kernel are cut (or rows of `cols` elements: `unit` = rows a part). */
export function planElements(count: number, threads: number, minPartElements: number): Plan {
  return cut(count, LINE, count, threads, minPartElements, false);
}

/** How `rows` rows of `cols` elements are cut. */
export function planRows(rows: number, cols: number, threads: number, minPartElements: number): Plan {
  return cut(rows, 1, rows * cols, threads, minPartElements, true);
}
