// One nested model in two outer models (Keras applies a model in several others, sharing its weights): a
// Siamese model that applies the tower twice and a one-input model that applies it once, trained in turns,
// against the same pair of tf.models in @tensorflow/tfjs (same initial weights, 10 Adam steps, 1e-5); predict,
// summary, configs and both file formats of each; and dispose — the last outer model frees the tower (allocator).
import type * as TfModule from "@tensorflow/tfjs";
import { beforeAll, describe, expect, test } from "vitest";
import { Input, layers, loadModel, Model, optimizers, Sequential, type Tensor, tensor } from "../../ts/index.js";
import { kerasAdam } from "../helpers/keras-optimizers-tfjs.js";
import { wasmUsage } from "../helpers/model-fixtures.js";
import { PARITY_RTOL, setupParity, uniform, worstRelative } from "../helpers/parity.js";
import { loadTfjs, relativeMismatch } from "../io/tfjs.js";

let tf: typeof TfModule;
beforeAll(async () => {
  await setupParity();
  tf = await loadTfjs();
});

const ROWS = 6;

/** The tower, the Siamese model (tower twice) and the one-input model (tower once), densa side. */
function densaModels() {
  const tower = new Sequential(
    [
      new layers.Dense(4, { inputShape: [3], activation: "tanh", name: "tower_a" }),
      new layers.Dense(2, { name: "tower_b" }),
    ],
    { name: "tower" },
  );
  const left = Input({ shape: [3], name: "left" });
  const right = Input({ shape: [3], name: "right" });
  const pair = new layers.Concatenate({ name: "pair" }).apply([tower.apply(left), tower.apply(right)]);
  const siamese = new Model({
    inputs: [left, right],
    outputs: new layers.Dense(2, { activation: "softmax", name: "judge" }).apply(pair),
    name: "siamese",
  });
  const solo = Input({ shape: [3], name: "solo" });
  const single = new Model({
    inputs: solo,
    outputs: new layers.Dense(2, { activation: "softmax", name: "solo_head" }).apply(tower.apply(solo)),
    name: "single",
  });
  return { tower, siamese, single };
}

function tfjsModels() {
  const tower = tf.sequential({
    name: "tower",
    layers: [
      tf.layers.dense({ units: 4, inputShape: [3], activation: "tanh", name: "tower_a" }),
      tf.layers.dense({ units: 2, name: "tower_b" }),
    ],
  });
  const apply = (layer: { apply(x: unknown): unknown }, x: unknown) => layer.apply(x) as TfModule.SymbolicTensor;
  const left = tf.input({ shape: [3], name: "left" });
  const right = tf.input({ shape: [3], name: "right" });
  const pair = apply(tf.layers.concatenate({ name: "pair" }), [apply(tower, left), apply(tower, right)]);
  const siamese = tf.model({
    inputs: [left, right],
    outputs: apply(tf.layers.dense({ units: 2, activation: "softmax", name: "judge" }), pair),
    name: "siamese",
  });
  const solo = tf.input({ shape: [3], name: "solo" });
  const single = tf.model({
    inputs: solo,
    outputs: apply(tf.layers.dense({ units: 2, activation: "softmax", name: "solo_head" }), apply(tower, solo)),
    name: "single",
  });
  return { tower, siamese, single };
}

function batch(seed: number, inputs: number): number[][][] {
  const random = uniform(seed);
  return Array.from({ length: inputs }, () =>
    Array.from({ length: ROWS }, () => Array.from({ length: 3 }, () => 4 * random() - 2)),
  );
}

const densaX = (x: number[][][]) => (x.length === 1 ? tensor(x[0]) : x.map((part) => tensor(part)));

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  const scale = Array.from(expected).reduce((sum, v) => sum + Math.abs(v), 0) / expected.length;
  const { error, index } = worstRelative(actual, expected, scale);
  expect(error, `${what} [${index}]: densa ${actual[index]} tfjs ${expected[index]}`).toBeLessThanOrEqual(PARITY_RTOL);
}

