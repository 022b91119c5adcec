// "With seed set, two runs of the same fit give bit-identical weights": setRandomSeed fixes the initial weights
// (and every other unseeded draw), fit's seed fixes the batch order and the dropout masks. Weights are compared
// as raw float32 bits; a different seed must give different bits (so the comparison can fail).
import { beforeAll, describe, expect, it } from "vitest";
import { init, layers, optimizers, Sequential, setRandomSeed } from "../../ts/index.js";
import { bitsOf, expectSameBits, firstDifference, toyClassification, weightBits } from "../helpers/model-fixtures.js";

beforeAll(async () => {
  await init();
});

const data = toyClassification(120, 6, 4, 17);

/** Builds (drawing initial weights), trains and returns the weight bits, predictions and loss history. */
async function run(globalSeed: number, fitSeed: number | undefined, optimizer = "adam") {
  setRandomSeed(globalSeed);
  const model = new Sequential([
    new layers.Dense(24, { activation: "relu", inputShape: [6] }),
    new layers.Dropout(0.3),
    new layers.Dense(12, { activation: "gelu" }),
    new layers.Dropout(0.2),
    new layers.Dense(4, { activation: "softmax" }),
  ]);
  const initial = weightBits(model);
  model.compile({ optimizer, loss: "sparse_categorical_crossentropy", metrics: ["accuracy"] });
  const history = await model.fit(data.x, data.y, {
    epochs: 4,
    batchSize: 16,
    verbose: 0,
    seed: fitSeed,
    validationSplit: 0.2,
  });
  const result = {
    initial,
    final: weightBits(model),
    predictions: bitsOf(model.predict(data.x).data).slice(),
    losses: history.history.loss,
  };
  model.dispose();
  return result;
}

describe("determinism", () => {
  it("same setRandomSeed and fit seed: bit-identical initial weights, final weights, predictions and losses", async () => {
    const first = await run(42, 7);
    const second = await run(42, 7);
    expectSameBits(second.initial, first.initial);
    expectSameBits(second.final, first.final);
    expectSameBits(second.predictions, first.predictions);
    expect(second.losses).toEqual(first.losses);
    // Training did change the weights.
    expect(firstDifference(first.final, first.initial)).toBeGreaterThanOrEqual(0);
  });

  it("another setRandomSeed gives other initial weights; another fit seed other final weights", async () => {
    const base = await run(42, 7);
    const otherGlobal = await run(43, 7);
    expect(firstDifference(otherGlobal.initial, base.initial)).toBeGreaterThanOrEqual(0);
    expect(firstDifference(otherGlobal.final, base.final)).toBeGreaterThanOrEqual(0);
    const otherFit = await run(42, 8);
    expectSameBits(otherFit.initial, base.initial);
    expect(firstDifference(otherFit.final, base.final)).toBeGreaterThanOrEqual(0);
  });

  it("setRandomSeed alone (no fit seed) also makes the whole run reproducible, shuffling included", async () => {
    const first = await run(5, undefined);
    const second = await run(5, undefined);
    expectSameBits(second.final, first.final);
    expect(second.losses).toEqual(first.losses);
    const other = await run(6, undefined);
    expect(firstDifference(other.final, first.final)).toBeGreaterThanOrEqual(0);
  });

  it("holds for every optimizer", async () => {
    for (const name of ["sgd", "rmsprop", "adagrad", "adadelta", "adamax", "nadam", "adamw"]) {
      const first = await run(9, 3, name);
      const second = await run(9, 3, name);
      expectSameBits(second.final, first.final);
    }
  });

  it("dropout masks come from fit's seed: with dropout the seed matters even without shuffling", async () => {
    const train = async (fitSeed: number) => {
      setRandomSeed(1);
      const model = new Sequential([
        new layers.Dense(8, { activation: "relu", inputShape: [6] }),
        new layers.Dropout(0.5),
        new layers.Dense(4, { activation: "softmax" }),
      ]);
      model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: "sparse_categorical_crossentropy" });
      await model.fit(data.x, data.y, { epochs: 1, batchSize: 30, shuffle: false, seed: fitSeed, verbose: 0 });
      const bits = weightBits(model);
      model.dispose();
      return bits;
    };
    expectSameBits(await train(11), await train(11));
    expect(firstDifference(await train(11), await train(12))).toBeGreaterThanOrEqual(0);
  });
});
