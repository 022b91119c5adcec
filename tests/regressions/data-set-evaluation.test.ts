// evaluate on a data set, validationData as a data set with validationSteps, and the options of trainOnBatch /
// testOnBatch.
import { beforeAll, describe, expect, it } from "vitest";
import { init, layers, optimizers, Sequential } from "../../ts/index.js";
import { rejection } from "../helpers/model-fixtures.js";

beforeAll(async () => {
  await init();
});

const x = Array.from({ length: 30 }, (_, i) => [Math.sin(i), Math.cos(i * 0.7)]);
const y = x.map(([a, b]) => [a * 0.5 - b]);
const w = x.map((_, i) => 1 + (i % 3));
/** Batches of 10: [x, y, sampleWeight]. */
const batches = [0, 10, 20].map(
  (start) => [x.slice(start, start + 10), y.slice(start, start + 10), w.slice(start, start + 10)] as const,
);
/** The same batches as a re-iterable data set that is not an array (an array as validationData is [x, y, w]). */
const iterableOf = <T>(items: readonly T[]) => ({ [Symbol.iterator]: () => items[Symbol.iterator]() });

function model(inputShape: number[] | undefined = [2], learningRate = 0.05) {
  const m = new Sequential([
    new layers.Dense(4, { inputShape, activation: "tanh", kernelInitializer: "ones" }),
    new layers.Dense(1, { kernelInitializer: "ones" }),
  ]);
  m.compile({ optimizer: new optimizers.SGD({ learningRate }), loss: "mse", metrics: ["mae"] });
  return m;
}

describe("evaluate on a data set", () => {
  it("equals evaluate on the same arrays in the same batches (weights in the batches)", async () => {
    const m = model();
    const reference = await m.evaluate(x, y, { batchSize: 10, sampleWeight: w, verbose: 0 });
    expect(await m.evaluate(batches, { verbose: 0 })).toEqual(reference);
    async function* generate() {
      for (const batch of batches) yield { x: batch[0], y: batch[1], sampleWeight: batch[2] };
    }
    expect(await m.evaluate(generate(), { verbose: 0 })).toEqual(reference);
    m.dispose();
  });

  it("steps caps an endless data set; the first batch builds an unbuilt model", async () => {
    const m = model(undefined);
    function* endless() {
      for (let i = 0; ; i++) yield batches[i % 3];
    }
    const scores = await m.evaluate(endless(), { steps: 2, verbose: 0 });
    expect(m.built).toBe(true);
    const reference = await m.evaluate(x.slice(0, 20), y.slice(0, 20), {
      batchSize: 10,
      sampleWeight: w.slice(0, 20),
      verbose: 0,
    });
    expect(scores).toEqual(reference);
    m.dispose();
  });

  it("names the bad batch, refuses batchSize and an empty data set, and leaves the model usable", async () => {
    const m = model();
    const bad = [[[[1, 2, 3]], [[1]]], batches[0]];
    expect(await rejection(m.evaluate(bad, { verbose: 0 }))).toBe(
      "evaluate: data set batch 0 x has 3 features per sample but the model's input shape is [2]",
    );
    expect(await rejection(m.evaluate(batches, { batchSize: 5 }))).toBe(
      "evaluate: batchSize does not apply to a data set (its batches are used as they come); leave it out",
    );
    function* nothing() {}
    expect(await rejection(m.evaluate(nothing(), { verbose: 0 }))).toContain(
      "evaluate: the data gave no batches to evaluate",
    );
    // Still usable, and right: with all-ones kernels and zero biases the model is 4·tanh(a + b), so the weighted
    // MSE over the three batches of 10 is Σ w·(4·tanh(a + b) − y)² / 30 (float64 here).
    const expected = x.reduce((sum, [a, b], i) => sum + w[i] * (4 * Math.tanh(a + b) - y[i][0]) ** 2, 0) / x.length;
    const scores = await m.evaluate(batches, { verbose: 0 });
    expect(Math.abs(scores.loss - expected)).toBeLessThan(1e-5 * expected);
    m.dispose();
  });
});

