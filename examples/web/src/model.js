// Building and training the playground's model with densa's public API, Keras style: a Sequential stack of
// Dense layers (optionally with Dropout), softmax output, sparse categorical cross-entropy, accuracy.
import { callbacks, layers, optimizers, Sequential, setRandomSeed, tensor } from "densa";

export const ACTIVATIONS = ["relu", "tanh", "sigmoid", "elu", "gelu", "swish", "leaky_relu", "selu", "softplus"];

export const OPTIMIZERS = {
  adam: (learningRate) => new optimizers.Adam({ learningRate }),
  adamw: (learningRate) => new optimizers.AdamW({ learningRate }),
  nadam: (learningRate) => new optimizers.Nadam({ learningRate }),
  rmsprop: (learningRate) => new optimizers.RMSprop({ learningRate }),
  sgd: (learningRate) => new optimizers.SGD({ learningRate, momentum: 0.9 }),
  adagrad: (learningRate) => new optimizers.Adagrad({ learningRate }),
};

/** "64, 32" → [64, 32]; an empty text is no hidden layer (softmax regression). Throws a message for the user. */
export function parseHiddenLayers(text) {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  const units = parts.map(Number);
  const bad = parts.find((part, i) => !Number.isInteger(units[i]) || units[i] < 1 || units[i] > 2048);
  if (bad !== undefined) throw new Error(`Hidden layers: "${bad}" is not a layer size (a whole number 1..2048)`);
  if (units.length > 8) throw new Error("Hidden layers: at most 8 layers");
  return units;
}

/** A compiled model for `data` ({ features, classes }) from the form's settings. */
export function buildModel(settings, data) {
  setRandomSeed(settings.seed); // the initial weights come from densa's global generator
  const model = new Sequential([], { name: "playground" });
  const hidden = parseHiddenLayers(settings.hidden);
  hidden.forEach((units, i) => {
    const input = i === 0 ? { inputShape: [data.features] } : {};
    model.add(new layers.Dense(units, { activation: settings.activation, ...input }));
    if (settings.dropout > 0) model.add(new layers.Dropout(settings.dropout));
  });
  model.add(
    new layers.Dense(data.classes, {
      activation: "softmax",
      ...(hidden.length ? {} : { inputShape: [data.features] }),
    }),
  );
  model.compile({
    optimizer: OPTIMIZERS[settings.optimizer](settings.learningRate),
    loss: "sparse_categorical_crossentropy",
    metrics: ["accuracy"],
  });
  return model;
}

/**
 * Trains `model` on data.train, validating on data.test after every epoch. `onBatch({ epoch, step, steps,
 * logs })` and `onEpoch({ epoch, logs })` report progress; both run inside fit, between batches, so they only
 * record and schedule drawing. fit hands the event loop back every ~16 ms, so the page keeps answering.
 * Set `model.stopTraining = true` to stop after the current batch (Keras's way).
 */
export async function trainModel(model, data, settings, { onBatch, onEpoch }) {
  const { train, test } = data;
  const steps = Math.ceil(train.count / settings.batchSize);
  let epoch = 0;
  const progress = new callbacks.LambdaCallback({
    onEpochBegin: (index) => {
      epoch = index;
    },
    onBatchEnd: (step, logs) => onBatch({ epoch, step, steps, logs }),
    onEpochEnd: (index, logs) => onEpoch({ epoch: index, logs }),
  });
  const started = performance.now();
  const rowsOf = (set) => tensor(set.x, [set.count, data.features]);
  const history = await model.fit(rowsOf(train), train.y, {
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    validationData: [rowsOf(test), test.y],
    shuffle: true,
    seed: settings.seed,
    verbose: 0,
    callbacks: [progress],
  });
  const seconds = (performance.now() - started) / 1000;
  return { history, seconds };
}

/** Keras's evaluate on a { x, y, count } set: { loss, accuracy }. */
export function evaluateRows(model, set, features) {
  return model.evaluate(tensor(set.x, [set.count, features]), set.y, { batchSize: 256 });
}

/** Class probabilities for `count` rows of `x` (Float32Array, count × features): a Float32Array count × classes. */
export function predictRows(model, x, count, features) {
  return model.predict(tensor(x, [count, features]), { batchSize: 256 }).data;
}
