// compile's metrics by name (Keras 3's get_metric): "accuracy" / "acc" resolve by the output's shape and the
// loss's label format; every built-in answers to its snake_case, camelCase and short names and is keyed in
// history by the string given; names must be unique and not "loss".
import { beforeAll, describe, expect, test } from "vitest";
import { Loss } from "../../ts/losses/loss.js";
import { AUC, type ThresholdMetric } from "../../ts/metrics/confusion-metrics.js";
import { resolveMetrics } from "../../ts/metrics/index.js";
import { RootMeanSquaredError, TopKCategoricalAccuracy } from "../../ts/metrics/mean-metrics.js";
import { loadEngine } from "../helpers/wasm.js";

beforeAll(loadEngine);

const mse = new Loss("mean_squared_error");
const categorical = new Loss("categorical_crossentropy");
const sparse = new Loss("sparse_categorical_crossentropy");
const binary = new Loss("binary_crossentropy");

describe('"accuracy" and "acc"', () => {
  test.each([
    ["one output → binary", binary, 1, "BinaryAccuracy"],
    ["one output, even with a sparse loss → binary", sparse, 1, "BinaryAccuracy"],
    ["several outputs, integer labels → sparse categorical", sparse, 4, "SparseCategoricalAccuracy"],
    ["several outputs, one-hot targets → categorical", categorical, 4, "CategoricalAccuracy"],
    ["multi-label binary cross-entropy → categorical (as Keras 3)", binary, 3, "CategoricalAccuracy"],
  ])("%s", (_, loss, lastAxis, className) => {
    for (const name of ["accuracy", "acc"]) {
      const [metric] = resolveMetrics([name], loss, lastAxis, "metrics");
      expect([metric.className, metric.name]).toEqual([className, name]);
      metric.dispose();
    }
  });
});

describe("built-in names", () => {
  test.each([
    ["binary_accuracy", "BinaryAccuracy"],
    ["binaryAccuracy", "BinaryAccuracy"],
    ["categorical_accuracy", "CategoricalAccuracy"],
    ["categoricalAccuracy", "CategoricalAccuracy"],
    ["top_k_categorical_accuracy", "TopKCategoricalAccuracy"],
    ["topKCategoricalAccuracy", "TopKCategoricalAccuracy"],
    ["mean_absolute_error", "MeanAbsoluteError"],
    ["mae", "MeanAbsoluteError"],
    ["MAE", "MeanAbsoluteError"],
    ["meanAbsoluteError", "MeanAbsoluteError"],
    ["mean_squared_error", "MeanSquaredError"],
    ["mse", "MeanSquaredError"],
    ["MSE", "MeanSquaredError"],
    ["root_mean_squared_error", "RootMeanSquaredError"],
    ["rmse", "RootMeanSquaredError"],
    ["rootMeanSquaredError", "RootMeanSquaredError"],
    ["mean_absolute_percentage_error", "MeanAbsolutePercentageError"],
    ["mape", "MeanAbsolutePercentageError"],
    ["MAPE", "MeanAbsolutePercentageError"],
    ["precision", "Precision"],
    ["recall", "Recall"],
    ["auc", "AUC"],
    ["AUC", "AUC"],
  ])("%s → %s, keyed by the name given", (name, className) => {
    const [metric] = resolveMetrics([name], categorical, 3, "metrics");
    expect([metric.className, metric.name]).toEqual([className, name]);
    metric.dispose();
  });

  test("defaults: top-k with k 5, precision and recall at 0.5, AUC with 200 thresholds", () => {
    const [topK, sparseTopK, precision, recall, auc, rmse] = resolveMetrics(
      ["top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy", "precision", "recall", "auc", "rmse"],
      sparse,
      10,
      "metrics",
    );
    expect(topK).toBeInstanceOf(TopKCategoricalAccuracy);
    expect(topK.getConfig().config).toEqual({ name: "top_k_categorical_accuracy", k: 5 });
    expect(sparseTopK.getConfig().config).toEqual({ name: "sparse_top_k_categorical_accuracy", k: 5 });
    expect([(precision as ThresholdMetric).threshold, (recall as ThresholdMetric).threshold]).toEqual([0.5, 0.5]);
    expect([precision.className, recall.className]).toEqual(["Precision", "Recall"]);
    expect((auc as AUC).numThresholds).toBe(200);
    expect(rmse).toBeInstanceOf(RootMeanSquaredError);
    for (const metric of [topK, sparseTopK, precision, recall, auc, rmse]) metric.dispose();
  });

  test("sparse_categorical_accuracy needs integer labels; categorical_accuracy needs one-hot targets", () => {
    const [ok] = resolveMetrics(["sparse_categorical_accuracy"], sparse, 3, "metrics");
    expect(ok.className).toBe("SparseCategoricalAccuracy");
    const [alsoOk] = resolveMetrics(["categoricalAccuracy"], categorical, 3, "metrics");
    expect(alsoOk.className).toBe("CategoricalAccuracy");
    expect(() => resolveMetrics(["sparse_categorical_accuracy"], categorical, 3, "compile: metrics")).toThrow(
      "compile: metrics: sparse_categorical_accuracy expects integer labels but the loss categorical_crossentropy uses one-hot targets",
    );
    expect(() => resolveMetrics(["categorical_accuracy"], sparse, 3, "compile: metrics")).toThrow(
      "compile: metrics: categorical_accuracy expects one-hot targets but the loss sparse_categorical_crossentropy uses integer labels",
    );
    // Other metrics do not care about the label format.
    expect(resolveMetrics(["mae"], sparse, 3, "metrics")[0].className).toBe("MeanAbsoluteError");
  });

  test("instances pass through, in order, with the names they carry", () => {
    const mine = new AUC("roc", 10);
    const metrics = resolveMetrics(["mse", mine], mse, 1, "metrics");
    expect(metrics[1]).toBe(mine);
    expect(metrics.map((m) => m.name)).toEqual(["mse", "roc"]);
  });
});

describe("bad metrics name the argument", () => {
  test("unknown names list the valid ones", () => {
    expect(() => resolveMetrics(["f1"], mse, 1, "compile: metrics")).toThrow(
      'compile: metrics: unknown metric "f1"; expected one of accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy, top_k_categorical_accuracy, sparse_top_k_categorical_accuracy, mean_absolute_error, mean_squared_error, root_mean_squared_error, mean_absolute_percentage_error, precision, recall, auc, mae, mse, rmse, mape (or their camelCase names)',
    );
  });
  test("non-strings", () => {
    expect(() => resolveMetrics([3 as never], mse, 1, "compile: metrics")).toThrow(
      "compile: metrics: expected metric names or metrics.* instances, got number",
    );
  });
  test("duplicates and 'loss'", () => {
    expect(() => resolveMetrics(["mae", "mae"], mse, 1, "compile: metrics")).toThrow(
      'compile: metrics: metric names must be unique and not "loss", got "mae" twice',
    );
    expect(() => resolveMetrics([new AUC("loss")], mse, 1, "compile: metrics")).toThrow('got "loss" twice');
    expect(resolveMetrics(["mae", "mse"], mse, 1, "metrics")).toHaveLength(2);
    expect(resolveMetrics([], mse, 1, "metrics")).toEqual([]);
  });
});
