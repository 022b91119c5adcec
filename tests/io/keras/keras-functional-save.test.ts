// Functional models densa builds, saved as .keras: one model using every layer class densa has reopens bit-exact
// and h5py finds every variable where Keras 3's rules put it; a model of several outputs keeps each output's
// loss, weight and metrics; and Functional models with their optimizer state resume training bit-identically
// to a run that never stopped.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import {
  Input,
  init,
  layers,
  loadModel,
  Model,
  regularizers,
  Sequential,
  setRandomSeed,
  type Tensor,
  tensor,
} from "../../../ts/index.js";
import { readKerasArchive } from "../../../ts/io/keras/keras-archive.js";
import { LAYER_CLASSES } from "../../../ts/layers/registry.js";
import { python, runPythonAsync, WEIGHTS_BY_LAYER } from "./h5py.js";

const scratch = mkdtempSync(join(tmpdir(), "densa-functional-save-"));

beforeAll(async () => {
  await init();
});

const ROWS = 24;
const seeded = (count: number, seed: number, scale = 1) =>
  new Float32Array(count).map((_, i) => Math.sin((i + 1) * 12.9898 + seed * 78.233) * scale);

/** Every layer class densa has, in one graph of two inputs (features and token ids) and one output. */
function everyLayerModel() {
  setRandomSeed(11);
  const features = Input({ shape: [6], name: "features" });
  const tokens = Input({ shape: [3], name: "tokens" });
  let x = new layers.Normalization({ mean: 0.25, variance: 2 }).apply(features);
  x = new layers.Dense(8, { kernelRegularizer: regularizers.l2(0.001), biasRegularizer: regularizers.l1(0.002) }).apply(
    x,
  );
  x = new layers.BatchNormalization().apply(x);
  x = new layers.Activation({ activation: "tanh" } as never).apply(x);
  x = new layers.Dropout(0.1).apply(x);
  x = new layers.GaussianNoise(0.05).apply(x);
  x = new layers.GaussianDropout(0.05).apply(x);
  x = new layers.AlphaDropout(0.05).apply(x);
  x = new layers.LayerNormalization().apply(x);
  x = new layers.Rescaling(0.5, { offset: 0.1 }).apply(x);
  x = new layers.ActivityRegularization({ l1: 0.001 }).apply(x);
  x = new layers.Identity().apply(x);
  x = new layers.PReLU().apply(x);
  x = new layers.ELU().apply(x);
  x = new layers.LeakyReLU().apply(x);
  x = new layers.ReLU().apply(x);
  // A nested model is a layer too (saved under layers/<its class>/layers/…, as Keras 3 nests it).
  x = new Sequential([new layers.Dense(8, { activation: "relu" })], { name: "inner_block" }).apply(x);
  let grid = new layers.Reshape([2, 4]).apply(x);
  grid = new layers.Permute([2, 1]).apply(grid);
  let wide = new layers.Flatten().apply(grid);
  wide = new layers.RepeatVector(2).apply(wide);
  wide = new layers.Flatten().apply(wide);
  const a = new layers.Dense(8, { activation: "sigmoid" }).apply(wide);
  const embedded = new layers.Flatten().apply(new layers.Embedding(10, 4).apply(tokens));
  const b = new layers.Dense(8).apply(embedded);
  const merged = [
    new layers.Add().apply([a, b]),
    new layers.Subtract().apply([a, b]),
    new layers.Multiply().apply([a, b]),
    new layers.Average().apply([a, b]),
    new layers.Maximum().apply([a, b]),
    new layers.Minimum().apply([a, b]),
    new layers.Dot({ axes: 1 }).apply([a, b]),
    new layers.UnitNormalization().apply(a),
    new layers.Softmax().apply(b),
  ];
  const joined = new layers.Concatenate().apply(merged);
  const out = new layers.Dense(1, { activation: "sigmoid", name: "score" }).apply(joined);
  return new Model({ inputs: [features, tokens], outputs: out, name: "every_layer" });
}

