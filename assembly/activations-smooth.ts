// Smooth activations as stateless lane-function classes: forward(x, alpha) next to backward(u, dy, alpha),
// with u = y for Sigmoid, Tanh, Softplus (their gradients are functions of the output) and u = z for the
// rest. None of them uses alpha. Every formula is arranged to avoid inf·0 and cancellation at large |x|:
// products x·g(x) clamp x where g(x) has already underflowed to 0, so ±inf inputs give the limits instead
// of NaN, and NaN still propagates through the clamps (wasm min/max return NaN).

import { expV, expm1V } from "./math-exp";
import { sigmoidV, tanhV, softplusV, normalCdfV, gaussianV } from "./math-special";

const INV_SQRT_2PI: f32 = 0.3989422804014327;
// GELU tanh form: 0.5·x·(1 + tanh(sqrt(2/π)·(x + 0.044715·x³))) = x·sigmoid(x·(K0 + K1·x²)), because
// (1 + tanh u)/2 = sigmoid(2u). The sigmoid form has no 1 + tanh cancellation for negative x.
const GELU_K0: f32 = 1.5957691216057308; // 2·sqrt(2/π)
const GELU_K1: f32 = 0.07135481627159036; // 2·sqrt(2/π)·0.044715

@inline function splat(v: f32): v128 { return f32x4.splat(v); }
@inline function clamp(x: v128, bound: f32): v128 { return f32x4.min(f32x4.max(x, splat(-bound)), splat(bound)); }

/** exp(-|x|): the one exponential that sigmoid(x) and its slope share. */
@inline function expNegAbs(x: v128): v128 { return expV(f32x4.neg(f32x4.abs(x))); }

/** sigmoid(x) from e = exp(-|x|), the same operations (and bits) as sigmoidV. */
@inline function sigmoidFrom(x: v128, e: v128): v128 {
  return f32x4.div(v128.bitselect(splat(1), e, f32x4.ge(x, splat(0))), f32x4.add(splat(1), e));
}

/** sigmoid(x)·sigmoid(-x) = e/(1+e)² from e = exp(-|x|): the logistic slope without 1 - σ cancelling. */
@inline function logisticSlope(e: v128): v128 {
  const s = f32x4.div(splat(1), f32x4.add(splat(1), e));
  return f32x4.mul(e, f32x4.mul(s, s));
}

@final @unmanaged export class Sigmoid {
  @inline forward(x: v128, alpha: v128): v128 { return sigmoidV(x); }
  @inline backward(y: v128, dy: v128, alpha: v128): v128 {
    return f32x4.mul(dy, f32x4.mul(y, f32x4.sub(splat(1), y)));
  }
}

@final @unmanaged export class Tanh {
  @inline forward(x: v128, alpha: v128): v128 { return tanhV(x); }
  // 1 - y² as (1 - y)(1 + y): exact factors near |y| = 1.
  @inline backward(y: v128, dy: v128, alpha: v128): v128 {
    return f32x4.mul(dy, f32x4.mul(f32x4.sub(splat(1), y), f32x4.add(splat(1), y)));
  }
}

/**
 * log(1 + e^x). Gradient sigmoid(x) = 1 - e^-y = -expm1(-y), from the output: relative accuracy is kept at
 * both ends (y ≈ e^x for very negative x, e^-y tiny for large x), so z need not be stored.
 */
@final @unmanaged export class Softplus {
  @inline forward(x: v128, alpha: v128): v128 { return softplusV(x); }
  @inline backward(y: v128, dy: v128, alpha: v128): v128 {
    return f32x4.mul(dy, f32x4.neg(expm1V(f32x4.neg(y))));
  }
}

/**
 * x / (1 + |x|). The gradient 1/(1 + |x|)² reads z: from y it would be (1 - |y|)², which loses all digits
 * once |y| rounds to 1. x is clamped to ±1e30 in the forward so that ±inf gives ±1, not inf/inf.
 */
@final @unmanaged export class Softsign {
  @inline forward(x: v128, alpha: v128): v128 {
    const xc = clamp(x, 1e30);
    return f32x4.div(xc, f32x4.add(splat(1), f32x4.abs(xc)));
  }
  @inline backward(z: v128, dy: v128, alpha: v128): v128 {
    const d = f32x4.add(splat(1), f32x4.abs(z));
    return f32x4.div(dy, f32x4.mul(d, d));
  }
}

/**
 * Swish / SiLU (Ramachandran et al. 2017): x·sigmoid(x). Keras 3 `silu`/`swish` has no beta; tfjs's Swish
 * activation takes one but its layers never pass it, so alpha is ignored here. Gradient
 * sigmoid(x) + x·sigmoid(x)·sigmoid(-x).
 */
