// Keras's fit semantics on the real model (not a fake): validationSplit takes the LAST samples, history keys,
// EarlyStopping's restoreBestWeights, validationData / validationFreq / initialEpoch / stepsPerEpoch / shuffle,
// History.params. Each claim is checked against an independent computation — evaluate on weight snapshots
// taken by a LambdaCallback, or trainOnBatch replaying the batches by hand — and compared bit for bit where
// the same float32 operations run in the same order.
import { beforeAll, describe, expect, it } from "vitest";
import {
  callbacks,
  init,
  layers,
  optimizers,
  Sequential,
  tensor,
  type History,
  type Tensor,
} from "../../ts/index.js";
import { BatchIndexer } from "../../ts/data/batches.js";
import {
  expectSameBits,
  randomMatrix,
  rows,
  takeRows,
  toyClassification,
  weightBits,
} from "../helpers/model-fixtures.js";

beforeAll(async () => {
  await init();
});

/** A small classifier with fixed initial weights (copied from `initial` when given). */
function classifier(initial?: Tensor[], optimizer: optimizers.Optimizer | string = new optimizers.SGD({ learningRate: 0.1 })) {
  const model = new Sequential([
    new layers.Dense(8, { activation: "tanh", inputShape: [5] }),
    new layers.Dense(3, { activation: "softmax" }),
  ]);
  if (initial) model.setWeights(initial);
  model.compile({ optimizer, loss: "sparse_categorical_crossentropy", metrics: ["accuracy"] });
  return model;
}

/** A LambdaCallback that keeps a copy of the weights and of the logs at every epoch end. */
function recorder() {
  const weights: Tensor[][] = [];
  const logs: Record<string, number>[] = [];
  const epochs: number[] = [];
  const callback = new callbacks.LambdaCallback({
    onEpochEnd: (epoch, epochLogs) => {
      epochs.push(epoch);
      logs.push({ ...epochLogs });
      weights.push(callback.model!.getWeights());
    },
  });
  return { callback, weights, logs, epochs };
}

const data = toyClassification(50, 5, 3, 11);

describe("validationSplit", () => {
  it("holds out exactly the last samples; val metrics are evaluate() on them with that epoch's weights", async () => {
    const model = classifier();
    const initial = model.getWeights();
    const record = recorder();
    const history = await model.fit(data.x, data.y, {
      epochs: 3, batchSize: 8, validationSplit: 0.2, seed: 4, verbose: 0, callbacks: [record.callback],
    });
    // Keras's key names, one value per epoch.
    expect(Object.keys(history.history).sort()).toEqual(["accuracy", "loss", "val_accuracy", "val_loss"]);
    for (const key of Object.keys(history.history)) expect(history.history[key]).toHaveLength(3);
    expect(history.epoch).toEqual([0, 1, 2]);
    // split_at = floor(50 × 0.8) = 40: the validation set is samples 40..49.
    const xVal = rows(data.x, 40, 50);
    const yVal = data.y.slice(40);
    const probe = classifier(initial);
    for (let epoch = 0; epoch < 3; epoch++) {
      probe.setWeights(record.weights[epoch]);
      const scores = await probe.evaluate(xVal, yVal, { verbose: 0, batchSize: 8 });
      expect(scores.loss).toBe(history.history.val_loss[epoch]);
      expect(scores.accuracy).toBe(history.history.val_accuracy[epoch]);
      // The first samples would give something else (the check can fail).
      const wrong = await probe.evaluate(rows(data.x, 0, 10), data.y.slice(0, 10), { verbose: 0, batchSize: 8 });
      expect(wrong.loss).not.toBe(history.history.val_loss[epoch]);
    }
    // Training saw exactly samples 0..39: the same fit on them alone, without a split, gives the same bits.
    const reference = classifier(initial);
    const referenceHistory = await reference.fit(rows(data.x, 0, 40), data.y.slice(0, 40), { epochs: 3, batchSize: 8, seed: 4, verbose: 0 });
    expectSameBits(weightBits(model), weightBits(reference));
    expect(referenceHistory.history.loss).toEqual(history.history.loss);
    for (const m of [model, probe, reference]) m.dispose();
  });

  it("splits sample weights with the samples (validation loss weighted by the last weights)", async () => {
    const model = classifier();
    const initial = model.getWeights();
    const weights = Array.from({ length: 50 }, (_, i) => 0.5 + (i % 4));
    const record = recorder();
    const history = await model.fit(data.x, data.y, {
      epochs: 2, batchSize: 10, validationSplit: 0.3, sampleWeight: weights, seed: 2, verbose: 0, callbacks: [record.callback],
    });
    const probe = classifier(initial);
    probe.setWeights(record.weights[1]);
    const scores = await probe.evaluate(rows(data.x, 35, 50), data.y.slice(35), { verbose: 0, batchSize: 10, sampleWeight: weights.slice(35) });
    expect(scores.loss).toBe(history.history.val_loss[1]);
    model.dispose();
    probe.dispose();
  });
});

