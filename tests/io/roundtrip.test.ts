// densa → densa: the saved artifacts are Keras's JSON form, a model comes back bit for bit through every
// target (artifacts, file://, a handler, { modelJson, weights }), and fit continues after save + load with the
// optimizer state exactly as if it had never stopped.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import {
  init,
  initializers,
  layers,
  loadModel,
  losses,
  type ModelArtifacts,
  metrics,
  optimizers,
  type SaveResult,
  Sequential,
  tensor,
} from "../../ts/index.js";
import { DENSA_VERSION } from "../../ts/io/types.js";
import { randomArray } from "../helpers/wasm.js";

const FEATURES = 6;
const CLASSES = 3;
const ROWS = 50;
const x = tensor(randomArray(ROWS * FEATURES, 21, -2, 2), [ROWS, FEATURES]);
const y = tensor(
  Float32Array.from({ length: ROWS * CLASSES }, (_, i) => (i % CLASSES === Math.floor(i / CLASSES) % CLASSES ? 1 : 0)),
  [ROWS, CLASSES],
);
const directory = mkdtempSync(join(tmpdir(), "densa-io-"));

beforeAll(async () => {
  await init();
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Every layer class densa has, with non-default options, so that configs must really round-trip. */
function everyLayerModel(): Sequential {
  const normalization = new layers.Normalization({ name: "norm" });
  normalization.adapt(x);
  return new Sequential(
    [
      layers.Input({ shape: [FEATURES], name: "features" }),
      normalization,
      new layers.Dense(9, {
        activation: "elu",
        kernelInitializer: new initializers.HeNormal({ seed: 5 }),
        biasInitializer: new initializers.Constant({ value: 0.1 }),
        kernelRegularizer: { className: "L1L2", config: { l1: 0.001, l2: 0.002 } },
        kernelConstraint: "maxNorm",
        name: "hidden",
      }),
      new layers.Dropout(0.3, { seed: 4 }),
      new layers.Activation("swish"),
      new layers.Flatten(),
      new layers.Dense(CLASSES, { activation: "softmax", useBias: false, trainable: false }),
    ],
    { name: "every_layer" },
  );
}

/** Every key of an object tree, to check the snake_case form. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, entry]) => [key, ...keysOf(entry)]);
}

describe("save()", () => {
  test("returns the TensorFlow.js Layers artifacts with Keras's JSON topology", async () => {
    const model = everyLayerModel();
    model.compile({
      optimizer: new optimizers.Adam({ learningRate: 0.01, beta1: 0.8 }),
      loss: "categorical_crossentropy",
      metrics: ["accuracy"],
    });
    const artifacts = await model.save();
    expect(artifacts.format).toBe("layers-model");
    expect(artifacts.generatedBy).toBe(`densa ${DENSA_VERSION}`);
    const topology = artifacts.modelTopology as Record<string, any>;
    expect(Object.keys(topology).sort()).toEqual(["backend", "keras_version", "model_config", "training_config"]);
    expect(topology.model_config.class_name).toBe("Sequential");
    expect(topology.model_config.config.layers.map((layer: { class_name: string }) => layer.class_name)).toEqual([
      "InputLayer",
      "Normalization",
      "Dense",
      "Dropout",
      "Activation",
      "Flatten",
      "Dense",
    ]);
    expect(topology.model_config.config.layers[0].config.batch_input_shape).toEqual([null, FEATURES]);
    expect(topology.model_config.config.layers[2].config.kernel_initializer).toEqual({
      class_name: "HeNormal",
      config: { seed: 5 },
    });
    expect(keysOf(topology).filter((key) => /[A-Z]/.test(key))).toEqual([]);
    expect(topology.training_config).toMatchObject({
      loss: "categorical_crossentropy",
      metrics: ["accuracy"],
      optimizer_config: { class_name: "Adam", config: { learning_rate: 0.01, beta_1: 0.8, beta_2: 0.999 } },
    });
    const names = artifacts.weightSpecs!.map((spec) => spec.name);
    expect(names).toEqual([
      "norm/mean",
      "norm/variance",
      "hidden/kernel",
      "hidden/bias",
      `${model.layers[5].name}/kernel`,
    ]);
    expect(artifacts.weightSpecs!.every((spec) => spec.dtype === "float32" && spec.group === undefined)).toBe(true);
    const floats = new Float32Array(artifacts.weightData as ArrayBuffer);
    expect(floats).toEqual(Float32Array.from(model.getWeights().flatMap((weight) => [...weight.data])));
    model.dispose();
  });

  test("the training config round-trips: a configured loss, metric objects and names, the optimizer", async () => {
    const model = new Sequential([new layers.Dense(1, { inputShape: [FEATURES] })]);
    const loss = new losses.BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 });
    model.compile({
      optimizer: new optimizers.RMSprop({ learningRate: 0.02, momentum: 0.3, clipvalue: 1 }),
      loss,
      metrics: [metrics.auc(), "mae", metrics.precision()],
    });
    const artifacts = await model.save();
    expect((artifacts.modelTopology as Record<string, any>).training_config.loss).toEqual({
      class_name: "BinaryCrossentropy",
      config: {
        name: "binary_crossentropy",
        reduction: "sum_over_batch_size",
        from_logits: true,
        label_smoothing: 0.1,
      },
    });
    const loaded = await loadModel(artifacts);
    expect(loaded.loss?.getConfig()).toEqual(loss.getConfig());
    expect(loaded.optimizer?.getConfig()).toEqual(model.optimizer?.getConfig());
    expect(loaded.metricsNames).toEqual(["loss", "auc", "mae", "precision"]);
    model.dispose();
    loaded.dispose();
  });

  test("needs a built model, and includeOptimizer a compiled one", async () => {
    const unbuilt = new Sequential([new layers.Dense(2)]);
    await expect(unbuilt.save()).rejects.toThrow(/not built/);
    const model = new Sequential([new layers.Dense(2, { inputShape: [3] })]);
    await expect(model.save({ includeOptimizer: true })).rejects.toThrow(/includeOptimizer needs a compiled model/);
    await expect(model.save("https://example.com/upload")).rejects.toThrow(/file:\/\/ URLs/);
    await expect(model.save(undefined, { include_optimizer: true } as never)).rejects.toThrow(
      /unknown option "include_optimizer"/,
    );
    unbuilt.dispose();
    model.dispose();
  });

  test("DENSA_VERSION is package.json's version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    expect(DENSA_VERSION).toBe(pkg.version);
  });
});

describe("densa → densa is bit-exact", () => {
  async function expectSameModel(original: Sequential, loaded: Sequential): Promise<void> {
    expect(loaded.getConfig()).toEqual(original.getConfig());
    expect(loaded.getWeights()).toEqual(original.getWeights());
    expect(loaded.predict(x).data).toEqual(original.predict(x).data);
  }

  test("through the artifacts", async () => {
    const model = everyLayerModel();
    const loaded = await loadModel(await model.save());
    await expectSameModel(model, loaded);
    model.dispose();
    loaded.dispose();
  });

  test("through file:// (model.json + weights.bin), then { modelJson, weights } in two pieces", async () => {
    const model = everyLayerModel();
    const target = join(directory, "every-layer");
    const result = (await model.save(`file://${target}`)) as SaveResult;
    expect(readdirSync(target).sort()).toEqual(["model.json", "weights.bin"]);
    const weightBytes = readFileSync(join(target, "weights.bin"));
    expect(result.modelArtifactsInfo.weightDataBytes).toBe(weightBytes.byteLength);
    const modelJson = JSON.parse(readFileSync(join(target, "model.json"), "utf8"));
    expect(modelJson.weightsManifest[0].paths).toEqual(["weights.bin"]);
    const fromFile = await loadModel(`file://${target}/model.json`);
    await expectSameModel(model, fromFile);
    const fromDirectory = await loadModel(`file://${target}`);
    await expectSameModel(model, fromDirectory);
    const fromParts = await loadModel({
      modelJson: JSON.stringify(modelJson),
      weights: [weightBytes.subarray(0, 7), weightBytes.subarray(7)],
    });
    await expectSameModel(model, fromParts);
    for (const loaded of [model, fromFile, fromDirectory, fromParts]) loaded.dispose();
  });

  test("through any object with save(artifacts) and one with load()", async () => {
    const model = everyLayerModel();
    const store = new Map<string, ModelArtifacts>();
    const handler = { save: async (artifacts: ModelArtifacts) => (store.set("model", artifacts), "stored") };
    expect(await model.save(handler)).toBe("stored");
    const loaded = await loadModel({ load: async () => store.get("model")! });
    await expectSameModel(model, loaded);
    model.dispose();
    loaded.dispose();
  });

  test("a loaded model frees all of its memory on dispose", async () => {
    const model = everyLayerModel();
    model.compile({ optimizer: "nadam", loss: "categorical_crossentropy" });
    await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
    const artifacts = await model.save({ includeOptimizer: true });
    model.predict(x);
    const before = getEngine().allocator.bytesInUse;
    const loaded = await loadModel(artifacts);
    await loaded.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
    loaded.predict(x);
    loaded.dispose();
    expect(getEngine().allocator.bytesInUse).toBe(before);
    model.dispose();
  });
});

/** One optimizer per densa optimizer class, with options that give each slot and schedule something to do. */
const OPTIMIZERS: [string, () => optimizers.Optimizer][] = [
  ["SGD (Nesterov momentum)", () => new optimizers.SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true })],
  [
    "Adam (AMSGrad, exponential decay)",
    () =>
      new optimizers.Adam({
        amsgrad: true,
        learningRate: new optimizers.schedules.ExponentialDecay({
          initialLearningRate: 0.01,
          decaySteps: 3,
          decayRate: 0.9,
        }),
      }),
  ],
  ["AdamW (clipnorm)", () => new optimizers.AdamW({ learningRate: 0.01, clipnorm: 0.5 })],
  ["RMSprop (centred, momentum)", () => new optimizers.RMSprop({ learningRate: 0.01, centered: true, momentum: 0.5 })],
  ["Adagrad", () => new optimizers.Adagrad({ learningRate: 0.05 })],
  ["Adadelta", () => new optimizers.Adadelta({ learningRate: 1 })],
  ["Adamax", () => new optimizers.Adamax({ learningRate: 0.01 })],
  ["Nadam", () => new optimizers.Nadam({ learningRate: 0.01 })],
];

