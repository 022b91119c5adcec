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
import { activationForward, ACTIVATION_LINEAR } from "./activations";
import { computeTile, TILE_COLS, TILE_ROWS } from "./gemm-kernel";
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
/** The packed B strip: DEPTH_BLOCK rows of TILE_COLS floats. */
const packedB = memory.data(DEPTH_BLOCK * TILE_COLS * 4, 16);
/** TN only: the row block of Aᵀ as 2-row panels (see packPairs). */
const packedA = memory.data(A_BLOCK_FLOATS * 4, 16);

const INIT_ZERO = 0;
const INIT_C = 1;
const INIT_BIAS = 2;

/**
 * C(m×n) = init + op(A)·op(B), with
 *   op(A)[i, p] at a + i·aRowStride + p·aStep   (packA = 1: copy each row block into 2-row panels first)
 *   op(B)[p, j] at b + p·ldb + j·4   (bByColumns = 0, B stored k×n)   or   b + j·ldb + p·4   (bByColumns = 1, n×k)
 * and, when epilogue != 0, y = activation(C) per finished row block.
 */
function gemm(
  m: i32, n: i32, k: i32, a: usize, aRowStride: usize, aStep: usize, packA: i32,
  b: usize, ldb: usize, bByColumns: i32,
  c: usize, initMode: i32, bias: usize, epilogue: i32, activation: i32, y: usize, alpha: f32,
): void {
  if (m <= 0 || n <= 0) return;
  const ldc = <usize>n << 2;
  if (k <= 0) {
    if (initMode != INIT_C) fillRows(m, n, c, initMode == INIT_BIAS ? bias : 0);
    if (epilogue) activationForward(activation, m, n, c, y, alpha);
    return;
  }
  if (m == 1 && !bByColumns) {
    // One row (batch-1 inference): each B element is used once, so stream B in place instead of packing it.
    rowTimesMatrix(n, k, a, aStep, b, ldb, c, initMode, bias);
    if (epilogue) activationForward(activation, m, n, c, y, alpha);
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
          const rows = min(TILE_ROWS, iEnd - i);
          const cTile = cColumn + <usize>i * ldc;
          computeTile(depth, aTile, rowStride, step, packedB, cTile, ldc, rows, cols, mode, biasColumn);
          aTile += tileStride;
        }
      }
      if (epilogue && p0 + depth >= k) {
        const rowStart = <usize>i0 * ldc;
        activationForward(activation, iEnd - i0, n, c + rowStart, y + rowStart, alpha);
      }
    }
  }
}

/** Every row of C(m×n) = the n floats at `row`, or zeros when row == 0. */
function fillRows(m: i32, n: i32, c: usize, row: usize): void {
  for (let i = 0; i < m; i++) {
    const cRow = c + <usize>i * (<usize>n << 2);
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
  gemm(m, n, k, a, <usize>k << 2, 4, 0, b, <usize>n << 2, 0, c, accumulate ? INIT_C : INIT_ZERO, 0, 0, 0, 0, 0);
}

/** C(m×n) (+)= A(m×k) · B(n×k)ᵀ  — dX = dY·Wᵀ. */
export function gemmNT(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, accumulate: i32): void {
  gemm(m, n, k, a, <usize>k << 2, 4, 0, b, <usize>k << 2, 1, c, accumulate ? INIT_C : INIT_ZERO, 0, 0, 0, 0, 0);
}

/** C(m×n) (+)= A(k×m)ᵀ · B(k×n)  — dW = Xᵀ·dY. */
export function gemmTN(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, accumulate: i32): void {
  gemm(m, n, k, a, 4, <usize>m << 2, 1, b, <usize>n << 2, 0, c, accumulate ? INIT_C : INIT_ZERO, 0, 0, 0, 0, 0);
}

/**
 * Fused Dense forward: z(m×n) = x(m×k)·w(k×n) + bias (bias == 0: none), then y = activation(z) row block by
 * row block while the block is in cache (skipped when activation is linear and y == z; y == z is in place).
 */
export function denseForward(
  m: i32, n: i32, k: i32, x: usize, w: usize, bias: usize, z: usize, y: usize, activation: i32, alpha: f32,
): void {
  const epilogue = activation != ACTIVATION_LINEAR || y != z ? 1 : 0;
  const initMode = bias ? INIT_BIAS : INIT_ZERO;
  gemm(m, n, k, x, <usize>k << 2, 4, 0, w, <usize>n << 2, 0, z, initMode, bias, epilogue, activation, y, alpha);
}
