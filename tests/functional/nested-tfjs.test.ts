// Nested models against the real @tensorflow/tfjs: a tf.model holding a tf.sequential (applied once, and
// applied twice with shared weights) and a Functional model inside a Sequential one. Both directions of the
// TensorFlow.js Layers format predict the same (1e-5), and the nested model trains to the same weights as tfjs
// after 10 Adam steps (Keras 3's formula, tests/helpers/keras-optimizers-tfjs.ts) from the same initial weights on
// the same batches (trainOnBatch, no shuffling), to 1e-5 relative (tests/helpers/parity.ts's measure).
import type * as TfModule from "@tensorflow/tfjs";
import { beforeAll, describe, expect, test } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { Input, layers, loadModel, Model, optimizers, Sequential, type Tensor, tensor } from "../../ts/index.js";
import { loadModel as loadForInference } from "../../ts/infer.js";
import { kerasAdam } from "../helpers/keras-optimizers-tfjs.js";
import { PARITY_RTOL, setupParity, uniform, worstRelative } from "../helpers/parity.js";
import { loadTfjs, relativeMismatch, saveWithTfjs } from "../io/tfjs.js";

let tf: typeof TfModule;
beforeAll(async () => {
  await setupParity();
  tf = await loadTfjs();
});

const ROWS = 6;

interface Pair {
  densa: () => Model;
  tfjs: () => TfModule.LayersModel;
  inputs: number[];
}

/** The same structure on both sides, with the same layer names. */
const PAIRS: Record<string, Pair> = {
  "tf.model holding a tf.sequential": {
    inputs: [4],
    densa: () => {
      const inner = new Sequential(
        [
          new layers.Dense(5, { inputShape: [4], activation: "tanh", name: "in_a" }),
          new layers.Dense(3, { activation: "relu", name: "in_b" }),
        ],
        { name: "block" },
      );
      const x = Input({ shape: [4], name: "x" });
      return new Model({
        inputs: x,
        outputs: new layers.Dense(2, { activation: "softmax", name: "head" }).apply(inner.apply(x)),
        name: "outer",
      });
    },
    tfjs: () => {
      const inner = tf.sequential({
        name: "block",
        layers: [
          tf.layers.dense({ units: 5, inputShape: [4], activation: "tanh", name: "in_a" }),
          tf.layers.dense({ units: 3, activation: "relu", name: "in_b" }),
        ],
      });
      const x = tf.input({ shape: [4], name: "x" });
      return tf.model({
        inputs: x,
        outputs: tf.layers
          .dense({ units: 2, activation: "softmax", name: "head" })
          .apply(inner.apply(x) as TfModule.SymbolicTensor) as TfModule.SymbolicTensor,
        name: "outer",
      });
    },
  },
  "a tf.sequential applied to two inputs (shared weights)": {
    inputs: [3, 3],
    densa: () => {
      const inner = new Sequential(
        [
          new layers.Dense(4, { inputShape: [3], activation: "tanh", name: "tower_a" }),
          new layers.Dense(2, { name: "tower_b" }),
        ],
        { name: "tower" },
      );
      const a = Input({ shape: [3], name: "left" });
      const b = Input({ shape: [3], name: "right" });
      const joined = new layers.Concatenate({ name: "pair" }).apply([inner.apply(a), inner.apply(b)]);
      return new Model({
        inputs: [a, b],
        outputs: new layers.Dense(2, { activation: "softmax", name: "judge" }).apply(joined),
        name: "siamese",
      });
    },
    tfjs: () => {
      const inner = tf.sequential({
        name: "tower",
        layers: [
          tf.layers.dense({ units: 4, inputShape: [3], activation: "tanh", name: "tower_a" }),
          tf.layers.dense({ units: 2, name: "tower_b" }),
        ],
      });
      const a = tf.input({ shape: [3], name: "left" });
      const b = tf.input({ shape: [3], name: "right" });
      const joined = tf.layers
        .concatenate({ name: "pair" })
        .apply([inner.apply(a), inner.apply(b)] as TfModule.SymbolicTensor[]) as TfModule.SymbolicTensor;
      return tf.model({
        inputs: [a, b],
        outputs: tf.layers
          .dense({ units: 2, activation: "softmax", name: "judge" })
          .apply(joined) as TfModule.SymbolicTensor,
        name: "siamese",
      });
    },
  },
  "a Sequential model without an input shape, built when applied (tfjs declares it)": {
    inputs: [4],
    densa: () => {
      const inner = new Sequential([new layers.Dense(3, { activation: "tanh", name: "late_a" })], { name: "late" });
      const x = Input({ shape: [4], name: "late_x" });
      return new Model({
        inputs: x,
        outputs: new layers.Dense(2, { activation: "softmax", name: "late_head" }).apply(inner.apply(x)),
      });
    },
    tfjs: () => {
      const inner = tf.sequential({
        name: "late",
        layers: [tf.layers.dense({ units: 3, inputShape: [4], activation: "tanh", name: "late_a" })],
      });
      const x = tf.input({ shape: [4], name: "late_x" });
      return tf.model({
        inputs: x,
        outputs: tf.layers
          .dense({ units: 2, activation: "softmax", name: "late_head" })
          .apply(inner.apply(x) as TfModule.SymbolicTensor) as TfModule.SymbolicTensor,
      });
    },
  },
  "a tf.model inside a tf.sequential": {
    inputs: [4],
    densa: () => {
      const p = Input({ shape: [4], name: "p" });
      const inner = new Model({
        inputs: p,
        outputs: new layers.Dense(3, { activation: "tanh", name: "g_hidden" }).apply(p),
        name: "graph",
      });
      return new Sequential([inner, new layers.Dense(2, { activation: "softmax", name: "g_head" })], { name: "stack" });
    },
    tfjs: () => {
      const p = tf.input({ shape: [4], name: "p" });
      const inner = tf.model({
        inputs: p,
        outputs: tf.layers
          .dense({ units: 3, activation: "tanh", name: "g_hidden" })
          .apply(p) as TfModule.SymbolicTensor,
        name: "graph",
      });
      return tf.sequential({
        name: "stack",
        layers: [inner, tf.layers.dense({ units: 2, activation: "softmax", name: "g_head" })],
      });
    },
  },
};

