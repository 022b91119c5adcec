// The `initializers` namespace of the public API: Keras's classes and tfjs-style factories.
export {
  Initializer, Zeros, Ones, Constant, Identity, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling,
  GlorotUniform, GlorotNormal, HeUniform, HeNormal, LecunUniform, LecunNormal, Orthogonal,
  zeros, ones, constant, identity, randomNormal, randomUniform, truncatedNormal, varianceScaling, glorotUniform,
  glorotNormal, heUniform, heNormal, lecunUniform, lecunNormal, orthogonal,
} from "./index.js";
