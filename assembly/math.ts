// Elementary functions for the kernels: f32x4 lane functions (for other kernels to inline) and scalar entry
// points for JavaScript code that must give the same bits in every runtime (learning-rate schedules, …).
//
//   math-exp.ts      expV, expm1V (Cody–Waite reduction + minimax polynomial)
//   math-log.ts      logV, log1pV (exponent/mantissa split + atanh-series minimax polynomial)
//   math-special.ts  sigmoidV, tanhV, softplusV, normalCdfV (built on the two above)
//   math-map.ts      the shared element-wise loop (SIMD body + scalar tail through the same lane function)
//
// Scalar results are lane 0 of the vector function on a splatted input, so a value gives the same bits
// whether it is computed here, in a SIMD body, or in a scalar tail.

import { expV, expm1V } from "./math-exp";
import { logV, log1pV } from "./math-log";
import { sigmoidV, tanhV, softplusV, normalCdfV } from "./math-special";
import { mapUnary } from "./math-map";

export { expV, expm1V } from "./math-exp";
export { logV, log1pV } from "./math-log";
export { sigmoidV, tanhV, softplusV, normalCdfV } from "./math-special";

/** e^x, bit-identical to a lane of expV. */
export function scalarExp(x: f32): f32 {
  return f32x4.extract_lane(expV(f32x4.splat(x)), 0);
}

/** ln x, bit-identical to a lane of logV. */
export function scalarLog(x: f32): f32 {
  return f32x4.extract_lane(logV(f32x4.splat(x)), 0);
}

/** x^y through AssemblyScript's own Mathf.pow (a pure-wasm port, the same bits in every runtime). */
export function scalarPow(x: f32, y: f32): f32 {
  return Mathf.pow(x, y);
}

/** cos x through AssemblyScript's Mathf.cos (pure wasm). */
export function scalarCos(x: f32): f32 {
  return Mathf.cos(x);
}

/** sqrt x: the wasm f32.sqrt instruction, correctly rounded by the spec. */
export function scalarSqrt(x: f32): f32 {
  return Mathf.sqrt(x);
}

// Function ids for mathMap, read by TypeScript through the exported globals (MATH_EXP.value, …).
export const MATH_EXP: i32 = 0;
export const MATH_EXPM1: i32 = 1;
export const MATH_LOG: i32 = 2;
export const MATH_LOG1P: i32 = 3;
export const MATH_SIGMOID: i32 = 4;
export const MATH_TANH: i32 = 5;
export const MATH_SOFTPLUS: i32 = 6;
export const MATH_NORMAL_CDF: i32 = 7;

@final @unmanaged class Exp { @inline forward(x: v128, a: v128): v128 { return expV(x); } }
@final @unmanaged class Expm1 { @inline forward(x: v128, a: v128): v128 { return expm1V(x); } }
@final @unmanaged class Log { @inline forward(x: v128, a: v128): v128 { return logV(x); } }
@final @unmanaged class Log1p { @inline forward(x: v128, a: v128): v128 { return log1pV(x); } }
@final @unmanaged class Sigmoid { @inline forward(x: v128, a: v128): v128 { return sigmoidV(x); } }
@final @unmanaged class Tanh { @inline forward(x: v128, a: v128): v128 { return tanhV(x); } }
@final @unmanaged class Softplus { @inline forward(x: v128, a: v128): v128 { return softplusV(x); } }
@final @unmanaged class NormalCdf { @inline forward(x: v128, a: v128): v128 { return normalCdfV(x); } }

/** y[i] = fn(x[i]) for i < count (fn: one of MATH_*); x may equal y. Unknown fn: y is left untouched. */
export function mathMap(fn: i32, count: i32, x: usize, y: usize): void {
  switch (fn) {
    case MATH_EXP: mapUnary<Exp>(count, x, y, 0); break;
    case MATH_EXPM1: mapUnary<Expm1>(count, x, y, 0); break;
    case MATH_LOG: mapUnary<Log>(count, x, y, 0); break;
    case MATH_LOG1P: mapUnary<Log1p>(count, x, y, 0); break;
    case MATH_SIGMOID: mapUnary<Sigmoid>(count, x, y, 0); break;
    case MATH_TANH: mapUnary<Tanh>(count, x, y, 0); break;
    case MATH_SOFTPLUS: mapUnary<Softplus>(count, x, y, 0); break;
    case MATH_NORMAL_CDF: mapUnary<NormalCdf>(count, x, y, 0); break;
  }
}