function inputsFor(pair: Pair, seed: number): number[][][] {
  const random = uniform(seed);
  return pair.inputs.map((width) =>
    Array.from({ length: ROWS }, () => Array.from({ length: width }, () => 4 * random() - 2)),
  );
}

function densaPredict(
  model: { predict<R extends Tensor | Tensor[]>(x: Tensor | Tensor[]): R },
  x: number[][][],
): Float32Array {
  return model.predict<Tensor>(x.length === 1 ? tensor(x[0]) : x.map((part) => tensor(part))).data as Float32Array;
}

function tfPredict(model: TfModule.LayersModel, x: number[][][]): Float32Array {
  const inputs = x.map((part) => tf.tensor2d(part));
  const out = model.predict(inputs.length === 1 ? inputs[0] : inputs) as TfModule.Tensor;
  const values = Float32Array.from(out.dataSync());
  tf.dispose([...inputs, out]);
  return values;
}

/** Gives both models the same seeded initial weights, in Keras's order (tfjs's getWeights order is the same). */
function shareInitialWeights(densa: Model, tfjs: TfModule.LayersModel): void {
  const draw = uniform(5);
  const values = densa.getWeights().map((w) =>
    tensor(
      Float32Array.from({ length: w.size }, () => draw() - 0.5),
      [...w.shape],
    ),
  );
  densa.setWeights(values);
  const tfWeights = tfjs.getWeights();
  expect(tfWeights.map((w) => w.shape)).toEqual(values.map((w) => w.shape));
  tfjs.setWeights(values.map((w) => tf.tensor(w.data, [...w.shape])));
}

