// Trains the example's model and writes it to model/ (model.json + weights.bin) — run from the repository root
// after `npm run build`:  node examples/worker/train.mjs
// A digits classifier (UCI optical digits, data/README.md): 64 pixels in [0, 1] → 10 class probabilities.
import { init, layers, Sequential, setRandomSeed, tensor } from "../../dist/densa.js";
import { loadDigits, oneHot, trainTestSplit } from "../datasets.mjs";

await init();
setRandomSeed(42); // the initial weights, so that a rerun writes the same model
const digits = loadDigits();
const { train, test } = trainTestSplit(digits, { testFraction: 0.2, seed: 7, stratify: true });
const model = new Sequential(
  [new layers.Dense(32, { activation: "relu", inputShape: [64] }), new layers.Dense(10, { activation: "softmax" })],
  { name: "digits" },
);
model.compile({ optimizer: "adam", loss: "categorical_crossentropy", metrics: ["accuracy"] });
await model.fit(tensor(train.x, [train.count, 64]), tensor(oneHot(train.y, 10), [train.count, 10]), {
  epochs: 40,
  batchSize: 32,
  verbose: 0,
  seed: 1,
});
const { accuracy } = await model.evaluate(
  tensor(test.x, [test.count, 64]),
  tensor(oneHot(test.y, 10), [test.count, 10]),
);
await model.save(`file://${new URL("./model", import.meta.url).pathname}`);
console.log(`saved examples/worker/model (test accuracy ${(accuracy * 100).toFixed(1)} %)`);
model.dispose();
