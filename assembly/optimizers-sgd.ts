// SGD, RMSprop, Adagrad and Adadelta updates, each on one weight tensor of `count` floats, in place.
// Formulas and operation order follow Keras 3 (keras/src/optimizers/{sgd,rmsprop,adagrad,adadelta}.py);
// see optimizers-common.ts for the conventions (weight decay, f32 scalars, SIMD/tail equality).
// Where tfjs differs it is noted: densa follows Keras.
import { at, decayS, decayV } from "./optimizers-common";

/**
 * Keras SGD. momentum == 0: w ← w - g·lr (velocity unused, may be 0). Otherwise
 * velocity ← velocity·momentum - g·lr, then w ← w + velocity, or with nesterov
 * w ← w + (velocity·momentum - g·lr).
 * NOTE: tfjs's MomentumOptimizer accumulates the raw gradient (a ← m·a + g, w ← w - lr·a); that equals
 * Keras only while the learning rate stays constant. Keras's velocity holds lr·g terms.
 */
export function sgdUpdate(
  param: usize, grad: usize, velocity: usize, count: i32,
  learningRate: f32, momentum: f32, nesterov: i32, weightDecay: f32,
): void {
  const decay = weightDecay != 0;
  const lrV = f32x4.splat(learningRate), wdV = f32x4.splat(weightDecay), momV = f32x4.splat(momentum);
  const end4 = count & ~3;
  let i = 0;
  if (momentum == 0) {
    for (; i < end4; i += 4) {
      let w = v128.load(param + at(i));
      if (decay) w = decayV(w, wdV, lrV);
      v128.store(param + at(i), f32x4.sub(w, f32x4.mul(v128.load(grad + at(i)), lrV)));
    }
    for (; i < count; i++) {
      let w = load<f32>(param + at(i));
      if (decay) w = decayS(w, weightDecay, learningRate);
      store<f32>(param + at(i), w - load<f32>(grad + at(i)) * learningRate);
    }
    return;
  }
  for (; i < end4; i += 4) {
    let w = v128.load(param + at(i));
    if (decay) w = decayV(w, wdV, lrV);
    const gLr = f32x4.mul(v128.load(grad + at(i)), lrV);
    const m = f32x4.sub(f32x4.mul(v128.load(velocity + at(i)), momV), gLr);
    v128.store(velocity + at(i), m);
    const delta = nesterov ? f32x4.sub(f32x4.mul(m, momV), gLr) : m;
    v128.store(param + at(i), f32x4.add(w, delta));
  }
  for (; i < count; i++) {
    let w = load<f32>(param + at(i));
    if (decay) w = decayS(w, weightDecay, learningRate);
    const gLr = load<f32>(grad + at(i)) * learningRate;
    const m = load<f32>(velocity + at(i)) * momentum - gLr;
    store<f32>(velocity + at(i), m);
    const delta = nesterov ? m * momentum - gLr : m;
    store<f32>(param + at(i), w + delta);
  }
}

/**
 * Keras RMSprop. velocity ← ρ·velocity + (1-ρ)·g²; centered: averageGrad ← ρ·averageGrad + (1-ρ)·g and
 * denominator = velocity - averageGrad² + ε, else velocity + ε (ε inside the sqrt, as Keras 3);
 * increment = lr·g / √denominator; momentum > 0: momentumBuffer ← momentum·momentumBuffer + increment,
 * w ← w - momentumBuffer; else w ← w - increment. Unused buffers may be 0.
 * NOTE: tfjs's centered form computes √(velocity - (averageGrad² + ε)), i.e. subtracts ε; Keras adds it.
 */
export function rmspropUpdate(
  param: usize, grad: usize, velocity: usize, momentumBuffer: usize, averageGrad: usize, count: i32,
  learningRate: f32, rho: f32, momentum: f32, epsilon: f32, centered: i32, weightDecay: f32,
): void {
  const decay = weightDecay != 0;
  const useMomentum = momentum > 0;
  const oneMinusRho: f32 = 1 - rho;
  const lrV = f32x4.splat(learningRate), wdV = f32x4.splat(weightDecay), momV = f32x4.splat(momentum);
  const rhoV = f32x4.splat(rho), oneMinusRhoV = f32x4.splat(oneMinusRho), epsV = f32x4.splat(epsilon);
  const end4 = count & ~3;
  let i = 0;
  for (; i < end4; i += 4) {
    let w = v128.load(param + at(i));
    if (decay) w = decayV(w, wdV, lrV);
    const g = v128.load(grad + at(i));
    const vel = f32x4.add(f32x4.mul(rhoV, v128.load(velocity + at(i))), f32x4.mul(oneMinusRhoV, f32x4.mul(g, g)));
    v128.store(velocity + at(i), vel);
    let denominator: v128;
    if (centered) {
      const avg = f32x4.add(f32x4.mul(rhoV, v128.load(averageGrad + at(i))), f32x4.mul(oneMinusRhoV, g));
      v128.store(averageGrad + at(i), avg);
      denominator = f32x4.add(f32x4.sub(vel, f32x4.mul(avg, avg)), epsV);
    } else {
      denominator = f32x4.add(vel, epsV);
    }
    let increment = f32x4.div(f32x4.mul(lrV, g), f32x4.sqrt(denominator));
    if (useMomentum) {
      increment = f32x4.add(f32x4.mul(momV, v128.load(momentumBuffer + at(i))), increment);
      v128.store(momentumBuffer + at(i), increment);
    }
    v128.store(param + at(i), f32x4.sub(w, increment));
  }
  for (; i < count; i++) {
    let w = load<f32>(param + at(i));
    if (decay) w = decayS(w, weightDecay, learningRate);
    const g = load<f32>(grad + at(i));
    const vel = rho * load<f32>(velocity + at(i)) + oneMinusRho * (g * g);
    store<f32>(velocity + at(i), vel);
    let denominator: f32;
    if (centered) {
      const avg = rho * load<f32>(averageGrad + at(i)) + oneMinusRho * g;
      store<f32>(averageGrad + at(i), avg);
      denominator = vel - avg * avg + epsilon;
    } else {
      denominator = vel + epsilon;
    }
    let increment = (learningRate * g) / Mathf.sqrt(denominator);
    if (useMomentum) {
      increment = momentum * load<f32>(momentumBuffer + at(i)) + increment;
      store<f32>(momentumBuffer + at(i), increment);
    }
    store<f32>(param + at(i), w - increment);
  }
}