describe("validationData as a data set", () => {
  it("gives the same val_ history as the same validation arrays", async () => {
    const train = { epochs: 3, batchSize: 10, verbose: 0, shuffle: false } as const;
    const withArrays = model();
    const a = await withArrays.fit(x, y, { ...train, validationData: [x, y, w], validationBatchSize: 10 });
    const withDataset = model();
    const b = await withDataset.fit(x, y, { ...train, validationData: iterableOf(batches) });
    expect(b.history.val_loss).toEqual(a.history.val_loss);
    expect(b.history.val_mae).toEqual(a.history.val_mae);
    expect(b.history.val_loss).toHaveLength(3);
    withArrays.dispose();
    withDataset.dispose();
  });

  it("validationSteps: an endless generator continues across passes; arrays give their first batches", async () => {
    // Learning rate 0: the weights stay put, so each pass can be checked against evaluate.
    const m = model([2], 0);
    function* endless() {
      for (let i = 0; ; i++) yield batches[i % 3];
    }
    const history = await m.fit(x, y, {
      epochs: 2,
      batchSize: 10,
      verbose: 0,
      validationData: endless(),
      validationSteps: 2,
    });
    const first = await m.evaluate([batches[0], batches[1]], { verbose: 0 });
    const second = await m.evaluate([batches[2], batches[0]], { verbose: 0 });
    expect(history.history.val_loss).toEqual([first.loss, second.loss]);

    const capped = await m.fit(x, y, {
      epochs: 1,
      batchSize: 10,
      verbose: 0,
      validationData: [x, y],
      validationBatchSize: 10,
      validationSteps: 1,
    });
    expect(capped.history.val_loss).toEqual([(await m.evaluate(x, y, { batchSize: 10, steps: 1, verbose: 0 })).loss]);
    m.dispose();
  });

  it("a one-shot generator without validationSteps is an error at the second pass; validationBatchSize is refused", async () => {
    const m = model();
    function* once() {
      yield* batches;
    }
    expect(await rejection(m.fit(x, y, { epochs: 2, verbose: 0, validationData: once() }))).toContain(
      "fit: validationData: the data gave no batches to evaluate",
    );
    expect(
      await rejection(m.fit(x, y, { verbose: 0, validationData: iterableOf(batches), validationBatchSize: 10 })),
    ).toBe(
      "fit: validationBatchSize does not apply to a data set as validationData (its batches are used as they come); leave it out",
    );
    expect(await rejection(m.fit(batches, { verbose: 0, batchSize: 10 }))).toBe(
      "fit: batchSize does not apply to a data set (its batches are used as they come); leave it out",
    );
    m.dispose();
  });

  it("a validation batch that does not fit the model is named", async () => {
    const m = model();
    const message = await rejection(m.fit(x, y, { verbose: 0, validationData: iterableOf([[[[1, 2, 3]], [[1]]]]) }));
    expect(message).toBe("fit: validationData batch 0 x has 3 features per sample but the model's input shape is [2]");
    m.dispose();
  });
});

describe("trainOnBatch / testOnBatch options", () => {
  it("refuse unknown option names and sampleWeight with classWeight, before any change", () => {
    const m = model();
    const before = m.getWeights().map((weight) => Array.from(weight.data));
    expect(() => m.trainOnBatch(x, y, { sampleWeights: w } as never)).toThrow(
      'trainOnBatch: unknown option "sampleWeights"',
    );
    expect(() => m.testOnBatch(x, y, { classWeight: { 0: 2 } } as never)).toThrow(
      'testOnBatch: unknown option "classWeight"',
    );
    expect(() => m.trainOnBatch(x, y, { sampleWeight: w, classWeight: { 0: 2 } })).toThrow(
      "trainOnBatch: pass either classWeight or sampleWeight, not both (Keras cannot combine them either)",
    );
    expect(m.getWeights().map((weight) => Array.from(weight.data))).toEqual(before);
    m.dispose();
  });
});
