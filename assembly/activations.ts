// Activation kernels: forward y = f(z) and backward dz = dy ⊙ f'(z), for every activation Keras 3 and
// tfjs-layers name. Kinds are shared with TypeScript through exported globals (ts reads ACTIVATION_*.value).
//
//   activations-piecewise.ts  linear, relu, relu6, leaky_relu, hard_sigmoid, elu, selu, exponential
//   activations-smooth.ts     sigmoid, tanh, softplus, softsign, swish, gelu, gelu (tanh form), mish
//   activations-softmax.ts    softmax, log_softmax (row-wise)
//
// Element-wise kinds treat rows·cols as one flat array (math-map.ts: f32x4 body, scalar tail through the same
// lane function, so results do not depend on position). Softmax kinds work per row of `cols`.
//
// Where Keras 3 (keras/src/activations/activations.py) and tfjs-layers (src/activations.ts) differ:
//  - hard_sigmoid: Keras 3 is relu6(x + 3)/6 (slope 1/6); tfjs and Keras 2 use clip(0.2·x + 0.5, 0, 1).
//    The slope is `alpha` here: pass 1/6 or 0.2.
//  - leaky_relu: Keras 3 default negative_slope 0.2; tfjs LeakyReLU layer default alpha 0.3. Pass `alpha`.
//  - gelu: Keras 3 `gelu` defaults to the exact erf form (approximate=False) = tfjs 'gelu';
//    tfjs 'gelu_new' = Keras approximate=True = ACTIVATION_GELU_TANH.
//  - elu: Keras 3 takes any alpha; tfjs only alpha = 1. swish: tfjs's optional beta is never passed by its
//    layers and Keras 3 has none, so none here. exponential and leaky_relu are not tfjs activation strings.

import { mapUnary, mapBinary } from "./math-map";
import {
  Linear, Relu, Relu6, LeakyRelu, LeakyReluFromInput, HardSigmoid, Elu, EluFromInput, Selu, Exponential,
} from "./activations-piecewise";
import { Sigmoid, Tanh, Softplus, Softsign, Swish, Gelu, GeluTanh, Mish } from "./activations-smooth";
import { softmaxRows, logSoftmaxRows, softmaxRowsBackward, logSoftmaxRowsBackward } from "./activations-softmax";

export const ACTIVATION_LINEAR: i32 = 0;
export const ACTIVATION_RELU: i32 = 1;
export const ACTIVATION_SIGMOID: i32 = 2;
export const ACTIVATION_TANH: i32 = 3;
export const ACTIVATION_SOFTMAX: i32 = 4;
export const ACTIVATION_ELU: i32 = 5; // alpha = ELU alpha (Keras default 1)
export const ACTIVATION_SELU: i32 = 6;
export const ACTIVATION_SOFTPLUS: i32 = 7;
export const ACTIVATION_SOFTSIGN: i32 = 8;
export const ACTIVATION_SWISH: i32 = 9; // also "silu"
export const ACTIVATION_GELU: i32 = 10; // exact (erf) form
export const ACTIVATION_GELU_TANH: i32 = 11; // tanh approximation, tfjs "gelu_new"
export const ACTIVATION_LEAKY_RELU: i32 = 12; // alpha = negative slope
export const ACTIVATION_RELU6: i32 = 13;
export const ACTIVATION_HARD_SIGMOID: i32 = 14; // alpha = slope (0.2 tfjs / Keras 2, 1/6 Keras 3)
export const ACTIVATION_MISH: i32 = 15;
export const ACTIVATION_EXPONENTIAL: i32 = 16;
export const ACTIVATION_LOG_SOFTMAX: i32 = 17;
const ACTIVATION_KINDS: i32 = 18;

/** Number of activation kinds; valid kinds are 0 … activationCount() - 1. */
export function activationCount(): i32 {
  return ACTIVATION_KINDS;
}

/**
 * y = f(x) over a rows×cols row-major matrix; x may equal y (in place). `alpha` is the parameter of elu,
 * leaky_relu and hard_sigmoid and is ignored by the other kinds. An unknown kind leaves y untouched.
 */
