// The 2×16 microkernel of gemm-kernel.ts with one fused multiply-add (f32x4.relaxed_madd) per product instead
// of a multiply and an add. Only the relaxed-SIMD builds reach it (gemm-block.ts picks it when the build has
// the feature), so the default module keeps its bits. NOTE: relaxed_madd may round once (FMA) or twice
// (mul + add) depending on the CPU, so results differ from the default build by rounding only (≤ 1e-5 relative
// on our shapes, tested), and may differ between machines: that is the price of "relaxed".
//
// Same loop and register budget as kernel2x16 (8 accumulators + 4 B vectors + 1 splat = 13 live v128; the
// product temporary is gone).

/** C[0..2, 0..16] = init + Σ_p A[r, p] · Bpacked[p, 0..16]; arguments as kernel2x16 in gemm-kernel.ts. */
export function kernel2x16Relaxed(
  depth: i32, a: usize, offset1: usize, aStep: usize, packedB: usize,
  c: usize, cStride: usize, loadInit: i32, init: usize, initStride: usize,
): void {
  let c00 = f32x4.splat(0), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
  if (loadInit) {
    c00 = v128.load(init); c01 = v128.load(init, 16); c02 = v128.load(init, 32); c03 = v128.load(init, 48);
    init += initStride;
    c10 = v128.load(init); c11 = v128.load(init, 16); c12 = v128.load(init, 32); c13 = v128.load(init, 48);
  }
  const bEnd = packedB + (<usize>depth << 6);
  while (packedB < bEnd) {
    const b0 = v128.load(packedB);
    const b1 = v128.load(packedB, 16);
    const b2 = v128.load(packedB, 32);
    const b3 = v128.load(packedB, 48);
    let s = v128.load32_splat(a);
    c00 = f32x4.relaxed_madd(s, b0, c00);
    c01 = f32x4.relaxed_madd(s, b1, c01);
    c02 = f32x4.relaxed_madd(s, b2, c02);
    c03 = f32x4.relaxed_madd(s, b3, c03);
    s = v128.load32_splat(a + offset1);
    c10 = f32x4.relaxed_madd(s, b0, c10);
    c11 = f32x4.relaxed_madd(s, b1, c11);
    c12 = f32x4.relaxed_madd(s, b2, c12);
    c13 = f32x4.relaxed_madd(s, b3, c13);
    a += aStep;
    packedB += 64;
  }
  v128.store(c, c00); v128.store(c, c01, 16); v128.store(c, c02, 32); v128.store(c, c03, 48);
  c += cStride;
  v128.store(c, c10); v128.store(c, c11, 16); v128.store(c, c12, 32); v128.store(c, c13, 48);
}
