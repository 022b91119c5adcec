// Piecewise activations (linear pieces, or a linear piece joined to an exponential), each as a stateless
// lane-function class: forward(x, alpha) next to its gradient backward(u, dy, alpha), where u is the output
// y for classes that need only y, and the pre-activation z for the *FromInput classes (activations.ts picks).
// At a kink the gradient takes the value TensorFlow's gradient kernels use (ReluGrad, Relu6Grad,
// LeakyReluGrad: the strict `> 0` side), which is also what tfjs does.

import { expV, expm1V } from "./math-exp";

// SELU constants from Klambauer et al. 2017, as in Keras 3 (keras/src/ops/nn.py selu) and tfjs selu_util.
const SELU_SCALE: f32 = 1.0507009873554805;
const SELU_SCALE_ALPHA: f32 = 1.7580993408473768; // scale · alpha, alpha = 1.6732632423543772

@inline function zero(): v128 { return f32x4.splat(0); }

@final @unmanaged export class Linear {
  @inline forward(x: v128, alpha: v128): v128 { return x; }
  @inline backward(y: v128, dy: v128, alpha: v128): v128 { return dy; }
}

/** max(x, 0); NaN stays NaN (wasm max propagates it), as tf.nn.relu does. */
@final @unmanaged export class Relu {
  @inline forward(x: v128, alpha: v128): v128 { return f32x4.max(x, zero()); }
  @inline backward(y: v128, dy: v128, alpha: v128): v128 { return v128.and(dy, f32x4.gt(y, zero())); }
}

/** min(max(x, 0), 6); gradient 1 strictly inside (0, 6). */
@final @unmanaged export class Relu6 {
  @inline forward(x: v128, alpha: v128): v128 { return f32x4.min(f32x4.max(x, zero()), f32x4.splat(6)); }
  @inline backward(y: v128, dy: v128, alpha: v128): v128 {
    return v128.and(dy, v128.and(f32x4.gt(y, zero()), f32x4.lt(y, f32x4.splat(6))));
  }
}

/**
 * x for x > 0, alpha·x otherwise. The caller passes alpha: Keras 3 `leaky_relu` defaults to 0.2, the tfjs
 * (and Keras 2) LeakyReLU layer to 0.3. For alpha >= 0, y > 0 exactly when x > 0, so the gradient reads y.
 */
@final @unmanaged export class LeakyRelu {
  @inline forward(x: v128, alpha: v128): v128 {
    return v128.bitselect(x, f32x4.mul(alpha, x), f32x4.gt(x, zero()));
  }
  @inline backward(y: v128, dy: v128, alpha: v128): v128 {
    return v128.bitselect(dy, f32x4.mul(alpha, dy), f32x4.gt(y, zero()));
  }
}

/** Leaky ReLU gradient from z, for alpha < 0 (where y no longer tells the sign of x). */
@final @unmanaged export class LeakyReluFromInput {
  @inline backward(z: v128, dy: v128, alpha: v128): v128 {
    return v128.bitselect(dy, f32x4.mul(alpha, dy), f32x4.gt(z, zero()));
  }
}

/**
 * clip(alpha·x + 0.5, 0, 1). The slope is the caller's: 0.2 for tfjs and Keras 2 (`K.hardSigmoid`),
 * 1/6 for Keras 3 (`relu6(x + 3) / 6`, which is the same function up to rounding). Gradient alpha strictly
 * inside (0, 1), 0 on the flat parts and at the corners (as Keras 3's relu6 gradient gives).
 */
@final @unmanaged export class HardSigmoid {
  @inline forward(x: v128, alpha: v128): v128 {
    const line = f32x4.add(f32x4.mul(alpha, x), f32x4.splat(0.5));
    return f32x4.min(f32x4.max(line, zero()), f32x4.splat(1));
  }
  @inline backward(y: v128, dy: v128, alpha: v128): v128 {
    const inside = v128.and(f32x4.gt(y, zero()), f32x4.lt(y, f32x4.splat(1)));
    return v128.and(f32x4.mul(alpha, dy), inside);
  }
}

/**
 * ELU (Clevert et al. 2016): x for x > 0, alpha·expm1(x) otherwise (Keras 3 default alpha 1; tfjs only
 * implements alpha = 1 and throws otherwise). expm1 keeps -0 and tiny negatives exact.
 * Gradient: 1 for x > 0, alpha·e^x = y + alpha otherwise; with alpha > 0, y > 0 exactly when x > 0.
 * NOTE: at x = 0 this gives alpha (the derivative of the x <= 0 branch, as JAX autodiff of Keras 3's
 * formula does); TF's EluGrad gives 1 there. The two agree for the default alpha = 1.
 */
@final @unmanaged export class Elu {
  @inline forward(x: v128, alpha: v128): v128 {
    return v128.bitselect(x, f32x4.mul(alpha, expm1V(x)), f32x4.gt(x, zero()));
  }
  @inline backward(y: v128, dy: v128, alpha: v128): v128 {
    return v128.bitselect(dy, f32x4.mul(dy, f32x4.add(y, alpha)), f32x4.gt(y, zero()));
  }
}

/** ELU gradient from z, for alpha <= 0 (where y no longer tells the sign of x). */
@final @unmanaged export class EluFromInput {
  @inline backward(z: v128, dy: v128, alpha: v128): v128 {
    return v128.bitselect(dy, f32x4.mul(dy, f32x4.mul(alpha, expV(z))), f32x4.gt(z, zero()));
  }
}

/** SELU: scale·x for x > 0, scale·alpha·expm1(x) otherwise, fixed constants (the alpha argument is unused). */
@final @unmanaged export class Selu {
  @inline forward(x: v128, alpha: v128): v128 {
    const negative = f32x4.mul(f32x4.splat(SELU_SCALE_ALPHA), expm1V(x));
    return v128.bitselect(f32x4.mul(f32x4.splat(SELU_SCALE), x), negative, f32x4.gt(x, zero()));
  }
  @inline backward(y: v128, dy: v128, alpha: v128): v128 {
    const negative = f32x4.mul(dy, f32x4.add(y, f32x4.splat(SELU_SCALE_ALPHA)));
    return v128.bitselect(f32x4.mul(dy, f32x4.splat(SELU_SCALE)), negative, f32x4.gt(y, zero()));
  }
}

/** e^x (Keras `exponential`); its gradient is the output itself. */
@final @unmanaged export class Exponential {
  @inline forward(x: v128, alpha: v128): v128 { return expV(x); }
  @inline backward(y: v128, dy: v128, alpha: v128): v128 { return f32x4.mul(dy, y); }
}