describe("validationData", () => {
  it("reports evaluate() on the given data with each epoch's weights, and overrides validationSplit", async () => {
    const model = classifier();
    const initial = model.getWeights();
    const validation = toyClassification(13, 5, 3, 99);
    const record = recorder();
    const history = await model.fit(data.x, data.y, {
      epochs: 3, batchSize: 16, seed: 8, verbose: 0, callbacks: [record.callback],
      validationData: [validation.x, validation.y], validationSplit: 0.5,
    });
    const probe = classifier(initial);
    for (let epoch = 0; epoch < 3; epoch++) {
      probe.setWeights(record.weights[epoch]);
      const scores = await probe.evaluate(validation.x, validation.y, { verbose: 0, batchSize: 16 });
      expect(history.history.val_loss[epoch]).toBe(scores.loss);
      expect(history.history.val_accuracy[epoch]).toBe(scores.accuracy);
    }
    // As in Keras, validationData wins: all 50 samples were trained on, none held out.
    const reference = classifier(initial);
    await reference.fit(data.x, data.y, { epochs: 3, batchSize: 16, seed: 8, verbose: 0 });
    expectSameBits(weightBits(model), weightBits(reference));
    for (const m of [model, probe, reference]) m.dispose();
  });

  it("accepts [x, y, sampleWeight] and { x, y } forms", async () => {
    const model = classifier();
    const validation = toyClassification(9, 5, 3, 5);
    const weights = [1, 2, 3, 0, 1, 2, 3, 0, 1];
    const record = recorder();
    const weighted = await model.fit(data.x, data.y, {
      epochs: 1, verbose: 0, seed: 1, callbacks: [record.callback], validationData: [validation.x, validation.y, weights],
    });
    const scores = await model.evaluate(validation.x, validation.y, { verbose: 0, sampleWeight: weights });
    expect(weighted.history.val_loss[0]).toBe(scores.loss);
    const plain = await model.fit(data.x, data.y, { epochs: 1, verbose: 0, validationData: { x: validation.x, y: validation.y } });
    expect(Object.keys(plain.history).sort()).toEqual(["accuracy", "loss", "val_accuracy", "val_loss"]);
    model.dispose();
  });
});

describe("validationFreq", () => {
  it("validates every N epochs (1-based), or on the listed epochs; val keys appear only then", async () => {
    const model = classifier();
    const validation = toyClassification(10, 5, 3, 7);
    const record = recorder();
    const history = await model.fit(data.x, data.y, {
      epochs: 5, verbose: 0, validationData: [validation.x, validation.y], validationFreq: 2, callbacks: [record.callback],
    });
    expect(history.history.loss).toHaveLength(5);
    expect(history.history.val_loss).toHaveLength(2);
    expect(record.logs.map((logs) => "val_loss" in logs)).toEqual([false, true, false, true, false]);
    expect(history.history.val_loss).toEqual([record.logs[1].val_loss, record.logs[3].val_loss]);

    const listed = recorder();
    await model.fit(data.x, data.y, {
      epochs: 5, verbose: 0, validationData: [validation.x, validation.y], validationFreq: [1, 4], callbacks: [listed.callback],
    });
    expect(listed.logs.map((logs) => "val_accuracy" in logs)).toEqual([true, false, false, true, false]);
    model.dispose();
  });
});

