// The `metrics` namespace of the public API: metric classes and Keras-style factories.
export { Metric, AUC, RootMeanSquaredError, SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy } from "./index.js";
export type { BatchView } from "./index.js";
export {
  binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, topKCategoricalAccuracy, sparseTopKCategoricalAccuracy, meanAbsoluteError,
  meanSquaredError, rootMeanSquaredError, meanAbsolutePercentageError, precision, recall, auc,
} from "./factories.js";
