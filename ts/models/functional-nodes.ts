import type { Layer } from "../layers/layer.js";
import type { SymbolicTensor } from "../layers/symbolic-tensor.js";
import { shapeSize } from "../utils/shape.js";
import type { GraphNode, GraphNodes } from "./graph-nodes.js";
import { topologicalOrder } from "./topological-order.js";

// NOTE: apart from graph-nodes.ts (the linear case every model needs) because only the Functional API's code
// calls it: a bundler that splits code loads a file the start shares with a lazy chunk whole.
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