describe("initialEpoch and History", () => {
  it("runs epochs initialEpoch..epochs-1 and numbers them that way; params as Keras", async () => {
    const model = classifier();
    const begun: number[] = [];
    const record = recorder();
    const history = await model.fit(data.x, data.y, {
      epochs: 5, initialEpoch: 3, batchSize: 16, verbose: 0,
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
    expect(Object.keys(history.history).sort()).toEqual(
      ["loss", "mae", "mean_squared_error", "rmse", "val_loss", "val_mae", "val_mean_squared_error", "val_rmse"],
    );
    // The MSE metric of an unweighted MSE model equals its loss.
    expect(history.history.mean_squared_error[1]).toBeCloseTo(history.history.loss[1], 5);
    expect(history.history.val_mean_squared_error[1]).toBeCloseTo(history.history.val_loss[1], 5);
    expect(history.history.rmse[1]).toBeCloseTo(Math.sqrt(history.history.mean_squared_error[1]), 5);
    model.dispose();
  });
});

describe("evaluate's callbacks and steps; test hooks during fit's validation", () => {
  it("evaluate runs onTestBegin, onTestBatchBegin/End per batch and onTestEnd with the results", async () => {
    const model = classifier();
    const events: string[] = [];
    let endLogs: Record<string, number> = {};
    const hooks = new callbacks.LambdaCallback({
      onTestBegin: () => void events.push("begin"),
      onTestBatchBegin: (batch) => void events.push(`b${batch}`),
      onTestBatchEnd: (batch, logs) => void events.push(`e${batch}:${Object.keys(logs).sort().join(",")}`),
      onTestEnd: (logs) => {
        events.push("end");
        endLogs = { ...logs };
      },
    });
    const scores = await model.evaluate(data.x, data.y, { batchSize: 20, verbose: 0, callbacks: [hooks] });
    expect(events).toEqual(["begin", "b0", "e0:accuracy,loss", "b1", "e1:accuracy,loss", "b2", "e2:accuracy,loss", "end"]);
    expect(endLogs).toEqual(scores);
    // steps: only the first batches count.
    const firstTwo = await model.evaluate(data.x, data.y, { batchSize: 20, verbose: 0, steps: 2 });
    const direct = await model.evaluate(rows(data.x, 0, 40), data.y.slice(0, 40), { batchSize: 20, verbose: 0 });
    expect(firstTwo).toEqual(direct);
    model.dispose();
  });

  it("fit's callbacks see onTestBegin / onTestEnd for each validation, with the val results", async () => {
    const model = classifier();
    const events: string[] = [];
    const validation = toyClassification(10, 5, 3, 4);
    const history = await model.fit(data.x, data.y, {
      epochs: 3, batchSize: 25, verbose: 0, validationData: [validation.x, validation.y], validationFreq: 2,
      callbacks: [new callbacks.LambdaCallback({
        onEpochEnd: (epoch) => void events.push(`epoch ${epoch}`),
        onTestBegin: () => void events.push("test begin"),
        onTestEnd: (logs) => void events.push(`test end ${logs.loss}`),
      })],
    });
    expect(events).toEqual(["epoch 0", "test begin", `test end ${history.history.val_loss[0]}`, "epoch 1", "epoch 2"]);
    model.dispose();
  });
});

describe("EarlyStopping({ restoreBestWeights: true })", () => {
  // One weight, w ← w − lr·∂MSE/∂w on targets 2x: w climbs 0 → 2. The validation targets are 1·x, so the
  // validation loss falls while w nears 1 and rises after: the best epoch lies in the middle of the run.
  const x = randomMatrix(32, 1, 3);
  const trainY = tensor(x.data.map((value) => 2 * value), [32, 1]);
  const valY = tensor(x.data.map((value) => value), [32, 1]);
  const line = () => {
    const model = new Sequential([new layers.Dense(1, { useBias: false, kernelInitializer: "zeros", inputShape: [1] })]);
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.6 }), loss: "mse" });
    return model;
  };

  it("ends with the best epoch's weights (a snapshot taken at that epoch), after stopping early", async () => {
    const model = line();
    const record = recorder();
    const stopper = new callbacks.EarlyStopping({ monitor: "val_loss", patience: 2, restoreBestWeights: true });
    const history = await model.fit(x, trainY, {
      epochs: 30, batchSize: 32, shuffle: false, verbose: 0, validationData: [x, valY], callbacks: [record.callback, stopper],
    });
    const valLoss = history.history.val_loss;
    const best = valLoss.indexOf(Math.min(...valLoss));
    expect(best).toBeGreaterThan(0);
    // It stopped `patience` epochs after the best one, well before epoch 30.
    expect(history.epoch).toHaveLength(best + 3);
    expect(stopper.stoppedEpoch).toBe(best + 2);
    expect(stopper.bestEpoch).toBe(best);
    // The last epoch's weights differ from the best ones, and the model ends with the best ones.
    expect(record.weights[record.weights.length - 1][0].data[0]).not.toBe(record.weights[best][0].data[0]);
    expect(Array.from(model.getWeights()[0].data)).toEqual(Array.from(record.weights[best][0].data));
    // evaluate now gives exactly the best epoch's validation loss.
    expect((await model.evaluate(x, valY, { verbose: 0, batchSize: 32 })).loss).toBe(valLoss[best]);
    model.dispose();
  });

  it("without restoreBestWeights keeps the last epoch's weights", async () => {
    const model = line();
    const record = recorder();
    const stopper = new callbacks.EarlyStopping({ monitor: "val_loss", patience: 2 });
    await model.fit(x, trainY, { epochs: 30, batchSize: 32, shuffle: false, verbose: 0, validationData: [x, valY], callbacks: [record.callback, stopper] });
    expect(Array.from(model.getWeights()[0].data)).toEqual(Array.from(record.weights[record.weights.length - 1][0].data));
    model.dispose();
  });

  it("restores the best val_accuracy epoch (mode auto = max) on a classifier", async () => {
    const model = classifier(undefined, new optimizers.SGD({ learningRate: 2 }));
    const record = recorder();
    const stopper = new callbacks.EarlyStopping({ monitor: "val_accuracy", patience: 3, restoreBestWeights: true });
    const history = await model.fit(data.x, data.y, {
      epochs: 12, batchSize: 5, seed: 3, verbose: 0, validationSplit: 0.4, callbacks: [record.callback, stopper],
    });
    const accuracies = history.history.val_accuracy;
    const best = accuracies.indexOf(Math.max(...accuracies)); // first occurrence: later ties are no improvement
    expectSameBits(weightBits(model), (() => {
      const probe = classifier(record.weights[best]);
      const bits = weightBits(probe);
      probe.dispose();
      return bits;
    })());
    model.dispose();
  });
});

