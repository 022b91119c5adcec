// Adam (and AdamW, which is Adam plus weightDecay), Adamax and Nadam updates, in place on one weight tensor.
// Formulas and operation order follow Keras 3 (keras/src/optimizers/{adam,adamw,adamax,nadam}.py); bias
// corrections come from the integer step inside the kernel (see optimizers-common.ts).
import { firstMomentFlush, secondMomentFlush } from "./optimizers-adam-flush";
import { at, decayS, decayV, powerF32 } from "./optimizers-common";

/**
 * Keras Adam, step = iterations + 1:
 *   alpha = lr·√(1 - β2^t) / (1 - β1^t)
 *   m ← m + (g - m)(1 - β1);  v ← v + (g² - v)(1 - β2);  amsgrad: vhat ← max(vhat, v), v := vhat
 *   w ← w - m·alpha / (√v + ε)
 * with m and v flushed to 0 below their thresholds before they are stored or used (optimizers-adam-flush.ts:
 * no subnormal moments, as TensorFlow's CPU kernels run with flush-to-zero).
 * AdamW is this with weightDecay != 0 (Keras's AdamW only sets weight_decay, default 0.004).
 * vhat is only touched when amsgrad != 0 (may be 0 otherwise).
 * NOTE: tfjs's Adam divides the bias-corrected moments, m̂ / (√v̂ + ε), which scales ε by √(1 - β2^t);
 * Keras folds the corrections into alpha and adds ε to √v. densa follows Keras.
 * `flags`: bit 0 = AMSGrad (other bits are ignored).
 */
export function adamUpdate(
  param: usize, grad: usize, m: usize, v: usize, vhat: usize, count: i32,
  learningRate: f32, beta1: f32, beta2: f32, epsilon: f32, step: i32, flags: i32, weightDecay: f32,
): void {
  const amsgrad = flags & 1;
  const decay = weightDecay != 0;
  const beta1Power = powerF32(beta1, step);
  const beta2Power = powerF32(beta2, step);
  const alpha: f32 = learningRate * Mathf.sqrt(1 - beta2Power) / (1 - beta1Power);
  const oneMinusBeta1: f32 = 1 - beta1, oneMinusBeta2: f32 = 1 - beta2;
  const mFlush = firstMomentFlush(oneMinusBeta1, alpha), vFlush = secondMomentFlush(oneMinusBeta2, epsilon);
  const lrV = f32x4.splat(learningRate), wdV = f32x4.splat(weightDecay), alphaV = f32x4.splat(alpha);
  const b1V = f32x4.splat(oneMinusBeta1), b2V = f32x4.splat(oneMinusBeta2), epsV = f32x4.splat(epsilon);
  const mFlushV = f32x4.splat(mFlush), vFlushV = f32x4.splat(vFlush);
  const end4 = count & ~3;
  let i = 0;
  for (; i < end4; i += 4) {
    let w = v128.load(param + at(i));
    if (decay) w = decayV(w, wdV, lrV);
    const g = v128.load(grad + at(i));
    let mi = v128.load(m + at(i));
    mi = f32x4.add(mi, f32x4.mul(f32x4.sub(g, mi), b1V));
    mi = v128.andnot(mi, f32x4.lt(f32x4.abs(mi), mFlushV));
    v128.store(m + at(i), mi);
    let vi = v128.load(v + at(i));
    vi = f32x4.add(vi, f32x4.mul(f32x4.sub(f32x4.mul(g, g), vi), b2V));
    vi = v128.andnot(vi, f32x4.lt(vi, vFlushV));
    v128.store(v + at(i), vi);
    if (amsgrad) {
      vi = f32x4.max(v128.load(vhat + at(i)), vi);
      v128.store(vhat + at(i), vi);
    }
    const update = f32x4.div(f32x4.mul(mi, alphaV), f32x4.add(f32x4.sqrt(vi), epsV));
    v128.store(param + at(i), f32x4.sub(w, update));
  }
  for (; i < count; i++) {
    let w = load<f32>(param + at(i));
    if (decay) w = decayS(w, weightDecay, learningRate);
    const g = load<f32>(grad + at(i));
    let mi = load<f32>(m + at(i));
    mi = mi + (g - mi) * oneMinusBeta1;
    if (abs<f32>(mi) < mFlush) mi = 0;
    store<f32>(m + at(i), mi);
    let vi = load<f32>(v + at(i));
    vi = vi + (g * g - vi) * oneMinusBeta2;
    if (vi < vFlush) vi = 0;
    store<f32>(v + at(i), vi);
    if (amsgrad) {
      vi = max<f32>(load<f32>(vhat + at(i)), vi);
      store<f32>(vhat + at(i), vi);
    }
    store<f32>(param + at(i), w - (mi * alpha) / (Mathf.sqrt(vi) + epsilon));
  }
}

