import { InputLayer } from "../layers/input-layer.js";
import type { Layer } from "../layers/layer.js";
import type { SymbolicTensor } from "../layers/symbolic-tensor.js";
import { firstNodeIndex } from "./graph-from-config.js";
import type { SummaryRow } from "./summary-format.js";

/** One input of a call: [layer name, node index, tensor index, call kwargs] (Keras 2's and tfjs's form). */
export type InboundRef = [string, number, number, Record<string, unknown>];

/** A Functional model's layer in its config, with the calls that feed it. */
export interface FunctionalLayerEntry {
  className: string;
  name: string;
  config: Record<string, unknown>;
  /** One list of inputs per call of the layer (tfjs and Keras 2 write it so; Keras 3 writes `args`). */
  inboundNodes: InboundRef[][];
}

/** Keras's Functional config (get_config of a Model), in densa's camelCase form. */
export interface FunctionalConfig {
  name: string;
  layers: FunctionalLayerEntry[];
  inputLayers: [string, number, number][];
  outputLayers: [string, number, number][];
}

/**
 * Node index of each tensor within its layer's calls that belong to this model (Keras renumbers them the same
 * way when it saves, so a layer applied outside the model does not shift the indices).
 */
function nodeIndices(layers: readonly Layer[], tensors: ReadonlySet<SymbolicTensor>): Map<SymbolicTensor, number> {
  const index = new Map<SymbolicTensor, number>();
  for (const layer of layers) {
    let next = firstNodeIndex(layer);
    for (const call of layer.inboundNodes) if (tensors.has(call)) index.set(call, next++);
  }
  return index;
}

/**
 * Every tensor the model computes (its Inputs and the outputs of its calls), with the tensor that stands for
 * each call (layer.inboundNodes' entry) even when the model reads only a later output of a several-output call.
 */
export function modelTensors(
  inputs: readonly SymbolicTensor[],
  outputs: readonly SymbolicTensor[],
): Set<SymbolicTensor> {
  const seen = new Set<SymbolicTensor>();
  const visit = (tensor: SymbolicTensor): void => {
    if (seen.has(tensor)) return;
    seen.add(tensor);
    if (tensor.call !== tensor) visit(tensor.call);
    if (!inputs.includes(tensor)) for (const input of tensor.inputs) visit(input);
  };
  for (const output of outputs) visit(output);
  for (const input of inputs) seen.add(input);
  return seen;
}

export function functionalConfig(
  name: string,
  layers: readonly Layer[],
  inputs: readonly SymbolicTensor[],
  outputs: readonly SymbolicTensor[],
): FunctionalConfig {
  const tensors = modelTensors(inputs, outputs);
  const index = nodeIndices(layers, tensors);
  const ref = (tensor: SymbolicTensor): [string, number, number] => [
    tensor.layer.name,
    index.get(tensor.call) ?? 0,
    tensor.outputIndex,
  ];
  return {
    name,
    layers: layers.map((layer) => ({
      className: layer.className,
      name: layer.name,
      config: layer.getConfig(),
      inboundNodes:
        layer instanceof InputLayer
          ? []
          : layer.inboundNodes
              .filter((call) => tensors.has(call))
              .map((call) => call.inputs.map((input) => [...ref(input), {}] as InboundRef)),
    })),
    inputLayers: inputs.map(ref),
    outputLayers: outputs.map(ref),
  };
}

/**
 * Keras 3's summary rows of a Functional model: one per layer, InputLayers too, with "Connected to" listing
 * each input as `layer[node][tensor]` ("-" for an Input).
 */
export function functionalSummaryRows(
  layers: readonly Layer[],
  inputs: readonly SymbolicTensor[],
  outputs: readonly SymbolicTensor[],
): SummaryRow[] {
  const tensors = modelTensors(inputs, outputs);
  const index = nodeIndices(layers, tensors);
  return layers.map((layer) => {
    const calls = layer.inboundNodes.filter((call) => tensors.has(call));
    const connections =
      layer instanceof InputLayer
        ? []
        : calls.flatMap((call) =>
            call.inputs.map((input) => `${input.layer.name}[${index.get(input.call) ?? 0}][${input.outputIndex}]`),
          );
    const shape = calls.length === 1 || layer instanceof InputLayer ? callShape(calls[0], layer) : "multiple";
    return {
      name: layer.name,
      type: layer.className,
      outputShape: shape,
      params: layer.countParams(),
      connectedTo: connections.length ? connections.join(", ") : "-",
    };
  });
}

/**
 * A call's output shape as Keras's summary prints it: "(None, 4)", or for a call of several outputs the list
 * "[(None, 4), (None, 2)]" (summary_utils.format_layer_shape: str() of the list, quotes removed).
 */
function callShape(call: SymbolicTensor | undefined, layer: Layer): SummaryRow["outputShape"] {
  if (!call) return [null, ...layer.outputShape];
  const outputs = call.outputsOfCall;
  if (outputs.length === 1) return [null, ...call.shape];
  return `[${outputs.map((tensor) => `(None, ${tensor.shape.join(", ")})`).join(", ")}]`;
}

/**
 * Whether Keras would print this graph as a plain stack (no "Connected to" column): every call has one input
 * and no layer runs twice (keras/src/utils/summary_utils.py's sequential_like).
 */
export function isSequentialLike(
  layers: readonly Layer[],
  inputs: readonly SymbolicTensor[],
  outputs: readonly SymbolicTensor[],
): boolean {
  if (inputs.length !== 1 || outputs.length !== 1) return false;
  const tensors = modelTensors(inputs, outputs);
  const consumers = new Map<SymbolicTensor, number>();
  for (const tensor of tensors)
    for (const input of tensor.inputs) consumers.set(input, (consumers.get(input) ?? 0) + 1);
  for (const tensor of tensors) if (tensor.inputs.length > 1 || (consumers.get(tensor) ?? 0) > 1) return false;
  return layers.every((layer) => layer.inboundNodes.filter((call) => tensors.has(call)).length <= 1);
}

export { graphFromConfig, type RebuiltGraph } from "./graph-from-config.js";
