// Matrix products for Dense layers, row-major f32, f32x4 SIMD. accumulate != 0 adds into C instead of
// overwriting it. The three forms a training step needs all run one microkernel (gemm-kernel.ts) on one
// packed layout of B (gemm-pack.ts); they differ only in how A is addressed and how B's strip is packed.
//
// Blocking (after GotoBLAS/BLIS, Goto & van de Geijn 2008, "Anatomy of high-performance matrix
// multiplication"), loop order outside in:
//
//   for p0 in k, step ≤ DEPTH_BLOCK        depth block: partial sums go to C and come back (exact, see kernel)
//     for i0 in m, step 65536 / depth      row block: the A rows it reads (≤ 256 KB) stay in L2
//       [TN: copy the row block of Aᵀ into 2-row panels, packedA]
//       for j in n, step 16                pack the B strip (depth × 16) into packedB
//         for i in row block, step 2       2×16 register tile: A from L2/L1, the B strip from L1/L2
//       [epilogue: activation of the finished rows i0.., while they are in cache — denseForward only]
//
// NN/NT read A in place: the kernel reaches its 2 rows through base + row offset, which costs the same
// instructions as reading a packed panel. TN's Aᵀ needs no transposing either (its 2 rows are 2 adjacent
// floats of a row of A), but consecutive k steps are m·4 bytes apart, which for m = 512 maps them all to one
// or two L1 sets, so TN copies them into contiguous panels (32 → 38 GFLOP/s at 512³ when measured with 4×8).
// A single row (batch-1 inference) skips the tiles and streams B in place (gemm-row.ts).
//
// Ranges: gemmRange computes the rows [start, end) or the columns [start, end) of C only — the same loops over a
// sub-block of C (leading dimension n·4) — which is how the thread pool splits a product (ts/engine/threads/):
// blocking only stores partial sums and loads them back, and every element is summed by the same microkernel in
// the same order (init, then p = 0, 1, …) wherever its tile sits, so any cut gives the whole product's bits.
// The packing buffers are per instance (globals are per instance, memory is shared): a pool thread points them
// at its own scratch with useGemmScratch; the default build keeps its static ones.
import { activationForward, ACTIVATION_LINEAR } from "./activations";
import { kernel2x16, TILE_COLS, TILE_ROWS } from "./gemm-kernel";
import { kernel2x16Relaxed } from "./gemm-kernel-relaxed";
import { packColumns, packPairs, packRows } from "./gemm-pack";
import { rowTimesMatrix } from "./gemm-row";

/**
 * Largest depth (k) block; blocks are balanced (k = 1000 runs as 2 × 500). 800 keeps an MNIST-sized input
 * (784) in one block: measured, that beats 2 × 392 (whose 25 KB strips fit L1) by 2%, as the strip streams
 * from L2 fast enough and each tile's C is stored once instead of twice.
 */
const DEPTH_BLOCK = 800;
/** Floats of A per row block (256 KB, inside a 1 MB L2); a row block is this / depth rows (even). */
const A_BLOCK_FLOATS = 65536;
const PACKED_B_BYTES: usize = DEPTH_BLOCK * TILE_COLS * 4;
const PACKED_A_BYTES: usize = A_BLOCK_FLOATS * 4;
const EDGE_STRIDE: usize = TILE_COLS * 4;
const EDGE_BYTES: usize = <usize>TILE_ROWS * EDGE_STRIDE;

/** The packing buffers: the packed B strip (DEPTH_BLOCK rows of TILE_COLS floats), TN's 2-row panels of Aᵀ, a 2×16 edge tile. */
const STATIC_SCRATCH: usize = memory.data(<i32>(PACKED_B_BYTES + PACKED_A_BYTES + EDGE_BYTES), 16);
/** The threaded builds: this instance's buffers (useGemmScratch); every instance starts on the static ones. */
let threadScratch: usize = STATIC_SCRATCH;

/** Bytes of the packing buffers of one thread (useGemmScratch). */
export function gemmScratchBytes(): i32 {
  return <i32>(PACKED_B_BYTES + PACKED_A_BYTES + EDGE_BYTES);
}

/** This instance packs into `scratch` (gemmScratchBytes, 16-byte aligned) instead of the static buffers. */
export function useGemmScratch(scratch: usize): void {
  threadScratch = scratch;
}

