import { InputLayer } from "../layers/input-layer.js";
import type { Layer } from "../layers/layer.js";
import type { SymbolicTensor } from "../layers/symbolic-tensor.js";
import { functionalSupport } from "./functional-support.js";
import { formatSummary } from "./summary-format.js";

/** What Keras's summary adds for a compiled model whose optimizer is built: its variables and their bytes. */
export interface OptimizerParams {
  count: number;
  bytes: number;
}

/**
 * Keras's model.summary() table of a model's layers: a Sequential one's rows (its InputLayer left out, unbuilt
 * layers with "?"), or a Functional one's, with "Connected to" unless the graph is a plain stack. With the
 * optimizer's params (a compiled model that has trained), "Total params" counts them too and an "Optimizer
 * params" line follows, as keras/src/utils/summary_utils.py prints them.
 */
export function summaryText(
  name: string,
  stack: readonly Layer[],
  functional: { inputs: SymbolicTensor[]; outputs: SymbolicTensor[] } | null,
  optimizer: OptimizerParams | null = null,
): string {
  const weights = stack.reduce((sum, layer) => sum + layer.countParams(), 0);
  const trainable = stack.reduce((sum, layer) => sum + layer.trainableWeights.reduce((size, v) => size + v.size, 0), 0);
  const counts = {
    total: weights + (optimizer?.count ?? 0),
    trainable,
    nonTrainable: weights - trainable,
    ...(optimizer ? { optimizer: optimizer.count, optimizerBytes: optimizer.bytes } : {}),
  };
  if (functional) {
    const support = functionalSupport("summary");
    const rows = support.functionalSummaryRows(stack, functional.inputs, functional.outputs);
    return formatSummary(name, rows, counts, {
      connected: !support.isSequentialLike(stack, functional.inputs, functional.outputs),
    });
  }
  const rows = stack
    .filter((layer) => !(layer instanceof InputLayer))
    .map((layer) => ({
      name: layer.name,
      type: layer.className,
      outputShape: layer.built ? `(None, ${layer.outputShape.join(", ")})` : "?",
      params: layer.built ? layer.countParams() : 0,
    }));
  return formatSummary(name, rows, counts);
}
