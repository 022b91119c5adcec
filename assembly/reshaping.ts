// Reshaping kernels for Permute and RepeatVector: data movement (Permute, RepeatVector's forward) and the one
// reduction among them (RepeatVector's backward sums the repeats).

/** The odometer of permuteCopy: one index per axis but the last (ranks up to 9). */
const odometer = memory.data(32, 4);

/**
 * Permute: for each of `rows` samples of `size` values, out (row-major over outShape) takes
 * x[Σ_k index_k · srcStrides[k]], where index_k runs over outShape[k]. outShape and srcStrides are `rank` i32
 * values; the backward is the same kernel with the inverse permutation.
 *
 *   for r in rows:  for each output index (odometer over outShape, last axis fastest):  out[r, …] = x[r, offset]
 */
export function permuteCopy(rows: i32, rank: i32, size: i32, outShape: usize, srcStrides: usize, x: usize, out: usize): void {
  const last = rank - 1;
  const lastDim = load<i32>(outShape + (<usize>last << 2));
  const lastStride = load<i32>(srcStrides + (<usize>last << 2));
  const index = odometer;
  for (let r = 0; r < rows; r++) {
    const src = x + (<usize>r * <usize>size << 2);
    let dst = out + (<usize>r * <usize>size << 2);
    for (let k = 0; k < last; k++) store<i32>(index + (<usize>k << 2), 0);
    let base = 0;
    for (let done = 0; done < size; done += lastDim) {
      let at = base;
      for (let i = 0; i < lastDim; i++, at += lastStride, dst += 4) store<f32>(dst, load<f32>(src + (<usize>at << 2)));
      // Advance the odometer over axes last−1 … 0 and recompute the base offset incrementally.
      for (let k = last - 1; k >= 0; k--) {
        const p = index + (<usize>k << 2);
        const stride = load<i32>(srcStrides + (<usize>k << 2));
        const next = load<i32>(p) + 1;
        if (next < load<i32>(outShape + (<usize>k << 2))) {
          store<i32>(p, next);
          base += stride;
          break;
        }
        store<i32>(p, 0);
        base -= (next - 1) * stride;
      }
    }
  }
}

/** RepeatVector: out[r, k, :] = x[r, :] for k < n (a row copy each). */
export function repeatRows(rows: i32, n: i32, width: i32, x: usize, out: usize): void {
  const rowBytes = <usize>width << 2;
  for (let r = 0; r < rows; r++) {
    const src = x + <usize>r * rowBytes;
    for (let k = 0; k < n; k++) memory.copy(out + (<usize>r * <usize>n + <usize>k) * rowBytes, src, rowBytes);
  }
}

/** RepeatVector's backward: dx[r, :] = Σ_k dy[r, k, :], f32x4 along the row and a scalar tail. */
export function sumRepeats(rows: i32, n: i32, width: i32, dy: usize, dx: usize): void {
  const rowBytes = <usize>width << 2;
  const body = width & ~3;
  for (let r = 0; r < rows; r++) {
    const dst = dx + <usize>r * rowBytes;
    const first = dy + <usize>r * <usize>n * rowBytes;
    let j = 0;
    for (; j < body; j += 4) {
      const o = <usize>j << 2;
      let acc = v128.load(first + o);
      for (let k = 1; k < n; k++) acc = f32x4.add(acc, v128.load(first + <usize>k * rowBytes + o));
      v128.store(dst + o, acc);
    }
    for (; j < width; j++) {
      const o = <usize>j << 2;
      let acc = load<f32>(first + o);
      for (let k = 1; k < n; k++) acc += load<f32>(first + <usize>k * rowBytes + o);
      store<f32>(dst + o, acc);
    }
  }
}
