// evaluate's options, as the public API documents them, and their checks (Keras's names and defaults).
import type { Callback } from "../callbacks/callback.js";
import type { TensorLike } from "../tensor.js";
import { checkNumber, checkOptionKeys } from "../utils/options.js";
import { checkCallbacks, optionalCount, resolveVerbose } from "./fit-options.js";

export interface EvaluateOptions {
  /** Samples per batch (arrays only; a data set's batches are used as they come). */
  batchSize?: number;
  /** One weight per sample (arrays only; a data set carries them in its batches). */
  sampleWeight?: TensorLike;
  /** 0 silent, 1 progress bar (the default, "auto"), 2 one line. */
  verbose?: 0 | 1 | 2 | "auto";
  /** Evaluate only this many batches; with a data set, needed when it is endless. */
  steps?: number;
  /** Their onTest* hooks run (Keras's evaluate(callbacks=…)). */
  callbacks?: Callback[];
}

/** EvaluateOptions with defaults applied and every value checked. */
export interface EvaluateConfig {
  batchSize: number;
  verbose: 0 | 1 | 2;
  sampleWeight: unknown;
  steps: number | undefined;
  callbacks: Callback[];
}

/** `dataset`: x is a data set (iterable of batches) rather than arrays. */
export function resolveEvaluateOptions(options: unknown, context: { dataset: boolean }): EvaluateConfig {
  const fn = "evaluate";
  checkOptionKeys(fn, options, ["batchSize", "verbose", "sampleWeight", "steps", "callbacks"]);
  const o = (options ?? {}) as EvaluateOptions;
  if (context.dataset && o.sampleWeight !== undefined) {
    throw new Error("evaluate: with a data set, give sample weights inside each batch as [x, y, sampleWeight]");
  }
  if (context.dataset && o.batchSize !== undefined) {
    throw new Error(
      "evaluate: batchSize does not apply to a data set (its batches are used as they come); leave it out",
    );
  }
  return {
    batchSize: checkNumber(fn, "batchSize", o.batchSize ?? 32, { integer: true, min: 0, minExclusive: true }),
    verbose: resolveVerbose(fn, o.verbose),
    sampleWeight: o.sampleWeight,
    steps: optionalCount(fn, "steps", o.steps),
    callbacks: checkCallbacks(fn, o.callbacks),
  };
}
