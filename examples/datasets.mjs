// Loaders for the real data sets in data/ (see data/README.md for their origin and citation), plus the small
// helpers every example needs around them: a seeded (optionally stratified) train/test split, one-hot labels
// and standardisation fitted on the training rows.
//
// NOTE: this file is Node-only on purpose (node:fs, node:zlib). It is used by examples, tests and benchmarks and
// is not part of the library bundle, which must stay free of Node built-ins.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

const dataDirectory = new URL("../data/", import.meta.url);

/** Text of a file in data/, gunzipped when its name ends in .gz. */
function readDataFile(name) {
  const bytes = readFileSync(new URL(name, dataDirectory));
  return (name.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
}

/** Non-empty lines, each split on `separator` into numbers; checks the column count of every row. */
function parseRows(text, separator, columns, what) {
  const rows = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === "") continue;
    const cells = trimmed.split(separator).map(Number);
    if (cells.length !== columns || cells.some(Number.isNaN)) {
      throw new Error(`${what}: row ${rows.length + 1} should hold ${columns} numbers but reads "${trimmed}"`);
    }
    rows.push(cells);
  }
  return rows;
}

/**
 * UCI optical digits (1797 samples): x is 1797×64 pixels scaled from 0..16 to [0, 1], y the digit 0..9.
 */
export function loadDigits() {
  const features = 64;
  const rows = parseRows(readDataFile("digits.csv.gz"), ",", features + 1, "loadDigits");
  const count = rows.length;
  const x = new Float32Array(count * features);
  const y = new Int32Array(count);
  rows.forEach((row, i) => {
    for (let j = 0; j < features; j++) x[i * features + j] = row[j] / 16;
    y[i] = row[features];
  });
  const featureNames = Array.from({ length: features }, (_, j) => `pixel_${Math.floor(j / 8)}_${j % 8}`);
  const classNames = Array.from({ length: 10 }, (_, digit) => String(digit));
  return { x, y, count, features, classes: 10, featureNames, classNames };
}

/** Fisher's iris (150 samples): x is 150×4 measurements in cm, y the species 0..2. */
export function loadIris() {
  const [header, ...lines] = readDataFile("iris.csv").split(/\r?\n/);
  // The header is `count,features,class names…` (scikit-learn's layout).
  const [countText, featureText, ...classNames] = header.trim().split(",");
  const features = Number(featureText);
  const rows = parseRows(lines.join("\n"), ",", features + 1, "loadIris");
  if (rows.length !== Number(countText)) {
    throw new Error(`loadIris: the header announces ${countText} rows but the file holds ${rows.length}`);
  }
  const count = rows.length;
  const x = new Float32Array(count * features);
  const y = new Int32Array(count);
  rows.forEach((row, i) => {
    for (let j = 0; j < features; j++) x[i * features + j] = row[j];
    y[i] = row[features];
  });
  const featureNames = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"];
  return { x, y, count, features, classes: classNames.length, featureNames, classNames };
}

/**
 * Efron et al.'s diabetes data (442 patients): x is 442×10 raw baseline variables (not scaled; sex is 1 or 2),
 * y the disease progression one year later (a Float32Array, one target a sample).
 */
export function loadDiabetes() {
  const features = 10;
  const rows = parseRows(readDataFile("diabetes_data_raw.csv.gz"), /\s+/, features, "loadDiabetes");
  const targets = parseRows(readDataFile("diabetes_target.csv.gz"), /\s+/, 1, "loadDiabetes (targets)");
  if (targets.length !== rows.length) {
    throw new Error(`loadDiabetes: ${rows.length} feature rows but ${targets.length} targets`);
  }
  const count = rows.length;
  const x = new Float32Array(count * features);
  const y = new Float32Array(count);
  rows.forEach((row, i) => {
    for (let j = 0; j < features; j++) x[i * features + j] = row[j];
    y[i] = targets[i][0];
  });
  const featureNames = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"];
  return { x, y, count, features, targets: 1, featureNames };
}

/**
 * Seeded 32-bit generator (mulberry32 by Tommy Ettinger, public domain): integer-only state, so a seed gives
 * the same split in every runtime. Returns a function giving integers in [0, bound).
 */
export function seededIntegers(seed) {
  const next = seededFloats(seed);
  return (bound) => Math.floor(next() * bound);
}

/**
 * mulberry32 (Tommy Ettinger, public domain): a seeded generator of floats in [0, 1) from integer arithmetic only,
 * so every runtime gives the same sequence. Shared by the loaders, the benchmarks and the tests' data.
 */
