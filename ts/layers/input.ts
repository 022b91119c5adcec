import { InputLayer, type InputLayerArgs } from "./input-layer.js";
import { SymbolicTensor } from "./symbolic-tensor.js";

/**
 * keras.Input: a symbolic tensor for one input of a model (`Input({ shape: [8], name: "features" })`), to
 * apply layers to and to pass to `new Model({ inputs, outputs })`; `new Sequential([Input(…), …])` takes it as
 * the model's InputLayer.
 */
export function Input(args: InputLayerArgs): SymbolicTensor {
  const layer = new InputLayer(args);
  const shape = layer.batchInputShape!.slice(1) as number[];
  layer.build(shape);
  const tensor = new SymbolicTensor(layer, [], shape, 0);
  layer.inboundNodes.push(tensor);
  return tensor;
}
