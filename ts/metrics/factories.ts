// Keras-style metric constructors for compile({ metrics: [metrics.precision({ thresholds: 0.7 })] }).
import { AUC, ThresholdMetric } from "./confusion-metrics.js";
import * as mean from "./mean-metrics.js";

interface Named {
  name?: string;
}

export const binaryAccuracy = ({ name, threshold }: Named & { threshold?: number } = {}) => mean.binaryAccuracy(name, threshold);
export const categoricalAccuracy = ({ name }: Named = {}) => mean.categoricalAccuracy(name);
export const sparseCategoricalAccuracy = ({ name }: Named = {}) => mean.sparseCategoricalAccuracy(name);
export const topKCategoricalAccuracy = ({ k, name }: Named & { k?: number } = {}) => new mean.TopKCategoricalAccuracy(k, name);
export const meanAbsoluteError = ({ name }: Named = {}) => mean.meanAbsoluteError(name);
export const meanSquaredError = ({ name }: Named = {}) => mean.meanSquaredError(name);
export const rootMeanSquaredError = ({ name }: Named = {}) => new mean.RootMeanSquaredError(name);
export const meanAbsolutePercentageError = ({ name }: Named = {}) => mean.meanAbsolutePercentageError(name);
export const precision = ({ name = "precision", thresholds = 0.5 }: Named & { thresholds?: number } = {}) => new ThresholdMetric("Precision", name, thresholds);
export const recall = ({ name = "recall", thresholds = 0.5 }: Named & { thresholds?: number } = {}) => new ThresholdMetric("Recall", name, thresholds);
export const auc = ({ name = "auc", numThresholds = 200 }: Named & { numThresholds?: number } = {}) => new AUC(name, numThresholds);
