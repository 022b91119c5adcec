// Adam's update with a shortcut for "stuck" subnormal moments, giving exactly adamUpdate's bits.
//
// Why: a weight whose gradient is exactly 0 step after step (a dead ReLU unit's column, an input feature that
// is always 0) has its first moment decay m ← m − m·(1 − β1) into the subnormal range, where it stops: with
// m = k·2⁻¹⁴⁹ and k·(1 − β1) ≤ ½, the product rounds to 0 and m never changes again. From then on every
// operation of the update on that lane has a subnormal input or output, which x86 runs through a microcode
// assist: on the bench model (784-128-64-10, 106 of 128 first-layer units dead after a few epochs on random
// labels) 80 % of the moments are stuck and Adam takes ~1.7× as long as on normal numbers.
//
// For a stuck lane (g = 0, 1 ≤ |bits(m)| ≤ K) the results are known without subnormal arithmetic:
//   m' = m                               (the product rounds to ±0, m + ±0 = m)
//   v' = v + (0·0 − v)·(1 − β2)          (normal arithmetic, as in adamUpdate)
//   vhat' = max(vhat, v')                (AMSGrad)
//   w' = w (after weight decay)          when |w| ≥ T: u = m'·α / (√v' + ε) has |u| ≤ 2⁻¹⁴⁷·α/ε·(1 + 2⁻²²) < ulp(w)/4,
//                                        so w − u rounds to w (T = max(2⁻¹⁰⁰, 2⁻¹¹⁸·α/ε) leaves a margin; ε > 0)
// A group of four stuck lanes skips the multiply, square root and division; a group with some stuck lanes
// runs the usual operations with 0 for their m (giving w' = w − 0 = w for them) and keeps their m.
//
// NOTE: measured on this machine (AMD EPYC, Node 20; Adam states of the bench model after 2, 6, 8 and 14 epochs
// of 128 steps, each call on a restored copy, min of 80), µs a call, plain loop / with this shortcut:
//   epoch 2 (no subnormal m) 57 / 110;  epoch 6 (m in transit: subnormal, not yet stuck) 196 / 604;
//   epoch 8: 161 / 286;  epoch 14 (mostly stuck) 159 / 110.
// So the shortcut pays only once most moments are stuck (the probe in ts/optimizers/adam.ts finds that), and the
// ~150 steps a moment spends in transit cost Adam ~3×: a multiply with a subnormal operand is the slow operation
// there (the plain loop with m' computed without its multiply ran at 59 µs on the epoch-6 state). An exact
// integer path for those lanes (m = ±k·2⁻¹⁴⁹: m' and m'·α as rounded integer products, u = f32(p)/d scaled
// by 2⁻¹⁴⁹) gave the same bits on all of these states but ran at 763 µs on epoch 6 (+20 µs on epoch 2): V8's code
// for the larger inlined SIMD body, not the arithmetic, was the cost (the same body without its 64-bit products
// still took 666 µs). What a next attempt must cover: at epoch 6 only 27 % of the moments are subnormal; more
// lanes have a normal m whose products m·(1 − β1) or m·α are subnormal, and a group that keeps one slow multiply
// stays slow whatever else it does (only computing the masks, then the plain loop: 250 µs against 152 µs).
import { adamLanes, adamSecondMoment } from "./optimizers-adam-lanes";
import { at, decayV } from "./optimizers-common";

/** 2⁻¹¹⁸ and 2⁻¹⁰⁰ (AssemblyScript has no hexadecimal float literals). */
const TWO_POW_MINUS_118: f64 = 3.0092655381050556e-36;
const TWO_POW_MINUS_100: f64 = 7.888609052210118e-31;

/**
 * The largest k ≤ 2²² with k·c ≤ ½ (exact in f64: k < 2²³ and c has 24 bits), i.e. the subnormal moments
 * k·2⁻¹⁴⁹ that `m·c` rounds to 0 (ties to even: ½ → 0); 0 when c is not positive.
 */
function stuckLimit(c: f32): i32 {
  if (!(c > 0)) return 0;
  let k = <i32>Math.min(<f64>0x400000, Math.floor(0.5 / <f64>c));
  while (k > 0 && <f64>k * <f64>c > 0.5) k--;
  while (k < 0x400000 && <f64>(k + 1) * <f64>c <= 0.5) k++;
  return k;
}

/**
 * adamUpdate's loop over the first end4 floats (a multiple of 4; adamUpdate runs the scalar tail), with the
 * stuck-lane shortcut above and the same bits, from adamUpdate's arguments and its step constants (α, 1 − β1,
 * 1 − β2). Returns how many groups of four lanes took the shortcut (all four stuck), so that the caller can tell
 * whether it pays.
 */
export function adamSkippingStuck(
  param: usize, grad: usize, m: usize, v: usize, vhat: usize, end4: i32, learningRate: f32, weightDecay: f32,
  alpha: f32, oneMinusBeta1: f32, oneMinusBeta2: f32, epsilon: f32, amsgrad: bool,
): i32 {
  const decay = weightDecay != 0;
  const lrV = f32x4.splat(learningRate), wdV = f32x4.splat(weightDecay), alphaV = f32x4.splat(alpha);
  const b1V = f32x4.splat(oneMinusBeta1), b2V = f32x4.splat(oneMinusBeta2), epsV = f32x4.splat(epsilon);
  const limit = stuckLimit(oneMinusBeta1);
  const bound: f64 = Math.max(TWO_POW_MINUS_100, TWO_POW_MINUS_118 * <f64>alpha / <f64>epsilon);
  // NOTE: no shortcut (threshold +∞) unless ε > 0 (the bound divides by it) and the bound is a normal f32.
  const threshold: f32 = epsilon > 0 && limit > 0 && bound < 1e30 ? <f32>bound : Infinity;
  let skipped = 0;
  for (let i = 0; i < end4; i += 4) {
    let w = v128.load(param + at(i));
    if (decay) w = decayV(w, wdV, lrV);
    const g = v128.load(grad + at(i));
    const mi = v128.load(m + at(i));
    const gZero = f32x4.eq(g, f32x4.splat(0));
    let stuck = i32x4.splat(0);
    if (v128.any_true(gZero)) {
      const subnormalIndex = i32x4.sub(v128.and(mi, i32x4.splat(0x7fffffff)), i32x4.splat(1));
      stuck = v128.and(
        v128.and(gZero, i32x4.lt_u(subnormalIndex, i32x4.splat(limit))),
        f32x4.ge(f32x4.abs(w), f32x4.splat(threshold)),
      );
      if (i32x4.all_true(stuck)) {
        adamSecondMoment(g, v, vhat, i, b2V, amsgrad);
        if (decay) v128.store(param + at(i), w);
        skipped++;
        continue;
      }
    }
    adamLanes(param, m, v, vhat, i, w, g, mi, true, stuck, alphaV, b1V, b2V, epsV, amsgrad);
  }
  return skipped;
}
