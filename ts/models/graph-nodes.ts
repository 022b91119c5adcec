import { InputLayer } from "../layers/input-layer.js";
import type { Layer } from "../layers/layer.js";
import type { SymbolicTensor } from "../layers/symbolic-tensor.js";
import { shapeSize } from "../utils/shape.js";
import { topologicalOrder } from "./topological-order.js";

/** One layer call of the graph: reads the tensors in `inputSlots`, writes the tensor in `outputSlot`. */
export interface GraphNode {
  readonly layer: Layer;
  readonly inputSlots: readonly number[];
  readonly outputSlot: number;
  /** Every output's slot (`outputSlot` first): more than one for a model of several outputs used as a layer. */
  readonly outputSlots: readonly number[];
  /** The same layer runs at other nodes too (shared weights). */
  readonly shared: boolean;
}

/** A graph's layer calls and tensors: slots 0 … inputCount−1 are the inputs, each node writes one slot. */
export interface GraphNodes {
  inputCount: number;
  nodes: GraphNode[];
  outputSlots: number[];
  /** Values per sample of each slot. */
  slotWidths: number[];
}

/** A Sequential model's calls: slot i → layer i → slot i+1 (InputLayers pass through and are left out). */
export function linearNodes(layers: readonly Layer[], inputShape: readonly number[]): GraphNodes {
  const running = layers.filter((layer) => !(layer instanceof InputLayer));
  const slotWidths = [shapeSize(inputShape)];
  const nodes = running.map((layer, i) => {
    slotWidths.push(shapeSize(layer.outputShape));
    return { layer, inputSlots: [i], outputSlot: i + 1, outputSlots: [i + 1], shared: false };
  });
  return { inputCount: 1, nodes, outputSlots: [nodes.length], slotWidths };
}

/**
 * A Functional model's calls: the nodes the outputs need, in topological order. Throws when an output needs an
 * Input that is not among `inputs` (Keras's "graph disconnected").
 */
export function tensorNodes(
  inputs: readonly SymbolicTensor[],
  outputs: readonly SymbolicTensor[],
  fn: string,
): GraphNodes {
  const slotOf = new Map<SymbolicTensor, number>();
  const slotWidths: number[] = [];
  inputs.forEach((tensor, i) => {
    slotOf.set(tensor, i);
    slotWidths.push(shapeSize(tensor.shape));
  });
  // NOTE: one node per call: the outputs of a several-output model's call are one node with a slot each.
  const ordered = [...new Set(topologicalOrder(outputs, new Set(inputs), fn).map((tensor) => tensor.call))];
  const calls = new Map<Layer, number>();
  for (const call of ordered) calls.set(call.layer, (calls.get(call.layer) ?? 0) + 1);
  const nodes: GraphNode[] = ordered.map((call) => {
    const outputSlots = call.outputsOfCall.map((tensor) => {
      slotOf.set(tensor, slotWidths.length);
      return slotWidths.push(shapeSize(tensor.shape)) - 1;
    });
    return {
      layer: call.layer,
      inputSlots: call.inputs.map((input) => slotOf.get(input)!),
      outputSlot: outputSlots[0],
      outputSlots,
      shared: calls.get(call.layer)! > 1,
    };
  });
  return { inputCount: inputs.length, nodes, outputSlots: outputs.map((tensor) => slotOf.get(tensor)!), slotWidths };
}
