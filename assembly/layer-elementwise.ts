// Element-wise kernels of the small Keras layers: Rescaling, GaussianNoise, ReLU (with max_value, negative_slope
// and threshold) and PReLU. Each has an f32x4 main loop and a scalar tail doing the same arithmetic.

/** y = x·scale + offset (Rescaling; its backward is dx = dy·scale with offset 0). */
export function scaleShift(count: i32, x: usize, y: usize, scale: f32, offset: f32): void {
  const sv = f32x4.splat(scale), ov = f32x4.splat(offset);
  const body = count & ~3;
  let i = 0;
  for (; i < body; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(f32x4.mul(v128.load(x + o), sv), ov));
  }
  for (; i < count; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(x + o) * scale + offset);
  }
}

// NOTE: out = a + b (GaussianNoise: inputs + noise) is merge.ts's addElementwise(a, b, out, count), shared with Add.

/**
 * Keras 3's relu(x, negative_slope, max_value, threshold):
 *   y = clip(x > threshold ? x : 0, low, high) − negative_slope·max(threshold − x, 0)
 * with low = 0, high = max_value when a max_value is given, else low = −∞, high = +∞ (no clip).
 */
// @ts-ignore: decorator
@inline function reluLane(x: v128, low: v128, high: v128, threshold: v128, slope: v128): v128 {
  const kept = v128.and(x, f32x4.gt(x, threshold));
  const clipped = f32x4.min(f32x4.max(kept, low), high);
  return f32x4.sub(clipped, f32x4.mul(slope, f32x4.max(f32x4.sub(threshold, x), f32x4.splat(0))));
}

/** dx = dy·f'(x) for reluLane: 1 where x > threshold and low < x < high; negative_slope where x < threshold. */
// @ts-ignore: decorator
@inline function reluGradLane(x: v128, dy: v128, low: v128, high: v128, threshold: v128, slope: v128): v128 {
  const inside = v128.and(v128.and(f32x4.gt(x, threshold), f32x4.gt(x, low)), f32x4.lt(x, high));
  const below = f32x4.lt(x, threshold);
  return v128.or(v128.and(dy, inside), v128.and(f32x4.mul(dy, slope), below));
}

export function reluForward(count: i32, x: usize, y: usize, low: f32, high: f32, threshold: f32, slope: f32): void {
  const lv = f32x4.splat(low), hv = f32x4.splat(high), tv = f32x4.splat(threshold), sv = f32x4.splat(slope);
  const body = count & ~3;
  let i = 0;
  for (; i < body; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, reluLane(v128.load(x + o), lv, hv, tv, sv));
  }
  for (; i < count; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, f32x4.extract_lane(reluLane(f32x4.splat(load<f32>(x + o)), lv, hv, tv, sv), 0));
  }
}

export function reluBackward(count: i32, x: usize, dy: usize, dx: usize, low: f32, high: f32, threshold: f32, slope: f32): void {
  const lv = f32x4.splat(low), hv = f32x4.splat(high), tv = f32x4.splat(threshold), sv = f32x4.splat(slope);
  const body = count & ~3;
  let i = 0;
  for (; i < body; i += 4) {
    const o = <usize>i << 2;
    v128.store(dx + o, reluGradLane(v128.load(x + o), v128.load(dy + o), lv, hv, tv, sv));
  }
  for (; i < count; i++) {
    const o = <usize>i << 2;
    const lane = reluGradLane(f32x4.splat(load<f32>(x + o)), f32x4.splat(load<f32>(dy + o)), lv, hv, tv, sv);
    store<f32>(dx + o, f32x4.extract_lane(lane, 0));
  }
}

/**
 * PReLU (Keras 3: relu(x) − α·relu(−x)): y[r, j] = x > 0 ? x : α[j]·x over rows × width, α one row of `width`
 * values (the layer expands shared axes into it first: expandByIndex).
 */
export function preluForward(rows: i32, width: i32, x: usize, alpha: usize, y: usize): void {
  const zero = f32x4.splat(0);
  const body = width & ~3;
  for (let r = 0; r < rows; r++) {
    const row = <usize>r * <usize>width << 2;
    let j = 0;
    for (; j < body; j += 4) {
      const o = <usize>j << 2;
      const v = v128.load(x + row + o);
      v128.store(y + row + o, f32x4.sub(f32x4.max(v, zero), f32x4.mul(v128.load(alpha + o), f32x4.max(f32x4.neg(v), zero))));
    }
    for (; j < width; j++) {
      const o = <usize>j << 2;
      const v = load<f32>(x + row + o);
      store<f32>(y + row + o, max<f32>(v, 0) - load<f32>(alpha + o) * max<f32>(-v, 0));
    }
  }
}

/**
 * PReLU's backward: dx = dy where x > 0, α·dy where x < 0 (0 at 0, as relu′(0) = 0 on both sides); and
 * dα[j] = Σ_r dy·min(x, 0) (overwritten). dx = 0 skips the input gradient.
 */
export function preluBackward(rows: i32, width: i32, x: usize, dy: usize, alpha: usize, dx: usize, dalpha: usize): void {
  const zero = f32x4.splat(0);
  const body = width & ~3;
  memory.fill(dalpha, 0, <usize>width << 2);
  for (let r = 0; r < rows; r++) {
    const row = <usize>r * <usize>width << 2;
    let j = 0;
    for (; j < body; j += 4) {
      const o = <usize>j << 2;
      const v = v128.load(x + row + o), d = v128.load(dy + row + o);
      v128.store(dalpha + o, f32x4.add(v128.load(dalpha + o), f32x4.mul(d, f32x4.min(v, zero))));
      if (dx) {
        const positive = v128.and(d, f32x4.gt(v, zero));
        const negative = v128.and(f32x4.mul(d, v128.load(alpha + o)), f32x4.lt(v, zero));
        v128.store(dx + row + o, v128.or(positive, negative));
      }
    }
    for (; j < width; j++) {
      const o = <usize>j << 2;
      const v = load<f32>(x + row + o), d = load<f32>(dy + row + o);
      store<f32>(dalpha + o, load<f32>(dalpha + o) + d * min<f32>(v, 0));
      if (dx) store<f32>(dx + row + o, v > 0 ? d : v < 0 ? d * load<f32>(alpha + o) : 0);
    }
  }
}

/** out[j] = src[index[j]] for `count` i32 indices (PReLU's shared α, expanded to one per position). */
export function expandByIndex(count: i32, index: usize, src: usize, out: usize): void {
  for (let j = 0; j < count; j++) store<f32>(out + (<usize>j << 2), load<f32>(src + (<usize>load<i32>(index + (<usize>j << 2)) << 2)));
}

/** dst = 0 (dstCount values), then dst[index[j]] += src[j] (the backward of expandByIndex). */
export function sumByIndex(count: i32, index: usize, src: usize, dstCount: i32, dst: usize): void {
  memory.fill(dst, 0, <usize>dstCount << 2);
  for (let j = 0; j < count; j++) {
    const at = dst + (<usize>load<i32>(index + (<usize>j << 2)) << 2);
    store<f32>(at, load<f32>(at) + load<f32>(src + (<usize>j << 2)));
  }
}
