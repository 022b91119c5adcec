// One block of a matrix product, for the thread pool and the relaxed-SIMD builds: the same blocking as gemm.ts
// (GotoBLAS/BLIS: depth block → row block → 16-column strip → 2×16 tile), but over any sub-rectangle of C
// (leading dimension ldc) and with packing buffers the caller gives (`scratch`), because gemm.ts's static
// buffers are one per module and every thread of a shared memory would write the same ones.
//
//   C[i, j] (ldc bytes a row) = init + Σ_p op(A)[i, p] · op(B)[p, j]    for i < m, j < n of the block
//     op(A)[i, p] at a + i·aRowStride + p·aStep          (packA = 1: copy to 2-row panels first, as TN does)
//     op(B)[p, j] at b + p·ldb + j·4 (bByColumns = 0)  or  b + j·ldb + p·4 (bByColumns = 1)
//
// Every element is summed by the same microkernel in the same order as gemm.ts (init, then p = 0, 1, …, one
// rounding per multiply and per add), and blocking only stores partial sums and loads them back, so a block
// gives the bits the whole product gives: a product cut into blocks over threads equals the one-thread result.
// The relaxed-SIMD builds (ASC_FEATURE_RELAXED_SIMD) run kernel2x16Relaxed instead (FMA; not bit-equal).
//
//   scratch: ┌ packed B strip ─ DEPTH_BLOCK × 16 f32 ┐┌ packed A panels ─ A_BLOCK_FLOATS f32 ┐┌ edge tile 2×16 ┐
import { kernel2x16, TILE_COLS, TILE_ROWS } from "./gemm-kernel";
import { kernel2x16Relaxed } from "./gemm-kernel-relaxed";
import { packColumns, packPairs, packRows } from "./gemm-pack";
import { rowTimesMatrix } from "./gemm-row";

/** Largest depth block and A row block, as in gemm.ts (blocking changes speed, never the bits). */
const DEPTH_BLOCK = 800;
const A_BLOCK_FLOATS = 65536;
const PACKED_B_BYTES: usize = DEPTH_BLOCK * TILE_COLS * 4;
const PACKED_A_BYTES: usize = A_BLOCK_FLOATS * 4;
const EDGE_STRIDE: usize = TILE_COLS * 4;
const EDGE_BYTES: usize = <usize>TILE_ROWS * EDGE_STRIDE;

/** Bytes of scratch one gemmBlock call needs (one such buffer per thread). */
export function gemmBlockScratchBytes(): i32 {
  return <i32>(PACKED_B_BYTES + PACKED_A_BYTES + EDGE_BYTES);
}

/** initMode: 0 zeros, 1 C itself (accumulate), 2 the bias row (bias + column·4). */
export function gemmBlock(
  m: i32, n: i32, k: i32, a: usize, aRowStride: usize, aStep: usize, packA: i32,
  b: usize, ldb: usize, bByColumns: i32, c: usize, ldc: usize, initMode: i32, bias: usize, scratch: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (initMode != 1) fillBlock(m, n, c, ldc, initMode == 2 ? bias : 0);
    return;
  }
  if (m == 1 && !bByColumns) {
    rowTimesMatrix(n, k, a, aStep, b, ldb, c, initMode, bias);
    return;
  }
  const packedB = scratch;
  const packedA = scratch + PACKED_B_BYTES;
  const edgeTile = packedA + PACKED_A_BYTES;
  const blockCount = (k + DEPTH_BLOCK - 1) / DEPTH_BLOCK;
  const depthBlock = (k + blockCount - 1) / blockCount;
  for (let p0 = 0; p0 < k; p0 += depthBlock) {
    const depth = min(depthBlock, k - p0);
    const mode = p0 == 0 ? initMode : 1;
    const aDepth = a + <usize>p0 * aStep;
    const rowBlock = (A_BLOCK_FLOATS / depth) & ~(TILE_ROWS - 1);
    for (let i0 = 0; i0 < m; i0 += rowBlock) {
      const iEnd = min(i0 + rowBlock, m);
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
          tile(depth, aTile, rowStride, step, packedB, cColumn + <usize>i * ldc, ldc, rows, cols, mode, biasColumn, edgeTile);
          aTile += tileStride;
        }
      }
    }
  }
}

@inline function microkernel(
  depth: i32, a: usize, offset1: usize, aStep: usize, packedB: usize,
  c: usize, cStride: usize, loadInit: i32, init: usize, initStride: usize,
): void {
  if (ASC_FEATURE_RELAXED_SIMD) kernel2x16Relaxed(depth, a, offset1, aStep, packedB, c, cStride, loadInit, init, initStride);
  else kernel2x16(depth, a, offset1, aStep, packedB, c, cStride, loadInit, init, initStride);
}

/**
 * One tile, as computeTile in gemm-kernel.ts but staging cut tiles in this thread's edge tile: start values
 * in, the kernel over the padded tile (a missing row repeats the real one, padded B columns are zero), the
 * real part out — every real element sums in the same order as in a full tile.
 */
function tile(
  depth: i32, a: usize, rowStride: usize, aStep: usize, packedB: usize,
  c: usize, ldc: usize, rows: i32, cols: i32, initMode: i32, bias: usize, edgeTile: usize,
): void {
  const offset1 = rows > 1 ? rowStride : 0;
  if (rows == TILE_ROWS && cols == TILE_COLS) {
    if (initMode == 2) microkernel(depth, a, offset1, aStep, packedB, c, ldc, 1, bias, 0);
    else microkernel(depth, a, offset1, aStep, packedB, c, ldc, initMode, c, ldc);
    return;
  }
  for (let r = 0; r < TILE_ROWS; r++) {
    const tileRow = edgeTile + <usize>r * EDGE_STRIDE;
    for (let j = 0; j < TILE_COLS; j++) {
      let value: f32 = 0;
      if (r < rows && j < cols) {
        if (initMode == 1) value = load<f32>(c + <usize>r * ldc + (<usize>j << 2));
        else if (initMode == 2) value = load<f32>(bias + (<usize>j << 2));
      }
      store<f32>(tileRow + (<usize>j << 2), value);
    }
  }
  microkernel(depth, a, offset1, aStep, packedB, edgeTile, EDGE_STRIDE, initMode != 0 ? 1 : 0, edgeTile, EDGE_STRIDE);
  for (let r = 0; r < rows; r++) {
    const tileRow = edgeTile + <usize>r * EDGE_STRIDE;
    const cRow = c + <usize>r * ldc;
    for (let j = 0; j < cols; j++) store<f32>(cRow + (<usize>j << 2), load<f32>(tileRow + (<usize>j << 2)));
  }
}

/** Rows of the block = the n floats at `row` (the bias), or zeros when row == 0. */
function fillBlock(m: i32, n: i32, c: usize, ldc: usize, row: usize): void {
  for (let i = 0; i < m; i++) {
    const cRow = c + <usize>i * ldc;
    for (let j = 0; j < n; j++) store<f32>(cRow + (<usize>j << 2), row ? load<f32>(row + (<usize>j << 2)) : 0);
  }
}