/**
 * Keras Adamax: m ← m + (g - m)(1 - β1); u ← max(β2·u, |g|); w ← w - lr·m / ((1 - β1^t)(u + ε)).
 */
export function adamaxUpdate(
  param: usize, grad: usize, m: usize, u: usize, count: i32,
  learningRate: f32, beta1: f32, beta2: f32, epsilon: f32, step: i32, weightDecay: f32,
): void {
  const decay = weightDecay != 0;
  const correction: f32 = 1 - powerF32(beta1, step);
  const oneMinusBeta1: f32 = 1 - beta1;
  const lrV = f32x4.splat(learningRate), wdV = f32x4.splat(weightDecay), b1V = f32x4.splat(oneMinusBeta1);
  const beta2V = f32x4.splat(beta2), epsV = f32x4.splat(epsilon), correctionV = f32x4.splat(correction);
  const end4 = count & ~3;
  let i = 0;
  for (; i < end4; i += 4) {
    let w = v128.load(param + at(i));
    if (decay) w = decayV(w, wdV, lrV);
    const g = v128.load(grad + at(i));
    let mi = v128.load(m + at(i));
    mi = f32x4.add(mi, f32x4.mul(f32x4.sub(g, mi), b1V));
    v128.store(m + at(i), mi);
    const ui = f32x4.max(f32x4.mul(beta2V, v128.load(u + at(i))), f32x4.abs(g));
    v128.store(u + at(i), ui);
    const update = f32x4.div(f32x4.mul(lrV, mi), f32x4.mul(correctionV, f32x4.add(ui, epsV)));
    v128.store(param + at(i), f32x4.sub(w, update));
  }
  for (; i < count; i++) {
    let w = load<f32>(param + at(i));
    if (decay) w = decayS(w, weightDecay, learningRate);
    const g = load<f32>(grad + at(i));
    let mi = load<f32>(m + at(i));
    mi = mi + (g - mi) * oneMinusBeta1;
    store<f32>(m + at(i), mi);
    const ui = max<f32>(beta2 * load<f32>(u + at(i)), abs<f32>(g));
    store<f32>(u + at(i), ui);
    store<f32>(param + at(i), w - (learningRate * mi) / (correction * (ui + epsilon)));
  }
}

// Nadam's momentum schedule (Dozat 2015, as Keras 3 writes it): μ_t = β1·(1 - ½·0.96^t).
// NOTE: 0.96 is cast to f32 like Keras's `ops.cast(0.96, var_dtype)`.
const NADAM_DECAY: f32 = 0.96;

// @ts-ignore: decorator
@inline function nadamMu(beta1: f32, step: i32): f32 {
  return beta1 * (1 - 0.5 * powerF32(NADAM_DECAY, step));
}

/**
 * Once per training step, before the nadamUpdate calls of that step: uProduct ← uProduct·β1·(1 - ½·0.96^t),
 * exactly Keras's `_backend_update_step` (the product is multiplied by β1 first, then by the bracket).
 * `state` holds one f32, u_product, which the caller initialises to 1 (Keras's `_u_product` variable).
 */
