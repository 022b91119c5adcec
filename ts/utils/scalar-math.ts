/**
 * Scalar transcendental functions for host-side math (learning-rate schedules).
 *
 * NOTE: densa promises bit-identical training in every runtime, but JS engines may differ in the last bit of
 * Math.pow / Math.cos / Math.exp (V8, JavaScriptCore and SpiderMonkey use different libm ports). So init()
 * (ts/init.ts) routes these to the wasm kernels' `scalarPow` / `scalarCos` / `scalarExp` exports
 * (AssemblyScript's own pure-wasm math, identical everywhere) with `setScalarMath`. Before init(), Math.*.
 */
export interface ScalarMath {
  pow(x: number, y: number): number;
  cos(x: number): number;
  exp(x: number): number;
}

export const jsScalarMath: ScalarMath = {
  pow: (x, y) => x ** y,
  cos: (x) => Math.cos(x),
  exp: (x) => Math.exp(x),
};

let current: ScalarMath = jsScalarMath;

/** The implementation schedules use right now. */
export function getScalarMath(): ScalarMath {
  return current;
}

/** Installs another implementation (the wasm kernels, after init()). */
export function setScalarMath(math: ScalarMath): void {
  current = math;
}
