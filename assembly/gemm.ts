// STUB: scalar reference forms with the final signatures; the GEMM work replaces this file with SIMD.
// All matrices are row-major f32. accumulate != 0 adds into C instead of overwriting it.

/** C(m×n) (+)= A(m×k) · B(k×n) */
export function gemmNN(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, accumulate: i32): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum: f32 = accumulate ? load<f32>(c + (<usize>(i * n + j) << 2)) : 0;
      for (let p = 0; p < k; p++) {
        sum += load<f32>(a + (<usize>(i * k + p) << 2)) * load<f32>(b + (<usize>(p * n + j) << 2));
      }
      store<f32>(c + (<usize>(i * n + j) << 2), sum);
    }
  }
}
