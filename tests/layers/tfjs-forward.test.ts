// The new single-input layers against @tensorflow/tfjs (tf.layers.*): a tfjs Sequential with the layer (seeded
// weights) is saved through tfjs's own io, opened with densa's loadModel, and both predict the same inputs; outputs
// agree to 1e-5 relative to each sample's scale. This checks the forward, the Layers-format config names and the
// weight order together. Layers tfjs lacks (Identity, UnitNormalization, ActivityRegularization) are in
// keras-formulas.test.ts against Keras 3's formulas, and so is BatchNormalization over an inner axis: tfjs 4.22's
// inference broadcasts γ, β and the moving statistics along the wrong axis there (its output for axis 1 of [3, 5]
// samples cycles γ over the last axis).

import type * as TfModule from "@tensorflow/tfjs";
import { beforeAll, describe, expect, test } from "vitest";
import { init, loadModel, tensor } from "../../ts/index.js";
import { loadModel as loadForInference } from "../../ts/infer.js";
import { randomArray } from "../helpers/wasm.js";
import { loadTfjs, relativeMismatch, saveWithTfjs } from "../io/tfjs.js";

let tf: typeof TfModule;
beforeAll(async () => {
  await init();
  tf = await loadTfjs();
});

const ROWS = 13;

interface Case {
  name: string;
  inputShape: number[];
  layers: () => TfModule.layers.Layer[];
  /** The densa class names expected after loading (InputLayer aside). */
  classes: string[];
  input?: (count: number) => Float32Array;
}

/** Replaces every weight of a tfjs model with seeded values (variances kept positive). */
function seedWeights(model: TfModule.Sequential, seed: number): void {
  model.setWeights(
    model.getWeights().map((weight, i) => {
      const positive = model.weights[i].name.includes("variance");
      const values = randomArray(weight.size, seed + i, positive ? 0.2 : -1, positive ? 2 : 1);
      return tf.tensor(values, weight.shape);
    }),
  );
}

const CASES: Case[] = [
  {
    name: "BatchNormalization (inference: moving statistics)",
    inputShape: [7],
    layers: () => [tf.layers.batchNormalization({})],
    classes: ["BatchNormalization"],
  },
  {
    name: "BatchNormalization over the last axis of [3, 5] samples, epsilon 0.01",
    inputShape: [3, 5],
    layers: () => [tf.layers.batchNormalization({ axis: -1, epsilon: 0.01 })],
    classes: ["BatchNormalization"],
  },
  {
    name: "BatchNormalization without center and scale",
    inputShape: [6],
    layers: () => [tf.layers.batchNormalization({ center: false, scale: false })],
    classes: ["BatchNormalization"],
  },
  {
    name: "LayerNormalization",
    inputShape: [9],
    layers: () => [tf.layers.layerNormalization({})],
    classes: ["LayerNormalization"],
  },
  {
    name: "LayerNormalization on [4, 6] samples (last axis)",
    inputShape: [4, 6],
    layers: () => [tf.layers.layerNormalization({ epsilon: 1e-5 })],
    classes: ["LayerNormalization"],
  },
  {
    name: "Embedding of a sequence of 5 ids, flattened into a Dense",
    inputShape: [5],
    layers: () => [
      tf.layers.embedding({ inputDim: 11, outputDim: 3 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2 }),
    ],
    classes: ["Embedding", "Flatten", "Dense"],
    input: (count) => Float32Array.from(randomArray(count, 5, 0, 11), Math.floor),
  },
  {
    name: "Reshape with −1",
    inputShape: [12],
    layers: () => [tf.layers.reshape({ targetShape: [-1, 3] }), tf.layers.permute({ dims: [2, 1] })],
    classes: ["Reshape", "Permute"],
  },
  {
    name: "Permute [2, 1]",
    inputShape: [3, 5],
    layers: () => [tf.layers.permute({ dims: [2, 1] })],
    classes: ["Permute"],
  },
  {
    name: "Permute [3, 1, 2]",
    inputShape: [2, 3, 5],
    layers: () => [tf.layers.permute({ dims: [3, 1, 2] })],
    classes: ["Permute"],
  },
  {
    name: "RepeatVector 4",
    inputShape: [5],
    layers: () => [tf.layers.repeatVector({ n: 4 })],
    classes: ["RepeatVector"],
  },
  {
    name: "Rescaling",
    inputShape: [6],
    layers: () => [tf.layers.rescaling({ scale: 1 / 255, offset: -0.5 })],
    classes: ["Rescaling"],
  },
  { name: "ReLU with maxValue", inputShape: [7], layers: () => [tf.layers.reLU({ maxValue: 0.6 })], classes: ["ReLU"] },
  {
    name: "LeakyReLU (tfjs alpha 0.3)",
    inputShape: [7],
    layers: () => [tf.layers.leakyReLU({})],
    classes: ["LeakyReLU"],
  },
  {
    name: "LeakyReLU alpha 0.05",
    inputShape: [7],
    layers: () => [tf.layers.leakyReLU({ alpha: 0.05 })],
    classes: ["LeakyReLU"],
  },
  { name: "PReLU", inputShape: [6], layers: () => [tf.layers.prelu({})], classes: ["PReLU"] },
  {
    name: "PReLU with sharedAxes [1]",
    inputShape: [3, 4],
    layers: () => [tf.layers.prelu({ sharedAxes: [1] })],
    classes: ["PReLU"],
  },
  { name: "ELU", inputShape: [7], layers: () => [tf.layers.elu({})], classes: ["ELU"] },
  { name: "Softmax", inputShape: [3, 5], layers: () => [tf.layers.softmax({ axis: -1 })], classes: ["Softmax"] },
  {
    name: "GaussianNoise, GaussianDropout and AlphaDropout (identity at inference)",
    inputShape: [6],
    layers: () => [
      tf.layers.gaussianNoise({ stddev: 0.5 }),
      tf.layers.gaussianDropout({ rate: 0.3 }),
      tf.layers.alphaDropout({ rate: 0.2 }),
    ],
    classes: ["GaussianNoise", "GaussianDropout", "AlphaDropout"],
  },
];

describe("a tfjs Sequential with the layer opens in densa and predicts the same (1e-5)", () => {
  test.each(CASES)("$name", async ({ inputShape, layers, classes, input }) => {
    const model = tf.sequential();
    model.add(tf.layers.inputLayer({ inputShape }));
    for (const layer of layers()) model.add(layer);
    seedWeights(model, 40);
    const size = inputShape.reduce((a, b) => a * b, 1);
    const x = input ? input(ROWS * size) : randomArray(ROWS * size, 41, -2, 2);
    const tfInput = tf.tensor(x, [ROWS, ...inputShape]);
    const tfOutput = model.predict(tfInput) as TfModule.Tensor;
    const expected = tfOutput.dataSync();
    const width = expected.length / ROWS;
    const artifacts = await saveWithTfjs(tf, model);
    for (const open of [loadModel, loadForInference]) {
      const loaded = await open(tf.io.fromMemory(artifacts));
      expect(loaded.layers.map((layer) => layer.className)).toEqual(classes);
      const actual = loaded.predict(tensor(x, [ROWS, ...inputShape]));
      expect(actual.shape).toEqual(tfOutput.shape);
      expect(relativeMismatch(actual.data, expected, 1e-5, width)).toBeNull();
      loaded.dispose();
    }
    tf.dispose([tfInput, tfOutput]);
    model.dispose();
  });
});
