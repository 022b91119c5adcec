// Metrics read back from a Keras config keep their class: SparseTopKCategoricalAccuracy is Keras's sparse top-k
// (its class, default name and k), scoring integer labels as a plain top-k count does, and saved again as itself.
import { beforeAll, describe, expect, test } from "vitest";
import { init, layers, loadModel, Sequential, setRandomSeed, tensor } from "../../../ts/index.js";
import { readKerasArchive } from "../../../ts/io/keras/keras-archive.js";
import { metricFromConfig } from "../../../ts/io/metric-config.js";
import type { Metric } from "../../../ts/metrics/index.js";

beforeAll(async () => {
  await init();
});

describe("SparseTopKCategoricalAccuracy from a Keras config", () => {
  test("keeps Keras's class, default name and k", () => {
    const metric = metricFromConfig("SparseTopKCategoricalAccuracy", { k: 2 }, "test") as Metric;
    expect(metric.getConfig()).toEqual({
      className: "SparseTopKCategoricalAccuracy",
      config: { name: "sparse_top_k_categorical_accuracy", k: 2 },
    });
    const dense = metricFromConfig("TopKCategoricalAccuracy", { k: 3, name: "top3" }, "test") as Metric;
    expect(dense.getConfig()).toEqual({ className: "TopKCategoricalAccuracy", config: { name: "top3", k: 3 } });
  });

  test("scores integer labels as a plain top-k count, and a .keras saves it as itself", async () => {
    setRandomSeed(3);
    const rows = 40;
    const model = new Sequential([new layers.Dense(5, { activation: "softmax", inputShape: [4] })]);
    const metric = metricFromConfig("SparseTopKCategoricalAccuracy", { k: 2 }, "test") as Metric;
    model.compile({ optimizer: "sgd", loss: "sparse_categorical_crossentropy", metrics: [metric] });
    const x = tensor(
      new Float32Array(rows * 4).map((_, i) => Math.sin(i * 3.1) * 2),
      [rows, 4],
    );
    const labels = Array.from({ length: rows }, (_, r) => (r * 7) % 5);
    const y = tensor(Float32Array.from(labels), [rows, 1]);
    const scores = await model.evaluate(x, y, { verbose: 0 });
    const p = model.predict(x).data;
    let hits = 0;
    labels.forEach((label, r) => {
      const row = Array.from(p.subarray(r * 5, r * 5 + 5));
      const higher = row.filter((value) => value > row[label]).length;
      if (higher < 2) hits++;
    });
    expect(scores.sparse_top_k_categorical_accuracy).toBeCloseTo(hits / rows, 6);
    const { config } = readKerasArchive(await model.toKeras(), "test") as { config: any };
    expect(config.compile_config.metrics).toEqual([
      { class_name: "SparseTopKCategoricalAccuracy", config: { name: "sparse_top_k_categorical_accuracy", k: 2 } },
    ]);
    const again = await loadModel(await model.toKeras());
    expect(Object.keys(await again.evaluate(x, y, { verbose: 0 }))).toContain("sparse_top_k_categorical_accuracy");
    model.dispose();
    again.dispose();
  });
});
