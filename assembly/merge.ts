// Kernels of the merge layers (Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot) and of
// the graph's gradient sums. Each has an f32x4 main loop and a scalar tail doing the same arithmetic, so a
// value's result never depends on its position.

/** out[i] = a[i] + b[i] (Add, Average; the graph sums the gradients of a tensor that feeds several layers). */
export function addElementwise(a: usize, b: usize, out: usize, count: i32): void {
  const vectorEnd = count & ~3;
  let i = 0;
  for (; i < vectorEnd; i += 4) {
    const offset = <usize>i << 2;
    v128.store(out + offset, f32x4.add(v128.load(a + offset), v128.load(b + offset)));
  }
  for (; i < count; i++) {
    const offset = <usize>i << 2;
    store<f32>(out + offset, load<f32>(a + offset) + load<f32>(b + offset));
  }
}

/** out[i] = a[i] − b[i] (Subtract). */
export function subtractElementwise(a: usize, b: usize, out: usize, count: i32): void {
  const vectorEnd = count & ~3;
  let i = 0;
  for (; i < vectorEnd; i += 4) {
    const offset = <usize>i << 2;
    v128.store(out + offset, f32x4.sub(v128.load(a + offset), v128.load(b + offset)));
  }
  for (; i < count; i++) {
    const offset = <usize>i << 2;
    store<f32>(out + offset, load<f32>(a + offset) - load<f32>(b + offset));
  }
}

/** out[i] = a[i] · scale (Average's 1/n, Subtract's −1 in backward). */
export function scaleElementwise(a: usize, scale: f32, out: usize, count: i32): void {
  const factor = f32x4.splat(scale);
  const vectorEnd = count & ~3;
  let i = 0;
  for (; i < vectorEnd; i += 4) {
    const offset = <usize>i << 2;
    v128.store(out + offset, f32x4.mul(v128.load(a + offset), factor));
  }
  for (; i < count; i++) {
    const offset = <usize>i << 2;
    store<f32>(out + offset, load<f32>(a + offset) * scale);
  }
}

/** out[i] = max(a[i], b[i]) when `takeMax`, else min (Maximum, Minimum). NOTE: NaN-free inputs assumed. */
export function extremumElementwise(a: usize, b: usize, out: usize, count: i32, takeMax: bool): void {
  const vectorEnd = count & ~3;
  let i = 0;
  for (; i < vectorEnd; i += 4) {
    const offset = <usize>i << 2;
    const x = v128.load(a + offset);
    const y = v128.load(b + offset);
    // NOTE: pmax / pmin are plain compare-and-select, the same as the scalar tail below.
    v128.store(out + offset, takeMax ? f32x4.pmax(x, y) : f32x4.pmin(x, y));
  }
  for (; i < count; i++) {
    const offset = <usize>i << 2;
    const x = load<f32>(a + offset);
    const y = load<f32>(b + offset);
    store<f32>(out + offset, takeMax ? (x < y ? y : x) : (y < x ? y : x));
  }
}

/**
 * Backward of Maximum / Minimum for one input, taken in input order: where x[i] equals the result and the
 * gradient is still unclaimed, dx[i] takes it and `remaining[i]` becomes 0; elsewhere dx[i] = 0. So a tie
 * gives the whole gradient to the first input that holds the extremum, as TensorFlow's chain of pairwise
 * maximum ops does.
 */
export function claimExtremumGradient(x: usize, result: usize, remaining: usize, dx: usize, count: i32): void {
  const zero = f32x4.splat(0);
  const vectorEnd = count & ~3;
  let i = 0;
  for (; i < vectorEnd; i += 4) {
    const offset = <usize>i << 2;
    const hit = f32x4.eq(v128.load(x + offset), v128.load(result + offset));
    const rest = v128.load(remaining + offset);
    v128.store(dx + offset, v128.bitselect(rest, zero, hit));
    v128.store(remaining + offset, v128.bitselect(zero, rest, hit));
  }
  for (; i < count; i++) {
    const offset = <usize>i << 2;
    const rest = load<f32>(remaining + offset);
    if (load<f32>(x + offset) == load<f32>(result + offset)) {
      store<f32>(dx + offset, rest);
      store<f32>(remaining + offset, 0);
    } else {
      store<f32>(dx + offset, 0);
    }
  }
}

/**
 * Copies `blocks` runs of `width` floats, run b from src + b·srcStride to dst + b·dstStride (strides in
 * floats): Concatenate's forward (each input into its slice of the output) and backward (the slices back out).
 *
 *   for b in blocks:            one run per outer index (samples × axes before the concatenation axis)
 *     for c in width (SIMD):    dst[b·dstStride + c] = src[b·srcStride + c]
 */
