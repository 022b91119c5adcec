// densa, through its public API only, from the built package (`npm run build` writes dist/densa.js).
// Adapter interface (the same in every file of bench/peers/): see bench/README.md.
//
// `load({ init: options })` passes `options` to densa's init(); `activate()` calls init(options) again before
// every timed phase, so that two densa configurations (one thread, all threads) can take turns in one process
// (see densaAllThreadsInit in bench/scaling.mjs). A configuration with threads loads its own copy of dist/
// (a module instance of its own, with its own kernels and memory): one densa module holds one kernel build, and
// the one-thread rows must measure the default build, not the shared-memory one with its pool stopped.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The package's entry, or for a threaded configuration the entry of a private copy of dist/. */
async function densaModule(initOptions) {
  const dist = fileURLToPath(new URL("../../dist/", import.meta.url));
  if (!initOptions?.threads || initOptions.threads === 1) return import(pathToFileURL(join(dist, "densa.js")).href);
  const copy = mkdtempSync(join(tmpdir(), "densa-bench-threads-"));
  cpSync(dist, copy, { recursive: true, filter: (source) => !source.startsWith(join(dist, "types")) });
  process.once("exit", () => rmSync(copy, { recursive: true, force: true }));
  return import(pathToFileURL(join(copy, "densa.js")).href);
}

export async function load({ init: initOptions } = {}) {
  const { init, Sequential, layers, tensor } = await densaModule(initOptions);
  await init(initOptions);
  return {
    name: "densa",
    notes:
      "fit(): Adam (Keras default learning rate 1e-3), categorical cross-entropy, no shuffle" +
      (initOptions ? `; init(${JSON.stringify(initOptions)})` : ""),
    async activate() {
      if (initOptions) await init(initOptions);
    },
    async createClassifier({ inputs, hidden, classes }) {
      const model = new Sequential([
        new layers.Dense(hidden[0], { activation: "relu", inputShape: [inputs] }),
        ...hidden.slice(1).map((units) => new layers.Dense(units, { activation: "relu" })),
        new layers.Dense(classes, { activation: "softmax" }),
      ]);
      model.compile({ optimizer: "adam", loss: "categorical_crossentropy" });
      return {
        async train(x, y, count, batchSize) {
          await model.fit(tensor(x, [count, inputs]), tensor(y, [count, classes]), {
            epochs: 1,
            batchSize,
            shuffle: false,
            verbose: 0,
          });
        },
        predict(x, count) {
          // NOTE: batchSize = count: one call is one batch, as for the other libraries (densa's default is 32).
          return model.predict(tensor(x, [count, inputs]), { batchSize: Math.max(1, count) }).data;
        },
        /** The Dense layers as { kernel, bias, inputs, units, activation } (for the ONNX file of onnxruntime). */
        denseLayers() {
          return model.layers.map((layer) => {
            const [kernel, bias] = layer.getWeights();
            return {
              kernel: kernel.data,
              bias: bias.data,
              inputs: kernel.shape[0],
              units: kernel.shape[1],
              activation: layer.activation,
            };
          });
        },
        dispose() {
          model.dispose();
        },
      };
    },
  };
}
