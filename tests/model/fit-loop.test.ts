// Keras's fit loop semantics on the real model: epoch numbering with initialEpoch, History and its params,
// batch hooks, the batch order (shuffle true / false / "batch", stepsPerEpoch continuing through the data as
// Keras's EpochIterator) and data sets (async generators with stepsPerEpoch, arrays of batches, running dry).
// Batch orders are checked by replaying the batches by hand with trainOnBatch: the weights must match bit for bit.
import { beforeAll, describe, expect, it } from "vitest";
import { callbacks, type History, init, layers, Sequential, type Tensor } from "../../ts/index.js";
import { BatchIndexer } from "../../ts/training/batch-indexer.js";
import { classifier, fitData as data, recorder } from "../helpers/fit-fixtures.js";
import { expectSameBits, rows, takeRows, weightBits } from "../helpers/model-fixtures.js";

beforeAll(async () => {
  await init();
});

describe("initialEpoch and History", () => {
  it("runs epochs initialEpoch..epochs-1 and numbers them that way; params as Keras", async () => {
    const model = classifier();
    const begun: number[] = [];
    const record = recorder();
    const history = await model.fit(data.x, data.y, {
      epochs: 5,
      initialEpoch: 3,
      batchSize: 16,
      verbose: 0,
      callbacks: [record.callback, new callbacks.LambdaCallback({ onEpochBegin: (epoch) => void begun.push(epoch) })],
    });
    expect(begun).toEqual([3, 4]);
    expect(history.epoch).toEqual([3, 4]);
    expect(history.history.loss).toHaveLength(2);
    // Keras's History.params: { verbose, epochs, steps }; 50 samples in batches of 16 → 4 steps.
    expect(history.params).toEqual({ epochs: 5, steps: 4, verbose: 0 });
    // initialEpoch ≥ epochs trains nothing and changes nothing.
    const before = weightBits(model);
    const none = await model.fit(data.x, data.y, { epochs: 2, initialEpoch: 2, verbose: 0 });
    expect(none.epoch).toEqual([]);
    expect(none.history).toEqual({});
    expectSameBits(weightBits(model), before);
    model.dispose();
  });

  it("calls onBatchBegin and onBatchEnd once per batch, with step numbers 0..steps-1 each epoch", async () => {
    const model = classifier();
    const events: string[] = [];
    const hooks = new callbacks.LambdaCallback({
      onEpochBegin: (epoch) => void events.push(`E${epoch}`),
      onBatchBegin: (step) => void events.push(`b${step}`),
      onBatchEnd: (step) => void events.push(`e${step}`),
    });
    await model.fit(data.x, data.y, { epochs: 2, batchSize: 20, verbose: 0, callbacks: [hooks] });
    expect(events).toEqual(["E0", "b0", "e0", "b1", "e1", "b2", "e2", "E1", "b0", "e0", "b1", "e1", "b2", "e2"]);
    events.length = 0;
    async function* three() {
      yield [rows(data.x, 0, 10), data.y.slice(0, 10)];
      yield [rows(data.x, 10, 20), data.y.slice(10, 20)];
      yield [rows(data.x, 20, 25), data.y.slice(20, 25)];
    }
    await model.fit(three(), { epochs: 1, verbose: 0, callbacks: [hooks] });
    expect(events).toEqual(["E0", "b0", "e0", "b1", "e1", "b2", "e2"]);
    model.dispose();
  });

  it("returns a History whose values are the epoch-end logs the callbacks saw", async () => {
    const model = classifier();
    const record = recorder();
    const history: History = await model.fit(data.x, data.y, { epochs: 3, verbose: 0, callbacks: [record.callback] });
    expect(history.history.loss).toEqual(record.logs.map((logs) => logs.loss));
    expect(history.history.accuracy).toEqual(record.logs.map((logs) => logs.accuracy));
    expect(history.model).toBe(model);
    model.dispose();
  });

  it("names metric keys by the string given in compile (Keras 3), with val_ twins", async () => {
    const model = new Sequential([new layers.Dense(1, { inputShape: [5] })]);
    model.compile({ optimizer: "sgd", loss: "mse", metrics: ["mae", "mean_squared_error", "rmse"] });
    const y = Array.from({ length: 50 }, (_, i) => [data.x.data[i * 5] - data.x.data[i * 5 + 1]]);
    const history = await model.fit(data.x, y, { epochs: 2, verbose: 0, validationSplit: 0.2 });
    expect(Object.keys(history.history).sort()).toEqual([
      "loss",
      "mae",
      "mean_squared_error",
      "rmse",
      "val_loss",
      "val_mae",
      "val_mean_squared_error",
      "val_rmse",
    ]);
    // The MSE metric of an unweighted MSE model equals its loss.
    expect(history.history.mean_squared_error[1]).toBeCloseTo(history.history.loss[1], 5);
    expect(history.history.val_mean_squared_error[1]).toBeCloseTo(history.history.val_loss[1], 5);
    expect(history.history.rmse[1]).toBeCloseTo(Math.sqrt(history.history.mean_squared_error[1]), 5);
    model.dispose();
  });
});