const INIT_ZERO = 0;
const INIT_C = 1;
const INIT_BIAS = 2;

/** The three forms of gemmRange: how A and B are laid out. */
export const GEMM_NN: i32 = 0;
export const GEMM_NT: i32 = 1;
export const GEMM_TN: i32 = 2;

/**
 * Rows [start, end) (byRows != 0) or columns [start, end) of C(m×n) = init + op(A)·op(B), and, when y != 0,
 * y = activation(C) on them (y has C's layout; element-wise kinds only when cutting columns: a row-wise kind
 * such as softmax needs whole rows). Forms: NN A m×k, B k×n; NT A m×k, B n×k; TN A k×m, B k×n. initMode: 0 zeros,
 * 1 C itself (accumulate), 2 the bias row of n floats.
 */
export function gemmRange(
  start: i32, end: i32, byRows: i32, form: i32, m: i32, n: i32, k: i32, a: usize, b: usize, c: usize,
  initMode: i32, bias: usize, activation: i32, y: usize, alpha: f32,
): void {
  let i0 = 0, i1 = m, j0 = 0, j1 = n;
  if (byRows) {
    i0 = max(start, 0);
    i1 = min(end, m);
  } else {
    j0 = max(start, 0);
    j1 = min(end, n);
  }
  if (i1 <= i0 || j1 <= j0) return;
  const transposedA = form == GEMM_TN, byColumns = form == GEMM_NT;
  // op(A)[i, p] at a + i·aRowStride + p·aStep;  op(B)[p, j] at b + p·ldb + j·4, or b + j·ldb + p·4 (NT).
  const aRowStride: usize = transposedA ? 4 : <usize>k << 2;
  const aStep: usize = transposedA ? <usize>m << 2 : 4;
  const ldb: usize = byColumns ? <usize>k << 2 : <usize>n << 2;
  const ldc: usize = <usize>n << 2;
  const offset = <usize>i0 * ldc + (<usize>j0 << 2);
  gemm(
    i1 - i0, j1 - j0, k, a + <usize>i0 * aRowStride, aRowStride, aStep, transposedA ? 1 : 0,
    byColumns ? b + <usize>j0 * ldb : b + (<usize>j0 << 2), ldb, byColumns ? 1 : 0,
    c + offset, ldc, initMode, initMode == INIT_BIAS ? bias + (<usize>j0 << 2) : 0,
    activation, y ? y + offset : 0, alpha, j1 - j0 == n,
    // NOTE: a constant in the one-thread builds (binaryen folds it into the packing and the microkernel), this
    // instance's buffers in the threaded ones. The threaded builds' GEMMs used to run 12–17% slower for it: V8
    // re-zero-extended the B pointer, which then started from a parameter, in every k step of the microkernel;
    // tile2x16 now restarts it from an i32 sum (gemm-kernel.ts), and both run at one speed (CPU-time A/B).
    ASC_FEATURE_THREADS ? threadScratch : STATIC_SCRATCH,
  );
}

/**
 * The block C(m×n, ldc bytes a row) = init + op(A)·op(B), with
 *   op(A)[i, p] at a + i·aRowStride + p·aStep   (packA = 1: copy each row block into 2-row panels first)
 *   op(B)[p, j] at b + p·ldb + j·4   (bByColumns = 0, B stored k×n)   or   b + j·ldb + p·4   (bByColumns = 1, n×k)
 * and, when y != 0, y = activation(C) per finished row block (whole rows: one call; else row by row).
 */
