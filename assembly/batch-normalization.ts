// BatchNormalization kernels: statistics per channel over every other axis of the batch.
//
// A batch is viewed as [outer, channels, inner], row-major: outer = rows × (sample axes before the channel axis),
// inner = product of the sample axes after it (1 for the usual last-axis channel). Two loop orders:
//
//   inner == 1 (channel axis last)          inner > 1 (channel axis inside the sample)
//   for o in outer:                         for c in channels:
//     for c in channels, 4 at a time:         for o in outer:
//       x[o, c .. c+3]   (f32x4 across c)       for i in inner, 4 at a time: x[o, c, i .. i+3]  (f32x4 along i)
//     scalar tail: channels % 4               scalar tail: inner % 4; the 4 lanes summed at the end
//
// Sums run in f32 in an order fixed by the sizes alone (reproducible). The layer keeps mean, 1/√(var + ε),
// scale = γ/√(var + ε) and shift = β per channel, so forward and backward are one element-wise pass each.

/** Per-element values the channel sums add up: f(a, b; p, q) with p, q per-channel parameters. */
// @ts-ignore: decorator
@final @unmanaged class SumA {
  // @ts-ignore: decorator
  @inline lane(a: v128, _b: v128, _p: v128, _q: v128): v128 { return a; }
}
// @ts-ignore: decorator
@final @unmanaged class SquaredDeviation {
  // @ts-ignore: decorator
  @inline lane(a: v128, _b: v128, p: v128, _q: v128): v128 { const d = f32x4.sub(a, p); return f32x4.mul(d, d); }
}
// @ts-ignore: decorator
@final @unmanaged class SumB {
  // @ts-ignore: decorator
  @inline lane(_a: v128, b: v128, _p: v128, _q: v128): v128 { return b; }
}
/** dy · x̂ with x̂ = (x − mean)·invStd. */
// @ts-ignore: decorator
@final @unmanaged class GradTimesNormalized {
  // @ts-ignore: decorator
  @inline lane(a: v128, b: v128, p: v128, q: v128): v128 { return f32x4.mul(b, f32x4.mul(f32x4.sub(a, p), q)); }
}

// @ts-ignore: decorator
@inline function horizontalSum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** out[c] = Σ_{o,i} Op(a[o,c,i], b[o,c,i]; p[c], q[c]). */
function channelSums<Op>(outer: i32, channels: i32, inner: i32, a: usize, b: usize, p: usize, q: usize, out: usize): void {
  const op = changetype<Op>(0);
  if (inner == 1) {
    const body = channels & ~3;
    const stride = <usize>channels << 2;
    let c = 0;
    for (; c < body; c += 4) {
      const offset = <usize>c << 2;
      const pv = v128.load(p + offset), qv = v128.load(q + offset);
      let acc = f32x4.splat(0);
      for (let o = 0; o < outer; o++) {
        const at = <usize>o * stride + offset;
        acc = f32x4.add(acc, op.lane(v128.load(a + at), v128.load(b + at), pv, qv));
      }
      v128.store(out + offset, acc);
    }
    for (; c < channels; c++) {
      const offset = <usize>c << 2;
      const pv = f32x4.splat(load<f32>(p + offset)), qv = f32x4.splat(load<f32>(q + offset));
      let acc: f32 = 0;
      for (let o = 0; o < outer; o++) {
        const at = <usize>o * stride + offset;
        acc += f32x4.extract_lane(op.lane(f32x4.splat(load<f32>(a + at)), f32x4.splat(load<f32>(b + at)), pv, qv), 0);
      }
      store<f32>(out + offset, acc);
    }
    return;
  }
  const body = inner & ~3;
  for (let c = 0; c < channels; c++) {
    const pv = f32x4.splat(load<f32>(p + (<usize>c << 2))), qv = f32x4.splat(load<f32>(q + (<usize>c << 2)));
    let acc = f32x4.splat(0);
    let tail: f32 = 0;
    for (let o = 0; o < outer; o++) {
      const run = (<usize>o * <usize>channels + <usize>c) * (<usize>inner << 2);
      let i = 0;
      for (; i < body; i += 4) {
        const at = run + (<usize>i << 2);
        acc = f32x4.add(acc, op.lane(v128.load(a + at), v128.load(b + at), pv, qv));
      }
      for (; i < inner; i++) {
        const at = run + (<usize>i << 2);
        tail += f32x4.extract_lane(op.lane(f32x4.splat(load<f32>(a + at)), f32x4.splat(load<f32>(b + at)), pv, qv), 0);
      }
    }
    store<f32>(out + (<usize>c << 2), horizontalSum(acc) + tail);
  }
}