@final @unmanaged export class Swish {
  @inline forward(x: v128, alpha: v128): v128 {
    const xc = f32x4.max(x, splat(-120)); // sigmoid(-120) is 0 in f32: keeps -inf·0 out
    return f32x4.mul(xc, sigmoidV(xc));
  }
  @inline backward(z: v128, dy: v128, alpha: v128): v128 {
    const zc = clamp(z, 120);
    const e = expNegAbs(zc);
    return f32x4.mul(dy, f32x4.add(sigmoidFrom(zc, e), f32x4.mul(zc, logisticSlope(e))));
  }
}

/**
 * Exact GELU (Hendrycks & Gimpel 2016): x·Φ(x), Φ the standard normal CDF. This is Keras 3's default
 * (`approximate=False`) and tfjs's 'gelu'. Gradient Φ(x) + x·φ(x), φ(x) = exp(-x²/2)/sqrt(2π).
 */
@final @unmanaged export class Gelu {
  @inline forward(x: v128, alpha: v128): v128 {
    const xc = f32x4.max(x, splat(-20)); // Φ(-20) is 0 in f32
    return f32x4.mul(xc, normalCdfV(xc));
  }
  @inline backward(z: v128, dy: v128, alpha: v128): v128 {
    const zc = clamp(z, 20);
    const density = f32x4.mul(gaussianV(f32x4.abs(zc)), splat(INV_SQRT_2PI));
    return f32x4.mul(dy, f32x4.add(normalCdfV(zc), f32x4.mul(zc, density)));
  }
}

/** GELU, tanh approximation: Keras 3 `gelu(approximate=True)`, tfjs 'gelu_new'. See GELU_K0 above. */
@final @unmanaged export class GeluTanh {
  @inline forward(x: v128, alpha: v128): v128 {
    const xc = f32x4.max(x, splat(-20));
    const w = f32x4.mul(xc, f32x4.add(splat(GELU_K0), f32x4.mul(splat(GELU_K1), f32x4.mul(xc, xc))));
    return f32x4.mul(xc, sigmoidV(w));
  }
  @inline backward(z: v128, dy: v128, alpha: v128): v128 {
    const zc = clamp(z, 20); // beyond ±20 the gradient is exactly 0 or 1 in f32
    const z2 = f32x4.mul(zc, zc);
    const w = f32x4.mul(zc, f32x4.add(splat(GELU_K0), f32x4.mul(splat(GELU_K1), z2)));
    const dw = f32x4.add(splat(GELU_K0), f32x4.mul(splat(3 * GELU_K1), z2));
    const e = expNegAbs(w);
    const slope = f32x4.mul(zc, f32x4.mul(logisticSlope(e), dw));
    return f32x4.mul(dy, f32x4.add(sigmoidFrom(w, e), slope));
  }
}

/**
 * Mish (Misra 2019): x·tanh(softplus(x)). With e = exp(-|x|), tanh(softplus(x)) = n/(n + m) where
 *   x >= 0: n = 1 + 2e,  m = 2e²      (numerator and denominator divided by e^2x)
 *   x <  0: n = e(e + 2), m = 2
 * so nothing overflows, and 1 - t = m/(n + m) is available without cancellation for the gradient
 * t + x·(1 - t²)·sigmoid(x).
 */
@final @unmanaged export class Mish {
  @inline forward(x: v128, alpha: v128): v128 {
    const e = expNegAbs(x);
    const n = mishNumerator(x, e);
    const t = f32x4.div(n, f32x4.add(n, mishRest(x, e)));
    return f32x4.mul(f32x4.max(x, splat(-120)), t);
  }
  @inline backward(z: v128, dy: v128, alpha: v128): v128 {
    const e = expNegAbs(z);
    const n = mishNumerator(z, e);
    const m = mishRest(z, e);
    const d = f32x4.add(n, m);
    const oneMinusT = f32x4.div(m, d);
    const secant2 = f32x4.mul(oneMinusT, f32x4.sub(splat(2), oneMinusT)); // 1 - t² = (1 - t)(1 + t)
    const slope = f32x4.mul(clamp(z, 120), f32x4.mul(secant2, sigmoidFrom(z, e)));
    return f32x4.mul(dy, f32x4.add(f32x4.div(n, d), slope));
  }
}

@inline function mishNumerator(x: v128, e: v128): v128 {
  const positive = f32x4.ge(x, splat(0));
  return v128.bitselect(f32x4.add(splat(1), f32x4.add(e, e)), f32x4.mul(e, f32x4.add(e, splat(2))), positive);
}

@inline function mishRest(x: v128, e: v128): v128 {
  return v128.bitselect(f32x4.mul(splat(2), f32x4.mul(e, e)), splat(2), f32x4.ge(x, splat(0)));
}
