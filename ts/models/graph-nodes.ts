import { InputLayer } from "../layers/input-layer.js";
import type { Layer } from "../layers/layer.js";
import { shapeSize } from "../utils/shape.js";

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
