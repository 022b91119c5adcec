// compile()'s metrics through save + load: a metric object keeps its class, name and options (thresholds, k,
// numThresholds), whether densa or Keras 3 wrote the training config.
import { beforeAll, describe, expect, test } from "vitest";
import { init, layers, loadModel, type ModelArtifacts, metrics, Sequential, tensor } from "../../ts/index.js";
import { randomArray } from "../helpers/wasm.js";

const ROWS = 40;
const x = tensor(randomArray(ROWS * 4, 31, -2, 2), [ROWS, 4]);
const binaryY = tensor(
  Float32Array.from({ length: ROWS * 3 }, (_, i) => ((i * 7) % 5 < 2 ? 1 : 0)),
  [ROWS, 3],
);
const oneHotY = tensor(
  Float32Array.from({ length: ROWS * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0)),
  [ROWS, 3],
);

beforeAll(() => init());

function model(activation: string): Sequential {
  return new Sequential([
    new layers.Dense(3, {
      inputShape: [4],
      activation,
      kernelInitializer: { className: "GlorotUniform", config: { seed: 2 } },
    }),
  ]);
}

function metricsOf(artifacts: ModelArtifacts): unknown {
  return (artifacts.modelTopology as { training_config: { metrics: unknown } }).training_config.metrics;
}

describe("metrics in the training config", () => {
  test.each([
    {
      what: "threshold metrics, a binary accuracy and plain names",
      activation: "sigmoid",
      loss: "binary_crossentropy",
      y: binaryY,
      metrics: () => [
        metrics.precision({ thresholds: 0.7, name: "p70" }),
        metrics.recall({ thresholds: 0.3 }),
        metrics.binaryAccuracy({ threshold: 0.8, name: "acc80" }),
        metrics.auc({ numThresholds: 17, name: "auc17" }),
        metrics.rootMeanSquaredError({ name: "rms" }),
        "mse",
      ],
    },
    {
      what: "top-k and categorical metrics",
      activation: "softmax",
      loss: "categorical_crossentropy",
      y: oneHotY,
      metrics: () => [
        metrics.topKCategoricalAccuracy({ k: 2, name: "top2" }),
        metrics.categoricalAccuracy({ name: "cat" }),
        metrics.meanAbsoluteError(),
        "accuracy",
      ],
    },
  ])("keep their options through save + load ($what)", async ({ activation, loss, y, metrics: make }) => {
    const original = model(activation);
    original.compile({ optimizer: "sgd", loss, metrics: make() });
    const artifacts = await original.save();
    const loaded = await loadModel(artifacts);
    expect(metricsOf(await loaded.save())).toEqual(metricsOf(artifacts));
    expect(await loaded.evaluate(x, y)).toEqual(await original.evaluate(x, y));
    original.dispose();
    loaded.dispose();
  });

  test("read from a Keras 3 file keep thresholds, k, numThresholds and names", async () => {
    const original = model("sigmoid");
    original.compile({ optimizer: "sgd", loss: "binary_crossentropy" });
    const artifacts = await original.save();
    const keras = (className: string, config: Record<string, unknown>) => ({
      module: "keras.metrics",
      class_name: className,
      config: { dtype: "float32", ...config },
      registered_name: null,
    });
    (artifacts.modelTopology as { training_config: { metrics: unknown } }).training_config.metrics = [
      [
        keras("Precision", { name: "precision_at_70", thresholds: 0.7, top_k: null, class_id: null }),
        keras("Recall", { name: "recall", thresholds: [0.25], top_k: null, class_id: null }),
        keras("BinaryAccuracy", { name: "binary_accuracy", threshold: 0.9 }),
        keras("AUC", {
          name: "auc",
          num_thresholds: 33,
          curve: "ROC",
          summation_method: "interpolation",
          multi_label: false,
          num_labels: null,
          label_weights: null,
          from_logits: false,
        }),
      ],
    ];
    const loaded = await loadModel(artifacts);
    const reference = model("sigmoid");
    reference.compile({
      optimizer: "sgd",
      loss: "binary_crossentropy",
      metrics: [
        metrics.precision({ thresholds: 0.7, name: "precision_at_70" }),
        metrics.recall({ thresholds: 0.25 }),
        metrics.binaryAccuracy({ threshold: 0.9 }),
        metrics.auc({ numThresholds: 33 }),
      ],
    });
    const scores = await loaded.evaluate(x, binaryY);
    expect(Object.keys(scores)).toEqual(["loss", "precision_at_70", "recall", "binary_accuracy", "auc"]);
    expect(scores).toEqual(await reference.evaluate(x, binaryY));
    loaded.dispose();
    reference.dispose();
    original.dispose();
  });

  test.each([
    ["Precision", { thresholds: 0.5, top_k: 2 }, /Precision.*top_k/],
    ["Recall", { thresholds: 0.5, class_id: 1 }, /Recall.*class_id/],
    ["Precision", { thresholds: [0.3, 0.6] }, /Precision.*thresholds.*one threshold/],
    ["AUC", { curve: "PR" }, /AUC.*curve/],
    ["AUC", { multi_label: true }, /AUC.*multi_label/],
  ])(
    "a Keras %s whose options densa cannot compute is an error, not a different metric",
    async (className, config, error) => {
      const original = model("sigmoid");
      original.compile({ optimizer: "sgd", loss: "binary_crossentropy" });
      const artifacts = await original.save();
      (artifacts.modelTopology as { training_config: { metrics: unknown } }).training_config.metrics = [
        { class_name: className, config: { name: "m", ...config } },
      ];
      await expect(loadModel(artifacts)).rejects.toThrow(error);
      original.dispose();
    },
  );
});