/** v[c] ·= k over `count` floats. */
function scaleInPlace(count: i32, v: usize, k: f32): void {
  const kv = f32x4.splat(k);
  const body = count & ~3;
  let c = 0;
  for (; c < body; c += 4) v128.store(v + (<usize>c << 2), f32x4.mul(v128.load(v + (<usize>c << 2)), kv));
  for (; c < count; c++) store<f32>(v + (<usize>c << 2), load<f32>(v + (<usize>c << 2)) * k);
}

/**
 * mean[c] = Σ x / n and variance[c] = Σ (x − mean[c])² / n over n = outer·inner values per channel (the
 * population variance, as Keras 3's ops.moments and tf.moments; two passes, so no cancellation).
 */
export function batchNormMoments(outer: i32, channels: i32, inner: i32, x: usize, mean: usize, variance: usize): void {
  const n = <f32>outer * <f32>inner;
  channelSums<SumA>(outer, channels, inner, x, x, mean, mean, mean);
  scaleInPlace(channels, mean, 1 / n);
  channelSums<SquaredDeviation>(outer, channels, inner, x, x, mean, mean, variance);
  scaleInPlace(channels, variance, 1 / n);
}

/**
 * Per channel: invStd = 1 / √(variance + ε); scale = γ·invStd (invStd when gamma = 0, no γ); shift = β (0 when
 * beta = 0, no β).
 */
export function batchNormCoefficients(
  channels: i32, variance: usize, gamma: usize, beta: usize, epsilon: f32, invStd: usize, scale: usize, shift: usize,
): void {
  const one = f32x4.splat(1), eps = f32x4.splat(epsilon);
  const body = channels & ~3;
  let c = 0;
  for (; c < body; c += 4) {
    const o = <usize>c << 2;
    const inv = f32x4.div(one, f32x4.sqrt(f32x4.add(v128.load(variance + o), eps)));
    v128.store(invStd + o, inv);
    v128.store(scale + o, gamma ? f32x4.mul(v128.load(gamma + o), inv) : inv);
    v128.store(shift + o, beta ? v128.load(beta + o) : f32x4.splat(0));
  }
  for (; c < channels; c++) {
    const o = <usize>c << 2;
    const inv: f32 = 1 / Mathf.sqrt(load<f32>(variance + o) + epsilon);
    store<f32>(invStd + o, inv);
    store<f32>(scale + o, gamma ? load<f32>(gamma + o) * inv : inv);
    store<f32>(shift + o, beta ? load<f32>(beta + o) : 0);
  }
}

/**
 * out[o, c, i] = x·k[c] + (x − p[c])·s[c] + r[c] … specialised by `withSlope`: 0 gives y = (x − p)·k + r (the
 * forward: p = mean, k = scale, r = shift); 1 gives dx = dy·k + r + (x − p)·s (the backward, below).
 */
function channelAffine(
  outer: i32, channels: i32, inner: i32, x: usize, dy: usize, p: usize, k: usize, r: usize, s: usize, out: usize, withSlope: bool,
): void {
  if (inner == 1) {
    const body = channels & ~3;
    const stride = <usize>channels << 2;
    for (let o = 0; o < outer; o++) {
      const row = <usize>o * stride;
      let c = 0;
      for (; c < body; c += 4) {
        const at = row + (<usize>c << 2), pc = <usize>c << 2;
        const centred = f32x4.sub(v128.load(x + at), v128.load(p + pc));
        v128.store(out + at, withSlope
          ? f32x4.add(f32x4.add(f32x4.mul(v128.load(dy + at), v128.load(k + pc)), v128.load(r + pc)), f32x4.mul(centred, v128.load(s + pc)))
          : f32x4.add(f32x4.mul(centred, v128.load(k + pc)), v128.load(r + pc)));
      }
      for (; c < channels; c++) {
        const at = row + (<usize>c << 2), pc = <usize>c << 2;
        const centred = load<f32>(x + at) - load<f32>(p + pc);
        store<f32>(out + at, withSlope
          ? (load<f32>(dy + at) * load<f32>(k + pc) + load<f32>(r + pc)) + centred * load<f32>(s + pc)
          : centred * load<f32>(k + pc) + load<f32>(r + pc));
      }
    }
    return;
  }
  const body = inner & ~3;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const pc = <usize>c << 2;
      const ps = load<f32>(p + pc), ks = load<f32>(k + pc), rs = load<f32>(r + pc), ss = withSlope ? load<f32>(s + pc) : 0;
      const pv = f32x4.splat(ps), kv = f32x4.splat(ks), rv = f32x4.splat(rs), sv = f32x4.splat(ss);
      const run = (<usize>o * <usize>channels + <usize>c) * (<usize>inner << 2);
      let i = 0;
      for (; i < body; i += 4) {
        const at = run + (<usize>i << 2);
        const centred = f32x4.sub(v128.load(x + at), pv);
        v128.store(out + at, withSlope
          ? f32x4.add(f32x4.add(f32x4.mul(v128.load(dy + at), kv), rv), f32x4.mul(centred, sv))
          : f32x4.add(f32x4.mul(centred, kv), rv));
      }
      for (; i < inner; i++) {
        const at = run + (<usize>i << 2);
        const centred = load<f32>(x + at) - ps;
        store<f32>(out + at, withSlope ? (load<f32>(dy + at) * ks + rs) + centred * ss : centred * ks + rs);
      }
    }
  }
}

