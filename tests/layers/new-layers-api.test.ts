// The single-input layers of issue 9 through the public API: config round trips (getConfig → the registry's
// fromConfig → an equal config), Keras 3 / Keras 2 snake_case files, densa → tfjs saving, training in a Sequential
// model, summary rows, and the errors a user meets (Embedding ids, bad options, maskZero).

import type * as TfModule from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { init, layers, loadModel, type ModelArtifacts, optimizers, Sequential, tensor } from "../../ts/index.js";
import type { Layer } from "../../ts/layers/layer.js";
import { LAYER_CLASSES, layerFromConfig } from "../../ts/layers/registry.js";
import { randomArray } from "../helpers/wasm.js";
import { loadTfjs, relativeMismatch } from "../io/tfjs.js";

let tf: typeof TfModule;
beforeAll(async () => {
  await init();
  tf = await loadTfjs();
});

/** One of each new layer with non-default options (each sample shape is [4, 3] unless it says otherwise). */
const LAYERS: (() => Layer)[] = [
  () =>
    new layers.BatchNormalization({
      axis: 1,
      momentum: 0.9,
      epsilon: 0.01,
      center: false,
      gammaRegularizer: "l2",
      gammaConstraint: "nonNeg",
      movingVarianceInitializer: "ones",
    }),
  () => new layers.LayerNormalization({ axis: [-2, -1], epsilon: 1e-5, rmsScaling: true, betaRegularizer: "l1" }),
  () => new layers.Embedding(10, 4, { embeddingsRegularizer: "l2", embeddingsConstraint: "unitNorm", name: "ids" }),
  () => new layers.Reshape([3, -1]),
  () => new layers.Permute([2, 1]),
  () => new layers.RepeatVector(3),
  () => new layers.Identity(),
  () => new layers.Rescaling(0.5, { offset: -1 }),
  () => new layers.UnitNormalization({ axis: [-2, -1] }),
  () => new layers.ActivityRegularization({ l1: 0.01, l2: 0.02 }),
  () => new layers.GaussianNoise(0.2, { seed: 4 }),
  () => new layers.GaussianDropout(0.3),
  () => new layers.AlphaDropout(0.1, { seed: 2 }),
  () => new layers.ReLU({ maxValue: 6, negativeSlope: 0.1, threshold: 0.5 }),
  () => new layers.LeakyReLU({ negativeSlope: 0.2 }),
  () => new layers.PReLU({ sharedAxes: [1], alphaInitializer: "ones", alphaRegularizer: "l2" }),
  () => new layers.ELU({ alpha: 0.5 }),
  () => new layers.Softmax(),
];

