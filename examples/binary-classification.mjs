// Binary classification: is a point on the upper or the lower moon? A small MLP with a sigmoid output and
// binary cross-entropy, with accuracy, precision, recall and AUC as metrics.
//
//   npm run build && node examples/binary-classification.mjs
import { init, layers, metrics, optimizers, Sequential, setRandomSeed, tensor } from "densa";
import { percent } from "./report.mjs";
import { makeMoons } from "./synthetic.mjs";

await init();
setRandomSeed(7);

// 1000 noisy points to learn from and 500 fresh ones (another seed) to test on.
const train = makeMoons(1000, { noise: 0.2, seed: 1 });
const test = makeMoons(500, { noise: 0.2, seed: 2 });
const xTrain = tensor(train.x, [train.count, 2]);
const xTest = tensor(test.x, [test.count, 2]);

const model = new Sequential([
  new layers.Dense(16, { activation: "relu", inputShape: [2] }),
  new layers.Dense(16, { activation: "relu" }),
  new layers.Dense(1, { activation: "sigmoid" }), // the probability of class 1
]);
model.compile({
  optimizer: new optimizers.Adam({ learningRate: 0.01 }),
  loss: "binary_crossentropy",
  metrics: ["accuracy", metrics.precision(), metrics.recall(), metrics.auc()],
});

// y is one 0/1 target per sample; shape [n] or [n, 1] both work.
const history = await model.fit(xTrain, train.y, {
  epochs: 40,
  batchSize: 32,
  validationSplit: 0.2,
  verbose: 0,
  seed: 3,
});
const last = (key) => history.history[key].at(-1).toFixed(4);
console.log(
  `After ${history.epoch.length} epochs: loss ${last("loss")}, val_loss ${last("val_loss")}, val_accuracy ${last("val_accuracy")}`,
);

const scores = await model.evaluate(xTest, test.y);
console.log(
  `Test precision ${scores.precision.toFixed(3)}, recall ${scores.recall.toFixed(3)}, AUC ${scores.auc.toFixed(3)}`,
);

// predict gives probabilities; threshold them at 0.5 for class labels.
const probabilities = model.predict(tensor(new Float32Array([0, 1, 1, -0.5, 0.5, 0.25]), [3, 2])).data;
console.log(
  `P(lower moon) at (0, 1), (1, -0.5), (0.5, 0.25): ${[...probabilities].map((p) => p.toFixed(3)).join(", ")}`,
);
console.log(`Test accuracy: ${percent(scores.accuracy)}`);
model.dispose();
