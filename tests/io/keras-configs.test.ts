// Topologies and training configs as Keras 2, Keras 3 and tfjs write them (written here from their formats):
// each loads into the model it describes — checked against the same model built by hand, bit for bit.
import { beforeAll, describe, expect, test } from "vitest";
import { init, layers, loadModel, Sequential, tensor, type WeightSpec } from "../../ts/index.js";
import { randomArray } from "../helpers/wasm.js";

beforeAll(async () => {
  await init();
});

const policy = { module: "keras", class_name: "DTypePolicy", config: { name: "float32" }, registered_name: null };
const keras3Initializer = (className: string) => ({
  module: "keras.initializers",
  class_name: className,
  config: { seed: null },
  registered_name: null,
});

/** A Keras 3 Dense config (with the keys Keras 3.x writes). */
function keras3Dense(name: string, units: number, activation: string) {
  return {
    module: "keras.layers",
    class_name: "Dense",
    registered_name: null,
    build_config: { input_shape: null },
    config: {
      name,
      trainable: true,
      dtype: policy,
      units,
      activation,
      use_bias: true,
      kernel_initializer: keras3Initializer("GlorotUniform"),
      bias_initializer: { ...keras3Initializer("Zeros"), config: {} },
      kernel_regularizer: null,
      bias_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
      quantization_config: null,
    },
  };
}

/** Random weights for `shapes`, as specs named by `names` and one buffer; also the values, for setWeights. */
function weightsFor(names: string[], shapes: number[][], seed: number, ranges: [number, number][] = []) {
  const values = shapes.map((shape, i) =>
    randomArray(
      shape.reduce((a, b) => a * b, 1),
      seed + i,
      ...(ranges[i] ?? [-1, 1]),
    ),
  );
  const specs: WeightSpec[] = names.map((name, i) => ({ name, shape: shapes[i], dtype: "float32" }));
  const data = new Uint8Array(values.reduce((total, v) => total + v.byteLength, 0));
  values.reduce((offset, v) => (data.set(new Uint8Array(v.buffer), offset), offset + v.byteLength), 0);
  return { specs, data, tensors: values.map((v, i) => tensor(v, shapes[i])) };
}

/** Loads `modelTopology` with the weights, and checks it predicts bit for bit what `byHand` does with them. */
async function expectLoadsAs(
  modelTopology: object,
  weights: ReturnType<typeof weightsFor>,
  byHand: Sequential,
  features: number,
) {
  const loaded = await loadModel({
    modelJson: { modelTopology, weightsManifest: [{ paths: ["w.bin"], weights: weights.specs }] },
    weights: weights.data,
  });
  byHand.setWeights(weights.tensors);
  const x = tensor(randomArray(17 * features, 99, -3, 3), [17, features]);
  expect(loaded.predict(x).data).toEqual(byHand.predict(x).data);
  expect(loaded.getWeights()).toEqual(byHand.getWeights());
  return loaded;
}

