// The `metrics` namespace of the public API: metric classes and Keras-style factories.

export {
  auc,
  binaryAccuracy,
  categoricalAccuracy,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  precision,
  recall,
  rootMeanSquaredError,
  sparseCategoricalAccuracy,
  sparseTopKCategoricalAccuracy,
  topKCategoricalAccuracy,
} from "./factories.js";
export type { BatchView } from "./index.js";
export { AUC, Metric, RootMeanSquaredError, SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy } from "./index.js";
