// Legacy .h5 files keep Keras's optimizer state in `optimizer_weights`, in three forms (Keras ≤ 2.2's unnamed
// lists, TensorFlow 2's `Adam/dense/kernel/m:0`, Keras 3's `adam/dense_kernel_momentum`); densa restores each
// into the matching slot (checked against h5py's reading of the same file), and the next step of fit is Adam's
// step from exactly that state (checked against Adam's update rule in plain arithmetic).
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { init, loadModel, tensor } from "../../../ts/index.js";
import { haveKerasFiles, KERAS_FILES_DIR } from "./fixtures.js";
import { python, runPythonAsync } from "./h5py.js";

beforeAll(async () => {
  await init();
});

const OPTIMIZER_WEIGHTS = `
import sys, json, h5py, numpy as np
f = h5py.File(sys.argv[1], 'r')
g = f['optimizer_weights']
dec = lambda v: v.decode() if isinstance(v, bytes) else str(v)
print(json.dumps({dec(n): np.asarray(g[dec(n)][()]).astype(float).ravel().tolist() for n in g.attrs['weight_names']}))
`;

/** densa's state name → the file's name for it, per fixture (Keras's own naming of each generation). */
const CASES: { file: string; iterations: string; pairs: [string, string][] }[] = [
  // Keras 2.1: Adam's get_weights is [iterations] + ms + vs over (dense_1 kernel, bias, dense_2 kernel, bias).
  {
    file: "h5_k211_iris_activation.h5",
    iterations: "Adam/iterations:0",
    pairs: [
      ["dense_1/kernel/m", "training/Adam/Variable:0"],
      ["dense_2/bias/m", "training/Adam/Variable_3:0"],
      ["dense_1/kernel/v", "training/Adam/Variable_4:0"],
      ["dense_2/bias/v", "training/Adam/Variable_7:0"],
    ],
  },
  // Keras 2.2: the same, then a [1]-shaped vhat placeholder per weight (amsgrad off), which densa does not keep.
  {
    file: "h5_k222_crypto_dropout.h5",
    iterations: "Adam/iterations:0",
    pairs: [
      ["dense_1/kernel/m", "training/Adam/Variable:0"],
      ["dense_3/bias/v", "training/Adam/Variable_11:0"],
    ],
  },
  {
    file: "h5_k224tf_segmentation_batchnorm.h5",
    iterations: "Adam/iter:0",
    pairs: [
      ["dense/kernel/m", "Adam/dense/kernel/m:0"],
      ["batch_normalization_1/beta/v", "Adam/batch_normalization_1/beta/v:0"],
      ["dense_2/bias/v", "Adam/dense_2/bias/v:0"],
    ],
  },
  {
    file: "h5_k210_hdf5_named_dot_keras.keras",
    iterations: "Adam/iter:0",
    pairs: [
      ["dense_3/kernel/m", "Adam/dense_3/kernel/m:0"],
      ["dense_5/bias/v", "Adam/dense_5/bias/v:0"],
    ],
  },
  {
    file: "h5_k38_ncf_embedding.h5",
    iterations: "adam/iteration",
    pairs: [
      ["user_embedding/embeddings/m", "adam/user_embedding_embeddings_momentum"],
      ["dense_2/kernel/v", "adam/dense_2_kernel_velocity"],
    ],
  },
];

describe.skipIf(!haveKerasFiles || !python)("legacy .h5 optimizer state", () => {
  for (const { file, iterations, pairs } of CASES) {
    test(`${file}: iterations and slots restored where Keras kept them`, async () => {
      const stored = await runPythonAsync(OPTIMIZER_WEIGHTS, KERAS_FILES_DIR + file);
      const model = await loadModel(new Uint8Array(readFileSync(KERAS_FILES_DIR + file)));
      expect(model.optimizer!.iterations).toBe(stored[iterations][0]);
      const state = new Map(
        model
          .optimizer!.getWeights(model.layers.flatMap((layer) => layer.trainableWeights))
          .map((w) => [w.name, Array.from(w.values)]),
      );
      for (const [ours, theirs] of pairs) expect(state.get(ours), ours).toEqual(stored[theirs]);
      model.dispose();
    });
  }

  test("the next fit step is Adam's step from the restored moments and iteration count (Keras 2.2 file)", async () => {
    const file = "h5_k222_crypto_dropout.h5";
    const model = await loadModel(new Uint8Array(readFileSync(KERAS_FILES_DIR + file)));
    const optimizer = model.optimizer!;
    const config = optimizer.getConfig() as { learningRate: number; beta1: number; beta2: number; epsilon: number };
    const trainable = model.layers.flatMap((layer) => layer.trainableWeights);
    const bias = trainable.find((variable) => variable.name === "dense_3/bias")!;
    const before = new Map(optimizer.getWeights(trainable).map((w) => [w.name, Array.from(w.values)]));
    const w0 = Array.from(bias.read().data);
    const t = optimizer.iterations + 1;
    const rows = 8;
    const x = tensor(
      new Float32Array(rows * 6).map((_, i) => Math.sin(i * 1.7)),
      [rows, 6],
    );
    const y = tensor(
      new Float32Array(rows * 3).map((_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0)),
      [rows, 3],
    );
    await model.trainOnBatch(x, y);
    const after = new Map(optimizer.getWeights(trainable).map((w) => [w.name, Array.from(w.values)]));
    const w1 = Array.from(bias.read().data);
    const { learningRate: lr, beta1, beta2, epsilon } = config;
    const rate = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
    w0.forEach((w, i) => {
      const m0 = before.get("dense_3/bias/m")![i];
      const v0 = before.get("dense_3/bias/v")![i];
      const m1 = after.get("dense_3/bias/m")![i];
      const g = (m1 - beta1 * m0) / (1 - beta1);
      const v1 = beta2 * v0 + (1 - beta2) * g * g;
      expect(after.get("dense_3/bias/v")![i]).toBeCloseTo(v1, 6);
      expect(w1[i]).toBeCloseTo(w - (rate * m1) / (Math.sqrt(v1) + epsilon), 5);
    });
    expect(optimizer.iterations).toBe(t);
    model.dispose();
  });

  test("{ compile: false } skips the training config and the optimizer state", async () => {
    const model = await loadModel(new Uint8Array(readFileSync(`${KERAS_FILES_DIR}h5_k211_iris_activation.h5`)), {
      compile: false,
    });
    expect(model.optimizer).toBeNull();
    model.dispose();
  });
});
