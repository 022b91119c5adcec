// classWeight and sampleWeight weight the loss as Keras 3 does: the loss of a batch is Σ wᵢ·lᵢ / n
// ("sum_over_batch_size", n = batch size, NOT Σ wᵢ), its gradient is the gradient of that, and a class weight is
// exactly the sample weight of the sample's class. Compiled metrics (`metrics: [...]`) stay unweighted: Keras 3
// passes sample weights only to `weighted_metrics` (trainers/compile_utils.py, CompileMetrics.update_state).
// Everything is checked against float64 formulas written here, on predictions read back with predict().
import { beforeAll, describe, expect, it } from "vitest";
import { callbacks, init, layers, optimizers, Sequential, setRandomSeed, type Tensor, tensor } from "../../ts/index.js";
import { expectSameBits, randomMatrix, toyClassification, weightBits } from "../helpers/model-fixtures.js";

beforeAll(async () => {
  await init();
});

const EPSILON = 1e-7; // Keras's backend.epsilon(), the clip of probabilities in cross-entropies

const x = randomMatrix(12, 3, 41);
const labels = [0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0];
const y = labels.map((label) => [label]);
const classWeight = { 0: 1, 1: 4 };
const equivalentWeights = labels.map((label) => (label === 1 ? 4 : 1));

/** Dense(1, sigmoid) + binary cross-entropy + plain SGD, from given initial weights. */
function logistic(initial?: Tensor[], learningRate = 0.5) {
  // NOTE: a fixed seed, so that every run starts from the same weights (some checks need mixed predictions).
  if (!initial) setRandomSeed(7);
  const model = new Sequential([new layers.Dense(1, { activation: "sigmoid", inputShape: [3] })]);
  if (initial) model.setWeights(initial);
  model.compile({
    optimizer: new optimizers.SGD({ learningRate }),
    loss: "binary_crossentropy",
    metrics: ["accuracy"],
  });
  return model;
}

function bce(p: number, target: number): number {
  const q = Math.min(Math.max(p, EPSILON), 1 - EPSILON);
  return -(target * Math.log(q) + (1 - target) * Math.log(1 - q));
}

describe("classWeight { 0: 1, 1: 4 } and the equivalent sampleWeight", () => {
  it("give the same loss and the same update, bit for bit (trainOnBatch)", () => {
    const a = logistic();
    const initial = a.getWeights();
    const b = logistic(initial);
    const logsA = a.trainOnBatch(x, y, { classWeight });
    const logsB = b.trainOnBatch(x, y, { sampleWeight: equivalentWeights });
    expect(logsA.loss).toBe(logsB.loss);
    expectSameBits(weightBits(a), weightBits(b));
    // …and differ from the unweighted step (the weights matter).
    const c = logistic(initial);
    const logsC = c.trainOnBatch(x, y);
    expect(logsC.loss).not.toBe(logsA.loss);
    expect(weightBits(c)).not.toEqual(weightBits(a));
    for (const m of [a, b, c]) m.dispose();
  });

  it("give the same training in fit (one epoch, batches in order)", async () => {
    const a = logistic();
    const initial = a.getWeights();
    const b = logistic(initial);
    const historyA = await a.fit(x, y, { epochs: 3, batchSize: 5, shuffle: false, verbose: 0, classWeight });
    const historyB = await b.fit(x, y, {
      epochs: 3,
      batchSize: 5,
      shuffle: false,
      verbose: 0,
      sampleWeight: equivalentWeights,
    });
    expect(historyA.history.loss).toEqual(historyB.history.loss);
    expectSameBits(weightBits(a), weightBits(b));
    a.dispose();
    b.dispose();
  });

  it("weight the loss as Σ wᵢ·lᵢ / n and the gradient as its derivative (hand-computed in float64)", () => {
    const model = logistic(undefined, 0.5);
    const [kernelBefore, biasBefore] = model.getWeights().map((weight) => Float64Array.from(weight.data));
    const p = model.predict(x).data;
    const n = labels.length;
    let weightedLoss = 0;
    let weightSum = 0;
    const kernelGrad = new Float64Array(3);
    let biasGrad = 0;
    for (let i = 0; i < n; i++) {
      const w = equivalentWeights[i];
      weightedLoss += w * bce(p[i], labels[i]);
      weightSum += w;
      // d(bce ∘ sigmoid)/dz = p − y
      for (let j = 0; j < 3; j++) kernelGrad[j] += (w * (p[i] - labels[i]) * x.data[i * 3 + j]) / n;
      biasGrad += (w * (p[i] - labels[i])) / n;
    }
    const logs = model.trainOnBatch(x, y, { classWeight });
    expect(logs.loss).toBeCloseTo(weightedLoss / n, 5);
    // Keras divides by the batch size, not by the total weight (which would be 2.25× smaller here).
    expect(Math.abs(logs.loss - weightedLoss / weightSum)).toBeGreaterThan(0.1);
    const [kernelAfter, biasAfter] = model.getWeights();
    for (let j = 0; j < 3; j++) expect((kernelBefore[j] - kernelAfter.data[j]) / 0.5).toBeCloseTo(kernelGrad[j], 4);
    expect((biasBefore[0] - biasAfter.data[0]) / 0.5).toBeCloseTo(biasGrad, 4);
    model.dispose();
  });

  it("leave the compiled accuracy unweighted, as Keras 3's metrics (not weighted_metrics)", () => {
    const model = logistic();
    const p = model.predict(x).data;
    const correct = labels.map((label, i) => ((p[i] > 0.5 ? 1 : 0) === label ? 1 : 0));
    const weights = labels.map((_, i) => (i % 3 === 0 ? 0 : i));
    const unweighted = correct.reduce((sum: number, hit) => sum + hit, 0) / labels.length;
    const weighted =
      correct.reduce((sum: number, hit, i) => sum + hit * weights[i], 0) / weights.reduce((sum, w) => sum + w, 0);
    expect(Math.abs(weighted - unweighted)).toBeGreaterThan(0.01); // the check can tell the two apart
    const logs = model.trainOnBatch(x, y, { sampleWeight: weights });
    expect(logs.accuracy).toBeCloseTo(unweighted, 10);
    model.dispose();
  });
});