function everyLayerData() {
  const x1 = tensor(seeded(ROWS * 6, 1, 2), [ROWS, 6]);
  const x2 = tensor(
    Float32Array.from({ length: ROWS * 3 }, (_, i) => (i * 7) % 10),
    [ROWS, 3],
  );
  const y = tensor(
    Float32Array.from({ length: ROWS }, (_, r) => (r % 3 === 0 ? 1 : 0)),
    [ROWS, 1],
  );
  return { x: [x1, x2], y };
}

const weightsOf = (model: Model) =>
  model.layers.flatMap((layer) => layer.weights.map((variable) => [variable.name, Array.from(variable.read().data)]));
const stateOf = (model: Model) =>
  model
    .optimizer!.getWeights(model.layers.flatMap((layer) => layer.trainableWeights))
    .map((w) => [w.name, Array.from(w.values)]);

describe("Functional models saved as .keras", () => {
  test("a model with every layer class densa has reopens bit-exact (weights, optimizer state, predictions)", async () => {
    const model = everyLayerModel();
    const classes = new Set(model.layers.map((layer) => layer.className));
    // "Functional" / "Model" name this model's own class (a Functional nested in another is in tests/functional).
    expect(
      Object.keys(LAYER_CLASSES).filter((name) => !classes.has(name) && name !== "Functional" && name !== "Model"),
    ).toEqual([]);
    model.compile({ optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy"] });
    const { x, y } = everyLayerData();
    await model.fit(x, y, { epochs: 2, batchSize: 8, seed: 4, verbose: 0 });
    const bytes = await model.toKeras();
    const again = await loadModel(bytes);
    expect(weightsOf(again)).toEqual(weightsOf(model));
    expect(stateOf(again)).toEqual(stateOf(model));
    expect(Array.from((again.predict(x) as Tensor).data)).toEqual(Array.from((model.predict(x) as Tensor).data));
    const { config } = readKerasArchive(bytes, "test") as { config: any };
    const dense = config.config.layers.find((layer: any) => layer.class_name === "Dense");
    expect(dense.config.kernel_regularizer).toEqual({
      module: "keras.regularizers",
      class_name: "L2",
      config: { l2: 0.001 },
      registered_name: null,
    });
    expect(dense.config.bias_regularizer).toEqual({
      module: "keras.regularizers",
      class_name: "L1",
      config: { l1: 0.002 },
      registered_name: null,
    });
    if (python) {
      // h5py, following Keras's rule in Python, finds each layer's values in densa's order of its variables.
      const path = join(scratch, "every-layer.keras");
      writeFileSync(path, bytes);
      const stored = await runPythonAsync(WEIGHTS_BY_LAYER, path);
      // A nested model's values sit under its own layers' names (layers/sequential/layers/dense, as Keras nests them).
      const leaves = model.layers.flatMap((layer) => (layer instanceof Sequential ? layer.layers : [layer]));
      expect(leaves.length).toBeGreaterThan(model.layers.length - 1);
      for (const layer of leaves) {
        const found = (stored[layer.name] ?? [])
          .filter((entry: any) => entry.dtype === "float32")
          .map((entry: any) => entry.values);
        expect(found, layer.name).toEqual(layer.weights.map((variable) => Array.from(variable.read().data)));
      }
    }
    model.dispose();
    again.dispose();
  });

  test("a model of two outputs keeps each output's loss, loss weight and metrics, and resumes training bit-identically", async () => {
    const build = () => {
      setRandomSeed(5);
      const input = Input({ shape: [5] });
      const hidden = new layers.Dense(6, { activation: "relu" }).apply(input);
      const price = new layers.Dense(1, { name: "price" }).apply(hidden);
      const kind = new layers.Dense(3, { activation: "softmax", name: "kind" }).apply(hidden);
      const model = new Model({ inputs: input, outputs: [price, kind] });
      model.compile({
        optimizer: "adam",
        loss: ["mse", "sparse_categorical_crossentropy"],
        lossWeights: [0.5, 2],
        metrics: [["mae"], ["accuracy"]],
      });
      return model;
    };
    const x = tensor(seeded(ROWS * 5, 3), [ROWS, 5]);
    const y = [
      tensor(seeded(ROWS, 4), [ROWS, 1]),
      tensor(
        Float32Array.from({ length: ROWS }, (_, r) => r % 3),
        [ROWS, 1],
      ),
    ];
    const straight = build();
    await straight.fit(x, y, { epochs: 2, batchSize: 8, seed: 1, verbose: 0 });
    const saved = await straight.toKeras();
    const { config } = readKerasArchive(saved, "test") as { config: any };
    expect(config.compile_config.loss).toEqual(["mean_squared_error", "sparse_categorical_crossentropy"]);
    expect(config.compile_config.loss_weights).toEqual([0.5, 2]);
    expect(config.compile_config.metrics).toEqual([["mae"], ["accuracy"]]);
    const history = await straight.fit(x, y, { epochs: 2, batchSize: 8, seed: 2, verbose: 0 });
    const resumed = await loadModel(saved);
    const resumedHistory = await resumed.fit(x, y, { epochs: 2, batchSize: 8, seed: 2, verbose: 0 });
    expect(weightsOf(resumed)).toEqual(weightsOf(straight));
    expect(resumedHistory.history).toEqual(history.history);
    straight.dispose();
    resumed.dispose();
  });

  for (const optimizer of ["adam", "rmsprop", "sgd"] as const) {
    test(`a two-input Functional model with ${optimizer}'s state resumes training bit-identically to an uninterrupted run`, async () => {
      const build = () => {
        setRandomSeed(9);
        const a = Input({ shape: [4] });
        const b = Input({ shape: [3] });
        const left = new layers.Dense(5, { activation: "tanh" }).apply(a);
        const right = new layers.Dense(5, { activation: "tanh" }).apply(b);
        const joined = new layers.Concatenate().apply([right, left]);
        const out = new layers.Dense(1).apply(new layers.Dropout(0.2).apply(joined));
        const model = new Model({ inputs: [b, a], outputs: out });
        model.compile({
          optimizer:
            optimizer === "sgd"
              ? ({ className: "SGD", config: { learningRate: 0.05, momentum: 0.9 } } as never)
              : optimizer,
          loss: "mse",
        });
        return model;
      };
      const x = [tensor(seeded(ROWS * 3, 5), [ROWS, 3]), tensor(seeded(ROWS * 4, 6), [ROWS, 4])];
      const y = tensor(seeded(ROWS, 7), [ROWS, 1]);
      const straight = build();
      await straight.fit(x, y, { epochs: 2, batchSize: 8, seed: 1, verbose: 0 });
      const saved = await straight.toKeras();
      await straight.fit(x, y, { epochs: 3, batchSize: 8, seed: 2, verbose: 0 });
      const resumed = await loadModel(saved);
      await resumed.fit(x, y, { epochs: 3, batchSize: 8, seed: 2, verbose: 0 });
      expect(weightsOf(resumed)).toEqual(weightsOf(straight));
      expect(resumed.optimizer!.iterations).toBe(straight.optimizer!.iterations);
      // Keras's save_weights / load_weights: the same places, read into a fresh model of the same graph.
      const weightsUrl = pathToFileURL(join(scratch, `two-input-${optimizer}.weights.h5`)).href;
      await straight.saveWeights(weightsUrl);
      const fresh = build();
      await fresh.loadWeights(weightsUrl);
      const valuesOf = (model: Model) => weightsOf(model).map(([, values]) => values);
      expect(valuesOf(fresh)).toEqual(valuesOf(straight));
      straight.dispose();
      resumed.dispose();
      fresh.dispose();
    });
  }
});
