import { InputLayer } from "../layers/input-layer.js";
import type { Layer } from "../layers/layer.js";
import { SymbolicTensor } from "../layers/symbolic-tensor.js";
import { describeValue } from "../utils/describe.js";
import { checkOptionKeys } from "../utils/options.js";
import { tensorNodes } from "./functional-nodes.js";
import { Graph } from "./graph.js";
import { claimLayer, layerOwner, type ModelToken } from "./layer-owners.js";
import { ModelLayer } from "./model-layer.js";
import { SharedLayerGradients } from "./shared-layer-gradients.js";

/** A Functional model's ends: the Input tensors and the output tensors (Keras's Model(inputs, outputs)). */
export interface FunctionalStructure {
  inputs: SymbolicTensor | readonly SymbolicTensor[];
  outputs: SymbolicTensor | readonly SymbolicTensor[];
}

/** A Functional model's checked ends, its layers (the InputLayers first, then in the order the graph runs them) and its graph. */
export interface AdoptedGraph {
  inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
  layers: Layer[];
  graph: Graph;
}

/**
 * Checks a Functional model's ends and claims its layers for `owner`: every output must be computed from the
 * given Inputs only, layer names must be unique, and no plain layer may belong to another model (a nested model
 * may: several outer models share it). Claims nothing when a check fails.
 */
export function adoptGraph(structure: FunctionalStructure, owner: ModelToken): AdoptedGraph {
  const fn = "Model";
  const list = (value: unknown, argument: string): SymbolicTensor[] => {
    const items = Array.isArray(value) ? value : [value];
    if (items.length === 0) throw new Error(`${fn}: ${argument} must name at least one tensor, got an empty array`);
    items.forEach((item, i) => {
      if (!(item instanceof SymbolicTensor)) {
        throw new Error(
          `${fn}: ${argument}${Array.isArray(value) ? `[${i}]` : ""} must be a tensor from Input({ shape }) or layer.apply(), got ${describeValue(item)}`,
        );
      }
    });
    return items as SymbolicTensor[];
  };
  checkOptionKeys(fn, structure, ["inputs", "outputs", "name"]);
  const inputs = list(structure.inputs, "inputs");
  const outputs = list(structure.outputs, "outputs");
  inputs.forEach((tensor, i) => {
    if (tensor.inputs.length > 0 || !(tensor.layer instanceof InputLayer)) {
      throw new Error(
        `${fn}: inputs[${i}] must come from Input({ shape }), got the output of layer "${tensor.layer.name}"`,
      );
    }
  });
  if (new Set(inputs).size !== inputs.length) throw new Error(`${fn}: inputs lists the same Input twice`);
  const graph = graphFromTensors(inputs, outputs, fn);
  try {
    const layers = [...inputs.map((tensor) => tensor.layer), ...graph.layers];
    const byName = new Map<string, Layer>();
    for (const layer of layers) {
      const other = byName.get(layer.name);
      if (other && other !== layer)
        throw new Error(`${fn}: two layers are named "${layer.name}"; layer names must be unique in a model`);
      byName.set(layer.name, layer);
      // NOTE: a model used as a layer may sit in several models (Keras shares its weights); a plain layer in one.
      const holder = layer instanceof ModelLayer ? undefined : layerOwner(layer);
      if (holder) {
        throw new Error(
          `${fn}: layer "${layer.name}" belongs to the model "${holder.modelName}"; a layer can be in one model at a time`,
        );
      }
      if (layer.inboundNodes.length > 1 && layer.statefulTraining) {
        throw new Error(
          `${fn}: layer "${layer.name}" (${layer.className}) is applied ${layer.inboundNodes.length} times, but its training forward ` +
            "draws random numbers or updates statistics, which densa cannot share between calls; use one layer per call",
        );
      }
    }
    for (const layer of layers) claimLayer(layer, owner);
    return { inputs, outputs, layers, graph };
  } catch (error) {
    graph.dispose();
    throw error;
  }
}

/**
 * The graph from symbolic inputs to outputs (a Functional model): the nodes the outputs need, in topological
 * order. Throws when an output needs an Input that is not among `inputs` (Keras's "graph disconnected").
 */
export function graphFromTensors(
  inputs: readonly SymbolicTensor[],
  outputs: readonly SymbolicTensor[],
  fn: string,
): Graph {
  const { inputCount, nodes, outputSlots, slotWidths } = tensorNodes(inputs, outputs, fn);
  const shared = nodes.some((node) => node.shared) ? new SharedLayerGradients() : null;
  return new Graph(inputCount, nodes, outputSlots, slotWidths, shared);
}