describe("configs", () => {
  it("every new layer is registered under its class name and rebuilds from its config to an equal config", () => {
    for (const make of LAYERS) {
      const layer = make();
      expect(Object.keys(LAYER_CLASSES)).toContain(layer.className);
      const config = layer.getConfig();
      const rebuilt = layerFromConfig({ className: layer.className, config }, "test");
      expect(rebuilt.className).toBe(layer.className);
      expect(rebuilt.getConfig()).toEqual(config);
    }
  });

  it("a Sequential model of them saves and reopens (densa's own format) with the same predictions", async () => {
    const model = new Sequential([
      new layers.Rescaling(0.5, { inputShape: [12] }),
      new layers.Reshape([4, 3]),
      new layers.PReLU({ sharedAxes: [1], alphaInitializer: { className: "RandomUniform", config: { seed: 1 } } }),
      new layers.LayerNormalization(),
      new layers.Permute([2, 1]),
      new layers.Flatten(),
      new layers.BatchNormalization(),
      new layers.GaussianNoise(0.1),
      new layers.ReLU({ maxValue: 3, negativeSlope: 0.05 }),
      new layers.RepeatVector(2),
      new layers.UnitNormalization(),
      new layers.Flatten(),
      new layers.Dense(5),
      new layers.ELU({ alpha: 0.5 }),
      new layers.LeakyReLU(),
      new layers.Softmax(),
    ]);
    let saved: ModelArtifacts | undefined;
    await model.save({
      save: async (artifacts: ModelArtifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: "JSON" } };
      },
    } as never);
    const loaded = await loadModel(saved!);
    const x = tensor(randomArray(7 * 12, 3, -2, 2), [7, 12]);
    expect(loaded.predict(x).data).toEqual(model.predict(x).data);
    expect(loaded.layers.map((layer) => layer.getConfig())).toEqual(model.layers.map((layer) => layer.getConfig()));
    model.dispose();
    loaded.dispose();
  });

  it("densa → tfjs: tfjs's loadLayersModel opens a densa file with the layers tfjs has and predicts the same", async () => {
    const model = new Sequential([
      new layers.Rescaling(0.5, { inputShape: [12] }),
      new layers.Reshape([4, 3]),
      new layers.PReLU({ sharedAxes: [1], alphaInitializer: { className: "RandomUniform", config: { seed: 1 } } }),
      new layers.LayerNormalization(),
      new layers.Permute([2, 1]),
      new layers.Flatten(),
      new layers.BatchNormalization({ movingMeanInitializer: { className: "RandomUniform", config: { seed: 2 } } }),
      new layers.GaussianNoise(0.1),
      new layers.GaussianDropout(0.2),
      new layers.AlphaDropout(0.1),
      new layers.ReLU({ maxValue: 3 }),
      new layers.RepeatVector(2),
      new layers.Flatten(),
      new layers.Dense(5),
      new layers.ELU(),
      new layers.LeakyReLU({ negativeSlope: 0.2 }),
      new layers.Dense(4),
      new layers.Softmax(),
    ]);
    let saved: ModelArtifacts | undefined;
    await model.save({
      save: async (artifacts: ModelArtifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: "JSON" } };
      },
    } as never);
    const x = tensor(randomArray(7 * 12, 3, -2, 2), [7, 12]);
    const tfModel = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    const tfInput = tf.tensor(x.data, [7, 12]);
    const tfOutput = tfModel.predict(tfInput) as TfModule.Tensor;
    expect(relativeMismatch(model.predict(x).data, tfOutput.dataSync(), 1e-5, 4)).toBeNull();
    tf.dispose([tfInput, tfOutput]);
    tfModel.dispose();
    model.dispose();
  });

  it("reads Keras's snake_case: Keras 2's BatchNormalization axis [1], LeakyReLU alpha, Embedding input_length", async () => {
    const modelTopology = {
      keras_version: "2.15.0",
      model_config: {
        class_name: "Sequential",
        config: {
          name: "keras2",
          layers: [
            { class_name: "InputLayer", config: { batch_input_shape: [null, 3], name: "input_1" } },
            {
              class_name: "Embedding",
              config: {
                name: "embedding",
                input_dim: 6,
                output_dim: 2,
                input_length: 3,
                mask_zero: false,
                embeddings_initializer: {
                  class_name: "RandomUniform",
                  config: { minval: -0.05, maxval: 0.05, seed: null },
                },
              },
            },
            { class_name: "Flatten", config: { name: "flatten" } },
            {
              class_name: "BatchNormalization",
              config: {
                name: "bn",
                axis: [1],
                momentum: 0.99,
                epsilon: 0.001,
                center: true,
                scale: true,
                renorm: false,
                fused: null,
              },
            },
            { class_name: "LeakyReLU", config: { name: "leaky", alpha: 0.1 } },
          ],
        },
      },
    };
    const shapes = [[6, 2], [6], [6], [6], [6]];
    const names = ["embedding/embeddings", "bn/gamma", "bn/beta", "bn/moving_mean", "bn/moving_variance"];
    const values = shapes.map((shape, i) =>
      randomArray(
        shape.reduce((a, b) => a * b, 1),
        50 + i,
        i === 4 ? 0.5 : -1,
        i === 4 ? 2 : 1,
      ),
    );
    const data = new Uint8Array(values.reduce((total, v) => total + v.byteLength, 0));
    values.reduce((offset, v) => (data.set(new Uint8Array(v.buffer), offset), offset + v.byteLength), 0);
    const loaded = await loadModel({
      modelJson: {
        modelTopology,
        weightsManifest: [
          {
            paths: ["w.bin"],
            weights: names.map((name, i) => ({ name, shape: shapes[i], dtype: "float32" as const })),
          },
        ],
      },
      weights: data,
    });
    expect(loaded.layers.map((layer) => layer.className)).toEqual([
      "Embedding",
      "Flatten",
      "BatchNormalization",
      "LeakyReLU",
    ]);
    expect((loaded.layers[3] as layers.LeakyReLU).negativeSlope).toBeCloseTo(0.1, 7);
    const ids = [
      [0, 5, 2],
      [3, 3, 1],
    ];
    const [table, gamma, beta, mean, variance] = values;
    const expected = ids
      .flatMap((row) => row.flatMap((id) => [table[id * 2], table[id * 2 + 1]]))
      .map((value, j) => {
        const z = ((value - mean[j % 6]) / Math.sqrt(variance[j % 6] + 0.001)) * gamma[j % 6] + beta[j % 6];
        return z > 0 ? z : 0.1 * z;
      });
    const actual = loaded.predict(ids).data;
    expect(relativeMismatch(actual, expected, 1e-5, 6)).toBeNull();
    loaded.dispose();
  });
});

