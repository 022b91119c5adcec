// Keras 3's update rules (keras/src/optimizers/{adam,adamw,adadelta,rmsprop,nadam}.py) written with tfjs ops, as
// tf.Optimizer subclasses that a tfjs model can train with. They let the parity tests compare densa with tfjs's
// gradients where tfjs's own optimizer uses a different formula or lacks the option:
// - Adam: tfjs divides the bias-corrected moments, m̂ / (√v̂ + ε), which scales ε by √(1 − β2^t) against Keras's
//   lr·√(1 − β2^t)/(1 − β1^t) · m / (√v + ε); tfjs has no amsgrad and no AdamW.
// - Adadelta: tfjs divides by √(accumulated gradient + ε) of the PREVIOUS step (it computes the new
//   accumulator but uses the old one); Keras (and TensorFlow's ApplyAdadelta) use the updated one.
// - centered RMSprop: tfjs takes √(ms − (mg² + ε)), subtracting ε (NaN once ms − mg² < ε); Keras adds it.
// - Nadam: not in tfjs.
import * as tf from "@tensorflow/tfjs";

type UpdateRule = (variable: tf.Variable, gradient: tf.Tensor, slots: tf.Variable[], step: number) => void;

/** One Keras update rule over every variable, with zero-filled slots created on first use. */
class KerasRuleOptimizer extends tf.Optimizer {
  static className = "KerasRuleOptimizer";
  private readonly slots = new Map<string, tf.Variable[]>();
  private step = 0;

  constructor(
    private readonly slotCount: number,
    private readonly rule: UpdateRule,
    private readonly beforeStep: (step: number) => void = () => {},
  ) {
    super();
  }

  applyGradients(variableGradients: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const list = Array.isArray(variableGradients)
      ? variableGradients
      : Object.keys(variableGradients).map((name) => ({ name, tensor: variableGradients[name] }));
    this.step += 1;
    this.beforeStep(this.step);
    for (const { name, tensor: gradient } of list) {
      // NOTE: tfjs hands null for a variable the loss does not reach; its own optimizers skip it too.
      if (gradient == null) continue;
      const variable = tf.engine().registeredVariables[name];
      let slots = this.slots.get(name);
      if (!slots) {
        slots = Array.from({ length: this.slotCount }, () => tf.variable(tf.zerosLike(variable), false));
        this.slots.set(name, slots);
      }
      tf.tidy(() => this.rule(variable, gradient, slots!, this.step));
    }
    this.incrementIterations();
  }

  override dispose(): void {
    for (const slots of this.slots.values()) for (const slot of slots) slot.dispose();
    this.slots.clear();
  }

  getConfig(): tf.serialization.ConfigDict {
    return {};
  }
}

const f32 = Math.fround;

/** Keras's weight decay, applied before the update: w ← w − w·wd·lr. */
function decayed(variable: tf.Variable, weightDecay: number, learningRate: number): tf.Tensor {
  return weightDecay === 0 ? variable : tf.sub(variable, tf.mul(tf.mul(variable, weightDecay), learningRate));
}

export interface KerasAdamOptions {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  amsgrad?: boolean;
  weightDecay?: number;
}

/** keras/src/optimizers/adam.py (+ AdamW's decoupled decay from base_optimizer). */
export function kerasAdam(o: KerasAdamOptions): tf.Optimizer {
  return new KerasRuleOptimizer(o.amsgrad ? 3 : 2, (variable, g, [m, v, vHat], step) => {
    // NOTE: β^t as Keras forms it for float32 variables: power(cast(β), cast(t)), then rounded.
    const beta1Power = f32(f32(o.beta1) ** step);
    const beta2Power = f32(f32(o.beta2) ** step);
    const alpha = f32(f32(o.learningRate * f32(Math.sqrt(f32(1 - beta2Power)))) / f32(1 - beta1Power));
    const w = decayed(variable, o.weightDecay ?? 0, o.learningRate);
    m.assign(tf.add(m, tf.mul(tf.sub(g, m), 1 - o.beta1)));
    v.assign(tf.add(v, tf.mul(tf.sub(tf.square(g), v), 1 - o.beta2)));
    let denominatorSource: tf.Tensor = v;
    if (o.amsgrad) {
      vHat.assign(tf.maximum(vHat, v));
      denominatorSource = vHat;
    }
    variable.assign(tf.sub(w, tf.div(tf.mul(m, alpha), tf.add(tf.sqrt(denominatorSource), o.epsilon))));
  });
}

