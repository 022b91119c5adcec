import { isPlainObject } from "../topology.js";

type Json = Record<string, unknown>;

/**
 * Where a Keras file's loader leaves, in the training config, the reason the optimizer's state could not be read:
 * compiling from it reports it, and { compile: false } skips both.
 */
export const OPTIMIZER_STATE_ERROR = "densa_optimizer_state_error";

/**
 * Keras 3's `compile_config` (config.json) as the `training_config` densa's loader reads (Keras 2's legacy form):
 *   { optimizer, loss, metrics, loss_weights, weighted_metrics, run_eagerly, steps_per_execution, jit_compile }
 *   → { optimizer_config: optimizer, loss, metrics, loss_weights, weighted_metrics }
 * (how the step runs — eagerly, jit, steps per execution — does not change what training computes.)
 */
export function trainingConfigFromCompileConfig(compileConfig: unknown): Json | undefined {
  if (!isPlainObject(compileConfig)) return undefined;
  const { optimizer, loss, metrics, loss_weights, weighted_metrics } = compileConfig;
  return { optimizer_config: optimizer, loss, metrics, loss_weights, weighted_metrics };
}

/** The reverse, as Keras 3's Model.get_compile_config writes it (keys in its order). */
export function compileConfigFromTrainingConfig(training: Json): Json {
  const { optimizer_config, loss, metrics, loss_weights, weighted_metrics } = training;
  return {
    optimizer: optimizer_config,
    loss,
    loss_weights: loss_weights ?? null,
    metrics: metrics ?? null,
    weighted_metrics: weighted_metrics ?? null,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
}

/** The optimizer's { className, config } of a training config, for laying out its state. */
export function optimizerOf(training: Json | undefined): { className: string; config: Json } | undefined {
  const optimizer = training?.optimizer_config;
  if (!isPlainObject(optimizer) || typeof optimizer.class_name !== "string") return undefined;
  return {
    className: optimizer.class_name.replace(/^Custom>/, ""),
    config: (isPlainObject(optimizer.config) ? optimizer.config : {}) as Json,
  };
}
