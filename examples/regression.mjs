// Regression with a few variables: disease progression one year after baseline, from 10 measurements
// (Efron et al.'s diabetes data). A Normalization layer learns each input's mean and variance with adapt(),
// the output is linear, the loss is mean squared error and mean absolute error is tracked as a metric.
//
//   npm run build && node examples/regression.mjs
import { init, layers, optimizers, Sequential, setRandomSeed, tensor } from "densa";
import { loadDiabetes, trainTestSplit } from "./datasets.mjs";

await init();
setRandomSeed(3);

const diabetes = loadDiabetes();
const { train, test } = trainTestSplit(diabetes, { testFraction: 0.25, seed: 0 });
const xTrain = tensor(train.x, [train.count, diabetes.features]);
const xTest = tensor(test.x, [test.count, diabetes.features]);

// Raw inputs (age in years, sex 1/2, BMI, blood pressure, six blood serum values) on very different scales:
// Normalization standardises them inside the model, so the saved model takes raw inputs too.
const normalization = new layers.Normalization({ inputShape: [diabetes.features] });
normalization.adapt(xTrain);

const model = new Sequential([
  normalization,
  new layers.Dense(16, { activation: "relu" }),
  new layers.Dense(1), // linear output: the predicted progression
]);
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

const scores = await model.evaluate(xTest, test.y);
// For scale: always predicting the training mean. (Plain least squares reaches about 45, see data/README.md.)
const mean = train.y.reduce((sum, value) => sum + value, 0) / train.count;
const baseline = test.y.reduce((sum, value) => sum + Math.abs(value - mean), 0) / test.count;
console.log(`Predicting the mean every time would give a test MAE of ${baseline.toFixed(1)}.`);

const predictions = model.predict(xTest).data;
const rows = [0, 1, 2, 3, 4].map(
  (i) => `${test.y[i].toFixed(0).padStart(4)} → ${predictions[i].toFixed(0).padStart(4)}`,
);
console.log(`First test patients, actual → predicted:\n  ${rows.join("\n  ")}`);
console.log(`Test MAE: ${scores.mae.toFixed(1)} (MSE ${scores.loss.toFixed(0)})`);
model.dispose();
