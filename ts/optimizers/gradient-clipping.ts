import { getEngine } from "../engine/engine.js";
import type { Variable } from "../layers/variable.js";
import type { UpdateRun } from "./update-runs.js";

/** Keras's three kinds of gradient clipping (at most one is set; null: off). */
export interface ClipOptions {
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
}

/**
 * Clips the gradients in the variables' grad blocks before an update, as Keras's base optimizer: clipnorm per
 * variable, globalClipnorm over all of them together, clipvalue per element (one kernel call per update run).
 */
export function clipGradients(options: ClipOptions, variables: readonly Variable[], runs: readonly UpdateRun[]): void {
  const kernels = getEngine().kernels;
  if (options.clipnorm !== null) {
    for (const variable of variables) kernels.clipByNorm(variable.grad, variable.size, options.clipnorm);
  } else if (options.globalClipnorm !== null) {
    // NOTE: summed variable by variable, in f64, as before the runs: the global norm's bits do not depend on the layout.
    let sumOfSquares = 0;
    for (const variable of variables) sumOfSquares += kernels.sumOfSquares(variable.grad, variable.size);
    const scale = kernels.globalNormScale(sumOfSquares, options.globalClipnorm);
    if (scale !== 1) for (const run of runs) kernels.scaleInPlace(run.grad, run.size, scale);
  } else if (options.clipvalue !== null) {
    for (const run of runs) kernels.clipByValue(run.grad, run.size, -options.clipvalue, options.clipvalue);
  }
}
