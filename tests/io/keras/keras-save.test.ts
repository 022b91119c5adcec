// Saving as Keras 3 does: toKeras / save("file://….keras") / saveWeights reopen in densa bit for bit, open in
// h5py with the layout, dtypes and attributes of the Keras-written fixtures of the same layers, and a model
// saved with its optimizer state resumes training bit-identically to a run that never stopped.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { init, layers, loadModel, Sequential, setRandomSeed, tensor } from "../../../ts/index.js";
import { readKerasArchive } from "../../../ts/io/keras/keras-archive.js";
import { ZipArchive } from "../../../ts/io/zip/zip-reader.js";
import { haveKerasFiles, KERAS_FILES_DIR } from "./fixtures.js";
import { DUMP_H5, python, runPython } from "./h5py.js";

const scratch = mkdtempSync(join(tmpdir(), "densa-keras-save-"));

beforeAll(async () => {
  await init();
});

/** Seeded data: 64 rows of 12 features, labels from a fixed rule. */
function data(rows = 64, features = 12) {
  const x = new Float32Array(rows * features).map((_, i) => Math.sin(i * 12.9898) * 2);
  const y = new Float32Array(rows).map((_, r) => (x[r * features] + x[r * features + 1] > 0 ? 1 : 0));
  return { x: tensor(x, [rows, features]), y: tensor(y, [rows, 1]) };
}

