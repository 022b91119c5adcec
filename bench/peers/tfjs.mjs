// TensorFlow.js 4.x Layers API on the wasm backend (XNNPACK, SIMD; single-threaded in Node, where
// WASM_HAS_MULTITHREAD_SUPPORT is false) or on the plain-JS cpu backend. `load({ backend })` picks one; both can
// live in one process because every measurement first switches to its model's backend (`activate`).
import * as tf from "@tensorflow/tfjs";

// NOTE: production mode drops tfjs's debug-only correctness checks and its "install tfjs-node" console banner;
// it can only make tfjs faster, which is the fair way to compare.
tf.enableProdMode();

export async function load({ backend = "wasm" } = {}) {
  // Registers the wasm backend; only its variant pays for loading it (the cpu backend ships in @tensorflow/tfjs).
  if (backend === "wasm") await import("@tensorflow/tfjs-backend-wasm");
  const activate = async () => {
    if (tf.getBackend() !== backend) await tf.setBackend(backend);
  };
  await activate();
  if (tf.getBackend() !== backend) throw new Error(`tfjs: backend "${backend}" did not initialise`);
  return {
    name: `tfjs-${backend}`,
    notes: `@tensorflow/tfjs ${tf.version.tfjs}, backend ${backend}; model.fit() with tf.train.adam(1e-3), categoricalCrossentropy`,
    activate,
    async createClassifier({ inputs, hidden, classes }) {
      await activate();
      const model = tf.sequential({
        layers: [
          tf.layers.dense({ units: hidden[0], activation: "relu", inputShape: [inputs] }),
          ...hidden.slice(1).map((units) => tf.layers.dense({ units, activation: "relu" })),
          tf.layers.dense({ units: classes, activation: "softmax" }),
        ],
      });
      model.compile({ optimizer: tf.train.adam(1e-3), loss: "categoricalCrossentropy" });
      return {
        async train(x, y, count, batchSize) {
          const xs = tf.tensor2d(x, [count, inputs]);
          const ys = tf.tensor2d(y, [count, classes]);
          await model.fit(xs, ys, { epochs: 1, batchSize, shuffle: false, verbose: 0 });
          xs.dispose();
          ys.dispose();
        },
        predict(x, count) {
          // NOTE: batchSize = count: one call is one batch, as for every library here (tfjs's default is 32).
          const output = tf.tidy(() =>
            model.predict(tf.tensor2d(x, [count, inputs]), { batchSize: Math.max(1, count) }),
          );
          const values = output.dataSync();
          output.dispose();
          return values;
        },
        dispose() {
          model.dispose();
        },
      };
    },
  };
}
