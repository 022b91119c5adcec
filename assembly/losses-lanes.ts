// f32x4 lane helpers shared by the loss kernels (losses-*.ts) and the metric reductions (reductions.ts).
//
// Rows are rarely a multiple of 4 floats long, so every row loop here has the same shape: full 4-lane chunks,
// then ONE partial chunk of `cols & 3` lanes loaded with v128.load_lane into a vector whose other lanes hold a
// harmless fill value. The partial chunk goes through the very same lane formula as the full chunks (so the
// tail is bit-identical to the main loop) and its dead lanes are cleared with laneMask before they reach a sum.
//
//   row:   | c0 c1 c2 c3 | c4 c5 c6 c7 | c8 c9 ·  ·  |      cols = 10
//            full chunk    full chunk    partial: 2 live lanes, laneMask(2) = [~0, ~0, 0, 0]
//
// Horizontal sums always add (l0 + l1) + (l2 + l3), so a row's result depends only on its length, never on
// alignment or on the runtime: reductions are deterministic.

/** keras.backend.epsilon(), the fuzz factor Keras clips probabilities and denominators with. */
export const EPSILON: f32 = 1e-7;
/** Keras's `1.0 - epsilon()`, computed in float64 and rounded to float32 (0.99999988), as TF does. */
export const ONE_MINUS_EPSILON: f32 = <f32>(1.0 - 1e-7);
/** Keras's `1.0 / epsilon()` (exactly 1e7 in float32), the cap on inverse norms in ops.normalize. */
export const INVERSE_EPSILON: f32 = 1e7;

// NOTE: expLanes / logLanes / log1pLanes call AssemblyScript's scalar Mathf once per lane. They are the only
// place to swap in math.ts's SIMD expV / logV when those land; until then the losses are bit-identical in
// every runtime because Mathf is pure wasm (no JS Math import).

/** exp(x) per lane. */
@inline export function expLanes(x: v128): v128 {
  let r = f32x4.splat(Mathf.exp(f32x4.extract_lane(x, 0)));
  r = f32x4.replace_lane(r, 1, Mathf.exp(f32x4.extract_lane(x, 1)));
  r = f32x4.replace_lane(r, 2, Mathf.exp(f32x4.extract_lane(x, 2)));
  return f32x4.replace_lane(r, 3, Mathf.exp(f32x4.extract_lane(x, 3)));
}

/** Natural log per lane. */
@inline export function logLanes(x: v128): v128 {
  let r = f32x4.splat(Mathf.log(f32x4.extract_lane(x, 0)));
  r = f32x4.replace_lane(r, 1, Mathf.log(f32x4.extract_lane(x, 1)));
  r = f32x4.replace_lane(r, 2, Mathf.log(f32x4.extract_lane(x, 2)));
  return f32x4.replace_lane(r, 3, Mathf.log(f32x4.extract_lane(x, 3)));
}

/** log(1 + x) per lane, accurate for small x (softplus tails, log-cosh, MSLE). */
@inline export function log1pLanes(x: v128): v128 {
  let r = f32x4.splat(Mathf.log1p(f32x4.extract_lane(x, 0)));
  r = f32x4.replace_lane(r, 1, Mathf.log1p(f32x4.extract_lane(x, 1)));
  r = f32x4.replace_lane(r, 2, Mathf.log1p(f32x4.extract_lane(x, 2)));
  return f32x4.replace_lane(r, 3, Mathf.log1p(f32x4.extract_lane(x, 3)));
}

/** Loads `count` (1..3) floats at `ptr` into lanes 0..count-1; the other lanes hold `fill`. Any alignment. */
@inline export function loadPartial(ptr: usize, count: i32, fill: f32): v128 {
  let v = v128.load_lane<f32>(ptr, f32x4.splat(fill), 0);
  if (count > 1) v = v128.load_lane<f32>(ptr, v, 1, 4);
  if (count > 2) v = v128.load_lane<f32>(ptr, v, 2, 8);
  return v;
}

/** Stores lanes 0..count-1 (count 1..3) of `v` at `ptr`, leaving the memory after them untouched. */
@inline export function storePartial(ptr: usize, v: v128, count: i32): void {
  v128.store_lane<f32>(ptr, v, 0);
  if (count > 1) v128.store_lane<f32>(ptr, v, 1, 4);
  if (count > 2) v128.store_lane<f32>(ptr, v, 2, 8);
}

/** All-ones in lanes 0..count-1, zero elsewhere: `v128.and(x, laneMask(n))` clears dead lanes, NaN included. */
@inline export function laneMask(count: i32): v128 {
  return i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(count));
}

/** (l0 + l1) + (l2 + l3): a fixed order, so sums are reproducible. */
@inline export function sumLanes(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** Largest lane; NaN if any lane is NaN (wasm f32.max propagates NaN). */
@inline export function maxLanes(v: v128): f32 {
  return max(max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

/** Sum of a row of `cols` floats, 4 lanes at a time then sumLanes: the order depends only on `cols`. */
export function rowSum(ptr: usize, cols: i32): f32 {
  let acc = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= cols; j += 4) acc = f32x4.add(acc, v128.load(ptr + (<usize>j << 2)));
  const rest = cols - j;
  if (rest > 0) acc = f32x4.add(acc, v128.and(loadPartial(ptr + (<usize>j << 2), rest, 0), laneMask(rest)));
  return sumLanes(acc);
}

/** Largest value of a row; NaN if the row holds a NaN, -Infinity for an empty row. */
export function rowMax(ptr: usize, cols: i32): f32 {
  let acc = f32x4.splat(-Infinity);
  let j = 0;
  for (; j + 4 <= cols; j += 4) acc = f32x4.max(acc, v128.load(ptr + (<usize>j << 2)));
  const rest = cols - j;
  if (rest > 0) acc = f32x4.max(acc, loadPartial(ptr + (<usize>j << 2), rest, -Infinity));
  return maxLanes(acc);
}

/** Sign per lane: -1, 0 or +1 (0 for ±0, NaN for NaN): the derivative TF gives |x| (tf.sign). */
@inline export function signLanes(x: v128): v128 {
  const zero = f32x4.splat(0);
  const positive = v128.and(f32x4.gt(x, zero), f32x4.splat(1));
  const negative = v128.and(f32x4.lt(x, zero), f32x4.splat(-1));
  // NaN lanes fail both compares; keep them NaN so a bad prediction shows in the gradient.
  return v128.bitselect(x, v128.or(positive, negative), f32x4.ne(x, x));
}

/** Per-sample weight of row `row`, or 1 when `sampleWeights` is 0 (no weights). */
@inline export function weightOf(sampleWeights: usize, row: i32): f32 {
  return sampleWeights ? load<f32>(sampleWeights + (<usize>row << 2)) : 1;
}