/** keras/src/optimizers/adadelta.py. */
export function kerasAdadelta(o: { learningRate: number; rho: number; epsilon: number }): tf.Optimizer {
  return new KerasRuleOptimizer(2, (variable, g, [accumulatedGrad, accumulatedDelta]) => {
    accumulatedGrad.assign(tf.add(tf.mul(accumulatedGrad, o.rho), tf.mul(tf.square(g), 1 - o.rho)));
    const delta = tf.neg(
      tf.div(tf.mul(tf.sqrt(tf.add(accumulatedDelta, o.epsilon)), g), tf.sqrt(tf.add(accumulatedGrad, o.epsilon))),
    );
    accumulatedDelta.assign(tf.add(tf.mul(accumulatedDelta, o.rho), tf.mul(tf.square(delta), 1 - o.rho)));
    variable.assign(tf.add(variable, tf.mul(delta, o.learningRate)));
  });
}

/** keras/src/optimizers/rmsprop.py, centered (ε added inside the square root). */
export function kerasCenteredRmsprop(o: {
  learningRate: number;
  rho: number;
  momentum: number;
  epsilon: number;
}): tf.Optimizer {
  return new KerasRuleOptimizer(3, (variable, g, [velocity, averageGrad, momentumBuffer]) => {
    velocity.assign(tf.add(tf.mul(velocity, o.rho), tf.mul(tf.square(g), 1 - o.rho)));
    averageGrad.assign(tf.add(tf.mul(averageGrad, o.rho), tf.mul(g, 1 - o.rho)));
    const denominator = tf.add(tf.sub(velocity, tf.square(averageGrad)), o.epsilon);
    let increment = tf.div(tf.mul(g, o.learningRate), tf.sqrt(denominator));
    if (o.momentum > 0) {
      momentumBuffer.assign(tf.add(tf.mul(momentumBuffer, o.momentum), increment));
      increment = momentumBuffer;
    }
    variable.assign(tf.sub(variable, increment));
  });
}

/** keras/src/optimizers/nadam.py: the μ schedule and its running product, then the Nesterov-corrected Adam step. */
export function kerasNadam(o: { learningRate: number; beta1: number; beta2: number; epsilon: number }): tf.Optimizer {
  let uProduct = 1;
  const mu = (step: number) => f32(f32(o.beta1) * f32(1 - 0.5 * f32(f32(0.96) ** step)));
  return new KerasRuleOptimizer(
    2,
    (variable, g, [m, v], step) => {
      const muT = mu(step);
      const muNext = mu(step + 1);
      const productNext = f32(uProduct * muNext);
      const beta2Power = f32(f32(o.beta2) ** step);
      m.assign(tf.add(m, tf.mul(tf.sub(g, m), 1 - o.beta1)));
      v.assign(tf.add(v, tf.mul(tf.sub(tf.square(g), v), 1 - o.beta2)));
      const mHat = tf.add(tf.div(tf.mul(m, muNext), 1 - productNext), tf.div(tf.mul(g, 1 - muT), 1 - uProduct));
      const vHat = tf.div(v, 1 - beta2Power);
      variable.assign(tf.sub(variable, tf.div(tf.mul(mHat, o.learningRate), tf.add(tf.sqrt(vHat), o.epsilon))));
    },
    // NOTE: Keras updates u_product once per step, before the variables: u ← u·β1·(1 − ½·0.96^t).
    (step) => {
      uProduct = f32(f32(uProduct * f32(o.beta1)) * f32(1 - 0.5 * f32(f32(0.96) ** step)));
    },
  );
}