function gemm(
  m: i32, n: i32, k: i32, a: usize, aRowStride: usize, aStep: usize, packA: i32,
  b: usize, ldb: usize, bByColumns: i32,
  c: usize, ldc: usize, initMode: i32, bias: usize, activation: i32, y: usize, alpha: f32, wholeRows: bool,
  scratch: usize,
): void {
  const packedB = scratch, packedA = scratch + PACKED_B_BYTES, edgeTile = packedA + PACKED_A_BYTES;
  if (k <= 0) {
    if (initMode != INIT_C) fillRows(m, n, c, ldc, initMode == INIT_BIAS ? bias : 0);
    if (y) epilogue(m, n, c, ldc, activation, y, alpha, wholeRows);
    return;
  }
  if (m == 1 && !bByColumns) {
    // One row (batch-1 inference): each B element is used once, so stream B in place instead of packing it.
    rowTimesMatrix(n, k, a, aStep, b, ldb, c, initMode, bias);
    if (y) epilogue(m, n, c, ldc, activation, y, alpha, wholeRows);
    return;
  }
  const blockCount = (k + DEPTH_BLOCK - 1) / DEPTH_BLOCK;
  const depthBlock = (k + blockCount - 1) / blockCount;
  for (let p0 = 0; p0 < k; p0 += depthBlock) {
    const depth = min(depthBlock, k - p0);
    const mode = p0 == 0 ? initMode : INIT_C;
    const aDepth = a + <usize>p0 * aStep;
    const rowBlock = (A_BLOCK_FLOATS / depth) & ~(TILE_ROWS - 1);
    for (let i0 = 0; i0 < m; i0 += rowBlock) {
      const iEnd = min(i0 + rowBlock, m);
      // Where the kernel reads this row block's A: in place, or from the 2-row panels in packedA.
      let aBlock = aDepth + <usize>i0 * aRowStride, rowStride = aRowStride, step = aStep;
      let tileStride = aRowStride * TILE_ROWS;
      if (packA) {
        tileStride = <usize>depth << 3;
        for (let i = i0; i < iEnd; i += TILE_ROWS) {
          const panel = packedA + <usize>((i - i0) / TILE_ROWS) * tileStride;
          packPairs(depth, aDepth + <usize>i * aRowStride, aStep, min(TILE_ROWS, iEnd - i), panel);
        }
        aBlock = packedA;
        rowStride = 4;
        step = 8;
      }
      for (let j = 0; j < n; j += TILE_COLS) {
        const cols = min(TILE_COLS, n - j);
        if (bByColumns) packColumns(depth, b + <usize>j * ldb + (<usize>p0 << 2), ldb, cols, packedB);
        else packRows(depth, b + <usize>p0 * ldb + (<usize>j << 2), ldb, cols, packedB);
        const cColumn = c + (<usize>j << 2);
        const biasColumn = bias + (<usize>j << 2);
        let aTile = aBlock;
        for (let i = i0; i < iEnd; i += TILE_ROWS) {
          tile(depth, aTile, rowStride, step, packedB, cColumn + <usize>i * ldc, ldc, min(TILE_ROWS, iEnd - i), cols, mode, biasColumn, edgeTile);
          aTile += tileStride;
        }
      }
      if (y && p0 + depth >= k) {
        const rowStart = <usize>i0 * ldc;
        epilogue(iEnd - i0, n, c + rowStart, ldc, activation, y + rowStart, alpha, wholeRows);
      }
    }
  }
}

/** y = activation(C) over a block: one call when its rows are whole rows of C (contiguous), else row by row. */
function epilogue(m: i32, n: i32, c: usize, ldc: usize, activation: i32, y: usize, alpha: f32, wholeRows: bool): void {
  if (wholeRows) {
    activationForward(activation, m, n, c, y, alpha);
    return;
  }
  for (let i = 0; i < m; i++) activationForward(activation, 1, n, c + <usize>i * ldc, y + <usize>i * ldc, alpha);
}

@inline function microkernel(
  depth: i32, a: usize, offset1: usize, aStep: usize, packedB: usize,
  c: usize, cStride: usize, loadInit: i32, init: usize, initStride: usize,
): void {
  // NOTE: the relaxed-SIMD builds (asc --enable relaxed-simd) fuse each multiply-add; the default build never does.
  if (ASC_FEATURE_RELAXED_SIMD) kernel2x16Relaxed(depth, a, offset1, aStep, packedB, c, cStride, loadInit, init, initStride);
  else kernel2x16(depth, a, offset1, aStep, packedB, c, cStride, loadInit, init, initStride);
}

/**
 * One 2×16 tile of C that may be cut by the block's edge (rows ≤ 2, cols ≤ 16). Full tiles go straight to C;
 * cut tiles run the same kernel on this instance's edge tile (a missing row repeats the real one, padded columns
 * of packedB are zeros) and copy back only the real part, so every element sums in the same order.
 *   initMode 0: start from zeros;  1: from C (accumulate);  2: from the bias row (bias + column·4).
 */