export function nadamScheduleUpdate(state: usize, beta1: f32, step: i32): void {
  const uProduct = load<f32>(state);
  store<f32>(state, uProduct * beta1 * (1 - 0.5 * powerF32(NADAM_DECAY, step)));
}

/**
 * Keras Nadam, with `state` already advanced by nadamScheduleUpdate for this step:
 *   μ_t, μ_{t+1} from the schedule; P_t = u_product; P_{t+1} = P_t·μ_{t+1}
 *   m ← m + (g - m)(1 - β1);  v ← v + (g² - v)(1 - β2)
 *   m̂ = μ_{t+1}·m / (1 - P_{t+1}) + (1 - μ_t)·g / (1 - P_t);  v̂ = v / (1 - β2^t)
 *   w ← w - m̂·lr / (√v̂ + ε)
 */
export function nadamUpdate(
  param: usize, grad: usize, m: usize, v: usize, state: usize, count: i32,
  learningRate: f32, beta1: f32, beta2: f32, epsilon: f32, step: i32, weightDecay: f32,
): void {
  const decay = weightDecay != 0;
  const muT = nadamMu(beta1, step);
  const muNext = nadamMu(beta1, step + 1);
  const productT = load<f32>(state);
  const productNext: f32 = productT * muNext;
  const beta2Power = powerF32(beta2, step);
  const mDenominator: f32 = 1 - productNext, gDenominator: f32 = 1 - productT, gScale: f32 = 1 - muT;
  const vDenominator: f32 = 1 - beta2Power;
  const oneMinusBeta1: f32 = 1 - beta1, oneMinusBeta2: f32 = 1 - beta2;
  const lrV = f32x4.splat(learningRate), wdV = f32x4.splat(weightDecay), epsV = f32x4.splat(epsilon);
  const b1V = f32x4.splat(oneMinusBeta1), b2V = f32x4.splat(oneMinusBeta2), muNextV = f32x4.splat(muNext);
  const mDenV = f32x4.splat(mDenominator), gDenV = f32x4.splat(gDenominator), gScaleV = f32x4.splat(gScale);
  const vDenV = f32x4.splat(vDenominator);
  const end4 = count & ~3;
  let i = 0;
  for (; i < end4; i += 4) {
    let w = v128.load(param + at(i));
    if (decay) w = decayV(w, wdV, lrV);
    const g = v128.load(grad + at(i));
    let mi = v128.load(m + at(i));
    mi = f32x4.add(mi, f32x4.mul(f32x4.sub(g, mi), b1V));
    v128.store(m + at(i), mi);
    let vi = v128.load(v + at(i));
    vi = f32x4.add(vi, f32x4.mul(f32x4.sub(f32x4.mul(g, g), vi), b2V));
    v128.store(v + at(i), vi);
    const mHat = f32x4.add(f32x4.div(f32x4.mul(muNextV, mi), mDenV), f32x4.div(f32x4.mul(gScaleV, g), gDenV));
    const vHat = f32x4.div(vi, vDenV);
    const update = f32x4.div(f32x4.mul(mHat, lrV), f32x4.add(f32x4.sqrt(vHat), epsV));
    v128.store(param + at(i), f32x4.sub(w, update));
  }
  for (; i < count; i++) {
    let w = load<f32>(param + at(i));
    if (decay) w = decayS(w, weightDecay, learningRate);
    const g = load<f32>(grad + at(i));
    let mi = load<f32>(m + at(i));
    mi = mi + (g - mi) * oneMinusBeta1;
    store<f32>(m + at(i), mi);
    let vi = load<f32>(v + at(i));
    vi = vi + (g * g - vi) * oneMinusBeta2;
    store<f32>(v + at(i), vi);
    const mHat = (muNext * mi) / mDenominator + (gScale * g) / gDenominator;
    const vHat = vi / vDenominator;
    store<f32>(param + at(i), w - (mHat * learningRate) / (Mathf.sqrt(vHat) + epsilon));
  }
}
