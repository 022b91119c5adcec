// A real Keras 2 model (../shared/fixtures/keras-housing, see its SOURCE.md) loaded by densa and by
// @tensorflow/tfjs from the same bytes: the predictions must agree to 1e-5 relative.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { init, layers, loadModel, type ModelArtifacts, Sequential, tensor } from "../../ts/index.js";
import { HOUSING_DIR, housing } from "../helpers/keras-housing.js";
import { randomArray } from "../helpers/wasm.js";
import { loadTfjs, relativeMismatch, tfjsPredict } from "./tfjs.js";

const fixture = HOUSING_DIR;
const modelJson = housing?.modelJson;
const shard = Buffer.from(housing?.shard ?? new Uint8Array(0));

/** The raw CSV row, then 64 seeded rows on the scale of normalised features, then a few of mixed scale. */
function inputs(): { x: Float32Array; rows: number } {
  const [, row] = housing!.csv.trim().split("\n");
  const raw = row.split(",").map(Number);
  const normalised = randomArray(64 * 4, 7, -2, 2);
  const mixed = randomArray(8 * 4, 8, -50, 50);
  const x = Float32Array.from([...raw, ...normalised, ...mixed]);
  return { x, rows: x.length / 4 };
}

beforeAll(async () => {
  await init();
});

describe.skipIf(!housing)("Keras housing model", () => {
  test("densa predicts what tfjs's loadLayersModel predicts (1e-5 relative)", async () => {
    const tf = await loadTfjs();
    const weightData = shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.byteLength);
    const weightSpecs = modelJson.weightsManifest.flatMap((group: { weights: unknown[] }) => group.weights);
    const reference = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData }),
    );
    const model = await loadModel({ modelJson, weights: shard });
    const { x, rows } = inputs();
    const expected = tfjsPredict(tf, reference, x, rows);
    const actual = model.predict(tensor(x, [rows, 4]));
    expect(actual.shape).toEqual([rows, 1]);
    expect(relativeMismatch(actual.data, expected, 1e-5)).toBeNull();
    // NOTE: not a trivially constant model: the outputs vary across the inputs.
    expect(new Set(expected).size).toBeGreaterThan(rows / 2);
    reference.dispose();
    model.dispose();
  });

  test("reads the Keras 2 topology: names, shapes, weights in manifest order, the training config", async () => {
    const path = fileURLToPath(new URL("model.json", fixture));
    const model = await loadModel(`file://${path}`);
    expect(model.name).toBe("sequential_4");
    expect(model.layers.map((layer) => layer.name)).toEqual(["dense_16", "dense_17", "dense_18", "dense_19"]);
    expect(model.inputShape).toEqual([4]);
    expect(model.outputShape).toEqual([1]);
    expect(model.countParams()).toBe(8705);
    const floats = new Float32Array(shard.buffer, shard.byteOffset, shard.byteLength / 4);
    const weights = model.getWeights();
    expect(weights.map((weight) => weight.shape)).toEqual([
      [4, 64],
      [64],
      [64, 64],
      [64],
      [64, 64],
      [64],
      [64, 1],
      [1],
    ]);
    expect(Float32Array.from(weights.flatMap((weight) => [...weight.data]))).toEqual(floats);
    // Keras 2's training_config: Adadelta with `lr`, loss "mae", metrics mae and mse.
    expect(model.optimizer?.className).toBe("Adadelta");
    expect(model.optimizer?.learningRate).toBe(1);
    expect(model.loss?.lossName).toBe("mean_absolute_error");
    expect(model.metricsNames).toEqual(["loss", "mae", "mse"]);
    model.dispose();
  });

  test("the same predictions as a densa model built by hand with the file's weights (bit for bit)", async () => {
    const loaded = await loadModel({ modelJson, weights: [shard.subarray(0, 1000), shard.subarray(1000)] });
    const byHand = new Sequential([
      new layers.Dense(64, { activation: "relu", inputShape: [4] }),
      new layers.Dense(64, { activation: "relu" }),
      new layers.Dense(64, { activation: "relu" }),
      new layers.Dense(1),
    ]);
    byHand.setWeights(loaded.getWeights());
    const { x, rows } = inputs();
    expect(loaded.predict(tensor(x, [rows, 4])).data).toEqual(byHand.predict(tensor(x, [rows, 4])).data);
    loaded.dispose();
    byHand.dispose();
  });

  test("loads again after a round trip through densa's save, with the same predictions", async () => {
    const model = await loadModel({ modelJson, weights: shard });
    const artifacts: ModelArtifacts = await model.save();
    const again = await loadModel(artifacts);
    const { x, rows } = inputs();
    expect(again.predict(tensor(x, [rows, 4])).data).toEqual(model.predict(tensor(x, [rows, 4])).data);
    model.dispose();
    again.dispose();
  });
});
