import { Loss, LOSS_SPECS, type LossOptions } from "./loss.js";

export { Loss, resolveLoss, type LossIdentifier, type LossOptions } from "./loss.js";

type LossClass = new (options?: LossOptions) => Loss;

function lossClass(name: string): LossClass {
  return class extends Loss {
    constructor(options: LossOptions = {}) {
      super(name, options);
    }
  };
}

/** Keras's loss classes: new losses.BinaryCrossentropy({ fromLogits: true }). */
export const MeanSquaredError = lossClass("mean_squared_error");
export const MeanAbsoluteError = lossClass("mean_absolute_error");
export const MeanAbsolutePercentageError = lossClass("mean_absolute_percentage_error");
export const MeanSquaredLogarithmicError = lossClass("mean_squared_logarithmic_error");
export const Huber = lossClass("huber");
export const BinaryCrossentropy = lossClass("binary_crossentropy");
export const CategoricalCrossentropy = lossClass("categorical_crossentropy");
export const SparseCategoricalCrossentropy = lossClass("sparse_categorical_crossentropy");
export const Hinge = lossClass("hinge");
export const SquaredHinge = lossClass("squared_hinge");
export const CategoricalHinge = lossClass("categorical_hinge");
export const LogCosh = lossClass("log_cosh");
export const KLDivergence = lossClass("kl_divergence");
export const Poisson = lossClass("poisson");
export const CosineSimilarity = lossClass("cosine_similarity");

export const LOSS_NAMES: readonly string[] = Object.keys(LOSS_SPECS);