describe.each(Object.entries(PAIRS))("%s", (_name, pair) => {
  test("tfjs → densa: tfjs's save opens in densa (and densa/infer) as a nested model and predicts the same", async () => {
    const tfModel = pair.tfjs();
    const x = inputsFor(pair, 1);
    const expected = tfPredict(tfModel, x);
    const artifacts = await saveWithTfjs(tf, tfModel);
    tfModel.dispose();
    const loaded = await loadModel(artifacts as never);
    expect(loaded.layers.some((layer) => layer.className === "Sequential" || layer.className === "Functional")).toBe(
      true,
    );
    expect(relativeMismatch(densaPredict(loaded, x), expected, 1e-5, 2)).toBeNull();
    loaded.dispose();
    const inference = await loadForInference(artifacts as never);
    expect(relativeMismatch(densaPredict(inference, x), expected, 1e-5, 2)).toBeNull();
    inference.dispose();
  });

  test("densa → tfjs: densa's save opens in tf.loadLayersModel and predicts the same; and back into densa", async () => {
    const model = pair.densa();
    const x = inputsFor(pair, 2);
    const expected = densaPredict(model, x);
    const artifacts = await model.save();
    const tfModel = await tf.loadLayersModel(tf.io.fromMemory(artifacts as never));
    expect(relativeMismatch(tfPredict(tfModel, x), expected, 1e-5, 2)).toBeNull();
    tfModel.dispose();
    const again = await loadModel(artifacts);
    expect(Array.from(densaPredict(again, x))).toEqual(Array.from(expected));
    expect(again.getConfig()).toEqual(model.getConfig());
    again.dispose();
    model.dispose();
  });

  test("10 Adam steps train to the same weights as tfjs (1e-5)", async () => {
    const densa = pair.densa();
    const tfModel = pair.tfjs();
    shareInitialWeights(densa, tfModel);
    const initial = densa.getWeights();
    densa.compile({ optimizer: new optimizers.Adam({ learningRate: 0.01 }), loss: "categorical_crossentropy" });
    tfModel.compile({
      optimizer: kerasAdam({ learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }),
      loss: "categoricalCrossentropy",
    });
    const random = uniform(17);
    for (let step = 0; step < 10; step++) {
      const x = inputsFor(pair, 100 + step);
      const y = Array.from({ length: ROWS }, () => (random() < 0.5 ? [1, 0] : [0, 1]));
      const densaLoss = densa.trainOnBatch(
        x.length === 1 ? tensor(x[0]) : x.map((part) => tensor(part)),
        tensor(y),
      ).loss;
      const xs = x.map((part) => tf.tensor2d(part));
      const ys = tf.tensor2d(y);
      const tfLoss = (await tfModel.trainOnBatch(xs.length === 1 ? xs[0] : xs, ys)) as number;
      tf.dispose([...xs, ys]);
      expect(worstRelative([densaLoss], [tfLoss], 1e-2).error).toBeLessThanOrEqual(PARITY_RTOL);
    }
    const tfWeights = tfModel.getWeights().map((w) => w.dataSync() as Float32Array);
    const densaWeights = densa.getWeights();
    let moved = 0;
    densaWeights.forEach((weight, i) => {
      const scale = tfWeights[i].reduce((sum, v) => sum + Math.abs(v), 0) / tfWeights[i].length;
      const { error, index } = worstRelative(weight.data, tfWeights[i], scale);
      expect(
        error,
        `weight ${i} [${index}]: densa ${weight.data[index]} tfjs ${tfWeights[i][index]}`,
      ).toBeLessThanOrEqual(PARITY_RTOL);
      moved = Math.max(moved, ...Array.from(weight.data, (v, j) => Math.abs(v - initial[i].data[j])));
    });
    expect(moved).toBeGreaterThan(1e-3);
    densa.dispose();
    tfModel.dispose();
  });
});

describe("bad nested configs", () => {
  test("a nested layer of an unknown class is refused naming it, and leaves no memory behind", async () => {
    const tfModel = PAIRS["tf.model holding a tf.sequential"].tfjs();
    const artifacts = (await saveWithTfjs(tf, tfModel)) as { modelTopology: Record<string, unknown> };
    tfModel.dispose();
    const topology = JSON.parse(JSON.stringify(artifacts.modelTopology));
    const outerLayers = (topology.model_config ?? topology).config.layers as {
      class_name: string;
      config: { layers: { class_name: string }[] };
    }[];
    outerLayers.find((layer) => layer.class_name === "Sequential")!.config.layers[1].class_name = "Conv2D";
    const allocator = getEngine().allocator;
    const usage = [allocator.bytesInUse, allocator.liveBlocks];
    await expect(loadModel({ ...artifacts, modelTopology: topology } as never)).rejects.toThrow(/Conv2D/);
    expect([allocator.bytesInUse, allocator.liveBlocks]).toEqual(usage);
  });
});
