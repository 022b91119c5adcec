import { toSnakeCase } from "../layers/names.js";
import { canonicalLossName, Loss } from "../losses/loss.js";
import { Metric, type MetricIdentifier } from "../metrics/index.js";
import { type Optimizer, resolveOptimizer } from "../optimizers/index.js";
import { deserializeSchedule, InverseTimeDecay } from "../optimizers/schedules.js";
import { describeValue } from "../utils/describe.js";
import { ignoringUnknownOptions } from "../utils/options.js";
import { isPlainObject } from "../utils/plain-object.js";
import { OPTIMIZER_STATE_ERROR } from "./keras/keras-compile-config.js";
import { metricFromConfig } from "./metric-config.js";
import { camelKeys, snakeKeys } from "./topology.js";

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

/** A loss as Keras names it: its name when it has no options of its own, else { class_name, config }. */
function kerasLoss(loss: Loss): unknown {
  const defaults = new Loss(loss.lossName);
  const plainLoss =
    loss.name === loss.lossName &&
    loss.fromLogits === defaults.fromLogits &&
    loss.labelSmoothing === defaults.labelSmoothing &&
    loss.delta === defaults.delta;
  return plainLoss ? loss.lossName : kerasObject(loss.getConfig());
}

const kerasMetrics = (metrics: readonly MetricIdentifier[]) =>
  metrics.map((metric) => (metric instanceof Metric ? kerasObject(metric.getConfig()) : metric));

/**
 * Keras's training_config for compile's arguments. A model of several outputs gets one entry per output, in
 * output order, as Keras 3 takes them: loss [l₀, l₁, …], metrics [[…], […], …], loss_weights [w₀, w₁, …]
 * (null when compile had none).
 */
export function kerasTrainingConfig({ optimizer, loss, metrics, outputs, lossWeights }: CompileConfig): Json {
  const optimizerConfig = snakeKeys(optimizer.getConfig()) as Json;
  for (const key of ["beta1", "beta2"]) {
    if (key in optimizerConfig) {
      optimizerConfig[key.replace(/(\d)$/, "_$1")] = optimizerConfig[key];
      delete optimizerConfig[key];
    }
  }
  return {
    loss: outputs ? outputs.map((output) => kerasLoss(output.loss)) : kerasLoss(loss),
    metrics: outputs ? outputs.map((output) => kerasMetrics(output.metrics)) : kerasMetrics(metrics),
    weighted_metrics: null,
    loss_weights: lossWeights ? [...lossWeights] : null,
    sample_weight_mode: null,
    optimizer_config: { class_name: optimizer.className, config: optimizerConfig },
  };
}

function kerasObject({ className, config }: { className: string; config: Record<string, unknown> }): Json {
  return { class_name: className, config: snakeKeys(config) };
}

/** compile()'s arguments read from a training config: per output where the file gives them per output. */
export interface LoadedCompileArgs {
  optimizer: Optimizer;
  loss: Loss | Loss[] | Record<string, Loss>;
  metrics: MetricIdentifier[] | MetricIdentifier[][] | Record<string, MetricIdentifier[]>;
  lossWeights?: number[] | Record<string, number>;
}

/**
 * The training config as compile's arguments. `outputNames` (the model's) tells a one-output model's per-output
 * dict ({ dense_2: "mse" }, as tfjs writes) from a dict of several outputs, and a flat metrics list of several
 * outputs (Keras 2's: every output gets them) from a list per output.
 */
export function compileConfigFromTraining(
  raw: unknown,
  argument: string,
  outputNames: readonly string[] = [],
): LoadedCompileArgs {
  return ignoringUnknownOptions(() => readCompileConfig(raw, argument, outputNames));
}

function readCompileConfig(raw: unknown, argument: string, outputNames: readonly string[]): LoadedCompileArgs {
  if (!isPlainObject(raw)) throw new Error(`${argument} must be an object, got ${describeValue(raw)}`);
  // NOTE: loss, metrics and loss_weights may be keyed by output name, which must keep its snake_case.
  const { [OPTIMIZER_STATE_ERROR]: stateError, ...rest } = raw;
  const config = camelKeys({ ...rest, loss: null, metrics: null, loss_weights: null }) as Json;
  for (const key of ["weightedMetrics", "sampleWeightMode"]) {
    const value = config[key];
    const empty = value === undefined || value === null || (Array.isArray(value) && value.length === 0);
    if (!empty)
      throw new Error(
        `${argument}: ${toSnakeCase(key)} is not supported (densa weighs metrics by sample weights only through fit's sampleWeight), got ${JSON.stringify(value)}`,
      );
  }
  const several = outputNames.length > 1;
  const lossWeights = lossWeightsFrom(raw.loss_weights ?? raw.lossWeights, several, argument);
  const args: LoadedCompileArgs = {
    loss: perOutput(
      raw.loss,
      several,
      (value, label) => lossFrom(camelKeys(value), `${argument}: loss${label}`),
      `${argument}: loss`,
    ),
    metrics: outputMetricsFrom(raw.metrics, several, argument),
    optimizer: optimizerFrom(config.optimizerConfig, argument),
    ...(lossWeights === undefined ? {} : { lossWeights }),
  };
  if (typeof stateError === "string") throw new Error(stateError);
  return args;
}