describe("batch order: shuffle and stepsPerEpoch", () => {
  /** Replays fit by hand with trainOnBatch over the given batches of sample indices. */
  async function replay(initial: Tensor[], batches: number[][]) {
    const model = classifier(initial);
    for (const batch of batches)
      model.trainOnBatch(
        takeRows(data.x, batch),
        batch.map((i) => data.y[i]),
      );
    const bits = weightBits(model);
    model.dispose();
    return bits;
  }
  const inOrder = (count: number, batchSize: number) =>
    Array.from({ length: Math.ceil(count / batchSize) }, (_, b) =>
      Array.from({ length: Math.min(batchSize, count - b * batchSize) }, (_, i) => b * batchSize + i),
    );

  it("shuffle: false trains on the batches in order (trainOnBatch replay gives the same bits)", async () => {
    const model = classifier();
    const initial = model.getWeights();
    await model.fit(data.x, data.y, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 });
    expectSameBits(weightBits(model), await replay(initial, [...inOrder(50, 16), ...inOrder(50, 16)]));
    model.dispose();
  });

  it("shuffle: true draws a fresh permutation each epoch from the seed; same seed, same bits", async () => {
    const model = classifier();
    const initial = model.getWeights();
    await model.fit(data.x, data.y, { epochs: 2, batchSize: 16, seed: 21, verbose: 0 });
    const indexer = new BatchIndexer(50, 16, { shuffle: true, seed: 21 });
    const batches: number[][] = [];
    for (let epoch = 0; epoch < 2; epoch++) {
      indexer.startEpoch(epoch);
      expect(Array.from(indexer.order).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      for (let b = 0; b < indexer.numBatches; b++) {
        batches.push(
          Array.from(indexer.order.subarray(indexer.batchStart(b), indexer.batchStart(b) + indexer.batchLength(b))),
        );
      }
    }
    expect(batches[0]).not.toEqual(batches[4]); // the two epochs' orders differ
    expectSameBits(weightBits(model), await replay(initial, batches));
    // The shuffled run differs from the ordered one, and another seed gives other weights.
    const ordered = classifier(initial);
    await ordered.fit(data.x, data.y, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 });
    expect(weightBits(ordered)).not.toEqual(weightBits(model));
    const otherSeed = classifier(initial);
    await otherSeed.fit(data.x, data.y, { epochs: 2, batchSize: 16, seed: 22, verbose: 0 });
    expect(weightBits(otherSeed)).not.toEqual(weightBits(model));
    for (const m of [model, ordered, otherSeed]) m.dispose();
  });

  it('shuffle: "batch" keeps each batch\'s samples together', async () => {
    const model = classifier();
    const seen: number[][] = [];
    const initial = model.getWeights();
    await model.fit(data.x, data.y, { epochs: 1, batchSize: 16, shuffle: "batch", seed: 5, verbose: 0 });
    const indexer = new BatchIndexer(50, 16, { shuffle: "batch", seed: 5 });
    indexer.startEpoch(0);
    for (let b = 0; b < indexer.numBatches; b++) {
      const batch = Array.from(
        indexer.order.subarray(indexer.batchStart(b), indexer.batchStart(b) + indexer.batchLength(b)),
      );
      expect([...batch].sort((p, q) => p - q)).toEqual(inOrder(50, 16)[b]);
      seen.push(batch);
    }
    expectSameBits(weightBits(model), await replay(initial, seen));
    model.dispose();
  });

  it("stepsPerEpoch on arrays continues through the data across epochs, as Keras's EpochIterator", async () => {
    // 40 samples in batches of 10 = 4 batches a pass; 3 steps an epoch. Keras keeps one iterator: epoch 0
    // takes batches 0-2, epoch 1 takes batch 3 and is cut short when the pass ends, epoch 2 starts a new pass.
    const x = rows(data.x, 0, 40);
    const y = data.y.slice(0, 40);
    const model = classifier();
    const initial = model.getWeights();
    const perEpoch: number[] = [];
    let count = 0;
    const history = await model.fit(x, y, {
      epochs: 3,
      batchSize: 10,
      stepsPerEpoch: 3,
      shuffle: false,
      verbose: 0,
      callbacks: [
        new callbacks.LambdaCallback({
          onBatchEnd: () => void count++,
          onEpochEnd: () => {
            perEpoch.push(count);
            count = 0;
          },
        }),
      ],
    });
    expect(perEpoch).toEqual([3, 1, 3]);
    expect(history.params!.steps).toBe(3);
    const batches = inOrder(40, 10);
    expectSameBits(
      weightBits(model),
      await replay(initial, [batches[0], batches[1], batches[2], batches[3], batches[0], batches[1], batches[2]]),
    );
    // More steps than batches: one pass per epoch.
    const long = classifier(initial);
    const perLongEpoch: number[] = [];
    await long.fit(x, y, {
      epochs: 2,
      batchSize: 10,
      stepsPerEpoch: 6,
      shuffle: false,
      verbose: 0,
      callbacks: [
        new callbacks.LambdaCallback({
          onBatchEnd: () => void count++,
          onEpochEnd: () => {
            perLongEpoch.push(count);
            count = 0;
          },
        }),
      ],
    });
    expect(perLongEpoch).toEqual([4, 4]);
    model.dispose();
    long.dispose();
  });
});

