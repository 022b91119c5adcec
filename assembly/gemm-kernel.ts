// The GEMM microkernel: one 4×8 tile of C from 4 rows of A and one packed 8-column strip of B.
//
// Register budget (why 4×8): V8's x64 backend hands out xmm0–xmm14 (xmm15 is its scratch). A 4×8 tile keeps
// 8 accumulators + 2 B vectors + 1 A splat + 1 product temporary = 12 live v128, so nothing spills. A 6×8 tile
// (XNNPACK's choice on ARM) needs 16 and V8 spills one accumulator, which puts a store→load on that
// accumulator's dependency chain and halves the speed; measured in Node 20 on x64: 4×8 ≈ 5×8 ≈ 2×16 ≈ 3×12
// ≈ 40 GFLOP/s from L1, 6×8 ≈ 26. Unrolling the k loop does not help either: TurboFan hoists every load of
// the unrolled body to its top and spills. 4×8 tiles our shapes (batch 32, widths 128/784/512) exactly.
//
// Summation order: every C element is   init + a[i,0]·b[0,j] + a[i,1]·b[1,j] + … + a[i,k-1]·b[k-1,j],
// added left to right in f32, one rounding per multiply and per add (no FMA). Blocking k only stores the
// partial sum to C and loads it back, which is exact, so the result depends on nothing but the operands:
// it is bit-identical to the plain scalar triple loop, in every runtime, for every form and tile position.

/** Rows × columns of one register tile. */
export const TILE_ROWS = 4;
export const TILE_COLS = 8;

/** A 4×8 f32 tile for edges: C rows/columns that do not fill a tile are computed here, then copied out. */
const edgeTile = memory.data(TILE_ROWS * TILE_COLS * 4, 16);

@inline function mulAdd(acc: v128, a: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(a, b));
}

/**
 * C[0..4, 0..8] = init + Σ_p A[r, p] · Bpacked[p, 0..8] over p < depth.
 *
 *   A: row r, step p at  a + rowOffset(r) + p·aStep     (rowOffset = 0, offset1, offset2, offset3)
 *      NN/NT: A is m×k row-major → offsets r·k·4, aStep 4.   TN: A is k×m → offsets r·4, aStep m·4.
 *   packedB: depth rows of 8 contiguous floats (see gemm-pack.ts)   ┌ p=0: b0 b1 … b7 ┐
 *                                                                   └ p=1: b0 b1 … b7 ┘ …
 *   C:    row r at c + r·cStride, 8 floats.
 *   init: loadInit = 0 → zeros; else row r starts from init + r·initStride (C itself to accumulate,
 *         or the bias strip with initStride 0).
 */
export function kernel4x8(
  depth: i32, a: usize, offset1: usize, offset2: usize, offset3: usize, aStep: usize,
  packedB: usize, c: usize, cStride: usize, loadInit: i32, init: usize, initStride: usize,
): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  if (loadInit) {
    c00 = v128.load(init); c01 = v128.load(init, 16); init += initStride;
    c10 = v128.load(init); c11 = v128.load(init, 16); init += initStride;
    c20 = v128.load(init); c21 = v128.load(init, 16); init += initStride;
    c30 = v128.load(init); c31 = v128.load(init, 16);
  }
  // NOTE: loop on the B pointer alone (no counter) and keep the body to one k step; this is the form V8
  // compiles to 8 mul + 8 add + 6 loads with no spills.
  const bEnd = packedB + (<usize>depth << 5);
  while (packedB < bEnd) {
    const b0 = v128.load(packedB);
    const b1 = v128.load(packedB, 16);
    let s = v128.load32_splat(a);
    c00 = mulAdd(c00, s, b0);
    c01 = mulAdd(c01, s, b1);
    s = v128.load32_splat(a + offset1);
    c10 = mulAdd(c10, s, b0);
    c11 = mulAdd(c11, s, b1);
    s = v128.load32_splat(a + offset2);
    c20 = mulAdd(c20, s, b0);
    c21 = mulAdd(c21, s, b1);
    s = v128.load32_splat(a + offset3);
    c30 = mulAdd(c30, s, b0);
    c31 = mulAdd(c31, s, b1);
    a += aStep;
    packedB += 32;
  }
  v128.store(c, c00); v128.store(c, c01, 16); c += cStride;
  v128.store(c, c10); v128.store(c, c11, 16); c += cStride;
  v128.store(c, c20); v128.store(c, c21, 16); c += cStride;
  v128.store(c, c30); v128.store(c, c31, 16);
}

/**
 * One tile of C that may be cut by the matrix edge (rows ≤ 4, cols ≤ 8). Full tiles go straight to C;
 * cut tiles run the same kernel on edgeTile (padded rows repeat the last real row of A, padded columns of
 * packedB are zeros) and copy back only the real part, so every element sums in the same order.
 *
 *   initMode 0: start from zeros;  1: from C (accumulate);  2: from the bias row (bias + column·4).
 */
