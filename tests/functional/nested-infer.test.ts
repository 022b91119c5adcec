// densa/infer alone (no import of the full package in this file, so only its own registry entries exist) opens a
// tfjs model that nests a tf.sequential and a tf.model, and predicts what tfjs predicts (1e-5).
import type * as TfModule from "@tensorflow/tfjs";
import { beforeAll, expect, test } from "vitest";
import { init, loadModel, tensor } from "../../ts/infer.js";
import { InferenceModel } from "../../ts/models/inference-model.js";
import { uniformArray } from "../helpers/finite-differences.js";
import { loadTfjs, relativeMismatch, saveWithTfjs } from "../io/tfjs.js";

let tf: typeof TfModule;
beforeAll(async () => {
  await init();
  tf = await loadTfjs();
});

test("densa/infer loads nested Sequential and Functional models as inference-only models", async () => {
  const p = tf.input({ shape: [4] });
  const graph = tf.model({
    inputs: p,
    outputs: tf.layers.dense({ units: 3, activation: "tanh" }).apply(p) as TfModule.SymbolicTensor,
  });
  const stack = tf.sequential({ layers: [tf.layers.dense({ units: 5, inputShape: [3], activation: "relu" })] });
  const x = tf.input({ shape: [4] });
  const out = tf.layers
    .dense({ units: 2 })
    .apply(
      stack.apply(graph.apply(x) as TfModule.SymbolicTensor) as TfModule.SymbolicTensor,
    ) as TfModule.SymbolicTensor;
  const outer = tf.model({ inputs: x, outputs: out });
  // NOTE: tfjs draws initial weights unseeded; seeded ones make the test the same every run.
  const seeded = outer
    .getWeights()
    .map((weight, i) => tf.tensor(uniformArray(weight.size, 20 + i, -1, 1), weight.shape));
  outer.setWeights(seeded);
  tf.dispose(seeded);
  const values = uniformArray(5 * 4, 8, -2, 2);
  const input = tf.tensor2d(values, [5, 4]);
  const prediction = outer.predict(input) as TfModule.Tensor;
  const expected = Float32Array.from(prediction.dataSync());
  tf.dispose([input, prediction]);
  const artifacts = await saveWithTfjs(tf, outer);
  outer.dispose();
  const loaded = await loadModel(artifacts as never);
  const nested = loaded.layers.filter((layer) => layer instanceof InferenceModel);
  expect(nested.map((layer) => layer.className)).toEqual(["Functional", "Sequential"]);
  expect(relativeMismatch(loaded.predict(tensor(values, [5, 4])).data, expected, 1e-5, 2)).toBeNull();
  loaded.dispose();
});