describe("fit on a data set (Keras's generator form)", () => {
  const batchesOf = (batchSize: number) => {
    const out: [Tensor, number[]][] = [];
    for (let start = 0; start < 50; start += batchSize)
      out.push([rows(data.x, start, Math.min(50, start + batchSize)), data.y.slice(start, start + batchSize)]);
    return out;
  };

  it("trains on an endless async generator with stepsPerEpoch, exactly as on the arrays in order", async () => {
    const model = classifier();
    const initial = model.getWeights();
    const batches = batchesOf(10);
    let pulled = 0;
    let closed = false;
    async function* endless() {
      try {
        for (let i = 0; ; i++) {
          pulled++;
          await Promise.resolve();
          yield batches[i % batches.length];
        }
      } finally {
        closed = true;
      }
    }
    const history = await model.fit(endless(), { epochs: 3, stepsPerEpoch: 5, verbose: 0 });
    expect(pulled).toBe(15);
    expect(closed).toBe(true); // fit lets the generator run its finally block
    expect(history.history.loss).toHaveLength(3);
    expect(history.params).toEqual({ epochs: 3, steps: 5, verbose: 0 });
    const reference = classifier(initial);
    const referenceHistory = await reference.fit(data.x, data.y, {
      epochs: 3,
      batchSize: 10,
      shuffle: false,
      verbose: 0,
    });
    expectSameBits(weightBits(model), weightBits(reference));
    expect(history.history.loss).toEqual(referenceHistory.history.loss);
    model.dispose();
    reference.dispose();
  });

  it("re-iterates an array of batches each epoch and learns its length", async () => {
    const model = classifier();
    const history = await model.fit(
      batchesOf(16).map(([x, y]) => ({ x, y })),
      { epochs: 2, verbose: 0 },
    );
    expect(history.history.loss).toHaveLength(2);
    expect(history.params!.steps).toBe(4);
    model.dispose();
  });

  it("stops training (with History so far) when a finite generator runs out before stepsPerEpoch × epochs", async () => {
    const model = classifier();
    const batches = batchesOf(10); // 5 batches in all
    function* finite() {
      yield* batches;
    }
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (message: string) => void warnings.push(String(message));
    try {
      const history = await model.fit(finite(), { epochs: 4, stepsPerEpoch: 2, verbose: 0 });
      // Epochs 0, 1 take two batches each, epoch 2 gets the last one and the source ends: Keras stops there.
      expect(history.epoch).toEqual([0, 1, 2]);
    } finally {
      console.warn = warn;
    }
    expect(warnings.some((message) => /ran out of data/.test(message))).toBe(true);
    model.dispose();
  });
});