export function computeTile(
  depth: i32, a: usize, rowStride: usize, aStep: usize, packedB: usize,
  c: usize, ldc: usize, rows: i32, cols: i32, initMode: i32, bias: usize,
): void {
  const last = <usize>(rows - 1);
  const offset1 = rowStride * min<usize>(1, last);
  const offset2 = rowStride * min<usize>(2, last);
  const offset3 = rowStride * min<usize>(3, last);
  if (rows == TILE_ROWS && cols == TILE_COLS) {
    if (initMode == 2) kernel4x8(depth, a, offset1, offset2, offset3, aStep, packedB, c, ldc, 1, bias, 0);
    else kernel4x8(depth, a, offset1, offset2, offset3, aStep, packedB, c, ldc, initMode, c, ldc);
    return;
  }
  // Cut tile: stage the start values in edgeTile (row stride 32 bytes), run, copy the real part out.
  for (let r = 0; r < TILE_ROWS; r++) {
    const tileRow = edgeTile + (<usize>r << 5);
    for (let j = 0; j < TILE_COLS; j++) {
      let value: f32 = 0;
      if (r < rows && j < cols) {
        if (initMode == 1) value = load<f32>(c + <usize>r * ldc + (<usize>j << 2));
        else if (initMode == 2) value = load<f32>(bias + (<usize>j << 2));
      }
      store<f32>(tileRow + (<usize>j << 2), value);
    }
  }
  kernel4x8(depth, a, offset1, offset2, offset3, aStep, packedB, edgeTile, 32, initMode != 0 ? 1 : 0, edgeTile, 32);
  for (let r = 0; r < rows; r++) {
    const tileRow = edgeTile + (<usize>r << 5);
    const cRow = c + <usize>r * ldc;
    for (let j = 0; j < cols; j++) store<f32>(cRow + (<usize>j << 2), load<f32>(tileRow + (<usize>j << 2)));
  }
}

/**
 * One row of C for fewer than 4 rows of A (batch-1 inference and the like), with B (k×n, row stride ldb)
 * read in place: packing would cost as much as the product when each B element is used once or twice.
 *   c[j] = init[j] + a[0]·B[0, j] + a[1]·B[1, j] + … — the same order as the tiles, so the same bits.
 * 32 columns at a time in 8 accumulators (independent add chains hide the add latency), then 4, then 1.
 * initMode as in computeTile.
 */
export function rowTimesMatrix(
  n: i32, k: i32, a: usize, aStep: usize, b: usize, ldb: usize, c: usize, initMode: i32, bias: usize,
): void {
  const init = initMode == 2 ? bias : c;
  let j = 0;
  for (; j + 32 <= n; j += 32) {
    const at = <usize>j << 2;
    let x0 = f32x4.splat(0), x1 = x0, x2 = x0, x3 = x0, x4 = x0, x5 = x0, x6 = x0, x7 = x0;
    if (initMode) {
      const from = init + at;
      x0 = v128.load(from); x1 = v128.load(from, 16); x2 = v128.load(from, 32); x3 = v128.load(from, 48);
      x4 = v128.load(from, 64); x5 = v128.load(from, 80); x6 = v128.load(from, 96); x7 = v128.load(from, 112);
    }
    let ap = a, bp = b + at;
    for (let p = 0; p < k; p++) {
      const s = v128.load32_splat(ap);
      x0 = mulAdd(x0, s, v128.load(bp));
      x1 = mulAdd(x1, s, v128.load(bp, 16));
      x2 = mulAdd(x2, s, v128.load(bp, 32));
      x3 = mulAdd(x3, s, v128.load(bp, 48));
      x4 = mulAdd(x4, s, v128.load(bp, 64));
      x5 = mulAdd(x5, s, v128.load(bp, 80));
      x6 = mulAdd(x6, s, v128.load(bp, 96));
      x7 = mulAdd(x7, s, v128.load(bp, 112));
      ap += aStep;
      bp += ldb;
    }
    const to = c + at;
    v128.store(to, x0); v128.store(to, x1, 16); v128.store(to, x2, 32); v128.store(to, x3, 48);
    v128.store(to, x4, 64); v128.store(to, x5, 80); v128.store(to, x6, 96); v128.store(to, x7, 112);
  }
  for (; j + 4 <= n; j += 4) {
    const at = <usize>j << 2;
    let x = initMode ? v128.load(init + at) : f32x4.splat(0);
    let ap = a, bp = b + at;
    for (let p = 0; p < k; p++) {
      x = mulAdd(x, v128.load32_splat(ap), v128.load(bp));
      ap += aStep;
      bp += ldb;
    }
    v128.store(c + at, x);
  }
  // Scalar tail: f32 mul then f32 add, exactly what each SIMD lane does.
  for (; j < n; j++) {
    const at = <usize>j << 2;
    let x: f32 = initMode ? load<f32>(init + at) : 0;
    let ap = a, bp = b + at;
    for (let p = 0; p < k; p++) {
      x += load<f32>(ap) * load<f32>(bp);
      ap += aStep;
      bp += ldb;
    }
    store<f32>(c + at, x);
  }
}
