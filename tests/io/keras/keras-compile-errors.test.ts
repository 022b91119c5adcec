// An optimizer, loss or metric densa does not have — a custom object above all — is an Error naming it when a
// Keras file is loaded with its training config; { compile: false } loads the model without it (and without
// the optimizer's state, which is read only for that optimizer).
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { init, loadModel } from "../../../ts/index.js";
import { haveKerasFiles, KERAS_FILES_DIR } from "./fixtures.js";
import { python, runPythonAsync } from "./h5py.js";
import { denseSequentialConfig, writeSyntheticKeras } from "./python-keras-writer.js";

const scratch = mkdtempSync(join(tmpdir(), "densa-compile-errors-"));

beforeAll(async () => {
  await init();
});

const SET_TRAINING_CONFIG = `
import sys, json, h5py
with h5py.File(sys.argv[1], 'r+') as f:
    config = json.loads(f.attrs['training_config'])
    config['optimizer_config']['class_name'] = sys.argv[2]
    f.attrs['training_config'] = json.dumps(config)
print('true')
`;

describe.skipIf(!python)("custom objects in the training config", () => {
  test.skipIf(!haveKerasFiles)(
    "a legacy .h5 whose optimizer is a custom class: an Error naming it; { compile: false } loads",
    async () => {
      const path = join(scratch, "custom-optimizer.h5");
      copyFileSync(`${KERAS_FILES_DIR}h5_k211_iris_activation.h5`, path);
      await runPythonAsync(SET_TRAINING_CONFIG, path, "Custom>FancyOptimizer");
      const bytes = new Uint8Array(readFileSync(path));
      await expect(loadModel(bytes)).rejects.toThrow(/FancyOptimizer[\s\S]*compile: false/);
      const model = await loadModel(bytes, { compile: false });
      expect(model.optimizer).toBeNull();
      model.dispose();
    },
  );

  test("a .keras whose optimizer state densa cannot lay out (Nadam): an Error on load, none with { compile: false }", async () => {
    const compile = {
      optimizer: {
        module: "keras.optimizers",
        class_name: "Nadam",
        config: { name: "nadam", learning_rate: 0.01 },
        registered_name: null,
      },
      loss: "mse",
      metrics: null,
      loss_weights: null,
      weighted_metrics: null,
    };
    const config = denseSequentialConfig(2, [{ units: 1, name: "out" }], compile);
    const datasets = {
      "layers/dense/vars/0": { dtype: "float32", shape: [2, 1], values: [0.5, -0.5] },
      "layers/dense/vars/1": { dtype: "float32", shape: [1], values: [0.25] },
      "optimizer/vars/0": { dtype: "int64", shape: [], values: [3] },
      "optimizer/vars/1": { dtype: "float32", shape: [], values: [0.01] },
      "optimizer/vars/2": { dtype: "float32", shape: [2, 1], values: [0.1, 0.2] },
      "optimizer/vars/3": { dtype: "float32", shape: [2, 1], values: [0.1, 0.2] },
    };
    writeSyntheticKeras({ config, datasets }, join(scratch, "nadam.json"), join(scratch, "nadam.keras"), (p, text) =>
      writeFileSync(p, text),
    );
    const bytes = new Uint8Array(readFileSync(join(scratch, "nadam.keras")));
    await expect(loadModel(bytes)).rejects.toThrow(/Nadam optimizer's state[\s\S]*compile: false/);
    const model = await loadModel(bytes, { compile: false });
    expect(Array.from(model.layers[0].weights[1].read().data)).toEqual([0.25]);
    model.dispose();
  });

  test("a custom loss or metric in compile_config: an Error naming it", async () => {
    for (const [key, value, name] of [
      ["loss", { module: null, class_name: "FocalLoss", config: {}, registered_name: "Custom>FocalLoss" }, "FocalLoss"],
      ["metrics", ["my_f1"], "my_f1"],
    ] as const) {
      const compile = {
        optimizer: {
          module: "keras.optimizers",
          class_name: "Adam",
          config: { name: "adam", learning_rate: 0.01 },
          registered_name: null,
        },
        loss: "mse",
        metrics: null,
        loss_weights: null,
        weighted_metrics: null,
        [key]: value,
      };
      const file = join(scratch, `custom-${key}.keras`);
      writeSyntheticKeras(
        {
          config: denseSequentialConfig(2, [{ units: 1, name: "out" }], compile),
          datasets: {
            "layers/dense/vars/0": { dtype: "float32", shape: [2, 1], values: [1, 2] },
            "layers/dense/vars/1": { dtype: "float32", shape: [1], values: [0] },
          },
        },
        `${file}.json`,
        file,
        (p, text) => writeFileSync(p, text),
      );
      const bytes = new Uint8Array(readFileSync(file));
      await expect(loadModel(bytes), key).rejects.toThrow(new RegExp(name));
      (await loadModel(bytes, { compile: false })).dispose();
    }
  });
});
