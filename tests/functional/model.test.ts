// The Functional API end to end: Model({ inputs, outputs }) runs the same numbers as the equivalent Sequential,
// takes x / y as arrays or objects keyed by name, reports Keras 3's history keys for several outputs, and
// refuses bad graphs and bad data with Errors that name the argument, before anything changes.
import { beforeAll, describe, expect, it } from "vitest";
import { Input, init, layers, Model, Sequential, setRandomSeed, type Tensor, tensor } from "../../ts/index.js";
import { uniformArray } from "../helpers/finite-differences.js";

beforeAll(() => init());

const N = 24;
const xNum = tensor(uniformArray(N * 3, 1), [N, 3]);
const xCat = tensor(uniformArray(N * 2, 2), [N, 2]);
const yClass = Array.from({ length: N }, (_, i) => (xNum.data[i * 3] + xCat.data[i * 2] > 0 ? 1 : 0));
const yReg = tensor(uniformArray(N, 3), [N, 1]);

function twoInputTwoOutput(): Model {
  const a = Input({ shape: [3], name: "num" });
  const b = Input({ shape: [2], name: "cat" });
  const joined = new layers.Concatenate().apply([new layers.Dense(4, { activation: "relu" }).apply(a), b]);
  const hidden = new layers.Dense(5, { activation: "tanh" }).apply(joined);
  const label = new layers.Dense(2, { activation: "softmax", name: "label" }).apply(hidden);
  const value = new layers.Dense(1, { name: "value" }).apply(hidden);
  return new Model({ inputs: [a, b], outputs: [label, value], name: "two_by_two" });
}

describe("Functional = Sequential on a chain", () => {
  it("predicts and trains bit for bit as the Sequential model with the same weights", () => {
    setRandomSeed(4);
    const sequential = new Sequential([
      layers.Input({ shape: [3] }),
      new layers.Dense(6, { activation: "relu" }),
      new layers.Dense(2, { activation: "softmax" }),
    ]);
    const input = Input({ shape: [3] });
    const functional = new Model({
      inputs: input,
      outputs: new layers.Dense(2, { activation: "softmax" }).apply(
        new layers.Dense(6, { activation: "relu" }).apply(input),
      ),
    });
    functional.setWeights(sequential.getWeights());
    for (const model of [sequential, functional])
      model.compile({ optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"] });
    expect(functional.predict(xNum).data).toEqual(sequential.predict(xNum).data);
    for (let step = 0; step < 3; step++) {
      expect(functional.trainOnBatch(xNum, yClass)).toEqual(sequential.trainOnBatch(xNum, yClass));
    }
    functional.getWeights().forEach((weight, i) => expect(weight.data).toEqual(sequential.getWeights()[i].data));
    sequential.dispose();
    functional.dispose();
  });
});

describe("several inputs and outputs", () => {
  it("takes x and y as arrays or keyed by name, with the same results; predict returns one Tensor per output", async () => {
    const histories = [];
    for (const keyed of [false, true]) {
      setRandomSeed(7);
      const model = twoInputTwoOutput();
      model.compile({
        optimizer: "adam",
        loss: { label: "sparse_categorical_crossentropy", value: "mse" },
        lossWeights: { label: 1, value: 0.5 },
        metrics: { label: ["accuracy"], value: ["mae"] },
      });
      const x = keyed ? { cat: xCat, num: xNum } : [xNum, xCat];
      const y = keyed ? { value: yReg, label: yClass } : [yClass, yReg];
      const history = await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, validationSplit: 0.25, seed: 1 });
      histories.push(history.history);
      const predictions = model.predict<Tensor[]>(x);
      expect(predictions.map((t) => t.shape)).toEqual([
        [N, 2],
        [N, 1],
      ]);
      const scores = await model.evaluate(x, y, { verbose: 0 });
      expect(Object.keys(scores).sort()).toEqual(["label_accuracy", "label_loss", "loss", "value_loss", "value_mae"]);
      // The total is the weighted sum of the per-output losses (no regularizers here).
      expect(scores.loss).toBeCloseTo(scores.label_loss + 0.5 * scores.value_loss, 5);
      model.dispose();
    }
    expect(Object.keys(histories[0]).sort()).toEqual([
      "label_accuracy",
      "label_loss",
      "loss",
      "val_label_accuracy",
      "val_label_loss",
      "val_loss",
      "val_value_loss",
      "val_value_mae",
      "value_loss",
      "value_mae",
    ]);
    expect(histories[1]).toEqual(histories[0]);
  });

  it("one loss name applies to every output; lossWeights scale the total", () => {
    setRandomSeed(3);
    const a = Input({ shape: [3] });
    const h = new layers.Dense(3).apply(a);
    const p = new layers.Dense(1, { name: "p" }).apply(h);
    const q = new layers.Dense(1, { name: "q" }).apply(h);
    const model = new Model({ inputs: a, outputs: [p, q] });
    model.compile({ optimizer: "sgd", loss: "mse", lossWeights: [2, 3] });
    const scores = model.testOnBatch(xNum, [yReg, yReg]);
    expect(scores.loss).toBeCloseTo(2 * scores.p_loss + 3 * scores.q_loss, 5);
    model.dispose();
  });
});