export function activationForward(kind: i32, rows: i32, cols: i32, x: usize, y: usize, alpha: f32): void {
  if (rows <= 0 || cols <= 0) return;
  const count = rows * cols;
  switch (kind) {
    case ACTIVATION_LINEAR: if (x != y) memory.copy(y, x, <usize>count << 2); break;
    case ACTIVATION_RELU: mapUnary<Relu>(count, x, y, alpha); break;
    case ACTIVATION_SIGMOID: mapUnary<Sigmoid>(count, x, y, alpha); break;
    case ACTIVATION_TANH: mapUnary<Tanh>(count, x, y, alpha); break;
    case ACTIVATION_SOFTMAX: softmaxRows(rows, cols, x, y); break;
    case ACTIVATION_ELU: mapUnary<Elu>(count, x, y, alpha); break;
    case ACTIVATION_SELU: mapUnary<Selu>(count, x, y, alpha); break;
    case ACTIVATION_SOFTPLUS: mapUnary<Softplus>(count, x, y, alpha); break;
    case ACTIVATION_SOFTSIGN: mapUnary<Softsign>(count, x, y, alpha); break;
    case ACTIVATION_SWISH: mapUnary<Swish>(count, x, y, alpha); break;
    case ACTIVATION_GELU: mapUnary<Gelu>(count, x, y, alpha); break;
    case ACTIVATION_GELU_TANH: mapUnary<GeluTanh>(count, x, y, alpha); break;
    case ACTIVATION_LEAKY_RELU: mapUnary<LeakyRelu>(count, x, y, alpha); break;
    case ACTIVATION_RELU6: mapUnary<Relu6>(count, x, y, alpha); break;
    case ACTIVATION_HARD_SIGMOID: mapUnary<HardSigmoid>(count, x, y, alpha); break;
    case ACTIVATION_MISH: mapUnary<Mish>(count, x, y, alpha); break;
    case ACTIVATION_EXPONENTIAL: mapUnary<Exponential>(count, x, y, alpha); break;
    case ACTIVATION_LOG_SOFTMAX: logSoftmaxRows(rows, cols, x, y); break;
  }
}

/**
 * 1 if activationBackward(kind, …) reads z (the pre-activation input), 0 if it reads only y = f(z), so a
 * layer can skip keeping z. Assumes the usual sign of alpha (elu alpha > 0, leaky_relu alpha >= 0); use
 * activationBackwardNeedsInputFor when alpha may be otherwise.
 */
export function activationBackwardNeedsInput(kind: i32): i32 {
  return activationBackwardNeedsInputFor(kind, 1);
}

/** activationBackwardNeedsInput, exact for any alpha: elu with alpha <= 0 or leaky_relu with alpha < 0 read z. */
export function activationBackwardNeedsInputFor(kind: i32, alpha: f32): i32 {
  switch (kind) {
    case ACTIVATION_SOFTSIGN:
    case ACTIVATION_SWISH:
    case ACTIVATION_GELU:
    case ACTIVATION_GELU_TANH:
    case ACTIVATION_MISH: return 1;
    case ACTIVATION_ELU: return alpha > 0 ? 0 : 1;
    case ACTIVATION_LEAKY_RELU: return alpha >= 0 ? 0 : 1;
    default: return 0;
  }
}

/**
 * dz = dy ⊙ f'(z) over rows×cols (softmax kinds: the row-wise Jacobian-vector product). z is the
 * pre-activation input and y = f(z) the forward output; a kernel reads only the one of them that
 * activationBackwardNeedsInputFor(kind, alpha) names, so the other may be 0. dz may equal dy (in place).
 */
export function activationBackward(
  kind: i32, rows: i32, cols: i32, z: usize, y: usize, dy: usize, dz: usize, alpha: f32,
): void {
  if (rows <= 0 || cols <= 0) return;
  const count = rows * cols;
  switch (kind) {
    case ACTIVATION_LINEAR: if (dy != dz) memory.copy(dz, dy, <usize>count << 2); break;
    case ACTIVATION_RELU: mapBinary<Relu>(count, y, dy, dz, alpha); break;
    case ACTIVATION_SIGMOID: mapBinary<Sigmoid>(count, y, dy, dz, alpha); break;
    case ACTIVATION_TANH: mapBinary<Tanh>(count, y, dy, dz, alpha); break;
    case ACTIVATION_SOFTMAX: softmaxRowsBackward(rows, cols, y, dy, dz); break;
    case ACTIVATION_ELU:
      if (alpha > 0) mapBinary<Elu>(count, y, dy, dz, alpha);
      else mapBinary<EluFromInput>(count, z, dy, dz, alpha);
      break;
    case ACTIVATION_SELU: mapBinary<Selu>(count, y, dy, dz, alpha); break;
    case ACTIVATION_SOFTPLUS: mapBinary<Softplus>(count, y, dy, dz, alpha); break;
    case ACTIVATION_SOFTSIGN: mapBinary<Softsign>(count, z, dy, dz, alpha); break;
    case ACTIVATION_SWISH: mapBinary<Swish>(count, z, dy, dz, alpha); break;
    case ACTIVATION_GELU: mapBinary<Gelu>(count, z, dy, dz, alpha); break;
    case ACTIVATION_GELU_TANH: mapBinary<GeluTanh>(count, z, dy, dz, alpha); break;
    case ACTIVATION_LEAKY_RELU:
      if (alpha >= 0) mapBinary<LeakyRelu>(count, y, dy, dz, alpha);
      else mapBinary<LeakyReluFromInput>(count, z, dy, dz, alpha);
      break;
    case ACTIVATION_RELU6: mapBinary<Relu6>(count, y, dy, dz, alpha); break;
    case ACTIVATION_HARD_SIGMOID: mapBinary<HardSigmoid>(count, y, dy, dz, alpha); break;
    case ACTIVATION_MISH: mapBinary<Mish>(count, z, dy, dz, alpha); break;
    case ACTIVATION_EXPONENTIAL: mapBinary<Exponential>(count, y, dy, dz, alpha); break;
    case ACTIVATION_LOG_SOFTMAX: logSoftmaxRowsBackward(rows, cols, y, dy, dz); break;
  }
}
