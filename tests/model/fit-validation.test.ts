// Keras's validation semantics in fit, on the real model: validationSplit holds out the LAST samples (with their
// weights), validationData overrides it, validationFreq picks the epochs, evaluate's and validation's test hooks,
// and EarlyStopping's restoreBestWeights. Each claim is checked against an independent computation: evaluate()
// on weight snapshots a LambdaCallback took at each epoch end, compared exactly (the same float32 operations run
// in the same order).
import { beforeAll, describe, expect, it } from "vitest";
import { callbacks, init, layers, optimizers, Sequential, tensor } from "../../ts/index.js";
import { classifier, fitData as data, recorder } from "../helpers/fit-fixtures.js";
import { expectSameBits, randomMatrix, rows, toyClassification, weightBits } from "../helpers/model-fixtures.js";

beforeAll(async () => {
  await init();
});

describe("validationSplit", () => {
  it("holds out exactly the last samples; val metrics are evaluate() on them with that epoch's weights", async () => {
    const model = classifier();
    const initial = model.getWeights();
    const record = recorder();
    const history = await model.fit(data.x, data.y, {
      epochs: 3,
      batchSize: 8,
      validationSplit: 0.2,
      seed: 4,
      verbose: 0,
      callbacks: [record.callback],
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
    const referenceHistory = await reference.fit(rows(data.x, 0, 40), data.y.slice(0, 40), {
      epochs: 3,
      batchSize: 8,
      seed: 4,
      verbose: 0,
    });
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
      epochs: 2,
      batchSize: 10,
      validationSplit: 0.3,
      sampleWeight: weights,
      seed: 2,
      verbose: 0,
      callbacks: [record.callback],
    });
    const probe = classifier(initial);
    probe.setWeights(record.weights[1]);
    const scores = await probe.evaluate(rows(data.x, 35, 50), data.y.slice(35), {
      verbose: 0,
      batchSize: 10,
      sampleWeight: weights.slice(35),
    });
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
      epochs: 3,
      batchSize: 16,
      seed: 8,
      verbose: 0,
      callbacks: [record.callback],
      validationData: [validation.x, validation.y],
      validationSplit: 0.5,
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
      epochs: 1,
      verbose: 0,
      seed: 1,
      callbacks: [record.callback],
      validationData: [validation.x, validation.y, weights],
    });
    const scores = await model.evaluate(validation.x, validation.y, { verbose: 0, sampleWeight: weights });
    expect(weighted.history.val_loss[0]).toBe(scores.loss);
    const plain = await model.fit(data.x, data.y, {
      epochs: 1,
      verbose: 0,
      validationData: { x: validation.x, y: validation.y },
    });
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
      epochs: 5,
      verbose: 0,
      validationData: [validation.x, validation.y],
      validationFreq: 2,
      callbacks: [record.callback],
    });
    expect(history.history.loss).toHaveLength(5);
    expect(history.history.val_loss).toHaveLength(2);
    expect(record.logs.map((logs) => "val_loss" in logs)).toEqual([false, true, false, true, false]);
    expect(history.history.val_loss).toEqual([record.logs[1].val_loss, record.logs[3].val_loss]);

    const listed = recorder();
    await model.fit(data.x, data.y, {
      epochs: 5,
      verbose: 0,
      validationData: [validation.x, validation.y],
      validationFreq: [1, 4],
      callbacks: [listed.callback],
    });
    expect(listed.logs.map((logs) => "val_accuracy" in logs)).toEqual([true, false, false, true, false]);
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
    expect(events).toEqual([
      "begin",
      "b0",
      "e0:accuracy,loss",
      "b1",
      "e1:accuracy,loss",
      "b2",
      "e2:accuracy,loss",
      "end",
    ]);
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
      epochs: 3,
      batchSize: 25,
      verbose: 0,
      validationData: [validation.x, validation.y],
      validationFreq: 2,
      callbacks: [
        new callbacks.LambdaCallback({
          onEpochEnd: (epoch) => void events.push(`epoch ${epoch}`),
          onTestBegin: () => void events.push("test begin"),
          onTestEnd: (logs) => void events.push(`test end ${logs.loss}`),
        }),
      ],
    });
    expect(events).toEqual(["epoch 0", "test begin", `test end ${history.history.val_loss[0]}`, "epoch 1", "epoch 2"]);
    model.dispose();
  });
});

describe("EarlyStopping({ restoreBestWeights: true })", () => {
  // One weight, w ← w − lr·∂MSE/∂w on targets 2x: w climbs 0 → 2. The validation targets are 1·x, so the
  // validation loss falls while w nears 1 and rises after: the best epoch lies in the middle of the run.
  const x = randomMatrix(32, 1, 3);
  const trainY = tensor(
    x.data.map((value) => 2 * value),
    [32, 1],
  );
  const valY = tensor(
    x.data.map((value) => value),
    [32, 1],
  );
  const line = () => {
    const model = new Sequential([
      new layers.Dense(1, { useBias: false, kernelInitializer: "zeros", inputShape: [1] }),
    ]);
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.6 }), loss: "mse" });
    return model;
  };

  it("ends with the best epoch's weights (a snapshot taken at that epoch), after stopping early", async () => {
    const model = line();
    const record = recorder();
    const stopper = new callbacks.EarlyStopping({ monitor: "val_loss", patience: 2, restoreBestWeights: true });
    const history = await model.fit(x, trainY, {
      epochs: 30,
      batchSize: 32,
      shuffle: false,
      verbose: 0,
      validationData: [x, valY],
      callbacks: [record.callback, stopper],
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
    await model.fit(x, trainY, {
      epochs: 30,
      batchSize: 32,
      shuffle: false,
      verbose: 0,
      validationData: [x, valY],
      callbacks: [record.callback, stopper],
    });
    expect(Array.from(model.getWeights()[0].data)).toEqual(
      Array.from(record.weights[record.weights.length - 1][0].data),
    );
    model.dispose();
  });

  it("restores the best val_accuracy epoch (mode auto = max) on a classifier", async () => {
    const model = classifier(undefined, new optimizers.SGD({ learningRate: 2 }));
    const record = recorder();
    const stopper = new callbacks.EarlyStopping({ monitor: "val_accuracy", patience: 3, restoreBestWeights: true });
    const history = await model.fit(data.x, data.y, {
      epochs: 12,
      batchSize: 5,
      seed: 3,
      verbose: 0,
      validationSplit: 0.4,
      callbacks: [record.callback, stopper],
    });
    const accuracies = history.history.val_accuracy;
    const best = accuracies.indexOf(Math.max(...accuracies)); // first occurrence: later ties are no improvement
    expectSameBits(
      weightBits(model),
      (() => {
        const probe = classifier(record.weights[best]);
        const bits = weightBits(probe);
        probe.dispose();
        return bits;
      })(),
    );
    model.dispose();
  });
});