/** Seeded initial weights for both sides: the tower's, the judge's and the solo head's. */
function shareWeights(densa: ReturnType<typeof densaModels>, tfjs: ReturnType<typeof tfjsModels>): void {
  const draw = uniform(5);
  const values = (shapes: number[][]) =>
    shapes.map((shape) =>
      tensor(
        Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => draw() - 0.5),
        shape,
      ),
    );
  const siameseValues = values(densa.siamese.getWeights().map((w) => [...w.shape]));
  const headValues = values(
    densa.single
      .getWeights()
      .slice(4)
      .map((w) => [...w.shape]),
  );
  const singleValues = [...siameseValues.slice(0, 4), ...headValues];
  densa.siamese.setWeights(siameseValues);
  densa.single.setWeights(singleValues);
  const toTf = (list: Tensor[]) => list.map((w) => tf.tensor(w.data, [...w.shape]));
  tfjs.siamese.setWeights(toTf(siameseValues));
  tfjs.single.setWeights(toTf(singleValues));
}

describe("a tower shared by two outer models", () => {
  test("trained in turns (10 Adam steps, one optimizer each) to tfjs's weights; predict matches; the tower is one set of weights", async () => {
    const densa = densaModels();
    const tfjs = tfjsModels();
    shareWeights(densa, tfjs);
    const initial = densa.tower.getWeights();
    for (const model of [densa.siamese, densa.single])
      model.compile({ optimizer: new optimizers.Adam({ learningRate: 0.01 }), loss: "categorical_crossentropy" });
    for (const model of [tfjs.siamese, tfjs.single])
      model.compile({
        optimizer: kerasAdam({ learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }),
        loss: "categoricalCrossentropy",
      });
    const labels = uniform(17);
    for (let step = 0; step < 10; step++) {
      const siameseTurn = step % 3 !== 2;
      const x = batch(100 + step, siameseTurn ? 2 : 1);
      const y = Array.from({ length: ROWS }, () => (labels() < 0.5 ? [1, 0] : [0, 1]));
      const densaLoss = (siameseTurn ? densa.siamese : densa.single).trainOnBatch(densaX(x), tensor(y)).loss;
      const xs = x.map((part) => tf.tensor2d(part));
      const ys = tf.tensor2d(y);
      const tfLoss = (await (siameseTurn ? tfjs.siamese : tfjs.single).trainOnBatch(
        xs.length === 1 ? xs[0] : xs,
        ys,
      )) as number;
      tf.dispose([...xs, ys]);
      expect(worstRelative([densaLoss], [tfLoss], 1e-2).error, `loss at step ${step}`).toBeLessThanOrEqual(PARITY_RTOL);
    }
    for (const name of ["siamese", "single", "tower"] as const) {
      const tfWeights = tfjs[name].getWeights().map((w) => w.dataSync() as Float32Array);
      densa[name].getWeights().forEach((weight, i) => expectClose(weight.data, tfWeights[i], `${name} weight ${i}`));
    }
    // The tower moved (both models trained it) and both outer models see the very same values.
    const moved = densa.tower
      .getWeights()
      .map((w, i) => Math.max(...w.data.map((v, j) => Math.abs(v - initial[i].data[j]))));
    expect(Math.max(...moved)).toBeGreaterThan(1e-3);
    expect(densa.single.getWeights().slice(0, 4)).toEqual(densa.siamese.getWeights().slice(0, 4));
    const x = batch(7, 2);
    const tfSiamese = tfjs.siamese.predict(x.map((part) => tf.tensor2d(part))) as TfModule.Tensor;
    expectClose(densa.siamese.predict<Tensor>(densaX(x)).data, tfSiamese.dataSync(), "siamese predict");
    const tfSingle = tfjs.single.predict(tf.tensor2d(x[0])) as TfModule.Tensor;
    expectClose(densa.single.predict<Tensor>(densaX([x[0]])).data, tfSingle.dataSync(), "single predict");
    const tfTower = tfjs.tower.predict(tf.tensor2d(x[1])) as TfModule.Tensor;
    expectClose(densa.tower.predict(tensor(x[1])).data, tfTower.dataSync(), "tower predict");
    expect(densa.siamese.countParams()).toBe(tfjs.siamese.countParams());
    expect(densa.single.countParams()).toBe(tfjs.single.countParams());
    tfjs.siamese.dispose();
    tfjs.single.dispose();
    densa.siamese.dispose();
    densa.single.dispose();
  });

  test("each outer model's summary, config and TF.js / .keras files hold the tower; each reopens (densa and tfjs) predicting the same", async () => {
    const { siamese, single } = densaModels();
    const x = batch(9, 2);
    for (const [model, input] of [
      [siamese, x],
      [single, [x[0]]],
    ] as const) {
      const lines: string[] = [];
      model.summary((line) => lines.push(line));
      expect(lines.some((line) => /tower \(Sequential\)/.test(line) && /\b26\b/.test(line))).toBe(true);
      expect(lines.join("\n")).toContain(`Total params: ${model.countParams()}`);
      const expected = Array.from(model.predict<Tensor>(densaX(input as number[][][])).data);
      const rebuilt = Model.fromConfig(model.getConfig() as never);
      rebuilt.setWeights(model.getWeights());
      expect(rebuilt.getConfig()).toEqual(model.getConfig());
      expect(Array.from(rebuilt.predict<Tensor>(densaX(input as number[][][])).data)).toEqual(expected);
      rebuilt.dispose();
      const artifacts = await model.save();
      const tfModel = await tf.loadLayersModel(tf.io.fromMemory(artifacts as never));
      const tfInputs = (input as number[][][]).map((part) => tf.tensor2d(part));
      const tfOut = tfModel.predict(tfInputs.length === 1 ? tfInputs[0] : tfInputs) as TfModule.Tensor;
      expect(relativeMismatch(Float32Array.from(tfOut.dataSync()), Float32Array.from(expected), 1e-5, 2)).toBeNull();
      tfModel.dispose();
      for (const reopened of [await loadModel(artifacts), await loadModel(await model.toKeras())]) {
        expect(reopened.getLayer("tower").className).toBe("Sequential");
        expect(Array.from(reopened.predict<Tensor>(densaX(input as number[][][])).data)).toEqual(expected);
        reopened.dispose();
      }
    }
    siamese.dispose();
    single.dispose();
  });
});