/** The churn fixture's architecture: Dense 64-32-1 sigmoid with Adam, binary cross-entropy and accuracy. */
function churnModel(withNormalization = false) {
  setRandomSeed(7);
  const model = new Sequential(
    [
      ...(withNormalization ? [new layers.Normalization({ inputShape: [12], mean: 0.5, variance: 2 } as never)] : []),
      new layers.Dense(64, { activation: "relu", ...(withNormalization ? {} : { inputShape: [12] }) }),
      new layers.Dropout(0.1),
      new layers.Dense(32, { activation: "relu" }),
      new layers.Dense(1, { activation: "sigmoid" }),
    ],
    { name: "churn" },
  );
  model.compile({ optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy"] });
  return model;
}

const weightsOf = (model: Sequential) =>
  model.layers.flatMap((layer) => layer.weights.map((variable) => Array.from(variable.read().data)));

describe("saving .keras", () => {
  test("toKeras reopens bit-exact (weights, predictions, optimizer state) in densa and densa/infer", async () => {
    const model = churnModel(true);
    const { x, y } = data();
    await model.fit(x, y, { epochs: 2, batchSize: 16, seed: 1, verbose: 0 });
    const bytes = await model.toKeras();
    const again = await loadModel(bytes);
    expect(weightsOf(again)).toEqual(weightsOf(model));
    expect(Array.from(again.predict(x).data)).toEqual(Array.from(model.predict(x).data));
    expect(again.optimizer!.iterations).toBe(model.optimizer!.iterations);
    const trainable = model.layers.flatMap((layer) => layer.trainableWeights);
    const againTrainable = again.layers.flatMap((layer) => layer.trainableWeights);
    expect(again.optimizer!.getWeights(againTrainable).map((w) => [w.name, Array.from(w.values)])).toEqual(
      model.optimizer!.getWeights(trainable).map((w) => [w.name, Array.from(w.values)]),
    );
    model.dispose();
    again.dispose();
  });

  test("a model reopened from .keras resumes training bit-identically to an uninterrupted run", async () => {
    const { x, y } = data();
    const straight = churnModel();
    await straight.fit(x, y, { epochs: 2, batchSize: 16, seed: 3, verbose: 0 });
    const saved = await straight.toKeras();
    await straight.fit(x, y, { epochs: 2, batchSize: 16, seed: 4, verbose: 0 });
    const resumed = await loadModel(saved);
    await resumed.fit(x, y, { epochs: 2, batchSize: 16, seed: 4, verbose: 0 });
    expect(weightsOf(resumed)).toEqual(weightsOf(straight));
    straight.dispose();
    resumed.dispose();
  });

  test("save('file://….keras') writes the same archive loadModel reads back; saveWeights / loadWeights round-trip", async () => {
    const model = churnModel();
    const { x, y } = data();
    await model.fit(x, y, { epochs: 1, batchSize: 16, seed: 2, verbose: 0 });
    const url = pathToFileURL(join(scratch, "out", "churn.keras")).href;
    await model.save(url);
    const reopened = await loadModel(url);
    expect(weightsOf(reopened)).toEqual(weightsOf(model));
    const weightsUrl = pathToFileURL(join(scratch, "churn.weights.h5")).href;
    await model.saveWeights(weightsUrl);
    const fresh = churnModel();
    fresh.predict(x);
    await fresh.loadWeights(weightsUrl);
    expect(weightsOf(fresh)).toEqual(weightsOf(model));
    await fresh.loadWeights(new Blob([readFileSync(join(scratch, "out", "churn.keras"))]));
    expect(weightsOf(fresh)).toEqual(weightsOf(model));
    for (const m of [model, reopened, fresh]) m.dispose();
  });

  test("the archive holds what Keras 3 writes: entry names and order, stored, metadata and config keys", async () => {
    const model = churnModel();
    model.predict(data().x);
    const bytes = await model.toKeras();
    const zip = ZipArchive.open(bytes, "test");
    expect([...zip.entries.keys()]).toEqual(["metadata.json", "config.json", "model.weights.h5"]);
    expect([...zip.entries.values()].every((entry) => entry.method === "stored")).toBe(true);
    const { config, metadata } = readKerasArchive(bytes, "test");
    expect(Object.keys(metadata).slice(0, 2)).toEqual(["keras_version", "date_saved"]);
    expect(String(metadata.date_saved)).toMatch(/^\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d$/);
    if (!haveKerasFiles) return;
    const keras = readKerasArchive(new Uint8Array(readFileSync(`${KERAS_FILES_DIR}k3_churn_sigmoid.keras`)), "fixture")
      .config as any;
    const ours = config as any;
    expect(Object.keys(ours)).toEqual(Object.keys(keras));
    expect(Object.keys(ours.config)).toEqual(Object.keys(keras.config));
    expect(Object.keys(ours.compile_config)).toEqual(Object.keys(keras.compile_config));
    const entryKeys = (layer: any) => Object.keys(layer);
    expect(entryKeys(ours.config.layers[0])).toEqual(entryKeys(keras.config.layers[0]));
    expect(entryKeys(ours.config.layers[1])).toEqual(entryKeys(keras.config.layers[1]));
    expect(ours.config.layers[0].config.batch_shape).toEqual(keras.config.layers[0].config.batch_shape);
    // Every key of Keras's Dense config that densa writes has Keras's value type.
    const kerasDense = keras.config.layers[1].config;
    for (const [key, value] of Object.entries(ours.config.layers[1].config)) {
      expect(key in kerasDense, `Dense config key ${key}`).toBe(true);
      expect(typeof value, key).toBe(typeof kerasDense[key]);
    }
    model.dispose();
  });
});

describe.skipIf(!python)("h5py reads what densa writes", () => {
  test("model.weights.h5 opens in h5py with the values, dtypes, shapes, attributes and paths of Keras's own file of the same layers", async () => {
    const model = new Sequential(
      [
        new layers.Dense(64, { activation: "relu", inputShape: [12] }),
        new layers.Dense(32, { activation: "relu" }),
        new layers.Dense(1, { activation: "sigmoid" }),
      ],
      { name: "sequential_2" },
    );
    model.compile({ optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy"] });
    const { x, y } = data();
    await model.fit(x, y, { epochs: 1, batchSize: 16, seed: 5, verbose: 0 });
    const path = join(scratch, "h5py.keras");
    writeFileSync(path, await model.toKeras());
    const ours = runPython(DUMP_H5, path);
    // Values: each variable where Keras puts it.
    model.layers.forEach((layer, k) => {
      layer.weights.forEach((variable, i) => {
        const entry = ours[`layers/${k === 0 ? "dense" : `dense_${k}`}/vars/${i}`];
        expect(entry.dtype).toBe("float32");
        expect(entry.shape).toEqual([...variable.shape]);
        expect(entry.values).toEqual(Array.from(variable.read().data));
      });
    });
    expect(ours["optimizer/vars/0"]).toMatchObject({
      dtype: "int64",
      shape: [],
      values: [model.optimizer!.iterations],
    });
    if (!haveKerasFiles) return;
    // Layout: the same paths, kinds, dtypes, shapes and attribute names as the Keras 3.10 fixture (Dense 64-32-1, Adam).
    const keras = runPython(DUMP_H5, `${KERAS_FILES_DIR}k3_churn_sigmoid.keras`);
    const layout = (dump: any) =>
      Object.fromEntries(
        Object.entries(dump).map(([name, entry]: [string, any]) => [
          name,
          [entry.kind, entry.dtype, entry.shape, Object.keys(entry.attrs)],
        ]),
      );
    expect(layout(ours)).toEqual(layout(keras));
    expect(ours.vars.attrs.name).toBe(keras.vars.attrs.name);
    model.dispose();
  });
});