/**
 * Keras Adagrad. accumulator ← accumulator + g²; w ← w - lr·g / √(accumulator + ε).
 * The caller fills the accumulator with initial_accumulator_value (Keras default 0.1) once, at build.
 */
export function adagradUpdate(
  param: usize, grad: usize, accumulator: usize, count: i32,
  learningRate: f32, epsilon: f32, weightDecay: f32,
): void {
  const decay = weightDecay != 0;
  const lrV = f32x4.splat(learningRate), wdV = f32x4.splat(weightDecay), epsV = f32x4.splat(epsilon);
  const end4 = count & ~3;
  let i = 0;
  for (; i < end4; i += 4) {
    let w = v128.load(param + at(i));
    if (decay) w = decayV(w, wdV, lrV);
    const g = v128.load(grad + at(i));
    const acc = f32x4.add(v128.load(accumulator + at(i)), f32x4.mul(g, g));
    v128.store(accumulator + at(i), acc);
    const step = f32x4.div(f32x4.mul(lrV, g), f32x4.sqrt(f32x4.add(acc, epsV)));
    v128.store(param + at(i), f32x4.sub(w, step));
  }
  for (; i < count; i++) {
    let w = load<f32>(param + at(i));
    if (decay) w = decayS(w, weightDecay, learningRate);
    const g = load<f32>(grad + at(i));
    const acc = load<f32>(accumulator + at(i)) + g * g;
    store<f32>(accumulator + at(i), acc);
    store<f32>(param + at(i), w - (learningRate * g) / Mathf.sqrt(acc + epsilon));
  }
}

/**
 * Keras Adadelta. accumulatedGrad ← ρ·accumulatedGrad + (1-ρ)·g²;
 * delta = -(√(accumulatedDelta + ε)·g / √(accumulatedGrad + ε));
 * accumulatedDelta ← ρ·accumulatedDelta + (1-ρ)·delta²; w ← w + lr·delta.
 */
export function adadeltaUpdate(
  param: usize, grad: usize, accumulatedGrad: usize, accumulatedDelta: usize, count: i32,
  learningRate: f32, rho: f32, epsilon: f32, weightDecay: f32,
): void {
  const decay = weightDecay != 0;
  const oneMinusRho: f32 = 1 - rho;
  const lrV = f32x4.splat(learningRate), wdV = f32x4.splat(weightDecay), epsV = f32x4.splat(epsilon);
  const rhoV = f32x4.splat(rho), oneMinusRhoV = f32x4.splat(oneMinusRho);
  const end4 = count & ~3;
  let i = 0;
  for (; i < end4; i += 4) {
    let w = v128.load(param + at(i));
    if (decay) w = decayV(w, wdV, lrV);
    const g = v128.load(grad + at(i));
    const accG = f32x4.add(
      f32x4.mul(rhoV, v128.load(accumulatedGrad + at(i))),
      f32x4.mul(oneMinusRhoV, f32x4.mul(g, g)),
    );
    v128.store(accumulatedGrad + at(i), accG);
    const accD = v128.load(accumulatedDelta + at(i));
    const delta = f32x4.neg(
      f32x4.div(f32x4.mul(f32x4.sqrt(f32x4.add(accD, epsV)), g), f32x4.sqrt(f32x4.add(accG, epsV))),
    );
    v128.store(
      accumulatedDelta + at(i),
      f32x4.add(f32x4.mul(rhoV, accD), f32x4.mul(oneMinusRhoV, f32x4.mul(delta, delta))),
    );
    v128.store(param + at(i), f32x4.add(w, f32x4.mul(lrV, delta)));
  }
  for (; i < count; i++) {
    let w = load<f32>(param + at(i));
    if (decay) w = decayS(w, weightDecay, learningRate);
    const g = load<f32>(grad + at(i));
    const accG = rho * load<f32>(accumulatedGrad + at(i)) + oneMinusRho * (g * g);
    store<f32>(accumulatedGrad + at(i), accG);
    const accD = load<f32>(accumulatedDelta + at(i));
    const delta = -((Mathf.sqrt(accD + epsilon) * g) / Mathf.sqrt(accG + epsilon));
    store<f32>(accumulatedDelta + at(i), rho * accD + oneMinusRho * (delta * delta));
    store<f32>(param + at(i), w + learningRate * delta);
  }
}