describe("fit resumes exactly after save + load with the optimizer state", () => {
  function trainableModel(optimizer: optimizers.Optimizer): Sequential {
    const model = new Sequential([
      new layers.Dense(8, {
        activation: "tanh",
        inputShape: [FEATURES],
        kernelInitializer: new initializers.GlorotUniform({ seed: 1 }),
      }),
      new layers.Dense(CLASSES, {
        activation: "softmax",
        kernelInitializer: new initializers.GlorotUniform({ seed: 2 }),
      }),
    ]);
    model.compile({ optimizer, loss: "categorical_crossentropy", metrics: ["accuracy"] });
    return model;
  }
  const fitOptions = { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 } as const;

  test.each(OPTIMIZERS)("%s", async (_, makeOptimizer) => {
    const straight = trainableModel(makeOptimizer());
    const straightHistory = await straight.fit(x, y, { ...fitOptions, epochs: 4 });

    const first = trainableModel(makeOptimizer());
    await first.fit(x, y, fitOptions);
    const resumed = await loadModel(await first.save({ includeOptimizer: true }));
    expect(resumed.optimizer!.getConfig()).toEqual(first.optimizer!.getConfig());
    expect(resumed.optimizer!.iterations).toBe(first.optimizer!.iterations);
    const resumedHistory = await resumed.fit(x, y, fitOptions);
    expect(resumed.getWeights()).toEqual(straight.getWeights());
    expect(resumedHistory.history.loss).toEqual(straightHistory.history.loss.slice(2));

    // Control: the same load without the optimizer's state does not continue the same way.
    const fresh = await loadModel(await first.save());
    await fresh.fit(x, y, fitOptions);
    expect(fresh.getWeights()).not.toEqual(straight.getWeights());
    for (const model of [straight, first, resumed, fresh]) model.dispose();
  });

  test("through file:// as well", async () => {
    const straight = trainableModel(new optimizers.Adam({ learningRate: 0.01 }));
    await straight.fit(x, y, { ...fitOptions, epochs: 4 });
    const first = trainableModel(new optimizers.Adam({ learningRate: 0.01 }));
    await first.fit(x, y, fitOptions);
    await first.save(`file://${join(directory, "resume")}`, { includeOptimizer: true });
    const resumed = await loadModel(`file://${join(directory, "resume", "model.json")}`);
    await resumed.fit(x, y, fitOptions);
    expect(resumed.getWeights()).toEqual(straight.getWeights());
    for (const model of [straight, first, resumed]) model.dispose();
  });

  test("loadModel(…, { compile: false }) leaves the model uncompiled", async () => {
    const model = trainableModel(new optimizers.SGD());
    const loaded = await loadModel(await model.save({ includeOptimizer: true }), { compile: false });
    expect(loaded.optimizer).toBeNull();
    await expect(loaded.fit(x, y, fitOptions)).rejects.toThrow(/must be compiled/);
    model.dispose();
    loaded.dispose();
  });
});
