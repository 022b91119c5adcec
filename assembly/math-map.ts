// The one element-wise loop every unary SIMD kernel shares: f32x4 body, then a scalar tail that splats the
// leftover value into a vector and runs the *same* lane function, so a value's result never depends on
// whether it sits in the body or the tail.
//
// Op is a stateless `@final @unmanaged` class with an `@inline forward(x: v128, alpha: v128): v128` method
// (mapUnary) or `@inline backward(u: v128, dy: v128, alpha: v128): v128` (mapBinary).
// The loop is generic over it, so each Op gets its own loop with the lane function inlined (no indirect call
// and no switch per element). `changetype<Op>(0)` is a null instance: the methods never read `this`.

export function mapUnary<Op>(count: i32, x: usize, y: usize, alpha: f32): void {
  const op = changetype<Op>(0);
  const a = f32x4.splat(alpha);
  const body = count & ~3;
  let i = 0;
  for (; i < body; i += 4) {
    const offset = <usize>i << 2;
    v128.store(y + offset, op.forward(v128.load(x + offset), a));
  }
  for (; i < count; i++) {
    const offset = <usize>i << 2;
    store<f32>(y + offset, f32x4.extract_lane(op.forward(f32x4.splat(load<f32>(x + offset)), a), 0));
  }
}

/** The same loop over two inputs (for gradients: dz = g(u, dy)). */
export function mapBinary<Op>(count: i32, u: usize, v: usize, out: usize, alpha: f32): void {
  const op = changetype<Op>(0);
  const a = f32x4.splat(alpha);
  const body = count & ~3;
  let i = 0;
  for (; i < body; i += 4) {
    const offset = <usize>i << 2;
    v128.store(out + offset, op.backward(v128.load(u + offset), v128.load(v + offset), a));
  }
  for (; i < count; i++) {
    const offset = <usize>i << 2;
    const lane = op.backward(f32x4.splat(load<f32>(u + offset)), f32x4.splat(load<f32>(v + offset)), a);
    store<f32>(out + offset, f32x4.extract_lane(lane, 0));
  }
}
