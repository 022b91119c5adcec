// The playground's three data sets, ready to train on: digits and iris from the build-time bundle
// (datasets-plugin.mjs), two spirals generated here from a seed. Each comes back split into train and test
// rows (75 / 25, seeded) with float32 features and integer labels, as densa's fit takes them.
import bundled from "virtual:densa-datasets";

export const DATASETS = {
  digits: {
    title: "Digits",
    about: "1797 handwritten digits, 8×8 pixels, 10 classes",
    defaults: {
      hidden: "64",
      activation: "relu",
      dropout: 0,
      optimizer: "adam",
      learningRate: 0.003,
      batchSize: 32,
      epochs: 20,
    },
  },
  iris: {
    title: "Iris",
    about: "150 flowers, 4 measurements, 3 species",
    defaults: {
      hidden: "16",
      activation: "relu",
      dropout: 0,
      optimizer: "adam",
      learningRate: 0.01,
      batchSize: 16,
      epochs: 60,
    },
  },
  spirals: {
    title: "Two spirals",
    about: "400 points on two interleaved spirals, 2 classes",
    defaults: {
      hidden: "64, 64",
      activation: "relu",
      dropout: 0,
      optimizer: "adam",
      learningRate: 0.01,
      batchSize: 16,
      epochs: 200,
    },
  },
};

/**
 * Returns { name, features, classes, classNames, train, test } for a data set; train and test are
 * { x: Float32Array (count × features), y: Int32Array, count, rows: Int32Array (original row numbers) }.
 * Digits also carry their raw pixels (`pixels`, 0..16) for drawing.
 */
export function loadDataset(name, seed) {
  const random = seededRandom(seed);
  if (name === "digits" || name === "iris") {
    const data = unpack(bundled[name]);
    const split = splitRows(data, random);
    if (name === "iris") standardize(split.train, split.test, data.features);
    return { name, ...data, ...split };
  }
  if (name === "spirals") {
    const data = twoSpirals(random);
    return { name, ...data, ...splitRows(data, random) };
  }
  throw new Error(`unknown data set ${name}`);
}

/** Bytes back to float32 values (÷ scale) and labels. */
function unpack({ count, features, classes, classNames, featureNames, scale, x, y }) {
  const bytes = fromBase64(x);
  return {
    count,
    features,
    classes,
    classNames,
    featureNames,
    x: Float32Array.from(bytes, (byte) => byte / scale),
    y: Int32Array.from(fromBase64(y)),
    pixels: scale === 16 ? bytes : undefined,
  };
}

function fromBase64(text) {
  const binary = atob(text);
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/**
 * Two interleaved spirals (Lang & Witbrock's classic benchmark), 200 points each, radius up to 1, with a
 * little Gaussian noise: hard for a linear model, easy for a small MLP with enough epochs.
 */
function twoSpirals(random, perClass = 200) {
  const count = 2 * perClass;
  const x = new Float32Array(count * 2);
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 2;
    const t = 0.08 + 0.92 * (Math.floor(i / 2) / perClass); // 0.08..1: skip the crowded centre
    const angle = t * 3 * Math.PI + label * Math.PI; // 1.5 turns each, the second rotated by half a turn
    x[2 * i] = t * Math.cos(angle) + 0.03 * random.normal();
    x[2 * i + 1] = t * Math.sin(angle) + 0.03 * random.normal();
    y[i] = label;
  }
  return { count, features: 2, classes: 2, classNames: ["A", "B"], featureNames: ["x", "y"], x, y };
}

/** Seeded shuffle, then 25 % of the rows to test. */
function splitRows(data, random) {
  const order = Int32Array.from({ length: data.count }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = random.below(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const testCount = Math.ceil(data.count * 0.25);
  return { test: take(data, order.subarray(0, testCount)), train: take(data, order.subarray(testCount)) };
}

function take({ x, y, features }, rows) {
  const out = {
    x: new Float32Array(rows.length * features),
    y: new Int32Array(rows.length),
    count: rows.length,
    rows: Int32Array.from(rows),
  };
  rows.forEach((row, i) => {
    out.x.set(x.subarray(row * features, (row + 1) * features), i * features);
    out.y[i] = y[row];
  });
  return out;
}

/** Zero mean, unit variance per feature, with the training rows' statistics (applied to both, in place). */
function standardize(train, test, features) {
  for (let j = 0; j < features; j++) {
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < train.count; i++) sum += train.x[i * features + j];
    const mean = sum / train.count;
    for (let i = 0; i < train.count; i++) squares += (train.x[i * features + j] - mean) ** 2;
    const std = Math.sqrt(squares / train.count) || 1;
    for (const set of [train, test]) {
      for (let i = 0; i < set.count; i++) set.x[i * features + j] = (set.x[i * features + j] - mean) / std;
    }
  }
}

/** mulberry32 (Tommy Ettinger, public domain): a tiny seeded generator, plus Box–Muller normals. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    below: (bound) => Math.floor(next() * bound),
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
  };
}
