import { InputLayer, type InputLayerArgs } from "./input-layer.js";

export { Layer, type LayerArgs, type LayerConfig } from "./layer.js";
export { Dense, type DenseArgs } from "./dense.js";
export { Activation, type ActivationArgs } from "./activation.js";
export { Dropout, type DropoutArgs } from "./dropout.js";
export { Flatten } from "./flatten.js";
export { Normalization, type NormalizationArgs } from "./normalization.js";
export { InputLayer, type InputLayerArgs } from "./input-layer.js";

/** keras.Input: in a Sequential model, an InputLayer that fixes the input shape. */
export function Input(args: InputLayerArgs): InputLayer {
  return new InputLayer(args);
}
