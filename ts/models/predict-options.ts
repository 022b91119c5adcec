// predict's options as the full package runs them (callbacks and the progress bar); densa/infer checks its own
// in InferenceModel.predictPlan.
import type { Callback } from "../callbacks/callback.js";
import { checkCallbacks, optionalCount, resolveVerbose } from "../training/fit-options.js";
import { checkNumber, checkOptionKeys } from "../utils/options.js";
import type { PredictOptions } from "./inference-model.js";

/** PredictOptions with defaults applied and every value checked. */
export interface PredictConfig {
  batchSize: number;
  verbose: 0 | 1 | 2;
  steps: number | undefined;
  callbacks: Callback[];
}

/** NOTE: verbose defaults to 0 (Keras: "auto"): predict is synchronous and often called per request. */
export function resolvePredictOptions(options: unknown): PredictConfig {
  const fn = "predict";
  checkOptionKeys(fn, options, ["batchSize", "verbose", "steps", "callbacks"]);
  const o = (options ?? {}) as PredictOptions;
  return {
    batchSize: checkNumber(fn, "batchSize", o.batchSize ?? 32, { integer: true, min: 0, minExclusive: true }),
    verbose: resolveVerbose(fn, o.verbose ?? 0),
    steps: optionalCount(fn, "steps", o.steps),
    callbacks: checkCallbacks(fn, o.callbacks),
  };
}
