// BatchNormalization and LayerNormalization trained in a Sequential model, densa vs @tensorflow/tfjs: the same
// initial weights, the same 10 batches (trainOnBatch, no shuffling), SGD with momentum (tfjs's accumulate-gradients
// form equals Keras's at a constant learning rate). Every weight after training — γ, β and BatchNormalization's
// moving mean and variance included — and every step's loss agree to 1e-5 relative; predictions with the moving
// statistics too.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { layers, optimizers, Sequential, tensor } from "../../ts/index.js";
import { makeBatches, meanAbs, PARITY_RTOL, setupParity, worstRelative } from "../helpers/parity.js";
import { randomArray } from "../helpers/wasm.js";

beforeAll(setupParity);

const INPUTS = 6;
const batches = makeBatches(21, 10, 9, INPUTS, 2, (x) => [Math.tanh(x[0] - x[2]), x[1] * 0.5 + x[4], Math.sin(x[3])]);

interface Pair {
  densa: Sequential;
  tfjs: tf.Sequential;
}

/** Trains both 10 steps from the same (seeded) weights; returns the worst relative differences. */
async function train({ densa, tfjs }: Pair) {
  densa.build([INPUTS]);
  // NOTE: tfjs's getWeights / setWeights list trainable weights first (model.weights); densa and Keras list them
  // layer by layer. `variables` is the layer order, `slot` where each sits in tfjs's list.
  const variables = tfjs.layers.flatMap((layer) => layer.weights);
  const slot = variables.map((variable) => tfjs.weights.indexOf(variable));
  const initial = variables.map((variable, i) => {
    const positive = variable.name.includes("variance");
    return randomArray(
      (variable.shape as number[]).reduce((a, b) => a * b, 1),
      30 + i,
      positive ? 0.5 : -0.5,
      positive ? 1.5 : 0.5,
    );
  });
  const tfInitial: tf.Tensor[] = [];
  variables.forEach((variable, i) => (tfInitial[slot[i]] = tf.tensor(initial[i], variable.shape as number[])));
  tfjs.setWeights(tfInitial);
  densa.setWeights(initial.map((values, i) => tensor(values, variables[i].shape as number[])));
  densa.compile({ optimizer: new optimizers.SGD({ learningRate: 0.05, momentum: 0.9 }), loss: "mse" });
  tfjs.compile({ optimizer: tf.train.momentum(0.05, 0.9), loss: "meanSquaredError" });
  let lossError = 0;
  for (const batch of batches) {
    const densaLoss = densa.trainOnBatch(tensor(batch.x), tensor(batch.y)).loss;
    const xs = tf.tensor2d(batch.x),
      ys = tf.tensor2d(batch.y);
    const tfLoss = (await tfjs.trainOnBatch(xs, ys)) as number;
    tf.dispose([xs, ys]);
    lossError = Math.max(lossError, Math.abs(densaLoss - tfLoss) / Math.max(Math.abs(tfLoss), 1e-2));
  }
  const names = variables.map((variable) => variable.name);
  const tfList = tfjs.getWeights();
  const tfWeights = slot.map((at) => tfList[at].dataSync() as Float32Array);
  const densaWeights = densa.getWeights().map((weight) => weight.data);
  let weightError = 0,
    where = "",
    moved = 0;
  tfWeights.forEach((values, i) => {
    const { error, index } = worstRelative(densaWeights[i], values, meanAbs(values));
    if (error > weightError) {
      weightError = error;
      where = `${names[i]}[${index}]: densa ${densaWeights[i][index]} tfjs ${values[index]}`;
    }
    moved = Math.max(moved, worstRelative(values, initial[i], meanAbs(values)).error);
  });
  const probe = batches[0].x;
  const tfInput = tf.tensor2d(probe);
  const tfOutput = tfjs.predict(tfInput) as tf.Tensor;
  const predictionError = worstRelative(
    densa.predict(tensor(probe)).data,
    tfOutput.dataSync(),
    meanAbs(tfOutput.dataSync()),
  ).error;
  tf.dispose([tfInput, tfOutput]);
  densa.dispose();
  tfjs.dispose();
  return { lossError, weightError, where, moved, names, predictionError };
}

describe("10 steps of SGD with momentum, densa vs tfjs", () => {
  it("Dense → BatchNormalization → Dense: γ, β, moving mean and variance, losses and predictions", async () => {
    const tfjs = tf.sequential({
      layers: [
        tf.layers.dense({ units: 8, activation: "tanh", inputShape: [INPUTS] }),
        tf.layers.batchNormalization({ momentum: 0.8 }),
        tf.layers.dense({ units: 3 }),
      ],
    });
    const densa = new Sequential([
      new layers.Dense(8, { activation: "tanh" }),
      new layers.BatchNormalization({ momentum: 0.8 }),
      new layers.Dense(3),
    ]);
    const result = await train({ densa, tfjs });
    expect(result.names.filter((name) => name.includes("moving"))).toHaveLength(2);
    expect(result.moved, "training moved the weights").toBeGreaterThan(1e-2);
    expect(result.lossError, "losses").toBeLessThanOrEqual(PARITY_RTOL);
    expect(result.weightError, result.where).toBeLessThanOrEqual(PARITY_RTOL);
    expect(result.predictionError, "predictions with the moving statistics").toBeLessThanOrEqual(PARITY_RTOL);
  });

  it("Dense → LayerNormalization → Dense", async () => {
    const tfjs = tf.sequential({
      layers: [
        tf.layers.dense({ units: 8, inputShape: [INPUTS] }),
        tf.layers.layerNormalization({ epsilon: 1e-3 }),
        tf.layers.dense({ units: 3, activation: "tanh" }),
      ],
    });
    const densa = new Sequential([
      new layers.Dense(8),
      new layers.LayerNormalization(),
      new layers.Dense(3, { activation: "tanh" }),
    ]);
    const result = await train({ densa, tfjs });
    expect(result.moved).toBeGreaterThan(1e-2);
    expect(result.lossError, "losses").toBeLessThanOrEqual(PARITY_RTOL);
    expect(result.weightError, result.where).toBeLessThanOrEqual(PARITY_RTOL);
    expect(result.predictionError).toBeLessThanOrEqual(PARITY_RTOL);
  });
});
