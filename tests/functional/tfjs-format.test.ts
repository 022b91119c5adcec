// Functional models in the TensorFlow.js Layers format, both ways: a densa Model saved and opened by tfjs's
// loadLayersModel predicts the same; a tfjs tf.model (every merge layer, a shared layer, two inputs and two
// outputs) opens in densa — and in densa/infer's inference-only model — and predicts the same (1e-5).
// (tfjs has no Subtract layer, so the densa → tfjs model leaves it out.) A config with a cycle made by hand is an Error, and leaves no memory behind.

import type * as TfModule from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { Input, init, layers, loadModel, Model, type Tensor, tensor } from "../../ts/index.js";
import { loadModel as loadForInference } from "../../ts/infer.js";
import { uniformArray } from "../helpers/finite-differences.js";
import { loadTfjs, relativeMismatch, saveWithTfjs } from "../io/tfjs.js";

let tf: typeof TfModule;
beforeAll(async () => {
  await init();
  tf = await loadTfjs();
});

const ROWS = 7;
const xa = uniformArray(ROWS * 4, 1, -2, 2);
const xb = uniformArray(ROWS * 3, 2, -2, 2);

function tfOutputs(model: TfModule.LayersModel): Float32Array[] {
  const inputs = [tf.tensor2d(xa, [ROWS, 4]), tf.tensor2d(xb, [ROWS, 3])];
  const out = model.predict(inputs) as TfModule.Tensor | TfModule.Tensor[];
  const list = Array.isArray(out) ? out : [out];
  const values = list.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose([...inputs, ...list]);
  return values;
}

function densaOutputs(model: { predict<R extends Tensor | Tensor[]>(x: Tensor[]): R }): Float32Array[] {
  const out = model.predict<Tensor | Tensor[]>([tensor(xa, [ROWS, 4]), tensor(xb, [ROWS, 3])]);
  return (Array.isArray(out) ? out : [out]).map((t) => t.data as Float32Array);
}

/** A tfjs model with every merge layer, a Dense shared by two branches, two inputs and two outputs. */
function tfjsGraph(): TfModule.LayersModel {
  const a = tf.input({ shape: [4], name: "a" });
  const b = tf.input({ shape: [3], name: "b" });
  const lift = tf.layers.dense({ units: 4, activation: "tanh", name: "lift" }).apply(b) as TfModule.SymbolicTensor;
  const shared = tf.layers.dense({ units: 5, activation: "relu", name: "shared" });
  const left = shared.apply(a) as TfModule.SymbolicTensor;
  const right = shared.apply(lift) as TfModule.SymbolicTensor;
  const merged = [
    tf.layers.add({ name: "add" }).apply([left, right]),
    tf.layers.multiply({ name: "mul" }).apply([left, right]),
    tf.layers.average({ name: "avg" }).apply([left, right]),
    tf.layers.maximum({ name: "max" }).apply([left, right]),
    tf.layers.minimum({ name: "min" }).apply([left, right]),
    tf.layers.dot({ axes: 1, name: "dot" }).apply([left, right]),
    tf.layers.dot({ axes: 1, normalize: true, name: "cos" }).apply([left, right]),
  ] as TfModule.SymbolicTensor[];
  const joined = tf.layers.concatenate({ name: "joined" }).apply(merged) as TfModule.SymbolicTensor;
  const label = tf.layers
    .dense({ units: 3, activation: "softmax", name: "label" })
    .apply(joined) as TfModule.SymbolicTensor;
  const value = tf.layers.dense({ units: 1, name: "value" }).apply(joined) as TfModule.SymbolicTensor;
  const model = tf.model({ inputs: [a, b], outputs: [label, value], name: "every_merge" });
  // NOTE: tfjs draws its initial weights from an unseeded generator; seeded weights make the comparison the same
  // every run (one helper run once saw it fail, never again: a draw near a max/min tie or a zero norm).
  const seeded = model
    .getWeights()
    .map((weight, i) => tf.tensor(uniformArray(weight.size, 100 + i, -1, 1), weight.shape));
  model.setWeights(seeded);
  tf.dispose(seeded);
  return model;
}