function tile(
  depth: i32, a: usize, rowStride: usize, aStep: usize, packedB: usize,
  c: usize, ldc: usize, rows: i32, cols: i32, initMode: i32, bias: usize, edgeTile: usize,
): void {
  const offset1 = rows > 1 ? rowStride : 0;
  if (rows == TILE_ROWS && cols == TILE_COLS) {
    if (initMode == INIT_BIAS) microkernel(depth, a, offset1, aStep, packedB, c, ldc, 1, bias, 0);
    else microkernel(depth, a, offset1, aStep, packedB, c, ldc, initMode, c, ldc);
    return;
  }
  for (let r = 0; r < TILE_ROWS; r++) {
    const tileRow = edgeTile + <usize>r * EDGE_STRIDE;
    for (let j = 0; j < TILE_COLS; j++) {
      let value: f32 = 0;
      if (r < rows && j < cols) {
        if (initMode == INIT_C) value = load<f32>(c + <usize>r * ldc + (<usize>j << 2));
        else if (initMode == INIT_BIAS) value = load<f32>(bias + (<usize>j << 2));
      }
      store<f32>(tileRow + (<usize>j << 2), value);
    }
  }
  microkernel(depth, a, offset1, aStep, packedB, edgeTile, EDGE_STRIDE, initMode != INIT_ZERO ? 1 : 0, edgeTile, EDGE_STRIDE);
  for (let r = 0; r < rows; r++) {
    const tileRow = edgeTile + <usize>r * EDGE_STRIDE;
    const cRow = c + <usize>r * ldc;
    for (let j = 0; j < cols; j++) store<f32>(cRow + (<usize>j << 2), load<f32>(tileRow + (<usize>j << 2)));
  }
}

/** Every row of the block C(m×n, ldc bytes a row) = the n floats at `row`, or zeros when row == 0. */
function fillRows(m: i32, n: i32, c: usize, ldc: usize, row: usize): void {
  for (let i = 0; i < m; i++) {
    const cRow = c + <usize>i * ldc;
    let j = 0;
    if (row) {
      for (; j + 4 <= n; j += 4) v128.store(cRow + (<usize>j << 2), v128.load(row + (<usize>j << 2)));
      for (; j < n; j++) store<f32>(cRow + (<usize>j << 2), load<f32>(row + (<usize>j << 2)));
    } else {
      for (; j + 4 <= n; j += 4) v128.store(cRow + (<usize>j << 2), f32x4.splat(0));
      for (; j < n; j++) store<f32>(cRow + (<usize>j << 2), 0);
    }
  }
}

/** C(m×n) (+)= A(m×k) · B(k×n)  — forward X·W. */
export function gemmNN(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, accumulate: i32): void {
  gemmRange(0, m, 1, GEMM_NN, m, n, k, a, b, c, accumulate ? INIT_C : INIT_ZERO, 0, 0, 0, 0);
}

/** C(m×n) (+)= A(m×k) · B(n×k)ᵀ  — dX = dY·Wᵀ. */
export function gemmNT(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, accumulate: i32): void {
  gemmRange(0, m, 1, GEMM_NT, m, n, k, a, b, c, accumulate ? INIT_C : INIT_ZERO, 0, 0, 0, 0);
}

/** C(m×n) (+)= A(k×m)ᵀ · B(k×n)  — dW = Xᵀ·dY. */
export function gemmTN(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, accumulate: i32): void {
  gemmRange(0, m, 1, GEMM_TN, m, n, k, a, b, c, accumulate ? INIT_C : INIT_ZERO, 0, 0, 0, 0);
}

/**
 * Fused Dense forward: z(m×n) = x(m×k)·w(k×n) + bias (bias == 0: none), then y = activation(z) row block by
 * row block while the block is in cache (skipped when activation is linear and y == z; y == z is in place).
 */
export function denseForward(
  m: i32, n: i32, k: i32, x: usize, w: usize, bias: usize, z: usize, y: usize, activation: i32, alpha: f32,
): void {
  const epilogue = activation != ACTIVATION_LINEAR || y != z;
  gemmRange(0, m, 1, GEMM_NN, m, n, k, x, w, z, bias ? INIT_BIAS : INIT_ZERO, bias, activation, epilogue ? y : 0, alpha);
}
