// Hand-written types for examples/datasets.mjs, so TypeScript tests and examples can import it.

/** A data set: `count` rows of `features` float32 values (row-major), and their labels or targets. */
export interface Dataset<Y extends Int32Array | Float32Array = Int32Array | Float32Array> {
  /** count × features values, row-major. */
  x: Float32Array;
  /** One class label a row (classification), or `targets` values a row (regression). */
  y: Y;
  count: number;
  features: number;
  featureNames: string[];
  /** Rows of the original data set, after trainTestSplit. */
  indices?: Int32Array;
}

export interface ClassificationDataset extends Dataset<Int32Array> {
  classes: number;
  classNames: string[];
}

export interface RegressionDataset extends Dataset<Float32Array> {
  targets: number;
}

/** UCI optical digits: 1797 × 64 pixels scaled to [0, 1] (from 0..16), labels 0..9. */
export function loadDigits(): ClassificationDataset;

/** Fisher's iris: 150 × 4 measurements in cm, labels 0..2 (setosa, versicolor, virginica). */
export function loadIris(): ClassificationDataset;

/** Efron et al.'s diabetes: 442 × 10 raw baseline variables, one float target (progression, 25..346) a row. */
export function loadDiabetes(): RegressionDataset;

export interface SplitOptions {
  /** Share of the rows in the test set, rounded up (default 0.25). */
  testFraction?: number;
  /** Seed of the shuffling generator (default 0); the same seed gives the same split. */
  seed?: number;
  /** Keep each class's share in both parts (default: true when y is an Int32Array of labels). */
  stratify?: boolean;
}

/** Seeded train/test split, like scikit-learn's train_test_split(random_state, stratify) in spirit. */
export function trainTestSplit<D extends Dataset>(data: D, options?: SplitOptions): { train: D; test: D };

/** A seeded mulberry32 generator; each call returns an integer in [0, bound). */
export function seededIntegers(seed: number): (bound: number) => number;
/** mulberry32: seeded floats in [0, 1) from integer arithmetic (the same in every runtime). */
export function seededFloats(seed: number): () => number;

/** Integer labels to one-hot rows: a Float32Array of labels.length × classes. */
export function oneHot(labels: ArrayLike<number>, classes: number): Float32Array;

/** Zero mean, unit variance per feature, fitted on `train` only and applied to both. */
export function standardize<D extends Dataset>(
  train: D,
  test: D,
): { train: D; test: D; mean: Float32Array; std: Float32Array };
export function standardize<D extends Dataset>(
  train: D,
): { train: D; test: undefined; mean: Float32Array; std: Float32Array };