describe("tfjs → densa", () => {
  it("a tf.model with every merge layer and a shared Dense predicts the same in densa and in densa/infer", async () => {
    const model = tfjsGraph();
    const expected = tfOutputs(model);
    const artifacts = await saveWithTfjs(tf, model);
    model.dispose();
    const loaded = await loadModel(artifacts as never);
    densaOutputs(loaded).forEach((values, k) =>
      expect(relativeMismatch(values, expected[k], 1e-5, k === 0 ? 3 : 1)).toBeNull(),
    );
    expect(loaded.getLayer("shared").inboundNodes.length).toBe(2);
    expect(loaded.outputNames).toEqual(["label", "value"]);
    loaded.dispose();
    const inference = await loadForInference(artifacts as never);
    densaOutputs(inference).forEach((values, k) =>
      expect(relativeMismatch(values, expected[k], 1e-5, k === 0 ? 3 : 1)).toBeNull(),
    );
    inference.dispose();
  });
});

describe("densa → tfjs", () => {
  it("a densa Model opens in tf.loadLayersModel and predicts the same", async () => {
    const a = Input({ shape: [4], name: "a" });
    const b = Input({ shape: [3], name: "b" });
    const h = new layers.Dense(5, { activation: "tanh" }).apply(a);
    const g = new layers.Dense(5, { activation: "relu" }).apply(b);
    const joined = new layers.Concatenate().apply([
      new layers.Add().apply([h, g]),
      new layers.Multiply().apply([h, g]),
      b,
    ]);
    const out = new layers.Dense(2, { activation: "softmax", name: "out" }).apply(joined);
    const model = new Model({ inputs: [a, b], outputs: out, name: "to_tfjs" });
    const expected = densaOutputs(model)[0];
    const artifacts = await model.save();
    const tfModel = await tf.loadLayersModel(tf.io.fromMemory(artifacts as never));
    expect(relativeMismatch(tfOutputs(tfModel)[0], expected, 1e-5, 2)).toBeNull();
    tfModel.dispose();
    // …and back into densa, the same again.
    const again = await loadModel(artifacts);
    expect(densaOutputs(again)[0]).toEqual(expected);
    again.dispose();
    model.dispose();
  });
});

describe("bad Functional configs", () => {
  it("a cycle made by hand through the config is an Error naming the stuck layers, and frees what it built", async () => {
    const model = tfjsGraph();
    const artifacts = (await saveWithTfjs(tf, model)) as {
      modelTopology: { config: { layers: { name: string; inbound_nodes: unknown[] }[] } };
    };
    model.dispose();
    const topology = JSON.parse(JSON.stringify(artifacts.modelTopology));
    const layersOf = (topology.model_config ?? topology).config.layers as {
      name: string;
      inbound_nodes: unknown[][];
    }[];
    // "lift" now reads "joined", which (through "shared") reads "lift": a cycle.
    layersOf.find((layer) => layer.name === "lift")!.inbound_nodes = [[["joined", 0, 0, {}]]];
    const before = getEngine().allocator;
    const usage = JSON.stringify([before.bytesInUse, before.liveBlocks]);
    await expect(loadModel({ ...artifacts, modelTopology: topology } as never)).rejects.toThrow(
      /graph cannot be built: .*"lift" node 0.*a cycle/,
    );
    expect(JSON.stringify([before.bytesInUse, before.liveBlocks])).toBe(usage);
  });
});

describe("getConfig / fromConfig", () => {
  it("a Functional model's config rebuilds the same graph: the same config back, the shared layer called twice", () => {
    const a = Input({ shape: [4], name: "cfg_a" });
    const b = Input({ shape: [3], name: "cfg_b" });
    const shared = new layers.Dense(3, { activation: "tanh", name: "cfg_shared" });
    const joined = new layers.Concatenate({ name: "cfg_join" }).apply([
      shared.apply(new layers.Dense(3, { name: "cfg_lift" }).apply(a)),
      shared.apply(b),
    ]);
    const model = new Model({
      inputs: [a, b],
      outputs: new layers.Dense(2, { name: "cfg_out" }).apply(joined),
      name: "cfg_model",
    });
    const config = model.getConfig();
    model.dispose();
    const rebuilt = Model.fromConfig(config);
    expect(rebuilt.getConfig()).toEqual(config);
    expect(rebuilt.getLayer("cfg_shared").inboundNodes.length).toBe(2);
    rebuilt.dispose();
  });
});
