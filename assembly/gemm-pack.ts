// Packing one 8-column strip of op(B) into the layout the microkernel streams (BLIS/GotoBLAS "packed B
// micro-panel"): depth rows of 8 contiguous floats, zero-padded past the last real column.
//
//   op(B) (depth × cols of it)             packed strip (32 bytes a row, read with two v128.load)
//   p=0: b00 b01 … b07                     [b00 b01 b02 b03 | b04 b05 b06 b07]
//   p=1: b10 b11 … b17          ──►        [b10 b11 b12 b13 | b14 b15 b16 b17]
//   …                                      …
//
// Why pack: the strip is re-read once per 4-row tile of A, so it should sit in L1 contiguously. Left in place,
// NN's rows are n·4 bytes apart (512 B for n = 128), which maps every row to the same few L1 sets, and NT's
// strip is a transposed slice that cannot be read with vector loads at all. Packing makes all three forms run
// the same kernel on the same layout.

/** Copies rows p0.. of a row-major matrix (row stride `ld` bytes) columns j..j+cols (cols ≤ 8), zero-padded. */
export function packRows(depth: i32, src: usize, ld: usize, cols: i32, dst: usize): void {
  if (cols == 8) {
    for (let p = 0; p < depth; p++) {
      v128.store(dst, v128.load(src));
      v128.store(dst, v128.load(src, 16), 16);
      src += ld;
      dst += 32;
    }
    return;
  }
  for (let p = 0; p < depth; p++) {
    let j = 0;
    for (; j < cols; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src + (<usize>j << 2)));
    for (; j < 8; j++) store<f32>(dst + (<usize>j << 2), 0);
    src += ld;
    dst += 32;
  }
}

/**
 * Packs the transpose of `cols` (≤ 8) rows of a row-major matrix: packed[p][j] = src[j·ld + p·4], for
 * NT where B is n×k and the strip of Bᵀ is 8 rows of B read along k. Four k steps at a time go through two
 * 4×4 register transposes (rows j..j+3 and j+4..j+7).
 *
 *   src row j:   x_j0 x_j1 x_j2 x_j3        unpack lo/hi          [x_0p x_1p x_2p x_3p] for p = 0..3
 */
export function packColumns(depth: i32, src: usize, ld: usize, cols: i32, dst: usize): void {
  let p = 0;
  if (cols == 8) {
    const r1 = src + ld, r2 = r1 + ld, r3 = r2 + ld, r4 = r3 + ld, r5 = r4 + ld, r6 = r5 + ld, r7 = r6 + ld;
    for (; p + 4 <= depth; p += 4) {
      const at = <usize>p << 2;
      transpose4(v128.load(src + at), v128.load(r1 + at), v128.load(r2 + at), v128.load(r3 + at), dst);
      transpose4(v128.load(r4 + at), v128.load(r5 + at), v128.load(r6 + at), v128.load(r7 + at), dst + 16);
      dst += 128;
    }
  }
  // Remaining k steps (and cut strips): one float at a time, zero past the last real column.
  for (; p < depth; p++) {
    let j = 0;
    for (; j < cols; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src + <usize>j * ld + (<usize>p << 2)));
    for (; j < 8; j++) store<f32>(dst + (<usize>j << 2), 0);
    dst += 32;
  }
}

/** Writes the 4×4 transpose of rows x0..x3 as 4 quads at dst, dst+32, dst+64, dst+96 (packed row stride). */
@inline function transpose4(x0: v128, x1: v128, x2: v128, x3: v128, dst: usize): void {
  const lo01 = i32x4.shuffle(x0, x1, 0, 4, 1, 5); // x00 x10 x01 x11
  const hi01 = i32x4.shuffle(x0, x1, 2, 6, 3, 7); // x02 x12 x03 x13
  const lo23 = i32x4.shuffle(x2, x3, 0, 4, 1, 5); // x20 x30 x21 x31
  const hi23 = i32x4.shuffle(x2, x3, 2, 6, 3, 7); // x22 x32 x23 x33
  v128.store(dst, i64x2.shuffle(lo01, lo23, 0, 2));      // x00 x10 x20 x30
  v128.store(dst, i64x2.shuffle(lo01, lo23, 1, 3), 32);  // x01 x11 x21 x31
  v128.store(dst, i64x2.shuffle(hi01, hi23, 0, 2), 64);  // x02 x12 x22 x32
  v128.store(dst, i64x2.shuffle(hi01, hi23, 1, 3), 96);  // x03 x13 x23 x33
}

/**
 * Packs rows i..i+rows (rows ≤ 4) of Aᵀ for TN, where A is k×m row-major, into one 4-float-a-step panel:
 *
 *   A (k×m):   p=0: … a[0,i] a[0,i+1] a[0,i+2] a[0,i+3] …        panel: [a0i a0i+1 a0i+2 a0i+3]
 *              p=1: … a[1,i] a[1,i+1] a[1,i+2] a[1,i+3] …   ──►         [a1i a1i+1 a1i+2 a1i+3] …
 *
 * Unpacked, consecutive k steps are m·4 bytes apart; for m a power of two they all fall into one or two L1
 * sets and every splat misses L1 (TN 512³ ran at 32 GFLOP/s instead of 38). Rows past `rows` are zeros.
 */
export function packQuads(depth: i32, src: usize, ld: usize, rows: i32, dst: usize): void {
  if (rows == 4) {
    for (let p = 0; p < depth; p++) {
      v128.store(dst, v128.load(src));
      src += ld;
      dst += 16;
    }
    return;
  }
  for (let p = 0; p < depth; p++) {
    let r = 0;
    for (; r < rows; r++) store<f32>(dst + (<usize>r << 2), load<f32>(src + (<usize>r << 2)));
    for (; r < 4; r++) store<f32>(dst + (<usize>r << 2), 0);
    src += ld;
    dst += 16;
  }
}
