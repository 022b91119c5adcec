import { toSnakeCase } from "../layers/names.js";
import { canonicalLossName, Loss } from "../losses/loss.js";
import { Metric, type MetricIdentifier } from "../metrics/index.js";
import { resolveOptimizer, type Optimizer } from "../optimizers/index.js";
import { deserializeSchedule, InverseTimeDecay } from "../optimizers/schedules.js";
import { describeValue } from "../utils/describe.js";
import { metricFromConfig } from "./metric-config.js";
import { camelKeys, isPlainObject, snakeKeys } from "./topology.js";
import { ignoringUnknownOptions } from "../utils/options.js";

/**
 * compile()'s arguments ⇄ Keras's training_config:
 *   { loss, metrics, optimizer_config: { class_name, config }, weighted_metrics, loss_weights, sample_weight_mode }
 * Written in Keras's snake_case form; read from Keras 2 (`lr`, `decay`), Keras 3 and tfjs (camelCase optimizer
 * configs, `RMSProp`, `Momentum`) files alike. Anything that would change training and that densa cannot do
 * (EMA weights, gradient accumulation, several outputs) is an error, not dropped.
 */

export interface CompileConfig {
  optimizer: Optimizer;
  /** The loss of the (first) output. */
  loss: Loss;
  metrics: MetricIdentifier[];
  /** Per output, for a model of several outputs. */
  outputs?: { loss: Loss; lossWeight: number; metrics: MetricIdentifier[] }[];
  lossWeights?: number[];
}

type Json = Record<string, unknown>;

export function kerasTrainingConfig({ optimizer, loss, metrics }: CompileConfig): Json {
  const defaults = new Loss(loss.lossName);
  const plainLoss = loss.name === loss.lossName && loss.fromLogits === defaults.fromLogits &&
    loss.labelSmoothing === defaults.labelSmoothing && loss.delta === defaults.delta;
  const optimizerConfig = snakeKeys(optimizer.getConfig()) as Json;
  for (const key of ["beta1", "beta2"]) {
    if (key in optimizerConfig) {
      optimizerConfig[key.replace(/(\d)$/, "_$1")] = optimizerConfig[key];
      delete optimizerConfig[key];
    }
  }
  return {
    loss: plainLoss ? loss.lossName : kerasObject(loss.getConfig()),
    metrics: metrics.map((metric) => (metric instanceof Metric ? kerasObject(metric.getConfig()) : metric)),
    weighted_metrics: null,
    loss_weights: null,
    sample_weight_mode: null,
    optimizer_config: { class_name: optimizer.className, config: optimizerConfig },
  };
}

function kerasObject({ className, config }: { className: string; config: Record<string, unknown> }): Json {
  return { class_name: className, config: snakeKeys(config) };
}

export function compileConfigFromTraining(raw: unknown, argument: string): CompileConfig {
  return ignoringUnknownOptions(() => readCompileConfig(raw, argument));
}

function readCompileConfig(raw: unknown, argument: string): CompileConfig {
  if (!isPlainObject(raw)) throw new Error(`${argument} must be an object, got ${describeValue(raw)}`);
  const config = camelKeys(raw) as Json;
  for (const key of ["weightedMetrics", "lossWeights", "sampleWeightMode"]) {
    const value = config[key];
    const empty = value === undefined || value === null || (Array.isArray(value) && value.length === 0);
    if (!empty) throw new Error(`${argument}: ${toSnakeCase(key)} is not supported (densa models have one output), got ${JSON.stringify(value)}`);
  }
  return {
    loss: lossFrom(config.loss, argument),
    metrics: metricsFrom(config.metrics, argument),
    optimizer: optimizerFrom(config.optimizerConfig, argument),
  };
}

/** A per-output dict ({ dense_2: "mse" }, as tfjs writes) of a one-output model is its one value. */
function onlyOutput(value: unknown): unknown {
  if (!isPlainObject(value) || "className" in value) return value;
  const values = Object.values(value);
  return values.length === 0 ? undefined : values.length === 1 ? values[0] : value;
}

function lossFrom(raw: unknown, argument: string): Loss {
  const value = onlyOutput(raw);
  if (typeof value === "string") return new Loss(canonicalLossName(value, `${argument}: loss`));
  if (isPlainObject(value) && typeof value.className === "string") {
    const options = (value.config ?? {}) as Json;
    const reduction = options.reduction === "auto" || options.reduction === undefined ? undefined : options.reduction;
    return new Loss(canonicalLossName(value.className, `${argument}: loss`), {
      name: options.name as string | undefined,
      fromLogits: options.fromLogits as boolean | undefined,
      labelSmoothing: options.labelSmoothing as number | undefined,
      delta: options.delta as number | undefined,
      reduction: reduction as "sum_over_batch_size" | undefined,
    });
  }
  throw new Error(`${argument}: loss must be a name or { class_name, config } (one output), got ${describeValue(value)}`);
}

function metricsFrom(raw: unknown, argument: string): MetricIdentifier[] {
  const value = onlyOutput(raw);
  if (value === undefined || value === null) return [];
  // NOTE: Keras 3 may nest a single output's metrics in a list of its own; tfjs may give one name bare.
  const list = typeof value === "string" ? [value] : Array.isArray(value) && value.length === 1 && Array.isArray(value[0]) ? value[0] : value;
  if (!Array.isArray(list)) throw new Error(`${argument}: metrics must be a list (one output), got ${describeValue(value)}`);
  return list.map((metric) => {
    if (typeof metric === "string") return metric;
    if (isPlainObject(metric) && typeof metric.className === "string") {
      return metricFromConfig(metric.className, (isPlainObject(metric.config) ? metric.config : {}) as Json, argument);
    }
    throw new Error(`${argument}: each metric must be a name or { class_name, config }, got ${describeValue(metric)}`);
  });
}

function optimizerFrom(value: unknown, argument: string): Optimizer {
  if (!isPlainObject(value) || typeof value.className !== "string") {
    throw new Error(`${argument}: optimizer_config must be { class_name, config }, got ${describeValue(value)}`);
  }
  let className = value.className.replace(/^Custom>/, "");
  const options = { ...((value.config ?? {}) as Json) };
  const fail = (what: string) => new Error(`${argument}: the ${className} optimizer ${what}; densa cannot train with it`);
  if (options.useEma) throw fail("keeps an exponential moving average of the weights (use_ema)");
  if (options.gradientAccumulationSteps != null && options.gradientAccumulationSteps !== 1) throw fail("accumulates gradients over several steps");
  // Keras 2 spelled the rate `lr`; tfjs's RMSProp calls Keras's rho `decay`, and its Momentum is SGD.
  if (options.lr !== undefined && options.learningRate === undefined) options.learningRate = options.lr;
  if (className === "RMSProp") {
    options.rho = options.decay;
    delete options.decay;
  } else if (className === "Momentum") {
    className = "SGD";
    options.nesterov = options.useNesterov;
  }
  const learningRate = options.learningRate;
  if (isPlainObject(learningRate)) {
    options.learningRate = deserializeSchedule({ class_name: learningRate.className, config: learningRate.config });
  }
  // Keras 2's `decay` shrinks the rate as lr / (1 + decay · iterations): InverseTimeDecay with one-step decay.
  if (typeof options.decay === "number" && options.decay !== 0) {
    if (typeof options.learningRate !== "number") throw fail("combines decay with a learning-rate schedule");
    options.learningRate = new InverseTimeDecay({ initialLearningRate: options.learningRate, decaySteps: 1, decayRate: options.decay });
  }
  return resolveOptimizer({ className, config: options }, `${argument}: optimizer_config`);
}