describe("training in a Sequential model", () => {
  it("each layer trains (fit lowers the loss) and shows in summary with its output shape and parameter count", async () => {
    const cases: [string, Layer[], number][] = [
      ["BatchNormalization", [new layers.Dense(8, { activation: "relu" }), new layers.BatchNormalization()], 8 * 4],
      ["LayerNormalization", [new layers.Dense(8), new layers.LayerNormalization()], 16],
      ["PReLU", [new layers.Dense(8), new layers.PReLU()], 8],
      [
        "GaussianNoise + AlphaDropout",
        [new layers.Dense(8, { activation: "selu" }), new layers.GaussianNoise(0.05), new layers.AlphaDropout(0.1)],
        0,
      ],
      ["GaussianDropout + ReLU", [new layers.Dense(8), new layers.ReLU(), new layers.GaussianDropout(0.1)], 0],
      [
        "UnitNormalization + Rescaling",
        [new layers.Dense(8), new layers.UnitNormalization(), new layers.Rescaling(3)],
        0,
      ],
      [
        "RepeatVector + Permute + Reshape",
        [
          new layers.Dense(4, { activation: "tanh" }),
          new layers.RepeatVector(2),
          new layers.Permute([2, 1]),
          new layers.Reshape([8]),
        ],
        0,
      ],
    ];
    const xs = randomArray(64 * 5, 7, -1, 1);
    const ys = Float32Array.from({ length: 64 }, (_, i) => Math.sin(xs[i * 5] * 2) + xs[i * 5 + 1] * xs[i * 5 + 2]);
    for (const [name, middle, extraParams] of cases) {
      const model = new Sequential([layers.Input({ shape: [5] }), ...middle, new layers.Dense(1)]);
      model.compile({ optimizer: new optimizers.Adam({ learningRate: 0.02 }), loss: "mse" });
      const history = await model.fit(tensor(xs, [64, 5]), tensor(ys, [64, 1]), {
        epochs: 15,
        batchSize: 16,
        verbose: 0,
        seed: 3,
      });
      const loss = history.history.loss;
      expect(loss[loss.length - 1], name).toBeLessThan(loss[0]);
      const lines: string[] = [];
      model.summary((line: string) => lines.push(line));
      // NOTE: Keras's layout wraps a long "name (Class)" onto a second line; the counts sit on the first.
      const at = lines.findIndex((line) => line.includes(`(${middle[1].className})`));
      expect(at, `${name}: summary row`).toBeGreaterThan(0);
      const params = middle[1].countParams();
      expect(params, name).toBe(extraParams);
      expect(lines[at].includes(`${params} │`) || lines[at - 1].includes(`${params} │`), lines.join("\n")).toBe(true);
      model.dispose();
    }
  });

  it("a frozen BatchNormalization (trainable false) keeps γ, β and its moving statistics while the rest trains, as Keras 3", async () => {
    const bn = new layers.BatchNormalization({
      trainable: false,
      movingMeanInitializer: { className: "RandomUniform", config: { seed: 3 } },
    });
    const model = new Sequential([new layers.Dense(6, { inputShape: [5] }), bn, new layers.Dense(1)]);
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: "mse" });
    const before = bn.getWeights().map((weight) => Array.from(weight.data));
    const dense = model.layers[0].getWeights()[0].data;
    await model.fit(tensor(randomArray(32 * 5, 4), [32, 5]), tensor(randomArray(32, 5), [32, 1]), {
      epochs: 2,
      batchSize: 8,
      verbose: 0,
    });
    expect(bn.getWeights().map((weight) => Array.from(weight.data))).toEqual(before);
    expect(model.layers[0].getWeights()[0].data).not.toEqual(dense);
    expect(bn.trainableWeights).toHaveLength(0);
    expect(bn.nonTrainableWeights).toHaveLength(4);
    model.dispose();
  });

  it("Embedding + Flatten + Dense learns a per-id target from Int32Array ids", async () => {
    const ids = Int32Array.from({ length: 96 }, (_, i) => (i * 7) % 12);
    const ys = Float32Array.from(ids, (id) => (id % 3) - 1);
    const model = new Sequential([
      new layers.Embedding(12, 3, { inputShape: [1] }),
      new layers.Flatten(),
      new layers.Dense(1),
    ]);
    model.compile({ optimizer: new optimizers.Adam({ learningRate: 0.05 }), loss: "mse" });
    const history = await model.fit(ids as never, tensor(ys, [96, 1]), {
      epochs: 30,
      batchSize: 16,
      verbose: 0,
      seed: 1,
    });
    expect(history.history.loss.at(-1)!).toBeLessThan(0.05);
    model.dispose();
  });
});

