// Loss kinds, shared with TypeScript through exported globals (the engine reads LOSS_*.value).
// Each is the Keras 3 function of the same name (keras/src/losses/losses.py); see losses.ts for the contract.

export const LOSS_MEAN_SQUARED_ERROR: i32 = 0;
export const LOSS_MEAN_ABSOLUTE_ERROR: i32 = 1;
/** param = delta (Keras default 1.0). */
export const LOSS_HUBER: i32 = 2;
/** yPred are probabilities, clipped to [ε, 1 − ε]. */
export const LOSS_BINARY_CROSSENTROPY: i32 = 3;
/** yPred are logits; the stable form of tf.nn.sigmoid_cross_entropy_with_logits. */
export const LOSS_BINARY_CROSSENTROPY_FROM_LOGITS: i32 = 4;
/** yPred are probabilities; each row is divided by its sum, then clipped to [ε, 1 − ε]. */
export const LOSS_CATEGORICAL_CROSSENTROPY: i32 = 5;
/** yPred are logits; log-softmax along the row. */
export const LOSS_CATEGORICAL_CROSSENTROPY_FROM_LOGITS: i32 = 6;
/** yTrue is `rows` int32 class indices; yPred probabilities as LOSS_CATEGORICAL_CROSSENTROPY. */
export const LOSS_SPARSE_CATEGORICAL_CROSSENTROPY: i32 = 7;
/** yTrue is `rows` int32 class indices; yPred logits. */
export const LOSS_SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS: i32 = 8;
export const LOSS_MEAN_ABSOLUTE_PERCENTAGE_ERROR: i32 = 9;
export const LOSS_MEAN_SQUARED_LOGARITHMIC_ERROR: i32 = 10;
/** Labels in {0, 1} across the whole batch are mapped to {-1, 1}, as Keras's convert_binary_labels_to_hinge. */
export const LOSS_HINGE: i32 = 11;
export const LOSS_SQUARED_HINGE: i32 = 12;
export const LOSS_CATEGORICAL_HINGE: i32 = 13;
export const LOSS_LOG_COSH: i32 = 14;
export const LOSS_KL_DIVERGENCE: i32 = 15;
export const LOSS_POISSON: i32 = 16;
export const LOSS_COSINE_SIMILARITY: i32 = 17;
