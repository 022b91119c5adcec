import { InputLayer, type InputLayerArgs } from "./input-layer.js";
import { SymbolicTensor } from "./symbolic-tensor.js";

/**
 * keras.Input: a symbolic tensor for one input of a model (`Input({ shape: [8], name: "features" })`), to
 * apply layers to and to pass to `new Model({ inputs, outputs })`; `new Sequential([Input(…), …])` takes it as
 * the model's InputLayer.
 */
export function Input(args: InputLayerArgs): SymbolicTensor {
  return inputTensor(new InputLayer(args));
}

/** The symbolic tensor of an InputLayer (made once; a loaded model's InputLayers come from their configs). */
export function inputTensor(layer: InputLayer): SymbolicTensor {
  if (layer.inboundNodes.length > 0) return layer.inboundNodes[0];
  const shape = layer.batchInputShape!.slice(1) as number[];
  layer.build(shape);
  const tensor = new SymbolicTensor(layer, [], shape, 0);
  layer.inboundNodes.push(tensor);
  return tensor;
}
