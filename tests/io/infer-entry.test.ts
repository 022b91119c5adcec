// densa/infer as built (dist/densa-infer.js and .cjs): it loads and predicts bit for bit as "densa" does, on
// its own forward-only WebAssembly module, and carries none of the training code. What it loads on first use:
// infer-on-demand.test.ts.
import { beforeAll, describe, expect, test } from "vitest";
import { init, layers, loadModel, Sequential } from "../../ts/index.js";
import { bundledSource, type InferModule, inferEntries } from "../helpers/infer-dist.js";
import { housing } from "../helpers/keras-housing.js";
import { randomArray } from "../helpers/wasm.js";

let esm: InferModule;
let cjs: InferModule;

const modelJson = housing?.modelJson;
const shard = housing?.shard as Uint8Array;

beforeAll(async () => {
  await init();
  ({ esm, cjs } = await inferEntries());
});

describe("densa/infer", () => {
  test("exports the inference API only", () => {
    for (const entry of [esm, cjs]) {
      expect(Object.keys(entry).sort()).toEqual(["InferenceModel", "Tensor", "init", "loadModel", "tensor"]);
    }
  });

  test("carries none of the training code", () => {
    const source = bundledSource("densa-infer.js");
    for (const name of [
      "class Trainer",
      "class Sequential ",
      "fitArrays",
      "class Optimizer",
      "class Loss",
      "class CallbackList",
      "class EarlyStopping",
      "kerasTrainingConfig",
    ]) {
      expect(source.includes(name), name).toBe(false);
    }
  });

  test.skipIf(!housing)("predicts the Keras model bit for bit as densa does", async () => {
    for (const entry of [esm, cjs]) {
      const model = await entry.loadModel({ modelJson, weights: shard });
      const full = await loadModel({ modelJson, weights: shard });
      const x = randomArray(50 * 4, 3, -2, 2);
      const input = entry.tensor(x, [50, 4]);
      expect(model.predict(input).data).toEqual(
        full.predict([...Array(50)].map((_, i) => [...x.subarray(i * 4, i * 4 + 4)])).data,
      );
      expect("fit" in model).toBe(false);
      model.dispose();
      full.dispose();
    }
  });

  test("predicts every activation and layer class bit for bit as densa does", async () => {
    const activations = [
      "linear",
      "relu",
      "relu6",
      "elu",
      "selu",
      "sigmoid",
      "hard_sigmoid",
      "tanh",
      "softplus",
      "softsign",
      "swish",
      "mish",
      "gelu",
      "gelu_new",
      "leaky_relu",
      "exponential",
      "softmax",
      "log_softmax",
    ];
    const normalization = new layers.Normalization({
      inputShape: [6],
      mean: [0, 1, 2, 3, 4, 5],
      variance: [1, 2, 3, 4, 5, 6],
    });
    const model = new Sequential([
      normalization,
      ...activations.map((activation) => new layers.Dense(6, { activation, biasInitializer: "randomNormal" })),
      new layers.Dropout(0.5),
      new layers.Activation("tanh"),
      new layers.Flatten(),
    ]);
    const artifacts = await model.save();
    const loaded = await esm.loadModel(artifacts);
    const x = randomArray(40 * 6, 4, -1, 1);
    expect(loaded.predict(esm.tensor(x, [40, 6])).data).toEqual(
      model.predict([...Array(40)].map((_, i) => [...x.subarray(i * 6, i * 6 + 6)])).data,
    );
    loaded.dispose();
    model.dispose();
  });

  test("predicts every single-input layer of issue 9 bit for bit as densa does (seeded noise layers need no random kernels)", async () => {
    const seeded = (seed: number) => ({ className: "RandomUniform", config: { minval: 0.2, maxval: 1.5, seed } });
    const model = new Sequential([
      new layers.Embedding(9, 4, { inputShape: [6] }),
      new layers.BatchNormalization({
        movingVarianceInitializer: seeded(1),
        gammaInitializer: seeded(2),
        movingMeanInitializer: seeded(3),
      }),
      new layers.LayerNormalization({ gammaInitializer: seeded(4) }),
      new layers.Permute([2, 1]),
      new layers.Reshape([-1]),
      new layers.Rescaling(2, { offset: -0.5 }),
      new layers.GaussianNoise(0.3, { seed: 1 }),
      new layers.GaussianDropout(0.3, { seed: 2 }),
      new layers.AlphaDropout(0.2, { seed: 3 }),
      new layers.ReLU({ maxValue: 2, negativeSlope: 0.1, threshold: 0.5 }),
      new layers.Identity(),
      new layers.ActivityRegularization({ l2: 0.1 }),
      new layers.Reshape([4, 6]),
      new layers.PReLU({ sharedAxes: [1], alphaInitializer: seeded(5) }),
      new layers.UnitNormalization(),
      new layers.LeakyReLU(),
      new layers.ELU({ alpha: 0.5 }),
      new layers.Flatten(),
      new layers.RepeatVector(2),
      new layers.Softmax(),
    ]);
    const artifacts = await model.save();
    const x = Float32Array.from(randomArray(9 * 6, 6, 0, 9), Math.floor);
    const expected = model.predict([...Array(9)].map((_, i) => [...x.subarray(i * 6, i * 6 + 6)])).data;
    for (const entry of [esm, cjs]) {
      const loaded = await entry.loadModel(artifacts);
      expect(loaded.predict(entry.tensor(x, [9, 6])).data).toEqual(expected);
      loaded.dispose();
    }
    model.dispose();
  });

  test("loads and runs a model with a seeded Dropout (its generator is made only when training needs it)", async () => {
    const model = new Sequential([
      new layers.Dense(5, { inputShape: [3], activation: "relu", biasInitializer: "randomNormal" }),
      new layers.Dropout({ rate: 0.3, seed: 11 }),
      new layers.Dense(2),
    ]);
    const artifacts = await model.save();
    const x = randomArray(7 * 3, 5, -1, 1);
    const expected = model.predict([...Array(7)].map((_, i) => [...x.subarray(i * 3, i * 3 + 3)])).data;
    for (const entry of [esm, cjs]) {
      const loaded = await entry.loadModel(artifacts);
      expect(loaded.predict(entry.tensor(x, [7, 3])).data).toEqual(expected);
      loaded.dispose();
    }
    model.dispose();
  });

  test("keeps every initializer, regularizer and constraint in getConfig as densa does (its forward-only stand-ins)", async () => {
    const model = new Sequential([
      new layers.Dense(4, {
        inputShape: [3],
        kernelInitializer: { className: "HeNormal", config: { seed: 3 } },
        biasInitializer: "ones",
        kernelRegularizer: "l1l2",
        biasRegularizer: { className: "L2", config: { l2: 0.5 } },
        activityRegularizer: "l1",
        kernelConstraint: { className: "MaxNorm", config: { maxValue: 3, axis: 0 } },
        biasConstraint: "nonNeg",
      }),
      new layers.BatchNormalization({
        gammaConstraint: "unitNorm",
        betaRegularizer: "l2",
        movingVarianceInitializer: "ones",
      }),
      new layers.Dense(2, { kernelInitializer: "orthogonal", kernelConstraint: "max_norm" }),
    ]);
    const artifacts = await model.save();
    const expected = model.getConfig().layers.map((layer) => layer.config);
    for (const entry of [esm, cjs]) {
      const loaded = await entry.loadModel(artifacts);
      expect(loaded.getConfig().layers.map((layer) => layer.config)).toEqual(expected);
      loaded.dispose();
    }
    model.dispose();
  });

  test("refuses an unknown initializer or constraint in a file, as densa does", async () => {
    const model = new Sequential([new layers.Dense(2, { inputShape: [3] })]);
    const artifacts = await model.save();
    model.dispose();
    const edited = (key: string, value: unknown) => {
      const topology = JSON.parse(JSON.stringify(artifacts.modelTopology));
      topology.model_config.config.layers[0].config[key] = value;
      return { ...artifacts, modelTopology: topology };
    };
    for (const [key, value, message] of [
      ["kernel_initializer", { class_name: "NoSuchInit", config: {} }, /unknown initializer/],
      ["kernel_constraint", { class_name: "NoSuchConstraint", config: {} }, /unknown constraint/],
    ] as const) {
      const expectedError = await loadModel(edited(key, value)).then(
        () => "loaded",
        (error: Error) => error.message,
      );
      expect(expectedError).toMatch(message);
      for (const entry of [esm, cjs]) await expect(entry.loadModel(edited(key, value))).rejects.toThrow(expectedError);
    }
  });

  test("refuses what densa refuses, with the same error", async () => {
    const conv = JSON.parse(JSON.stringify(modelJson));
    conv.modelTopology.model_config.config.layers[0].class_name = "LSTM";
    await expect(esm.loadModel({ modelJson: conv, weights: shard })).rejects.toThrow(
      /densa cannot run layer class "LSTM"/,
    );
  });
});