describe("bad graphs and bad data: clear Errors before any change", () => {
  it("refuses outputs that depend on an Input that is not among inputs", () => {
    const a = Input({ shape: [2], name: "a_in" });
    const b = Input({ shape: [2], name: "b_in" });
    const sum = new layers.Add().apply([a, b]);
    expect(() => new Model({ inputs: a, outputs: sum })).toThrow(/depend on the input "b_in".*not in inputs/);
  });

  it("refuses merges of shapes that disagree, naming the shapes", () => {
    const a = Input({ shape: [2] });
    const b = Input({ shape: [3] });
    expect(() => new layers.Add().apply([a, b])).toThrow(
      /Add needs inputs of the same shape, got \[null, 2\], \[null, 3\]/,
    );
    expect(() =>
      new layers.Concatenate({ axis: 1 }).apply([Input({ shape: [2, 3] }), Input({ shape: [2, 4] })]),
    ).toThrow(/other axes agree/);
  });

  it("refuses a layer applied again to another shape, naming both shapes", () => {
    const dense = new layers.Dense(2);
    dense.apply(Input({ shape: [3] }));
    expect(() => dense.apply(Input({ shape: [4] }))).toThrow(
      /built for input shape \[3\] and cannot be applied to shape \[4\]/,
    );
  });

  it("refuses a shared layer whose training forward is stateful", () => {
    const a = Input({ shape: [3] });
    const dropout = new layers.Dropout(0.5);
    const both = new layers.Add().apply([dropout.apply(a), dropout.apply(new layers.Dense(3).apply(a))]);
    expect(() => new Model({ inputs: a, outputs: both })).toThrow(
      /applied 2 times.*random numbers or updates statistics/,
    );
  });

  it("refuses a wrong number of inputs and keys that name no input, leaving the model as it was", async () => {
    setRandomSeed(5);
    const model = twoInputTwoOutput();
    model.compile({ optimizer: "adam", loss: ["sparse_categorical_crossentropy", "mse"] });
    const before = model.getWeights();
    expect(() => model.predict([xNum])).toThrow(/the model has 2 inputs \(num, cat\) but x is an array of 1/);
    expect(() => model.predict({ num: xNum, city: xCat })).toThrow(
      /x has the key "city", which names no input of the model/,
    );
    await expect(model.fit([xNum, xCat, xCat], [yClass, yReg], { verbose: 0 })).rejects.toThrow(
      /fit: the model has 2 inputs/,
    );
    await expect(model.fit([xNum, xCat], { label: yClass, valeu: yReg }, { verbose: 0 })).rejects.toThrow(
      /y has the key "valeu", which names no output/,
    );
    expect(() => model.trainOnBatch([xNum, tensor(uniformArray(5 * 2, 1), [5, 2])], [yClass, yReg])).toThrow(
      /x\[1\] has 5 samples but x\[0\] has 24/,
    );
    expect(() => model.trainOnBatch([xNum, xNum], [yClass, yReg])).toThrow(
      /x\[1\] has per-sample shape \[3\] but the model's input "cat" has shape \[2\]/,
    );
    expect(() => model.compile({ optimizer: "adam", loss: { label: "mse", other: "mse" } })).toThrow(
      /"other" names no output/,
    );
    model.getWeights().forEach((weight, i) => expect(weight.data).toEqual(before[i].data));
    model.dispose();
  });
});

describe("memory", () => {
  it("build / fit / predict / dispose cycles of Functional models (fan-out sums, a shared layer, BatchNormalization) give every block back", async () => {
    const { getEngine } = await import("../../ts/engine/engine.js");
    const cycle = async () => {
      const a = Input({ shape: [3] });
      const shared = new layers.Dense(4, { activation: "tanh" });
      const h = shared.apply(new layers.Dense(4).apply(a));
      const skip = new layers.Add().apply([h, shared.apply(new layers.Dense(4).apply(h))]);
      const out = new layers.Dense(1).apply(new layers.BatchNormalization().apply(skip));
      const model = new Model({ inputs: a, outputs: out });
      model.compile({ optimizer: "adam", loss: "mse" });
      await model.fit(xNum, yReg, { epochs: 1, batchSize: 8, verbose: 0, validationSplit: 0.25 });
      model.predict(xNum);
      model.dispose();
    };
    await cycle();
    const allocator = getEngine().allocator;
    const baseline = [allocator.bytesInUse, allocator.liveBlocks];
    for (let i = 0; i < 20; i++) await cycle();
    expect([allocator.bytesInUse, allocator.liveBlocks]).toEqual(baseline);
  });
});
