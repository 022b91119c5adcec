import { LOSS_SPECS, Loss, type LossOptions } from "./loss.js";

export { Loss, type LossIdentifier, type LossOptions, resolveLoss } from "./loss.js";

/** Keras's loss classes: new losses.BinaryCrossentropy({ fromLogits: true }). */
export class MeanSquaredError extends Loss {
  constructor(options: LossOptions = {}) {
    super("mean_squared_error", options);
  }
}
export class MeanAbsoluteError extends Loss {
  constructor(options: LossOptions = {}) {
    super("mean_absolute_error", options);
  }
}
export class MeanAbsolutePercentageError extends Loss {
  constructor(options: LossOptions = {}) {
    super("mean_absolute_percentage_error", options);
  }
}
export class MeanSquaredLogarithmicError extends Loss {
  constructor(options: LossOptions = {}) {
    super("mean_squared_logarithmic_error", options);
  }
}
export class Huber extends Loss {
  constructor(options: LossOptions = {}) {
    super("huber", options);
  }
}
export class BinaryCrossentropy extends Loss {
  constructor(options: LossOptions = {}) {
    super("binary_crossentropy", options);
  }
}
export class CategoricalCrossentropy extends Loss {
  constructor(options: LossOptions = {}) {
    super("categorical_crossentropy", options);
  }
}
export class SparseCategoricalCrossentropy extends Loss {
  constructor(options: LossOptions = {}) {
    super("sparse_categorical_crossentropy", options);
  }
}
export class Hinge extends Loss {
  constructor(options: LossOptions = {}) {
    super("hinge", options);
  }
}
export class SquaredHinge extends Loss {
  constructor(options: LossOptions = {}) {
    super("squared_hinge", options);
  }
}
export class CategoricalHinge extends Loss {
  constructor(options: LossOptions = {}) {
    super("categorical_hinge", options);
  }
}
export class LogCosh extends Loss {
  constructor(options: LossOptions = {}) {
    super("log_cosh", options);
  }
}
export class KLDivergence extends Loss {
  constructor(options: LossOptions = {}) {
    super("kl_divergence", options);
  }
}
export class Poisson extends Loss {
  constructor(options: LossOptions = {}) {
    super("poisson", options);
  }
}
export class CosineSimilarity extends Loss {
  constructor(options: LossOptions = {}) {
    super("cosine_similarity", options);
  }
}

export const LOSS_NAMES: readonly string[] = Object.keys(LOSS_SPECS);