export function seededFloats(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle in place. */
function shuffle(items, nextInt) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = nextInt(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/**
 * How many test rows each class gets: the exact share `testCount × classCount / count`, rounded down, and the
 * rows left over go to the classes with the largest remainders (ties broken by the seeded generator). This is
 * the idea behind scikit-learn's `_approximate_mode` in StratifiedShuffleSplit; it keeps each class's share of
 * the test set within one row of its share of the whole set.
 */
function testRowsPerClass(classCounts, count, testCount, nextInt) {
  const exact = classCounts.map((classCount) => (testCount * classCount) / count);
  const perClass = exact.map(Math.floor);
  let leftOver = testCount - perClass.reduce((sum, rows) => sum + rows, 0);
  const order = shuffle(
    classCounts.map((_, label) => label),
    nextInt,
  );
  order.sort((a, b) => exact[b] - perClass[b] - (exact[a] - perClass[a])); // stable: ties keep the random order
  for (const label of order) {
    if (leftOver === 0) break;
    if (perClass[label] < classCounts[label]) {
      perClass[label]++;
      leftOver--;
    }
  }
  return perClass;
}

/** The rows of `data` at `indices`, with its metadata (features, classes, names) carried over. */
function takeRows(data, indices) {
  const { x, y, features, count } = data;
  const yWidth = y.length / count;
  const xOut = new Float32Array(indices.length * features);
  const yOut = new y.constructor(indices.length * yWidth);
  indices.forEach((row, i) => {
    xOut.set(x.subarray(row * features, (row + 1) * features), i * features);
    yOut.set(y.subarray(row * yWidth, (row + 1) * yWidth), i * yWidth);
  });
  return { ...data, x: xOut, y: yOut, count: indices.length, indices: Int32Array.from(indices) };
}

/**
 * Seeded train/test split, in the spirit of scikit-learn's `train_test_split(random_state=seed, stratify=y)`:
 * the test set has ceil(testFraction × count) rows; with `stratify` (the default when y holds integer class
 * labels) every class keeps its share in both parts. The same seed gives the same split.
 */
export function trainTestSplit(data, { testFraction = 0.25, seed = 0, stratify } = {}) {
  const { count } = data;
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new Error(`trainTestSplit: testFraction must be between 0 and 1 (exclusive) but is ${testFraction}`);
  }
  const testCount = Math.ceil(testFraction * count);
  if (testCount >= count) {
    throw new Error(`trainTestSplit: a test fraction of ${testFraction} leaves no training rows out of ${count}`);
  }
  const nextInt = seededIntegers(seed);
  const byClass = stratify ?? data.y instanceof Int32Array;
  let trainRows;
  let testRows;
  if (byClass) {
    if (!(data.y instanceof Int32Array) || data.y.length !== count) {
      throw new Error("trainTestSplit: stratify needs y to be an Int32Array of one class label a row");
    }
    const rowsOfClass = [];
    data.y.forEach((label, row) => (rowsOfClass[label] ??= []).push(row));
    const classRows = Array.from(rowsOfClass, (rows) => rows ?? []);
    const perClass = testRowsPerClass(
      classRows.map((rows) => rows.length),
      count,
      testCount,
      nextInt,
    );
    trainRows = [];
    testRows = [];
    classRows.forEach((rows, label) => {
      shuffle(rows, nextInt);
      testRows.push(...rows.slice(0, perClass[label]));
      trainRows.push(...rows.slice(perClass[label]));
    });
    // Mix the classes, so batches taken in order are not one class each.
    shuffle(trainRows, nextInt);
    shuffle(testRows, nextInt);
  } else {
    const rows = shuffle(
      Array.from({ length: count }, (_, row) => row),
      nextInt,
    );
    testRows = rows.slice(0, testCount);
    trainRows = rows.slice(testCount);
  }
  return { train: takeRows(data, trainRows), test: takeRows(data, testRows) };
}

/** Integer labels to a one-hot Float32Array (labels.length × classes, row-major). */
export function oneHot(labels, classes) {
  const out = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new Error(`oneHot: label ${label} at row ${i} is not an integer in 0..${classes - 1}`);
    }
    out[i * classes + label] = 1;
  }
  return out;
}

/**
 * Scales every feature to zero mean and unit variance using the mean and (population) standard deviation of
 * the training rows only, as scikit-learn's StandardScaler does; the test rows get the same transform, so no
 * information leaks from them. Constant features are only centred. Returns new data sets, the inputs are kept.
 */
export function standardize(train, test) {
  const { features } = train;
  if (test && test.features !== features) {
    throw new Error(`standardize: test has ${test.features} features but train has ${features}`);
  }
  const sums = new Float64Array(features);
  const squares = new Float64Array(features);
  for (let i = 0; i < train.x.length; i++) sums[i % features] += train.x[i];
  const mean = Float64Array.from(sums, (sum) => sum / train.count);
  for (let i = 0; i < train.x.length; i++) squares[i % features] += (train.x[i] - mean[i % features]) ** 2;
  const std = Float64Array.from(squares, (square) => Math.sqrt(square / train.count) || 1);
  const scale = (data) => ({
    ...data,
    x: Float32Array.from(data.x, (value, i) => (value - mean[i % features]) / std[i % features]),
  });
  return {
    train: scale(train),
    test: test ? scale(test) : undefined,
    mean: Float32Array.from(mean),
    std: Float32Array.from(std),
  };
}