export function copyBlocks(blocks: i32, width: i32, src: usize, srcStride: i32, dst: usize, dstStride: i32): void {
  const vectorEnd = width & ~3;
  for (let b = 0; b < blocks; b++) {
    const from = src + (<usize>(b * srcStride) << 2);
    const to = dst + (<usize>(b * dstStride) << 2);
    let c = 0;
    for (; c < vectorEnd; c += 4) v128.store(to + (<usize>c << 2), v128.load(from + (<usize>c << 2)));
    for (; c < width; c++) store<f32>(to + (<usize>c << 2), load<f32>(from + (<usize>c << 2)));
  }
}

/**
 * out[r] = Σ_c x[r, c] · y[r, c] (Dot of two vectors per sample).
 *
 *   for r in rows:
 *     acc = 0 (4 lanes)
 *     for c in cols (SIMD): acc += x[r, c] · y[r, c]
 *     out[r] = lane sum of acc + scalar tail
 */
export function rowDot(rows: i32, cols: i32, x: usize, y: usize, out: usize): void {
  const vectorEnd = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const rowOffset = <usize>(r * cols) << 2;
    let acc = f32x4.splat(0);
    let c = 0;
    for (; c < vectorEnd; c += 4) {
      const offset = rowOffset + (<usize>c << 2);
      acc = f32x4.add(acc, f32x4.mul(v128.load(x + offset), v128.load(y + offset)));
    }
    let sum = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
    for (; c < cols; c++) {
      const offset = rowOffset + (<usize>c << 2);
      sum += load<f32>(x + offset) * load<f32>(y + offset);
    }
    store<f32>(out + (<usize>r << 2), sum);
  }
}

/** out[r, c] = x[r, c] · scale[r] (Dot's backward: each row of the other input times the row's gradient). */
export function scaleRows(rows: i32, cols: i32, x: usize, scale: usize, out: usize): void {
  const vectorEnd = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const rowOffset = <usize>(r * cols) << 2;
    const s = load<f32>(scale + (<usize>r << 2));
    const factor = f32x4.splat(s);
    let c = 0;
    for (; c < vectorEnd; c += 4) {
      const offset = rowOffset + (<usize>c << 2);
      v128.store(out + offset, f32x4.mul(v128.load(x + offset), factor));
    }
    for (; c < cols; c++) {
      const offset = rowOffset + (<usize>c << 2);
      store<f32>(out + offset, load<f32>(x + offset) * s);
    }
  }
}

/**
 * Keras's l2 normalisation along the last axis (Dot's normalize): out[r, :] = x[r, :] / sqrt(max(Σ x², 1e-12)).
 * Writes 1 / sqrt(max(Σ x², 1e-12)) per row to `inverseNorms` for the backward, and whether the clamp was
 * inactive (Σ x² > 1e-12) as 1 or 0 to `unclamped`.
 */
export function rowL2Normalize(rows: i32, cols: i32, x: usize, out: usize, inverseNorms: usize, unclamped: usize): void {
  rowDot(rows, cols, x, x, inverseNorms);
  for (let r = 0; r < rows; r++) {
    const slot = inverseNorms + (<usize>r << 2);
    const squares = load<f32>(slot);
    store<f32>(unclamped + (<usize>r << 2), squares > 1e-12 ? 1 : 0);
    store<f32>(slot, 1 / Mathf.sqrt(squares > 1e-12 ? squares : 1e-12));
  }
  scaleRows(rows, cols, x, inverseNorms, out);
}

/**
 * Backward of rowL2Normalize: with x̂ = x / n, dx = (dx̂ − x̂ · (x̂ · dx̂)) / n where the clamp was inactive,
 * dx = dx̂ / n where it was (the norm is then the constant 1e-6). `scratch` holds `rows` floats.
 */
export function rowL2NormalizeBackward(
  rows: i32, cols: i32, normalized: usize, inverseNorms: usize, unclamped: usize, dy: usize, dx: usize, scratch: usize,
): void {
  rowDot(rows, cols, normalized, dy, scratch);
  const vectorEnd = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const rowOffset = <usize>(r * cols) << 2;
    const inverse = load<f32>(inverseNorms + (<usize>r << 2));
    const projection = load<f32>(unclamped + (<usize>r << 2)) * load<f32>(scratch + (<usize>r << 2));
    const inverseLanes = f32x4.splat(inverse);
    const projectionLanes = f32x4.splat(projection);
    let c = 0;
    for (; c < vectorEnd; c += 4) {
      const offset = rowOffset + (<usize>c << 2);
      const along = f32x4.mul(v128.load(normalized + offset), projectionLanes);
      v128.store(dx + offset, f32x4.mul(f32x4.sub(v128.load(dy + offset), along), inverseLanes));
    }
    for (; c < cols; c++) {
      const offset = rowOffset + (<usize>c << 2);
      store<f32>(dx + offset, (load<f32>(dy + offset) - load<f32>(normalized + offset) * projection) * inverse);
    }
  }
}
