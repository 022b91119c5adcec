// Element-wise and per-column kernels for the small layers (Dropout, Normalization).
// Each has an f32x4 main loop and a scalar tail doing the same arithmetic, so a value's result never
// depends on its position.

/** out[i] = a[i] · b[i] (dropout: activations × mask, and its backward). */
export function multiplyElementwise(a: usize, b: usize, out: usize, count: i32): void {
  const vectorEnd = count & ~3;
  let i = 0;
  for (; i < vectorEnd; i += 4) {
    const offset = <usize>i << 2;
    v128.store(out + offset, f32x4.mul(v128.load(a + offset), v128.load(b + offset)));
  }
  for (; i < count; i++) {
    const offset = <usize>i << 2;
    store<f32>(out + offset, load<f32>(a + offset) * load<f32>(b + offset));
  }
}

/**
 * y[r, c] = (x[r, c] − shift[c]) / divisor[c] over rows × cols (Keras's Normalization: shift = mean,
 * divisor = max(sqrt(variance), ε)). A true division, not a reciprocal multiply, to match Keras's bits.
 */
export function subtractDivideColumns(rows: i32, cols: i32, x: usize, shift: usize, divisor: usize, y: usize): void {
  const vectorEnd = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const rowOffset = <usize>(r * cols) << 2;
    let c = 0;
    for (; c < vectorEnd; c += 4) {
      const offset = <usize>c << 2;
      const centred = f32x4.sub(v128.load(x + rowOffset + offset), v128.load(shift + offset));
      v128.store(y + rowOffset + offset, f32x4.div(centred, v128.load(divisor + offset)));
    }
    for (; c < cols; c++) {
      const offset = <usize>c << 2;
      store<f32>(y + rowOffset + offset, (load<f32>(x + rowOffset + offset) - load<f32>(shift + offset)) / load<f32>(divisor + offset));
    }
  }
}

/** dx[r, c] = dy[r, c] / divisor[c] (the backward of subtractDivideColumns). */
export function divideColumns(rows: i32, cols: i32, dy: usize, divisor: usize, dx: usize): void {
  const vectorEnd = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const rowOffset = <usize>(r * cols) << 2;
    let c = 0;
    for (; c < vectorEnd; c += 4) {
      const offset = <usize>c << 2;
      v128.store(dx + rowOffset + offset, f32x4.div(v128.load(dy + rowOffset + offset), v128.load(divisor + offset)));
    }
    for (; c < cols; c++) {
      const offset = <usize>c << 2;
      store<f32>(dx + rowOffset + offset, load<f32>(dy + rowOffset + offset) / load<f32>(divisor + offset));
    }
  }
}

/**
 * Index of the first NaN or ±Infinity among `count` floats, or −1: the input check of predict, in SIMD.
 * NOTE: x − x is 0 for every finite x and NaN otherwise, so one compare finds both kinds; and a sum of such
 * differences is NaN as soon as one of them is, so 16 floats take one compare and one branch. A block that
 * has one is searched again float by float, for the index.
 */
export function firstNonFinite(ptr: usize, count: i32): i32 {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 16 <= count; i += 16) {
    const at = ptr + (<usize>i << 2);
    const x0 = v128.load(at), x1 = v128.load(at, 16), x2 = v128.load(at, 32), x3 = v128.load(at, 48);
    const sum = f32x4.add(
      f32x4.add(f32x4.sub(x0, x0), f32x4.sub(x1, x1)),
      f32x4.add(f32x4.sub(x2, x2), f32x4.sub(x3, x3)),
    );
    if (v128.any_true(f32x4.ne(sum, zero))) break;
  }
  for (; i < count; i++) {
    const x = load<f32>(ptr + (<usize>i << 2));
    if (x - x != 0) return i;
  }
  return -1;
}
