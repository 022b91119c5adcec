import { describeValue, formatShape } from "../utils/describe.js";
import type { Layer } from "./layer.js";
import { SymbolicTensor } from "./symbolic-tensor.js";

/**
 * Layer.apply: checks the symbolic tensors (keras.Input and other layers' outputs) against the layer, builds it
 * for their shapes (once; another shape later is an error naming both) and returns its output tensor, a new
 * node of the layer. Calling it again on other tensors shares the weights (a second node of the same layer).
 */
export function applyLayer(
  layer: Layer,
  inputs: SymbolicTensor | readonly SymbolicTensor[],
  options: { initialize?: boolean },
): SymbolicTensor {
  const fn = `${layer.name}.apply`;
  if (layer.disposed) throw new Error(`${fn}: the layer was disposed; create a new layer`);
  const list = Array.isArray(inputs) ? [...(inputs as readonly SymbolicTensor[])] : [inputs as SymbolicTensor];
  list.forEach((tensor, i) => {
    if (!(tensor instanceof SymbolicTensor)) {
      throw new Error(
        `${fn}: expected the output of Input({ shape }) or of another layer's apply(), got ${describeValue(tensor)}${list.length > 1 ? ` at index ${i}` : ""}`,
      );
    }
  });
  if (layer.inputCount === 1 && Array.isArray(inputs) && list.length !== 1) {
    throw new Error(
      `${fn}: layer "${layer.name}" (${layer.className}) takes one input tensor, got a list of ${list.length}`,
    );
  }
  const shapes = list.map((tensor) => tensor.shape);
  if (layer.batchInputShape && shapes.length === 1) {
    const declared = layer.batchInputShape.slice(1) as number[];
    if (declared.join() !== shapes[0].join()) {
      throw new Error(
        `${fn}: the layer declares input shape ${formatShape(declared)} but is applied to a tensor of shape ${formatShape(shapes[0])}`,
      );
    }
  }
  if (
    layer.built &&
    layer.inboundNodes.length > 0 &&
    layer.inputCount === 1 &&
    layer.inputShape.join() !== shapes[0].join()
  ) {
    throw new Error(
      `${fn}: layer "${layer.name}" was built for input shape ${formatShape(layer.inputShape)} and cannot be applied to shape ` +
        `${formatShape(shapes[0])}; a layer applied again shares its weights, so its input must have the same shape — use a new layer`,
    );
  }
  // NOTE: loaders pass initialize: false (see build): they overwrite every weight next.
  layer.buildFor(shapes, fn, options.initialize ?? true);
  const output = new SymbolicTensor(layer, list, layer.outputShapeFor(shapes), layer.inboundNodes.length);
  layer.inboundNodes.push(output);
  return output;
}
