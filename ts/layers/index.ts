export { Layer, type LayerArgs, type LayerConfig } from "./layer.js";
export { Dense, type DenseArgs } from "./dense.js";
export { Activation, type ActivationArgs } from "./activation.js";
export { Dropout, type DropoutArgs } from "./dropout.js";
export { Flatten } from "./flatten.js";
export { Normalization, type NormalizationArgs } from "./normalization.js";
export { InputLayer, type InputLayerArgs } from "./input-layer.js";
export { Input } from "./input.js";
export { SymbolicTensor } from "./symbolic-tensor.js";