describe("ownership of a shared nested model", () => {
  test("dispose of one outer model leaves the tower to the other; the last one frees everything (allocator back to its start)", async () => {
    const baseline = wasmUsage();
    const { tower, siamese, single } = densaModels();
    const outers = new Sequential([tower, new layers.Dense(1, { name: "stacked_head" })], { name: "stacked" });
    for (const model of [siamese, single]) model.compile({ optimizer: "adam", loss: "categorical_crossentropy" });
    const x = batch(3, 2);
    const y = tensor(Array.from({ length: ROWS }, (_, i) => (i % 2 ? [1, 0] : [0, 1])));
    await siamese.fit(densaX(x), y, { epochs: 2, batchSize: 3, verbose: 0 });
    await single.fit(tensor(x[0]), y, { epochs: 2, batchSize: 3, verbose: 0 });
    expect(() => tower.dispose()).toThrow(
      /dispose: the model "tower" is a layer of the models "siamese", "single", "stacked"; dispose those instead: the last of them to be disposed frees it/,
    );
    expect(() => tower.pop()).toThrow(/pop: the model "tower" is a layer of the models "siamese", "single", "stacked"/);
    siamese.dispose();
    outers.dispose();
    expect(tower.layers.some((layer) => layer.disposed)).toBe(false);
    const towerBefore = Array.from(tower.predict(tensor(x[1])).data);
    await single.fit(tensor(x[0]), y, { epochs: 1, batchSize: 3, verbose: 0 });
    expect(Array.from(tower.predict(tensor(x[1])).data)).not.toEqual(towerBefore);
    expect(() => tower.dispose()).toThrow(/is a layer of the model "single"; dispose "single" instead/);
    single.dispose();
    expect(tower.layers.every((layer) => layer.disposed)).toBe(true);
    expect(() => tower.predict(tensor(x[1]))).toThrow(/was disposed/);
    tower.dispose();
    expect(wasmUsage()).toEqual(baseline);
  });

  test("a failed outer constructor leaves the tower with its other holders; a plain layer still belongs to one model", () => {
    const { tower, siamese, single } = densaModels();
    const taken = new layers.Dense(1, { name: "taken" });
    const owner = new Sequential([new layers.Dense(2, { inputShape: [2] }), taken], { name: "owner" });
    expect(() => new Sequential([tower, taken])).toThrow(/layer "taken" belongs to the model "owner"/);
    siamese.dispose();
    // the failed Sequential held the tower for a moment only: "single" is its last holder now.
    expect(() => tower.dispose()).toThrow(/is a layer of the model "single";/);
    single.dispose();
    expect(tower.layers.every((layer) => layer.disposed)).toBe(true);
    owner.dispose();
  });
});
