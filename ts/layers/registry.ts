import { Activation } from "./activation.js";
import { Dense } from "./dense.js";
import { Dropout } from "./dropout.js";
import { Flatten } from "./flatten.js";
import { InputLayer } from "./input-layer.js";
import type { Layer } from "./layer.js";
import { Normalization } from "./normalization.js";
import { Add } from "./add.js";
import { Average } from "./average.js";
import { Concatenate } from "./concatenate.js";
import { Dot } from "./dot.js";
import { Maximum } from "./maximum.js";
import { Minimum } from "./minimum.js";
import { Multiply } from "./multiply.js";
import { Subtract } from "./subtract.js";
import { ActivityRegularization } from "./activity-regularization.js";
import { AlphaDropout } from "./alpha-dropout.js";
import { BatchNormalization } from "./batch-normalization.js";
import { ELU } from "./elu.js";
import { Embedding } from "./embedding.js";
import { GaussianDropout } from "./gaussian-dropout.js";
import { GaussianNoise } from "./gaussian-noise.js";
import { Identity } from "./identity.js";
import { LayerNormalization } from "./layer-normalization.js";
import { LeakyReLU } from "./leaky-relu.js";
import { Permute } from "./permute.js";
import { PReLU } from "./prelu.js";
import { ReLU } from "./relu.js";
import { RepeatVector } from "./repeat-vector.js";
import { Rescaling } from "./rescaling.js";
import { Reshape } from "./reshape.js";
import { Softmax } from "./softmax.js";
import { UnitNormalization } from "./unit-normalization.js";

type LayerFactory = (config: Record<string, unknown>) => Layer;

/** Layer classes by the className saved in configs; loading refuses any other class by name. */
export const LAYER_CLASSES: Record<string, LayerFactory> = {
  Dense: (config) => new Dense(config),
  Activation: (config) => new Activation(config),
  Dropout: (config) => new Dropout(config),
  Flatten: (config) => new Flatten(config),
  InputLayer: (config) => new InputLayer(config),
  Normalization: (config) => new Normalization(config),
  Add: (config) => new Add(config),
  Subtract: (config) => new Subtract(config),
  Multiply: (config) => new Multiply(config),
  Average: (config) => new Average(config),
  Maximum: (config) => new Maximum(config),
  Minimum: (config) => new Minimum(config),
  Concatenate: (config) => new Concatenate(config),
  Dot: (config) => new Dot(config),
  BatchNormalization: (config) => new BatchNormalization(config),
  LayerNormalization: (config) => new LayerNormalization(config),
  Embedding: (config) => new Embedding(config),
  Reshape: (config) => new Reshape(config),
  Permute: (config) => new Permute(config),
  RepeatVector: (config) => new RepeatVector(config),
  Identity: (config) => new Identity(config),
  Rescaling: (config) => new Rescaling(config),
  UnitNormalization: (config) => new UnitNormalization(config),
  ActivityRegularization: (config) => new ActivityRegularization(config),
  GaussianNoise: (config) => new GaussianNoise(config),
  GaussianDropout: (config) => new GaussianDropout(config),
  AlphaDropout: (config) => new AlphaDropout(config),
  ReLU: (config) => new ReLU(config),
  LeakyReLU: (config) => new LeakyReLU(config),
  PReLU: (config) => new PReLU(config),
  ELU: (config) => new ELU(config),
  Softmax: (config) => new Softmax(config),
};

export function layerFromConfig(entry: { className: string; config: Record<string, unknown> }, argument: string): Layer {
  // NOTE: own keys only, so that "constructor" or "__proto__" from a file is an unknown class, not Object's.
  const className = entry?.className;
  const factory = typeof className === "string" && Object.hasOwn(LAYER_CLASSES, className) ? LAYER_CLASSES[className] : undefined;
  if (!factory) {
    throw new Error(
      `${argument}: densa cannot run layer class ${JSON.stringify(entry?.className)}; supported classes are ${Object.keys(LAYER_CLASSES).join(", ")}`,
    );
  }
  return factory(entry.config ?? {});
}