describe("memory", () => {
  it("build / fit / predict / dispose of a model with every new layer frees every block it took", async () => {
    const engine = getEngine();
    const cycle = async () => {
      const model = new Sequential([
        new layers.Embedding(9, 4, { inputShape: [6] }),
        new layers.BatchNormalization(),
        new layers.LayerNormalization(),
        new layers.Permute([2, 1]),
        new layers.Reshape([-1]),
        new layers.Rescaling(2),
        new layers.GaussianNoise(0.3, { seed: 1 }),
        new layers.GaussianDropout(0.3, { seed: 2 }),
        new layers.AlphaDropout(0.2, { seed: 3 }),
        new layers.ReLU({ maxValue: 2 }),
        new layers.Identity(),
        new layers.ActivityRegularization({ l2: 0.1 }),
        new layers.Reshape([4, 6]),
        new layers.PReLU({ sharedAxes: [1] }),
        new layers.UnitNormalization(),
        new layers.LeakyReLU(),
        new layers.ELU(),
        new layers.Flatten(),
        new layers.RepeatVector(2),
        new layers.Softmax(),
        new layers.Flatten(),
        new layers.Dense(1),
      ]);
      model.compile({ optimizer: "adam", loss: "mse" });
      const ids = Float32Array.from(randomArray(16 * 6, 6, 0, 9), Math.floor);
      await model.fit(tensor(ids, [16, 6]), tensor(randomArray(16, 7), [16, 1]), {
        epochs: 1,
        batchSize: 8,
        verbose: 0,
      });
      model.predict(tensor(ids, [16, 6]));
      model.dispose();
    };
    await cycle(); // the first run creates the process-wide pieces (generators, scratch) once
    const before = { bytes: engine.allocator.bytesInUse, blocks: engine.allocator.liveBlocks };
    for (let i = 0; i < 5; i++) await cycle();
    expect({ bytes: engine.allocator.bytesInUse, blocks: engine.allocator.liveBlocks }).toEqual(before);
  });
});

