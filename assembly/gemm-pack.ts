// Packing operands into the layouts the microkernel streams (BLIS/GotoBLAS "packed micro-panels").
//
// B: one 16-column strip of op(B), depth rows of 16 contiguous floats, zero-padded past the last real column:
//
//   op(B) (depth × 16 of it)              packed strip (64 bytes a row, read with four v128.load)
//   p=0: b00 b01 … b0f                    [b00 … b03 | b04 … b07 | b08 … b0b | b0c … b0f]
//   p=1: b10 b11 … b1f          ──►       [b10 … b13 | …                               ]
//
// Why pack B: the strip is re-read once per 2-row tile of A, so it should sit in L1 contiguously. Left in
// place, NN's rows are n·4 bytes apart (512 B for n = 128), which maps every row to the same few L1 sets, and
// NT's strip is a transposed slice that cannot be read with vector loads at all. Packing makes all three forms
// run the same kernel on the same layout.

/** Copies `depth` rows (row stride `ld` bytes) of `cols` ≤ 16 columns into a strip, zero-padded. */
export function packRows(depth: i32, src: usize, ld: usize, cols: i32, dst: usize): void {
  if (cols == 16) {
    for (let p = 0; p < depth; p++) {
      v128.store(dst, v128.load(src));
      v128.store(dst, v128.load(src, 16), 16);
      v128.store(dst, v128.load(src, 32), 32);
      v128.store(dst, v128.load(src, 48), 48);
      src += ld;
      dst += 64;
    }
    return;
  }
  for (let p = 0; p < depth; p++) {
    let j = 0;
    for (; j < cols; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src + (<usize>j << 2)));
    for (; j < 16; j++) store<f32>(dst + (<usize>j << 2), 0);
    src += ld;
    dst += 64;
  }
}

/**
 * Packs the transpose of `cols` ≤ 16 rows of a row-major matrix: packed[p][j] = src[j·ld + p·4]. This is
 * NT, where B is n×k and a strip of Bᵀ is 16 rows of B read along k. Four k steps at a time go through
 * four 4×4 register transposes (rows j..j+3, j+4..j+7, …).
 *
 *   src row j:   x_j0 x_j1 x_j2 x_j3        unpack lo/hi, then 64-bit lo/hi      [x_0p x_1p x_2p x_3p], p = 0..3
 */
export function packColumns(depth: i32, src: usize, ld: usize, cols: i32, dst: usize): void {
  let p = 0;
  if (cols == 16) {
    for (; p + 4 <= depth; p += 4) {
      let row = src + (<usize>p << 2);
      for (let quad: usize = 0; quad < 64; quad += 16) {
        const r1 = row + ld, r2 = r1 + ld, r3 = r2 + ld;
        transpose4(v128.load(row), v128.load(r1), v128.load(r2), v128.load(r3), dst + quad);
        row = r3 + ld;
      }
      dst += 256;
    }
  }
  // Remaining k steps (and cut strips): one float at a time, zero past the last real column.
  for (; p < depth; p++) {
    let j = 0;
    for (; j < cols; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src + <usize>j * ld + (<usize>p << 2)));
    for (; j < 16; j++) store<f32>(dst + (<usize>j << 2), 0);
    dst += 64;
  }
}

/** Writes the 4×4 transpose of rows x0..x3 as 4 quads at dst, dst+64, dst+128, dst+192 (packed row stride). */
@inline function transpose4(x0: v128, x1: v128, x2: v128, x3: v128, dst: usize): void {
  const lo01 = i32x4.shuffle(x0, x1, 0, 4, 1, 5); // x00 x10 x01 x11
  const hi01 = i32x4.shuffle(x0, x1, 2, 6, 3, 7); // x02 x12 x03 x13
  const lo23 = i32x4.shuffle(x2, x3, 0, 4, 1, 5); // x20 x30 x21 x31
  const hi23 = i32x4.shuffle(x2, x3, 2, 6, 3, 7); // x22 x32 x23 x33
  v128.store(dst, i64x2.shuffle(lo01, lo23, 0, 2));       // x00 x10 x20 x30
  v128.store(dst, i64x2.shuffle(lo01, lo23, 1, 3), 64);   // x01 x11 x21 x31
  v128.store(dst, i64x2.shuffle(hi01, hi23, 0, 2), 128);  // x02 x12 x22 x32
  v128.store(dst, i64x2.shuffle(hi01, hi23, 1, 3), 192);  // x03 x13 x23 x33
}

/**
 * A for TN, where A is k×m row-major and the tile's 2 rows of Aᵀ are 2 adjacent floats of each row of A:
 *
 *   A (k×m):   p=0: … a[0,i] a[0,i+1] …          panel: [a0i a0i+1] [a1i a1i+1] [a2i a2i+1] …
 *              p=1: … a[1,i] a[1,i+1] …    ──►          (8 bytes a k step)
 *
 * Unpacked, consecutive k steps are m·4 bytes apart; for m a power of two they all fall into one or two L1
 * sets and every splat misses L1 (TN 512³ ran at 32 GFLOP/s instead of 38). `rows` ≤ 2; a missing row is 0.
 */
export function packPairs(depth: i32, src: usize, ld: usize, rows: i32, dst: usize): void {
  if (rows == 2) {
    for (let p = 0; p < depth; p++) {
      store<u64>(dst, load<u64>(src));
      src += ld;
      dst += 8;
    }
    return;
  }
  for (let p = 0; p < depth; p++) {
    store<f32>(dst, load<f32>(src));
    store<f32>(dst, 0, 4);
    src += ld;
    dst += 8;
  }
}
