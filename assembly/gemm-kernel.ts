// The GEMM microkernel: one 2×16 tile of C from 2 rows of A and one packed 16-column strip of B.
//
// Register budget: V8's x64 backend hands out xmm0–xmm14 (xmm15 is its scratch). A 2×16 tile keeps
// 8 accumulators + 4 B vectors + 1 A splat + 1 product temporary = 14 live v128, so nothing spills. A 6×8
// tile (XNNPACK's choice on ARM) needs 16 and V8 spills one accumulator, which puts a store→load on that
// accumulator's dependency chain. Unrolling the k loop does not help either: TurboFan hoists every load of
// the unrolled body to its top and spills. Measured from L1 in Node 20 on x64 (Zen 4), GFLOP/s:
//   2×16: 42.7   5×8: 43.7   3×12: 42.4   4×8: 40.8   6×8: 26   4×8 unrolled ×2: 27
// The loop is issue-bound, and what costs is the address arithmetic: V8 folds a constant offset into a
// v128.load ([base+index+16]) but computes every splat address with its own lea, so two splats and four
// B loads (2×16) beat four splats and two B loads (4×8) for the same 8 mul + 8 add. 5×8 is a touch faster
// still but does not tile batch 32; 2×16 tiles our shapes (batch 32, widths 128/512/784) exactly.
//
// Summation order: every C element is   init + a[i,0]·b[0,j] + a[i,1]·b[1,j] + … + a[i,k-1]·b[k-1,j],
// added left to right in f32, one rounding per multiply and per add (no FMA). Blocking k only stores the
// partial sum to C and loads it back, which is exact, so the result depends on nothing but the operands:
// it is bit-identical to the plain scalar triple loop, in every runtime, for every form and tile position.

/** Rows × columns of one register tile. */
export const TILE_ROWS = 2;
export const TILE_COLS = 16;

@inline export function mulAdd(acc: v128, a: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(a, b));
}

/**
 * C[0..2, 0..16] = init + Σ_p A[r, p] · Bpacked[p, 0..16] over p < depth.
 *
 *   A: row 0, step p at a + p·aStep; row 1 at a + offset1 + p·aStep
 *      NN/NT: A is m×k row-major → offset1 = k·4, aStep 4.   TN (packed pairs): offset1 = 4, aStep 8.
 *   packedB: depth rows of 16 contiguous floats (see gemm-pack.ts)   ┌ p=0: b0 b1 … b15 ┐
 *                                                                    └ p=1: b0 b1 … b15 ┘ …
 *   C:    row r at c + r·cStride, 16 floats.
 *   init: loadInit = 0 → zeros; else row r starts from init + r·initStride (C itself to accumulate,
 *         or the bias strip with initStride 0).
 */
export function kernel2x16(
  depth: i32, a: usize, offset1: usize, aStep: usize, packedB: usize,
  c: usize, cStride: usize, loadInit: i32, init: usize, initStride: usize,
): void {
  tile2x16(false, depth, a, offset1, aStep, packedB, c, cStride, loadInit, init, initStride);
}

/**
 * The one body of the 2×16 kernels: kernel2x16 here (fused = false: a multiply, then an add) and
 * kernel2x16Relaxed in gemm-kernel-relaxed.ts (fused = true: one relaxed_madd). Inlined into each with `fused`
 * a constant, so each compiles to its own loop with nothing of the other; the relaxed instruction exists only
 * in builds with the relaxed-SIMD feature (ASC_FEATURE_RELAXED_SIMD is a compile-time constant).
 */
@inline export function tile2x16(
  fused: bool, depth: i32, a: usize, offset1: usize, aStep: usize, packedB: usize,
  c: usize, cStride: usize, loadInit: i32, init: usize, initStride: usize,
): void {
  let c00 = f32x4.splat(0), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
  if (loadInit) {
    c00 = v128.load(init); c01 = v128.load(init, 16); c02 = v128.load(init, 32); c03 = v128.load(init, 48);
    init += initStride;
    c10 = v128.load(init); c11 = v128.load(init, 16); c12 = v128.load(init, 32); c13 = v128.load(init, 48);
  }
  // NOTE: loop on the B pointer alone (no counter) and keep the body to one k step; this is the form V8
  // compiles to 8 mul + 8 add + 6 loads with no spills.
  const bEnd = packedB + (<usize>depth << 6);
  // NOTE: the loop's B pointer restarts from an i32 sum, not from the parameter: V8 then knows its upper 32 bits
  // are zero and addresses memory with it directly, where from a parameter it re-zero-extends it into another
  // register every k step. The one-thread builds pass a constant (gemm.ts) and never paid; the threaded builds'
  // per-thread packing buffer did: measured, 12–17% off every GEMM (one extra mov in a ~31-instruction loop).
  packedB = bEnd - (<usize>depth << 6);
  while (packedB < bEnd) {
    const b0 = v128.load(packedB);
    const b1 = v128.load(packedB, 16);
    const b2 = v128.load(packedB, 32);
    const b3 = v128.load(packedB, 48);
    let s = v128.load32_splat(a);
    c00 = tileMulAdd(fused, c00, s, b0);
    c01 = tileMulAdd(fused, c01, s, b1);
    c02 = tileMulAdd(fused, c02, s, b2);
    c03 = tileMulAdd(fused, c03, s, b3);
    s = v128.load32_splat(a + offset1);
    c10 = tileMulAdd(fused, c10, s, b0);
    c11 = tileMulAdd(fused, c11, s, b1);
    c12 = tileMulAdd(fused, c12, s, b2);
    c13 = tileMulAdd(fused, c13, s, b3);
    a += aStep;
    packedB += 64;
  }
  v128.store(c, c00); v128.store(c, c01, 16); v128.store(c, c02, 32); v128.store(c, c03, 48);
  c += cStride;
  v128.store(c, c10); v128.store(c, c11, 16); v128.store(c, c12, 32); v128.store(c, c13, 48);
}

/** acc + a·b: one relaxed_madd when fused (relaxed-SIMD builds only), else a multiply and an add. */
@inline function tileMulAdd(fused: bool, acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    if (fused) return f32x4.relaxed_madd(a, b, acc);
  }
  return mulAdd(acc, a, b);
}