describe("errors", () => {
  const embeddingModel = () => {
    const model = new Sequential([new layers.Embedding(5, 2, { inputShape: [3], name: "cities" })]);
    model.build([3]);
    return model;
  };

  for (const [bad, what] of [
    [5, "5"],
    [-1, "-1"],
    [2.5, "2.5"],
  ] as const) {
    it(`an Embedding id ${what} is an Error naming the id, the sample and the position`, () => {
      const model = embeddingModel();
      const x = tensor([
        [0, 1, 2],
        [3, bad, 4],
      ]);
      expect(() => model.predict(x)).toThrow(
        `cities: embedding ids must be whole numbers in [0, 5) (inputDim 5), got ${what} at sample 1, position 1`,
      );
      model.dispose();
    });
  }

  it("an Embedding id out of range stops fit before any weight changes", async () => {
    const model = embeddingModel();
    model.compile({ optimizer: "sgd", loss: "mse" });
    const before = model.getWeights()[0].data;
    await expect(
      model.fit(
        tensor([[0, 1, 9]]),
        tensor([
          [
            [0, 0],
            [0, 0],
            [0, 0],
          ],
        ]),
        { epochs: 1, verbose: 0 },
      ),
    ).rejects.toThrow("got 9 at sample 0, position 2");
    expect(model.getWeights()[0].data).toEqual(before);
    model.dispose();
  });

  it("maskZero, bad options and shapes are refused with clear messages", () => {
    expect(() => new layers.Embedding(5, 2, { maskZero: true })).toThrow("maskZero boolean true is not supported");
    expect(() => new layers.BatchNormalization({ axis: 0 })).toThrow("axis 0 is the batch axis");
    expect(() => new layers.BatchNormalization({ momentum: 2 })).toThrow("momentum must be");
    expect(() => new layers.Reshape([-1, -1])).toThrow("at most one −1");
    expect(() => new layers.Permute([1, 3])).toThrow("dims must be a permutation");
    expect(() => new layers.LeakyReLU({ alpha: 0.1, negativeSlope: 0.2 })).toThrow("not both");
    expect(() => new layers.GaussianDropout(1)).toThrow("rate must be");
    expect(() => new layers.AlphaDropout(0.1, { noiseShape: [1, 2] as never })).toThrow("noiseShape is not supported");
    expect(() => new layers.Rescaling({ scale: [1, 2] as never })).toThrow("per-channel lists are not supported");
    expect(() => new layers.ReLU({ maxValue: -1 })).toThrow("maxValue must be");
    expect(() => new layers.ReLU({ threshold: -0.5 })).toThrow("threshold must be a finite number >= 0");
    expect(() => new layers.BatchNormalization({ axsi: 1 } as never)).toThrow('unknown option "axsi"');
    const reshape = new layers.Reshape([5]);
    expect(() => reshape.build([4, 3])).toThrow("cannot reshape an input of shape [4, 3] (12 values) to [5]");
    const norm = new layers.LayerNormalization({ axis: 1 });
    expect(() => norm.build([4, 3])).toThrow("normalizes over the last axes");
    const softmax = new layers.Softmax({ axis: 1 });
    expect(() => softmax.build([4, 3])).toThrow("along the last axis");
    const repeat = new layers.RepeatVector(2);
    expect(() => repeat.build([4, 3])).toThrow("add a Flatten layer before it");
  });
});
