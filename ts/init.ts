import { getEngine, init as loadEngine } from "./engine/engine.js";
import { setScalarMath } from "./utils/scalar-math.js";

/** Loads the WebAssembly kernels; idempotent. Everything else in densa needs it to have resolved. */
export async function init(): Promise<void> {
  await loadEngine();
  // NOTE: schedules take pow / cos / exp from the kernels, so learning rates have the same bits in every runtime.
  const { scalarPow, scalarCos, scalarExp } = getEngine().kernels;
  setScalarMath({ pow: scalarPow, cos: scalarCos, exp: scalarExp });
}
