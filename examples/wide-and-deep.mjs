// Wide and deep, with the Functional API: two inputs — nine measurements (standardised by a Normalization
// layer) and a categorical column (sex, an id through an Embedding) — joined by Concatenate, then a small
// MLP predicting disease progression one year after baseline (Efron et al.'s diabetes data, BSD-3-Clause via
// scikit-learn; see data/README.md). Trains, evaluates, saves, loads the saved model and checks it predicts
// the same.
//
//   npm run build && node examples/wide-and-deep.mjs
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Input, init, layers, loadModel, Model, optimizers, setRandomSeed, tensor } from "densa";
import { loadDiabetes, trainTestSplit } from "./datasets.mjs";

await init();
setRandomSeed(3);

const diabetes = loadDiabetes();
const { train, test } = trainTestSplit(diabetes, { testFraction: 0.25, seed: 0 });
const SEX = diabetes.featureNames.indexOf("sex");
/** Splits the rows into the numeric columns and the sex column as ids 0 / 1 (the file codes sex as 1 / 2). */
function inputs(part) {
  const numeric = new Float32Array(part.count * 9);
  const sex = new Float32Array(part.count);
  for (let i = 0; i < part.count; i++) {
    let k = 0;
    for (let j = 0; j < diabetes.features; j++) {
      if (j === SEX) sex[i] = part.x[i * diabetes.features + j] - 1;
      else numeric[i * 9 + k++] = part.x[i * diabetes.features + j];
    }
  }
  return { measurements: tensor(numeric, [part.count, 9]), sex: tensor(sex, [part.count, 1]) };
}
const xTrain = inputs(train);
const xTest = inputs(test);

const measurements = Input({ shape: [9], name: "measurements" });
const sex = Input({ shape: [1], name: "sex" });
const normalization = new layers.Normalization();
normalization.adapt(xTrain.measurements);
const deep = new layers.Dense(16, { activation: "relu" }).apply(normalization.apply(measurements));
const sexVector = new layers.Flatten().apply(
  new layers.Embedding({ inputDim: 2, outputDim: 2, name: "sex_embedding" }).apply(sex),
);
const joined = new layers.Concatenate().apply([deep, sexVector]);
const hidden = new layers.Dense(8, { activation: "relu" }).apply(joined);
const progression = new layers.Dense(1, { name: "progression" }).apply(hidden);
const model = new Model({ inputs: [measurements, sex], outputs: progression, name: "wide_and_deep" });
model.summary();
model.compile({ optimizer: new optimizers.Adam({ learningRate: 0.05 }), loss: "mse", metrics: ["mae"] });

const history = await model.fit(xTrain, train.y, {
  epochs: 150,
  batchSize: 32,
  validationSplit: 0.2,
  verbose: 0,
  seed: 5,
});
const last = (key) => history.history[key].at(-1).toFixed(1);
console.log(`After ${history.epoch.length} epochs: mae ${last("mae")}, val_mae ${last("val_mae")}`);

const mean = train.y.reduce((sum, value) => sum + value, 0) / train.count;
const baseline = test.y.reduce((sum, value) => sum + Math.abs(value - mean), 0) / test.count;
console.log(`Predicting the mean every time would give a test MAE of ${baseline.toFixed(1)}.`);

// Saved in the TensorFlow.js Layers format (a Functional topology), loaded again: the same predictions.
const directory = mkdtempSync(join(tmpdir(), "densa-wide-and-deep-"));
try {
  await model.save(`file://${directory}`);
  const loaded = await loadModel(`file://${join(directory, "model.json")}`);
  const before = model.predict([xTest.measurements, xTest.sex]).data;
  const after = loaded.predict({ measurements: xTest.measurements, sex: xTest.sex }).data;
  const same = before.every((value, i) => value === after[i]);
  console.log(
    `Saved and loaded: ${same ? "the same predictions" : "DIFFERENT predictions"} for ${test.count} test patients`,
  );
  loaded.dispose();
} finally {
  rmSync(directory, { recursive: true, force: true });
}

const scores = await model.evaluate([xTest.measurements, xTest.sex], test.y);
console.log(`Test MAE: ${scores.mae.toFixed(1)} (MSE ${scores.loss.toFixed(0)})`);
model.dispose();
