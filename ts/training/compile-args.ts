// compile's arguments, as the public API documents them, and their resolution into a CompileConfig: every name
// resolved and every value checked first, so that a bad compile leaves the model as it was.

import type { CompileConfig } from "../io/training-config.js";
import { type LossIdentifier, resolveLoss } from "../losses/loss.js";
import { type MetricIdentifier, resolveMetrics } from "../metrics/index.js";
import { type OptimizerIdentifier, resolveOptimizer } from "../optimizers/index.js";
import { describeValue } from "../utils/describe.js";
import { checkOptionKeys } from "../utils/options.js";
import { isPlainObject } from "../utils/plain-object.js";
import { optimizerOwner } from "./optimizer-lease.js";

export interface CompileArgs {
  optimizer?: OptimizerIdentifier;
  /** One loss; with several outputs also an array (one per output) or an object keyed by output name. */
  loss: LossIdentifier | LossIdentifier[] | Record<string, LossIdentifier>;
  /** Metrics; with several outputs an array with one entry (a metric or an array) per output, or an object keyed by output name. */
  metrics?:
    | MetricIdentifier[]
    | (MetricIdentifier | MetricIdentifier[])[]
    | Record<string, MetricIdentifier | MetricIdentifier[]>;
  /** Keras's loss_weights: the total loss is Σ weight × output loss. An array or an object keyed by output name. */
  lossWeights?: number[] | Record<string, number>;
}

/**
 * Keras's compile arguments for a model with these outputs: with several outputs `loss` is one loss for all, an
 * array (one per output) or an object keyed by output name; so are `lossWeights` and `metrics` (an entry may be
 * one metric or an array of them). `owner` stands for the model: an optimizer instance that already trains
 * another model is refused (its slots hold that model's state).
 */
export function resolveCompileArgs(
  args: CompileArgs,
  names: readonly string[],
  owner: { modelName: string },
): CompileConfig {
  if (!args || typeof args !== "object")
    throw new Error(`compile: expected { optimizer, loss, metrics }, got ${describeValue(args)}`);
  checkOptionKeys("compile", args, ["optimizer", "loss", "metrics", "lossWeights"]);
  const optimizer = resolveOptimizer(args.optimizer ?? "rmsprop", "compile: optimizer");
  const lossIds = perOutput<LossIdentifier>(args.loss, names, "compile: loss");
  const losses = lossIds.map((id, k) =>
    resolveLoss(id, names.length > 1 ? `compile: loss for output "${names[k]}"` : "compile: loss"),
  );
  const lossWeights =
    args.lossWeights === undefined
      ? names.map(() => 1)
      : perOutput<number>(args.lossWeights, names, "compile: lossWeights");
  lossWeights.forEach((weight, k) => {
    if (typeof weight !== "number" || !Number.isFinite(weight) || weight < 0) {
      throw new Error(
        `compile: lossWeights for output "${names[k]}" must be a finite number >= 0, got ${describeValue(weight)}`,
      );
    }
  });
  if (
    args.metrics !== undefined &&
    !Array.isArray(args.metrics) &&
    !(names.length > 1 && isPlainObject(args.metrics))
  ) {
    throw new Error(`compile: metrics must be an array (e.g. ["accuracy"]), got ${describeValue(args.metrics)}`);
  }
  const metrics =
    names.length === 1 ? [(args.metrics ?? []) as MetricIdentifier[]] : outputMetrics(args.metrics, names);
  // NOTE: validates the names now; built again per output shape.
  metrics.forEach((list, k) => resolveMetrics(list, losses[k], 2, "compile: metrics"));
  const current = optimizerOwner(optimizer);
  if (current && current !== owner) {
    throw new Error(
      `compile: optimizer: this ${optimizer.className} instance already trains the model "${current.modelName}"; ` +
        `expected an optimizer of this model's own (e.g. new optimizers.${optimizer.className}({ … }) or a name like "adam")`,
    );
  }
  return {
    optimizer,
    loss: losses[0],
    metrics: metrics[0],
    outputs:
      names.length > 1
        ? names.map((_, k) => ({ loss: losses[k], lossWeight: lossWeights[k], metrics: metrics[k] }))
        : undefined,
    lossWeights: args.lossWeights === undefined ? undefined : lossWeights,
  };
}

/** One value per output: the same for all, an array in output order, or an object keyed by output name. */
function perOutput<Value>(value: unknown, names: readonly string[], argument: string): Value[] {
  if (Array.isArray(value)) {
    if (value.length !== names.length) {
      throw new Error(
        `${argument}: the model has ${names.length} output(s) (${names.join(", ")}) but the array has ${value.length} entries; expected one per output`,
      );
    }
    return [...value] as Value[];
  }
  if (isPlainObject(value) && names.length > 1 && !("className" in value) && !("getConfig" in value)) {
    const unknown = Object.keys(value).find((key) => !names.includes(key));
    if (unknown !== undefined)
      throw new Error(
        `${argument}: ${JSON.stringify(unknown)} names no output of the model; its outputs are ${names.join(", ")}`,
      );
    const missing = names.find((name) => !(name in value));
    if (missing !== undefined)
      throw new Error(
        `${argument}: no entry for the output ${JSON.stringify(missing)}; expected the keys ${names.join(", ")}`,
      );
    return names.map((name) => value[name] as Value);
  }
  return names.map(() => value as Value);
}

/** metrics of a model with several outputs: an array with one entry per output, or an object keyed by output name. */
function outputMetrics(value: unknown, names: readonly string[]): MetricIdentifier[][] {
  if (value === undefined) return names.map(() => []);
  if (Array.isArray(value) && value.length !== names.length) {
    throw new Error(
      `compile: metrics: for a model with several outputs, give one entry per output (${names.join(", ")}) or an object keyed by ` +
        `output name, as Keras 3 does; got an array of ${value.length}`,
    );
  }
  const perName = isPlainObject(value) ? names.map((name) => value[name] ?? []) : (value as unknown[]);
  if (isPlainObject(value)) {
    const unknown = Object.keys(value).find((key) => !names.includes(key));
    if (unknown !== undefined)
      throw new Error(
        `compile: metrics: ${JSON.stringify(unknown)} names no output of the model; its outputs are ${names.join(", ")}`,
      );
  }
  return perName.map((entry) => (Array.isArray(entry) ? entry : [entry]) as MetricIdentifier[]);
}
