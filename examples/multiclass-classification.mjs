// Multi-class classification: the UCI handwritten digits (8×8 pixels, 10 classes) with a softmax output.
// This one uses one-hot targets and categorical cross-entropy (the demo uses integer labels and the sparse
// loss), Dropout, validation data, EarlyStopping, and Keras's one-line-per-epoch log (verbose 2).
//
//   npm run build && node examples/multiclass-classification.mjs
import { callbacks, init, layers, Sequential, setRandomSeed, tensor } from "densa";
import { loadDigits, oneHot, trainTestSplit } from "./datasets.mjs";
import { percent } from "./report.mjs";

await init();
setRandomSeed(1);

const digits = loadDigits();
const { train: trainAll, test } = trainTestSplit(digits, { testFraction: 0.2, seed: 1 });
const { train, test: validation } = trainTestSplit(trainAll, { testFraction: 0.15, seed: 2 });
const inputs = (data) => tensor(data.x, [data.count, digits.features]);
const targets = (data) => tensor(oneHot(data.y, digits.classes), [data.count, digits.classes]);

const model = new Sequential(
  [
    new layers.Dense(96, { activation: "relu", inputShape: [digits.features] }),
    new layers.Dropout(0.2),
    new layers.Dense(48, { activation: "relu" }),
    new layers.Dense(digits.classes, { activation: "softmax" }),
  ],
  { name: "digits_dropout" },
);
model.compile({ optimizer: "adam", loss: "categorical_crossentropy", metrics: ["accuracy"] });

const earlyStopping = new callbacks.EarlyStopping({ monitor: "val_loss", patience: 5, restoreBestWeights: true });
const history = await model.fit(inputs(train), targets(train), {
  epochs: 60,
  batchSize: 32,
  validationData: [inputs(validation), targets(validation)],
  callbacks: [earlyStopping],
  verbose: 2,
  seed: 4,
});
const best = history.history.val_loss.indexOf(Math.min(...history.history.val_loss));
console.log(`Stopped after ${history.epoch.length} epochs; kept the weights of epoch ${best + 1} (lowest val_loss).`);

const scores = await model.evaluate(inputs(test), targets(test), { verbose: 0 });
// Per-class accuracy from the predicted probabilities.
const predicted = model.predict(inputs(test)).argMax(-1).data;
const perClass = digits.classNames.map((name, label) => {
  const rows = [...test.y.keys()].filter((row) => test.y[row] === label);
  const right = rows.filter((row) => predicted[row] === label).length;
  return `${name}: ${right}/${rows.length}`;
});
console.log(`Correct per digit: ${perClass.join(", ")}`);
console.log(`Test accuracy: ${percent(scores.accuracy)} (loss ${scores.loss.toFixed(4)})`);
model.dispose();