/** y = (x − mean[c])·scale[c] + shift[c] (tf.nn.batch_normalization / tfjs batchNorm with scale = γ/√(var + ε)). */
export function batchNormForward(outer: i32, channels: i32, inner: i32, x: usize, mean: usize, scale: usize, shift: usize, y: usize): void {
  channelAffine(outer, channels, inner, x, 0, mean, scale, shift, 0, y, false);
}

/**
 * The backward, with x̂ = (x − mean)·invStd and n = outer·inner values per channel:
 *   sumDy[c] = Σ dy          (β's gradient)        sumDyXhat[c] = Σ dy·x̂   (γ's gradient)
 *   batch statistics (training):  dx = scale·(dy − sumDy/n − x̂·sumDyXhat/n)
 *   moving statistics (inference, a frozen layer): dx = scale·dy (mean and variance are constants)
 * `u`, `v` are per-channel scratch; dx = 0 skips the input gradient.
 */
export function batchNormBackward(
  outer: i32, channels: i32, inner: i32, x: usize, dy: usize, mean: usize, invStd: usize, scale: usize,
  sumDy: usize, sumDyXhat: usize, u: usize, v: usize, dx: usize, batchStatistics: i32,
): void {
  channelSums<SumB>(outer, channels, inner, x, dy, mean, invStd, sumDy);
  channelSums<GradTimesNormalized>(outer, channels, inner, x, dy, mean, invStd, sumDyXhat);
  if (!dx) return;
  // dx = scale·dy + u + (x − mean)·v with u = −scale·sumDy/n and v = −scale·invStd·sumDyXhat/n (0 for moving statistics).
  const k: f32 = batchStatistics ? -1 / (<f32>outer * <f32>inner) : 0;
  const kv = f32x4.splat(k);
  const body = channels & ~3;
  let c = 0;
  for (; c < body; c += 4) {
    const o = <usize>c << 2;
    const sc = f32x4.mul(v128.load(scale + o), kv);
    v128.store(u + o, f32x4.mul(sc, v128.load(sumDy + o)));
    v128.store(v + o, f32x4.mul(f32x4.mul(sc, v128.load(invStd + o)), v128.load(sumDyXhat + o)));
  }
  for (; c < channels; c++) {
    const o = <usize>c << 2;
    const sc = load<f32>(scale + o) * k;
    store<f32>(u + o, sc * load<f32>(sumDy + o));
    store<f32>(v + o, sc * load<f32>(invStd + o) * load<f32>(sumDyXhat + o));
  }
  channelAffine(outer, channels, inner, x, dy, mean, scale, u, v, dx, true);
}

/** moving[c] = moving[c]·momentum + value[c]·(1 − momentum) (Keras 3's moving-statistics update). */
export function movingAverageUpdate(count: i32, moving: usize, value: usize, momentum: f32): void {
  const m = f32x4.splat(momentum), rest = f32x4.splat(1 - momentum);
  const body = count & ~3;
  let c = 0;
  for (; c < body; c += 4) {
    const o = <usize>c << 2;
    v128.store(moving + o, f32x4.add(f32x4.mul(v128.load(moving + o), m), f32x4.mul(v128.load(value + o), rest)));
  }
  for (; c < count; c++) {
    const o = <usize>c << 2;
    store<f32>(moving + o, load<f32>(moving + o) * momentum + load<f32>(value + o) * (1 - momentum));
  }
}
