import { checkNumber, checkOptionKeys } from "../utils/options.js";

export interface PredictOptions {
  /** Samples per batch. Default 32. */
  batchSize?: number;
  /** Predict only the first `steps` batches (Keras's steps): the result has at most steps × batchSize rows. */
  steps?: number;
  /**
   * 0 (the default here: predict is synchronous and often called per request) is silent; 1, 2 or "auto" print
   * Keras's progress bar. The full densa package only; densa/infer predicts silently.
   */
  verbose?: 0 | 1 | 2 | "auto";
  /**
   * Callbacks whose onPredict* hooks run, synchronously (predict cannot await a hook, so a hook that is async or
   * returns a Promise is an error). The full densa package only.
   */
  callbacks?: unknown[];
}

/** What predict calls around its batches; the full package runs callbacks and the progress bar from these. */
export interface PredictHooks {
  begin(steps: number): void;
  batchBegin(batch: number): void;
  batchEnd(batch: number): void;
  end(): void;
}

/** Checked predict options. */
export interface PredictPlan {
  batchSize: number;
  steps: number | undefined;
  hooks: PredictHooks | null;
}

/**
 * Checks predict's options as densa/infer takes them: it has no callbacks and no progress bar, so it refuses them
 * rather than ignore them (the trainable model of the full package runs both: predict-options.ts).
 */
export function inferencePredictPlan(options: unknown): PredictPlan {
  checkOptionKeys("predict", options, ["batchSize", "verbose", "steps", "callbacks"]);
  const o = (options ?? {}) as PredictOptions;
  const batchSize = checkNumber("predict", "batchSize", o.batchSize ?? 32, {
    integer: true,
    min: 0,
    minExclusive: true,
  });
  const steps =
    o.steps === undefined || o.steps === null
      ? undefined
      : checkNumber("predict", "steps", o.steps, { integer: true, min: 0, minExclusive: true });
  if (o.verbose !== undefined && o.verbose !== 0) {
    throw new Error(
      `predict: verbose ${JSON.stringify(o.verbose)} needs the progress bar of the full densa package; densa/infer predicts silently (verbose 0)`,
    );
  }
  if (o.callbacks !== undefined && !(Array.isArray(o.callbacks) && o.callbacks.length === 0)) {
    throw new Error("predict: callbacks need the full densa package; densa/infer's predict runs no callbacks");
  }
  return { batchSize, steps, hooks: null };
}