/** A Keras object ({ class_name, config }) rather than a dict keyed by output name. */
const isKerasObject = (value: unknown): boolean =>
  isPlainObject(value) && ("class_name" in value || "className" in value);

/**
 * One value per output, kept in the file's form (a list in output order, a dict by output name) for a model of
 * several outputs; a one-output model's one-entry list or dict is its one value.
 */
function perOutput<T>(
  value: unknown,
  several: boolean,
  read: (value: unknown, label: string) => T,
  argument: string,
): T | T[] | Record<string, T> {
  if (Array.isArray(value) && (several || value.length === 1))
    return several ? value.map((entry, k) => read(entry, `[${k}]`)) : read(value[0], "");
  if (isPlainObject(value) && !isKerasObject(value)) {
    const entries = Object.entries(value);
    if (!several) {
      if (entries.length !== 1)
        throw new Error(
          `${argument}: the model has one output, but the file gives ${entries.length} entries (${Object.keys(value).join(", ") || "none"})`,
        );
      return read(entries[0][1], "");
    }
    return Object.fromEntries(entries.map(([name, entry]) => [name, read(entry, `.${name}`)]));
  }
  return read(value, "");
}

function outputMetricsFrom(raw: unknown, several: boolean, argument: string): LoadedCompileArgs["metrics"] {
  if (raw === undefined || raw === null) return [];
  if (!several) return metricsFrom(isPlainObject(raw) && !isKerasObject(raw) ? Object.values(raw)[0] : raw, argument);
  if (isPlainObject(raw) && !isKerasObject(raw))
    return Object.fromEntries(
      Object.entries(raw).map(([name, entry]) => [name, metricsFrom(entry, `${argument}: metrics.${name}`)]),
    );
  // NOTE: Keras 2 gives a flat list to every output; a list of lists is one list per output.
  if (Array.isArray(raw) && raw.length > 0 && raw.every((entry) => Array.isArray(entry) || entry === null))
    return raw.map((entry, k) => metricsFrom(entry ?? [], `${argument}: metrics[${k}]`));
  return metricsFrom(raw, argument);
}

function lossWeightsFrom(
  raw: unknown,
  several: boolean,
  argument: string,
): number[] | Record<string, number> | undefined {
  if (raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0)) return undefined;
  const number = (value: unknown, label: string) => {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
      throw new Error(`${argument}: loss_weights${label} must be a finite number >= 0, got ${describeValue(value)}`);
    return value;
  };
  if (Array.isArray(raw)) return raw.map((value, k) => number(value, `[${k}]`));
  if (isPlainObject(raw)) {
    const entries = Object.entries(raw);
    if (!several && entries.length === 1) return [number(entries[0][1], `.${entries[0][0]}`)];
    return Object.fromEntries(entries.map(([name, value]) => [name, number(value, `.${name}`)]));
  }
  if (!several) return [number(raw, "")];
  throw new Error(`${argument}: loss_weights must be a list or a dict keyed by output name, got ${describeValue(raw)}`);
}

function lossFrom(value: unknown, argument: string): Loss {
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
  throw new Error(
    `${argument}: loss must be a name or { class_name, config } (one output), got ${describeValue(value)}`,
  );
}

function metricsFrom(raw: unknown, argument: string): MetricIdentifier[] {
  const value = camelKeys(raw);
  if (value === undefined || value === null) return [];
  // NOTE: Keras 3 may nest a single output's metrics in a list of its own; tfjs may give one name bare.
  const list =
    typeof value === "string"
      ? [value]
      : Array.isArray(value) && value.length === 1 && Array.isArray(value[0])
        ? value[0]
        : value;
  if (!Array.isArray(list))
    throw new Error(`${argument}: metrics must be a list (one output), got ${describeValue(value)}`);
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
  const fail = (what: string) =>
    new Error(`${argument}: the ${className} optimizer ${what}; densa cannot train with it`);
  if (options.useEma) throw fail("keeps an exponential moving average of the weights (use_ema)");
  if (options.gradientAccumulationSteps != null && options.gradientAccumulationSteps !== 1)
    throw fail("accumulates gradients over several steps");
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
    options.learningRate = new InverseTimeDecay({
      initialLearningRate: options.learningRate,
      decaySteps: 1,
      decayRate: options.decay,
    });
  }
  return resolveOptimizer({ className, config: options }, `${argument}: optimizer_config`);
}
