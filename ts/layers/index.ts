import { InputLayer, type InputLayerArgs } from "./input-layer.js";

export { Layer, type LayerArgs, type LayerConfig } from "./layer.js";
export { Dense, type DenseArgs } from "./dense.js";
export { Activation, type ActivationArgs } from "./activation.js";
export { Dropout, type DropoutArgs } from "./dropout.js";
export { Flatten } from "./flatten.js";
export { Normalization, type NormalizationArgs } from "./normalization.js";
export { InputLayer, type InputLayerArgs } from "./input-layer.js";
export { BatchNormalization, type BatchNormalizationArgs } from "./batch-normalization.js";
export { LayerNormalization, type LayerNormalizationArgs } from "./layer-normalization.js";
export { Embedding, type EmbeddingArgs } from "./embedding.js";
export { Reshape, type ReshapeArgs } from "./reshape.js";
export { Permute, type PermuteArgs } from "./permute.js";
export { RepeatVector, type RepeatVectorArgs } from "./repeat-vector.js";
export { Identity } from "./identity.js";
export { Rescaling, type RescalingArgs } from "./rescaling.js";
export { UnitNormalization, type UnitNormalizationArgs } from "./unit-normalization.js";
export { ActivityRegularization, type ActivityRegularizationArgs } from "./activity-regularization.js";
export { GaussianNoise, type GaussianNoiseArgs } from "./gaussian-noise.js";
export { GaussianDropout, type GaussianDropoutArgs } from "./gaussian-dropout.js";
export { AlphaDropout, type AlphaDropoutArgs } from "./alpha-dropout.js";
export { ReLU, type ReLUArgs } from "./relu.js";
export { LeakyReLU, type LeakyReLUArgs } from "./leaky-relu.js";
export { PReLU, type PReLUArgs } from "./prelu.js";
export { ELU, type ELUArgs } from "./elu.js";
export { Softmax, type SoftmaxArgs } from "./softmax.js";

/** keras.Input: in a Sequential model, an InputLayer that fixes the input shape. */
export function Input(args: InputLayerArgs): InputLayer {
  return new InputLayer(args);
}
