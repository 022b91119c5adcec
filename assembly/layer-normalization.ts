// LayerNormalization kernels: each row of `cols` values (a sample's normalized axes, flattened) is normalized
// on its own, then scaled by γ and shifted by β per position (γ, β of `cols` values, shared by every row).
//
//   for r in rows:
//     pass 1: mean = Σ x / cols                      (skipped with rms: mean = 0)
//     pass 2: var  = Σ (x − mean)² / cols;  invStd = 1 / √(var + ε)
//     pass 3: y = (x − mean)·invStd·γ + β            (rms: y = x·invStd·γ, Keras 3's rms_scaling)
//   each pass: f32x4 along the row, scalar tail for cols % 4.
//
// mean and invStd per row are kept for the backward.

// @ts-ignore: decorator
@inline function horizontalSum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** Σ (row[j] − shift)^power over a row, power 1 or 2. */
// @ts-ignore: decorator
@inline function rowSum(row: usize, cols: i32, shift: f32, square: bool): f32 {
  const sv = f32x4.splat(shift);
  const body = cols & ~3;
  let acc = f32x4.splat(0);
  let tail: f32 = 0;
  let j = 0;
  for (; j < body; j += 4) {
    const d = f32x4.sub(v128.load(row + (<usize>j << 2)), sv);
    acc = f32x4.add(acc, square ? f32x4.mul(d, d) : d);
  }
  for (; j < cols; j++) {
    const d = load<f32>(row + (<usize>j << 2)) - shift;
    tail += square ? d * d : d;
  }
  return horizontalSum(acc) + tail;
}

/**
 * y = (x − mean)·invStd·γ + β per row (rms ≠ 0: mean = 0 and no β, y = x·invStd·γ with var = mean(x²)).
 * gamma, beta: `cols` values each, or 0 for none. mean, invStd: `rows` values written for the backward.
 */
export function layerNormForward(
  rows: i32, cols: i32, x: usize, gamma: usize, beta: usize, epsilon: f32, rms: i32, y: usize, mean: usize, invStd: usize,
): void {
  const body = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const row = x + (<usize>r * <usize>cols << 2);
    const out = y + (<usize>r * <usize>cols << 2);
    const m: f32 = rms ? 0 : rowSum(row, cols, 0, false) / <f32>cols;
    const inv: f32 = 1 / Mathf.sqrt(rowSum(row, cols, m, true) / <f32>cols + epsilon);
    store<f32>(mean + (<usize>r << 2), m);
    store<f32>(invStd + (<usize>r << 2), inv);
    const mv = f32x4.splat(m), iv = f32x4.splat(inv);
    let j = 0;
    for (; j < body; j += 4) {
      const o = <usize>j << 2;
      let v = f32x4.mul(f32x4.sub(v128.load(row + o), mv), iv);
      if (gamma) v = f32x4.mul(v, v128.load(gamma + o));
      if (beta) v = f32x4.add(v, v128.load(beta + o));
      v128.store(out + o, v);
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      let v = (load<f32>(row + o) - m) * inv;
      if (gamma) v *= load<f32>(gamma + o);
      if (beta) v += load<f32>(beta + o);
      store<f32>(out + o, v);
    }
  }
}

/**
 * The backward, with x̂ = (x − mean)·invStd and g = dy·γ (dy when no γ):
 *   dγ[j] = Σ_r dy·x̂      dβ[j] = Σ_r dy      (overwritten; 0 pointers skip them)
 *   dx = invStd·(g − mean_j(g) − x̂·mean_j(g·x̂))     (rms: without the mean_j(g) term, since mean = 0 is no statistic)
 * dx = 0 skips the input gradient.
 */
export function layerNormBackward(
  rows: i32, cols: i32, x: usize, dy: usize, gamma: usize, mean: usize, invStd: usize, rms: i32,
  dgamma: usize, dbeta: usize, dx: usize,
): void {
  const body = cols & ~3;
  if (dgamma) memory.fill(dgamma, 0, <usize>cols << 2);
  if (dbeta) memory.fill(dbeta, 0, <usize>cols << 2);
  const invCols: f32 = 1 / <f32>cols;
  for (let r = 0; r < rows; r++) {
    const offset = <usize>r * <usize>cols << 2;
    const xr = x + offset, dyr = dy + offset;
    const m = load<f32>(mean + (<usize>r << 2)), inv = load<f32>(invStd + (<usize>r << 2));
    const mv = f32x4.splat(m), iv = f32x4.splat(inv);
    // Pass 1: the parameter gradients and the two row means of the input gradient.
    let sumG = f32x4.splat(0), sumGX = f32x4.splat(0);
    let tailG: f32 = 0, tailGX: f32 = 0;
    let j = 0;
    for (; j < body; j += 4) {
      const o = <usize>j << 2;
      const d = v128.load(dyr + o);
      const xhat = f32x4.mul(f32x4.sub(v128.load(xr + o), mv), iv);
      if (dgamma) v128.store(dgamma + o, f32x4.add(v128.load(dgamma + o), f32x4.mul(d, xhat)));
      if (dbeta) v128.store(dbeta + o, f32x4.add(v128.load(dbeta + o), d));
      const g = gamma ? f32x4.mul(d, v128.load(gamma + o)) : d;
      sumG = f32x4.add(sumG, g);
      sumGX = f32x4.add(sumGX, f32x4.mul(g, xhat));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      const d = load<f32>(dyr + o);
      const xhat = (load<f32>(xr + o) - m) * inv;
      if (dgamma) store<f32>(dgamma + o, load<f32>(dgamma + o) + d * xhat);
      if (dbeta) store<f32>(dbeta + o, load<f32>(dbeta + o) + d);
      const g = gamma ? d * load<f32>(gamma + o) : d;
      tailG += g;
      tailGX += g * xhat;
    }
    if (!dx) continue;
    const meanG: f32 = rms ? 0 : (horizontalSum(sumG) + tailG) * invCols;
    const meanGX: f32 = (horizontalSum(sumGX) + tailGX) * invCols;
    const mgv = f32x4.splat(meanG), mgxv = f32x4.splat(meanGX);
    // Pass 2: the input gradient.
    const dxr = dx + offset;
    j = 0;
    for (; j < body; j += 4) {
      const o = <usize>j << 2;
      const d = v128.load(dyr + o);
      const xhat = f32x4.mul(f32x4.sub(v128.load(xr + o), mv), iv);
      const g = gamma ? f32x4.mul(d, v128.load(gamma + o)) : d;
      v128.store(dxr + o, f32x4.mul(iv, f32x4.sub(f32x4.sub(g, mgv), f32x4.mul(xhat, mgxv))));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      const xhat = (load<f32>(xr + o) - m) * inv;
      const g = gamma ? load<f32>(dyr + o) * load<f32>(gamma + o) : load<f32>(dyr + o);
      store<f32>(dxr + o, inv * ((g - meanG) - xhat * meanGX));
    }
  }
}
