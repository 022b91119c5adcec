// Input conversion, validation, batching and data sets for fit / evaluate / predict.
export { toFloatData, sampleCount, sampleSize, type DataLike, type FloatData, type ToFloatDataOptions } from "./convert.js";
export {
  checkSameSampleCount,
  checkInputShape,
  checkSparseLabels,
  toSampleWeights,
  normalizeClassWeight,
  classWeightToSampleWeights,
} from "./checks.js";
export { checkValidationSplit, validationSplitIndex, sliceSamples, splitValidation, type SplitArrays } from "./split.js";
export {
  BatchIndexer,
  seededPermutation,
  gatherRows,
  type ShuffleMode,
  type PermutationProvider,
  type BatchIndexerOptions,
} from "./batches.js";
export { DatasetAdapter, isDataset, type BatchSource, type DatasetBatch, type DatasetAdapterOptions } from "./dataset.js";
export {
  resolveFitOptions,
  resolveEvaluateOptions,
  resolvePredictOptions,
  resolveVerbose,
  shouldValidate,
  type FitOptions,
  type FitConfig,
  type EvaluateOptions,
  type EvaluateConfig,
  type PredictOptions,
  type PredictConfig,
  type ValidationDataLike,
  type ValidationSource,
  type Verbosity,
} from "./fit-options.js";
export { parseCallArguments, type CallArguments } from "./fit-arguments.js";
