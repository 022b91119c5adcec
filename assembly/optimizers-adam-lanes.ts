// One group of four lanes of Keras Adam (keras/src/optimizers/adam.py), the body both of adamUpdate's loops run
// (optimizers-adam.ts, and its shortcut for stuck subnormal moments in optimizers-adam-subnormal.ts), so that
// the two give the same bits by construction. Inlined: `masked` is a constant at every call site.
import { at } from "./optimizers-common";

/**
 * v ← v + (g² − v)(1 − β2), stored; with AMSGrad vhat ← max(vhat, v), stored. Returns what the update divides
 * by the square root of (vhat with AMSGrad, else v).
 */
// @ts-ignore: decorator
@inline export function adamSecondMoment(
  g: v128, v: usize, vhat: usize, i: i32, oneMinusBeta2: v128, amsgrad: bool,
): v128 {
  let vi = v128.load(v + at(i));
  vi = f32x4.add(vi, f32x4.mul(f32x4.sub(f32x4.mul(g, g), vi), oneMinusBeta2));
  v128.store(v + at(i), vi);
  if (amsgrad) {
    vi = f32x4.max(v128.load(vhat + at(i)), vi);
    v128.store(vhat + at(i), vi);
  }
  return vi;
}

/**
 * Lanes i..i+3, from the weights w (weight decay already applied), the gradients g and the first moments mi:
 *   m ← m + (g − m)(1 − β1);  v as adamSecondMoment;  w ← w − m·α / (√v + ε)   — all stored.
 * masked: the lanes set in `stuck` keep their m (stored unchanged) and compute with m = 0, which gives w − 0 = w
 * for them without subnormal operands (see optimizers-adam-subnormal.ts); otherwise `stuck` is unused.
 */
// @ts-ignore: decorator
@inline export function adamLanes(
  param: usize, m: usize, v: usize, vhat: usize, i: i32, w: v128, g: v128, mi: v128, masked: bool, stuck: v128,
  alpha: v128, oneMinusBeta1: v128, oneMinusBeta2: v128, epsilon: v128, amsgrad: bool,
): void {
  let mNew = masked ? v128.andnot(mi, stuck) : mi;
  mNew = f32x4.add(mNew, f32x4.mul(f32x4.sub(g, mNew), oneMinusBeta1));
  v128.store(m + at(i), masked ? v128.bitselect(mi, mNew, stuck) : mNew);
  const vi = adamSecondMoment(g, v, vhat, i, oneMinusBeta2, amsgrad);
  const update = f32x4.div(f32x4.mul(mNew, alpha), f32x4.add(f32x4.sqrt(vi), epsilon));
  v128.store(param + at(i), f32x4.sub(w, update));
}
