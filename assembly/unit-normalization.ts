// UnitNormalization kernels: each row of `cols` values scaled to unit L2 norm, as Keras 3's
// ops.normalize(x, order=2, epsilon=1e-12):  y = x · min(1/√(Σ x²), 1/ε).
//
//   for r in rows:  pass 1: s = Σ x² (f32x4 along the row, scalar tail);  k = min(1/√s, 1/ε)
//                   pass 2: y = x·k
// k per row is kept for the backward.

// @ts-ignore: decorator
@inline function horizontalSum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** Σ a·b over one row of `cols` values. */
// @ts-ignore: decorator
@inline function rowDot(a: usize, b: usize, cols: i32): f32 {
  const body = cols & ~3;
  let acc = f32x4.splat(0);
  let tail: f32 = 0;
  let j = 0;
  for (; j < body; j += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(a + (<usize>j << 2)), v128.load(b + (<usize>j << 2))));
  for (; j < cols; j++) tail += load<f32>(a + (<usize>j << 2)) * load<f32>(b + (<usize>j << 2));
  return horizontalSum(acc) + tail;
}

/** y = row · k per row, k scalar. */
// @ts-ignore: decorator
@inline function rowScale(src: usize, dst: usize, cols: i32, k: f32): void {
  const kv = f32x4.splat(k);
  const body = cols & ~3;
  let j = 0;
  for (; j < body; j += 4) v128.store(dst + (<usize>j << 2), f32x4.mul(v128.load(src + (<usize>j << 2)), kv));
  for (; j < cols; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src + (<usize>j << 2)) * k);
}

/** y = x · k per row, k = min(1/√(Σ x²), 1/epsilon), written to `factors` (rows values). */
export function unitNormForward(rows: i32, cols: i32, x: usize, epsilon: f32, y: usize, factors: usize): void {
  for (let r = 0; r < rows; r++) {
    const row = x + (<usize>r * <usize>cols << 2);
    const k = min<f32>(1 / Mathf.sqrt(rowDot(row, row, cols)), 1 / epsilon);
    store<f32>(factors + (<usize>r << 2), k);
    rowScale(row, y + (<usize>r * <usize>cols << 2), cols, k);
  }
}

/**
 * dx = k·(dy − y·Σ dy·y) per row where the norm was used (k < 1/ε); dx = k·dy where the floor held (k is then a
 * constant). y is the forward's output.
 */
export function unitNormBackward(rows: i32, cols: i32, y: usize, dy: usize, factors: usize, epsilon: f32, dx: usize): void {
  const body = cols & ~3;
  const floor: f32 = 1 / epsilon;
  for (let r = 0; r < rows; r++) {
    const offset = <usize>r * <usize>cols << 2;
    const yr = y + offset, dyr = dy + offset, dxr = dx + offset;
    const k = load<f32>(factors + (<usize>r << 2));
    const projection: f32 = k < floor ? rowDot(dyr, yr, cols) : 0;
    const kv = f32x4.splat(k), pv = f32x4.splat(projection);
    let j = 0;
    for (; j < body; j += 4) {
      const o = <usize>j << 2;
      v128.store(dxr + o, f32x4.mul(kv, f32x4.sub(v128.load(dyr + o), f32x4.mul(v128.load(yr + o), pv))));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(dxr + o, k * (load<f32>(dyr + o) - load<f32>(yr + o) * projection));
    }
  }
}