describe("Keras 3", () => {
  const shapes = [[4, 6], [6], [6, 3], [3]];
  const topology = (layerEntries: unknown[], extra: object = {}) => ({
    keras_version: "3.10.0",
    backend: "tensorflow",
    model_config: {
      module: "keras",
      class_name: "Sequential",
      registered_name: null,
      config: { name: "sequential", trainable: true, dtype: policy, layers: layerEntries, ...extra },
    },
    training_config: {
      loss: {
        module: "keras.losses",
        class_name: "CategoricalCrossentropy",
        config: {
          name: "categorical_crossentropy",
          reduction: "sum_over_batch_size",
          from_logits: false,
          label_smoothing: 0.1,
          axis: -1,
        },
        registered_name: null,
      },
      metrics: [["accuracy"]],
      weighted_metrics: null,
      optimizer_config: {
        module: "keras.optimizers",
        class_name: "Adam",
        registered_name: null,
        config: {
          name: "adam",
          learning_rate: {
            module: "keras.optimizers.schedules",
            class_name: "ExponentialDecay",
            config: {
              initial_learning_rate: 0.01,
              decay_steps: 10,
              decay_rate: 0.5,
              staircase: false,
              name: "ExponentialDecay",
            },
            registered_name: null,
          },
          weight_decay: null,
          clipnorm: null,
          global_clipnorm: null,
          clipvalue: null,
          use_ema: false,
          ema_momentum: 0.99,
          ema_overwrite_frequency: null,
          loss_scale_factor: null,
          gradient_accumulation_steps: null,
          beta_1: 0.85,
          beta_2: 0.995,
          epsilon: 1e-7,
          amsgrad: false,
        },
      },
    },
  });

  test("InputLayer batch_shape, dtype policies, module keys, model-prefixed weight names, the training config", async () => {
    const layersJson = [
      {
        module: "keras.layers",
        class_name: "InputLayer",
        registered_name: null,
        config: {
          batch_shape: [null, 4],
          dtype: "float32",
          sparse: false,
          ragged: false,
          name: "input_layer",
          optional: false,
        },
      },
      keras3Dense("dense", 6, "silu"),
      keras3Dense("dense_1", 3, "softmax"),
    ];
    const weights = weightsFor(
      ["sequential/dense/kernel", "sequential/dense/bias", "sequential/dense_1/kernel", "sequential/dense_1/bias"],
      shapes,
      1,
    );
    const byHand = new Sequential([
      new layers.Dense(6, { activation: "swish", inputShape: [4] }),
      new layers.Dense(3, { activation: "softmax" }),
    ]);
    const loaded = await expectLoadsAs(topology(layersJson), weights, byHand, 4);
    expect(loaded.layers.map((layer) => layer.name)).toEqual(["dense", "dense_1"]);
    expect(loaded.loss?.getConfig()).toMatchObject({
      className: "CategoricalCrossentropy",
      config: { labelSmoothing: 0.1 },
    });
    expect(loaded.metricsNames).toEqual(["loss", "accuracy"]);
    expect(loaded.optimizer?.getConfig()).toMatchObject({ beta1: 0.85, beta2: 0.995 });
    expect(loaded.optimizer?.schedule?.getConfig()).toMatchObject({
      initialLearningRate: 0.01,
      decaySteps: 10,
      decayRate: 0.5,
    });
    loaded.dispose();
    byHand.dispose();
  });

  test("bare weight names (kernel, bias) are matched by position; build_input_shape gives the input", async () => {
    const weights = weightsFor(["kernel", "bias", "kernel", "bias"], shapes, 5);
    const byHand = new Sequential([
      new layers.Dense(6, { activation: "gelu", inputShape: [4] }),
      new layers.Dense(3, { activation: "log_softmax" }),
    ]);
    const loaded = await expectLoadsAs(
      topology([keras3Dense("dense", 6, "gelu"), keras3Dense("dense_1", 3, "log_softmax")], {
        build_input_shape: [null, 4],
      }),
      weights,
      byHand,
      4,
    );
    loaded.dispose();
    byHand.dispose();
  });

  test("Normalization with axis [-1] and Keras 3's extra weights named by layer", async () => {
    const normalization = {
      module: "keras.layers",
      class_name: "Normalization",
      registered_name: null,
      config: {
        name: "normalization",
        trainable: true,
        dtype: policy,
        axis: [-1],
        invert: false,
        mean: null,
        variance: null,
      },
    };
    const weights = weightsFor(
      ["normalization/mean", "normalization/variance", "dense/kernel", "dense/bias"],
      [[4], [4], [4, 3], [3]],
      9,
      [
        [-1, 1],
        [0.5, 2],
      ],
    );
    const byHand = new Sequential([
      new layers.Normalization({ inputShape: [4] }),
      new layers.Dense(3, { activation: "relu6" }),
    ]);
    const loaded = await expectLoadsAs(
      topology([
        { class_name: "InputLayer", config: { batch_shape: [null, 4], dtype: "float32", name: "input" } },
        normalization,
        keras3Dense("dense", 3, "relu6"),
      ]),
      weights,
      byHand,
      4,
    );
    loaded.dispose();
    byHand.dispose();
  });

  test("Keras 3's hard_sigmoid (relu6(x + 3) / 6) is refused by name, not run as tfjs's", async () => {
    const weights = weightsFor(["dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias"], shapes, 2);
    const json = topology([keras3Dense("dense", 6, "hard_sigmoid"), keras3Dense("dense_1", 3, "linear")], {
      build_input_shape: [null, 4],
    });
    await expect(
      loadModel({
        modelJson: { modelTopology: json, weightsManifest: [{ paths: [], weights: weights.specs }] },
        weights: weights.data,
      }),
    ).rejects.toThrow(/Keras 3's hard_sigmoid .* densa cannot run it/);
  });

  test("a mixed-precision dtype policy is refused", async () => {
    const weights = weightsFor(["dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias"], shapes, 2);
    const dense = keras3Dense("dense", 6, "relu");
    dense.config.dtype = { ...policy, class_name: "DTypePolicy", config: { name: "mixed_float16" } };
    const json = topology([dense, keras3Dense("dense_1", 3, "linear")], { build_input_shape: [null, 4] });
    await expect(
      loadModel({
        modelJson: { modelTopology: json, weightsManifest: [{ paths: [], weights: weights.specs }] },
        weights: weights.data,
      }),
    ).rejects.toThrow(/computes in string "mixed_float16"; densa computes in float32 only/);
  });
});

describe("Keras 2", () => {
  const keras2Dense = (name: string, units: number, activation: string, extra: object = {}) => ({
    class_name: "Dense",
    config: {
      name,
      trainable: true,
      dtype: "float32",
      units,
      activation,
      use_bias: true,
      kernel_initializer: {
        class_name: "VarianceScaling",
        config: { scale: 1, mode: "fan_avg", distribution: "uniform", seed: null },
      },
      bias_initializer: { class_name: "Zeros", config: {} },
      kernel_regularizer: { class_name: "L2", config: { l2: 0.01 } },
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
      ...extra,
    },
  });

  test("TensorFlow ':0' suffixes, a copy suffix on layer names, the list form of old Sequential configs, lr and decay", async () => {
    const modelTopology = {
      keras_version: "2.2.4",
      backend: "tensorflow",
      model_config: {
        class_name: "Sequential",
        config: [
          keras2Dense("dense_1", 5, "elu", { batch_input_shape: [null, 3] }),
          keras2Dense("dense_2", 2, "sigmoid"),
        ],
      },
      training_config: {
        optimizer_config: { class_name: "RMSprop", config: { lr: 0.002, rho: 0.8, decay: 0.01, epsilon: 1e-7 } },
        loss: "binary_crossentropy",
        metrics: ["acc"],
        weighted_metrics: null,
        sample_weight_mode: null,
        loss_weights: null,
      },
    };
    const weights = weightsFor(
      ["dense_1/kernel:0", "dense_1/bias:0", "dense_2_1/kernel:0", "dense_2_1/bias:0"],
      [[3, 5], [5], [5, 2], [2]],
      3,
    );
    const byHand = new Sequential([
      new layers.Dense(5, { activation: "elu", inputShape: [3] }),
      new layers.Dense(2, { activation: "sigmoid" }),
    ]);
    const loaded = await expectLoadsAs(modelTopology, weights, byHand, 3);
    expect((loaded.layers[0] as layers.Dense).kernelRegularizer?.l2).toBe(0.01);
    const optimizer = loaded.optimizer!;
    expect(optimizer.className).toBe("RMSprop");
    expect(optimizer.getConfig()).toMatchObject({ rho: 0.8 });
    // Keras 2's decay: lr / (1 + decay · iterations)
    expect(optimizer.schedule?.call(0)).toBeCloseTo(0.002, 9);
    expect(optimizer.schedule?.call(100)).toBeCloseTo(0.002 / 2, 9);
    loaded.dispose();
    byHand.dispose();
  });
});

describe("camelCase configs", () => {
  test("className / config pairs and camelCase keys, as tfjs keeps them in memory", async () => {
    const modelTopology = {
      className: "Sequential",
      config: {
        name: "camel",
        layers: [
          {
            className: "Dense",
            config: {
              name: "d1",
              units: 4,
              activation: "hardSigmoid",
              useBias: true,
              batchInputShape: [null, 2],
              kernelInitializer: { className: "GlorotNormal", config: {} },
            },
          },
          { className: "Dropout", config: { name: "drop", rate: 0.5 } },
          { className: "Dense", config: { name: "d2", units: 2, activation: "logSoftmax", useBias: false } },
        ],
      },
    };
    const weights = weightsFor(["d1/kernel", "d1/bias", "d2/kernel"], [[2, 4], [4], [4, 2]], 4);
    const byHand = new Sequential([
      new layers.Dense(4, { activation: "hard_sigmoid", inputShape: [2] }),
      new layers.Dropout(0.5),
      new layers.Dense(2, { activation: "log_softmax", useBias: false }),
    ]);
    const loaded = await expectLoadsAs(modelTopology, weights, byHand, 2);
    expect(loaded.name).toBe("camel");
    expect(loaded.optimizer).toBeNull(); // no training config, no compile
    loaded.dispose();
    byHand.dispose();
  });
});