describe("classWeight and validation", () => {
  it("weights only the training loss: val_loss is the plain loss of the held-out samples", async () => {
    const data = toyClassification(40, 3, 2, 12);
    const model = logistic();
    const labels01 = data.y.map((label) => [label === 0 ? 0 : 1]);
    const seen: Tensor[][] = [];
    const history = await model.fit(data.x, labels01, {
      epochs: 2,
      batchSize: 8,
      validationSplit: 0.25,
      classWeight: { 0: 1, 1: 10 },
      verbose: 0,
      seed: 1,
      callbacks: [new callbacks.LambdaCallback({ onEpochEnd: () => void seen.push(model.getWeights()) })],
    });
    const probe = logistic(seen[1]);
    const plain = await probe.evaluate(tensor(data.x.data.slice(30 * 3), [10, 3]), labels01.slice(30), {
      verbose: 0,
      batchSize: 8,
    });
    expect(history.history.val_loss[1]).toBe(plain.loss);
    model.dispose();
    probe.dispose();
  });
});

describe("sparse labels, one-hot targets and classWeight", () => {
  it("read the class of a one-hot row by its argmax: the same weighted loss as integer labels", () => {
    const data = toyClassification(20, 4, 3, 8);
    const oneHot = data.y.map((label) => [0, 1, 2].map((c) => (c === label ? 1 : 0)));
    const weights = { 0: 0.5, 1: 3, 2: 1.5 };
    const sparse = new Sequential([new layers.Dense(3, { activation: "softmax", inputShape: [4] })]);
    sparse.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: "sparse_categorical_crossentropy" });
    const dense = new Sequential([new layers.Dense(3, { activation: "softmax", inputShape: [4] })]);
    dense.setWeights(sparse.getWeights());
    dense.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: "categorical_crossentropy" });
    const probabilities = sparse.predict(data.x).data;
    let expected = 0;
    data.y.forEach((label, i) => {
      const q = Math.min(Math.max(probabilities[i * 3 + label], EPSILON), 1 - EPSILON);
      expected += weights[label as 0 | 1 | 2] * -Math.log(q);
    });
    const sparseLoss = sparse.trainOnBatch(data.x, data.y, { classWeight: weights }).loss;
    const denseLoss = dense.trainOnBatch(data.x, oneHot, { classWeight: weights }).loss;
    expect(sparseLoss).toBeCloseTo(expected / 20, 5);
    expect(denseLoss).toBeCloseTo(expected / 20, 5);
    // The two steps move the weights the same way (the fused softmax gradients agree to float32 rounding).
    const a = sparse.getWeights()[0].data;
    const b = dense.getWeights()[0].data;
    a.forEach((value, i) => expect(value).toBeCloseTo(b[i], 6));
    sparse.dispose();
    dense.dispose();
  });
});

describe("evaluate with sampleWeight", () => {
  it("weights the loss over the whole set as Σ wᵢ·lᵢ / n in any batch size; accuracy stays unweighted", async () => {
    const model = logistic();
    const p = model.predict(x).data;
    const weights = [0, 1, 2, 3, 0.5, 1, 2, 3, 0, 1, 2, 3];
    let weighted = 0;
    labels.forEach((label, i) => (weighted += weights[i] * bce(p[i], label)));
    const hits = labels.filter((label, i) => (p[i] > 0.5 ? 1 : 0) === label).length;
    for (const batchSize of [12, 5, 1]) {
      const scores = await model.evaluate(x, y, { verbose: 0, sampleWeight: weights, batchSize });
      expect(scores.loss).toBeCloseTo(weighted / labels.length, 5);
      expect(scores.accuracy).toBeCloseTo(hits / labels.length, 10);
    }
    model.dispose();
  });

  it("a zero weight removes a sample's loss but it still counts in n", async () => {
    const model = logistic();
    const p = model.predict(x).data;
    const weights = labels.map((_, i) => (i === 3 ? 0 : 1));
    let kept = 0;
    labels.forEach((label, i) => (kept += i === 3 ? 0 : bce(p[i], label)));
    const scores = await model.evaluate(x, y, { verbose: 0, sampleWeight: weights });
    expect(scores.loss).toBeCloseTo(kept / 12, 5);
    // Dropping the sample instead divides by 11: a different number.
    const dropped = await model.evaluate(
      tensor(
        x.data.filter((_, k) => Math.floor(k / 3) !== 3),
        [11, 3],
      ),
      y.filter((_, i) => i !== 3),
      { verbose: 0 },
    );
    expect(dropped.loss).toBeCloseTo(kept / 11, 5);
    model.dispose();
  });
});