describe("batch order: shuffle and stepsPerEpoch", () => {
  /** Replays fit by hand with trainOnBatch over the given batches of sample indices. */
  async function replay(initial: Tensor[], batches: number[][]) {
    const model = classifier(initial);
    for (const batch of batches) model.trainOnBatch(takeRows(data.x, batch), batch.map((i) => data.y[i]));
    const bits = weightBits(model);
    model.dispose();
    return bits;
  }
  const inOrder = (count: number, batchSize: number) =>
    Array.from({ length: Math.ceil(count / batchSize) }, (_, b) =>
      Array.from({ length: Math.min(batchSize, count - b * batchSize) }, (_, i) => b * batchSize + i));

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
        batches.push(Array.from(indexer.order.subarray(indexer.batchStart(b), indexer.batchStart(b) + indexer.batchLength(b))));
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
      const batch = Array.from(indexer.order.subarray(indexer.batchStart(b), indexer.batchStart(b) + indexer.batchLength(b)));
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
      epochs: 3, batchSize: 10, stepsPerEpoch: 3, shuffle: false, verbose: 0,
      callbacks: [new callbacks.LambdaCallback({
        onBatchEnd: () => void count++,
        onEpochEnd: () => { perEpoch.push(count); count = 0; },
      })],
    });
    expect(perEpoch).toEqual([3, 1, 3]);
    expect(history.params!.steps).toBe(3);
    const batches = inOrder(40, 10);
    expectSameBits(weightBits(model), await replay(initial, [batches[0], batches[1], batches[2], batches[3], batches[0], batches[1], batches[2]]));
    // More steps than batches: one pass per epoch.
    const long = classifier(initial);
    const perLongEpoch: number[] = [];
    await long.fit(x, y, {
      epochs: 2, batchSize: 10, stepsPerEpoch: 6, shuffle: false, verbose: 0,
      callbacks: [new callbacks.LambdaCallback({ onBatchEnd: () => void count++, onEpochEnd: () => { perLongEpoch.push(count); count = 0; } })],
    });
    expect(perLongEpoch).toEqual([4, 4]);
    model.dispose();
    long.dispose();
  });
});

describe("fit on a data set (Keras's generator form)", () => {
  const batchesOf = (batchSize: number) => {
    const out: [Tensor, number[]][] = [];
    for (let start = 0; start < 50; start += batchSize) out.push([rows(data.x, start, Math.min(50, start + batchSize)), data.y.slice(start, start + batchSize)]);
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
    const referenceHistory = await reference.fit(data.x, data.y, { epochs: 3, batchSize: 10, shuffle: false, verbose: 0 });
    expectSameBits(weightBits(model), weightBits(reference));
    expect(history.history.loss).toEqual(referenceHistory.history.loss);
    model.dispose();
    reference.dispose();
  });

  it("re-iterates an array of batches each epoch and learns its length", async () => {
    const model = classifier();
    const history = await model.fit(batchesOf(16).map(([x, y]) => ({ x, y })), { epochs: 2, verbose: 0 });
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
