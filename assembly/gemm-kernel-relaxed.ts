// The 2×16 microkernel of gemm-kernel.ts with one fused multiply-add (f32x4.relaxed_madd) per product instead
// of a multiply and an add. Only the relaxed-SIMD builds reach it (gemm-block.ts picks it when the build has
// the feature), so the default module keeps its bits. NOTE: relaxed_madd may round once (FMA) or twice
// (mul + add) depending on the CPU, so results differ from the default build by rounding only (≤ 1e-5 relative
// on our shapes, tested), and may differ between machines: that is the price of "relaxed".
//
// The loop is kernel2x16's own (tile2x16 in gemm-kernel.ts, with fused = true): the same register budget less
// the product temporary (8 accumulators + 4 B vectors + 1 splat = 13 live v128).
import { tile2x16 } from "./gemm-kernel";

/** C[0..2, 0..16] = init + Σ_p A[r, p] · Bpacked[p, 0..16]; arguments as kernel2x16 in gemm-kernel.ts. */
export function kernel2x16Relaxed(
  depth: i32, a: usize, offset1: usize, aStep: usize, packedB: usize,
  c: usize, cStride: usize, loadInit: i32, init: usize, initStride: usize,
): void {
  tile2x16(true, depth, a, offset1, aStep, packedB, c, cStride, loadInit, init, initStride);
}
