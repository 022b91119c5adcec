// What a second compile() keeps and what it replaces, as Keras 3 does: each compile makes a new compiled training
// (loss, metrics, the step), but an optimizer instance given again keeps its state (its slots: Adam's moments and
// step count), so training goes on exactly as if no compile had come between the steps.
import { beforeAll, describe, expect, it } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { init, layers, optimizers, Sequential, setRandomSeed, type Tensor } from "../../ts/index.js";
import { toyClassification } from "../helpers/model-fixtures.js";

beforeAll(async () => {
  await init();
});

const toy = toyClassification(16, 4, 3, 11);
const data = { x: toy.x, y: toy.y.map((label) => [0, 1, 2].map((c) => (c === label ? 1 : 0))) };

function model(): Sequential {
  setRandomSeed(7);
  return new Sequential([
    new layers.Dense(5, { activation: "relu", inputShape: [4] }),
    new layers.Dense(3, { activation: "softmax" }),
  ]);
}

const weightsOf = (m: Sequential) => m.getWeights().map((weight: Tensor) => Array.from(weight.data));

/** Two Adam steps on the same batch; `between` runs after the first. */
function twoSteps(between: (m: Sequential, adam: optimizers.Adam) => void): number[][] {
  const m = model();
  const adam = new optimizers.Adam({ learningRate: 0.05 });
  m.compile({ optimizer: adam, loss: "categorical_crossentropy", metrics: ["accuracy"] });
  m.trainOnBatch(data.x, data.y);
  between(m, adam);
  m.trainOnBatch(data.x, data.y);
  const weights = weightsOf(m);
  m.dispose();
  return weights;
}

describe("compile again", () => {
  it("with the same optimizer instance: the second step is the one an uninterrupted run takes (Adam's moments and step count kept)", () => {
    const uninterrupted = twoSteps(() => {});
    const recompiled = twoSteps((m, adam) =>
      m.compile({ optimizer: adam, loss: "categorical_crossentropy", metrics: ["accuracy"] }),
    );
    const freshOptimizer = twoSteps((m) =>
      m.compile({ optimizer: new optimizers.Adam({ learningRate: 0.05 }), loss: "categorical_crossentropy" }),
    );
    expect(recompiled).toEqual(uninterrupted);
    // NOTE: a new Adam starts from zero moments and step 1, so its second step differs: the comparison above can fail.
    expect(freshOptimizer).not.toEqual(uninterrupted);
  });

  it("replaces the loss and metrics: the logs are the new compile's, and nothing of the old step stays in memory", () => {
    const m = model();
    m.compile({ optimizer: "sgd", loss: "categorical_crossentropy", metrics: ["accuracy"] });
    m.trainOnBatch(data.x, data.y);
    const allocator = getEngine().allocator;
    const before = allocator.bytesInUse;
    expect(Object.keys(m.testOnBatch(data.x, data.y))).toEqual(["loss", "accuracy"]);
    for (let i = 0; i < 5; i++) {
      m.compile({ optimizer: "sgd", loss: "mse" });
      expect(m.loss?.lossName).toBe("mean_squared_error");
      expect(Object.keys(m.testOnBatch(data.x, data.y))).toEqual(["loss"]);
      m.compile({ optimizer: "sgd", loss: "categorical_crossentropy", metrics: ["accuracy"] });
      expect(Object.keys(m.trainOnBatch(data.x, data.y))).toEqual(["loss", "accuracy"]);
    }
    // The same compile and the same calls as before the loop: the same blocks in use (nothing of a replaced
    // compile's step, metrics or optimizer left).
    expect(allocator.bytesInUse).toBe(before);
    m.dispose();
  });
});
