// densa vs @tensorflow/tfjs: every activation both have, as Dense's activation (hidden and output) and as an
// Activation layer (hidden and output), 10 SGD steps on mean squared error; losses, mae and final weights to
// 1e-5 relative (floors in tests/helpers/parity.ts). Inputs are scaled so that the piecewise activations meet
// their kinks and saturations (relu6 above 6, hard_sigmoid beyond ±2.5).
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, it } from "vitest";
import { optimizers } from "../../ts/index.js";
import { expectParity, type LayerSpec, makeBatches, runParity, setupParity } from "../helpers/parity.js";

// NOTE: tfjs's hardSigmoid is clip(0.2·x + 0.5, 0, 1), densa's hard_sigmoid (the tfjs / Keras 2 form); tfjs's gelu is
// the erf form (Keras 3's default), gelu_new the tanh approximation; elu's α is 1 in both.
const ACTIVATIONS = [
  "relu",
  "sigmoid",
  "tanh",
  "softmax",
  "elu",
  "selu",
  "softplus",
  "softsign",
  "swish",
  "gelu",
  "gelu_new",
  "relu6",
  "hard_sigmoid",
  "mish",
  "linear",
  "log_softmax",
];
const INPUT_SCALE: Record<string, number> = { relu6: 6, hard_sigmoid: 3 };

const target = (x: number[], random: () => number) => [Math.tanh(x[0] - x[1]), 0.5 * x[2] * x[3] - 0.2, random()];
/** log_softmax outputs are log-probabilities: its targets are too (and a smaller step keeps MSE on them stable). */
const logProbabilities = (x: number[], random: () => number) => {
  const raw = [random() + 0.1, Math.exp(0.5 * x[0]), 1 / (1 + x[1] * x[1])];
  const total = raw.reduce((a, b) => a + b);
  return raw.map((v) => Math.log(v / total));
};
const LEARNING_RATE: Record<string, number> = { log_softmax: 0.02 };

function run(layers: LayerSpec[], activation: string) {
  return runParity({
    inputs: 7,
    layers,
    densaOptimizer: () => new optimizers.SGD({ learningRate: LEARNING_RATE[activation] ?? 0.1 }),
    tfOptimizer: () => tf.train.sgd(LEARNING_RATE[activation] ?? 0.1),
    densaLoss: "mse",
    tfLoss: "meanSquaredError",
    densaMetrics: ["mae"],
    tfMetrics: ["mae"],
    batches: makeBatches(
      activation.length * 17 + 3,
      10,
      13,
      7,
      INPUT_SCALE[activation] ?? 2,
      activation === "log_softmax" ? logProbabilities : target,
    ),
  });
}

beforeAll(setupParity);

describe("activations: densa vs tfjs", () => {
  for (const activation of ACTIVATIONS) {
    it(`${activation} as Dense's activation`, async () => {
      expectParity(
        await run(
          [
            { dense: 9, activation },
            { dense: 3, activation },
          ],
          activation,
        ),
      );
    });
    it(`${activation} as an Activation layer`, async () => {
      expectParity(await run([{ dense: 9 }, { activation }, { dense: 3 }, { activation }], activation));
    });
  }
  // NOTE: Keras 3's leaky_relu activation has slope 0.2; tfjs has it only as the LeakyReLU layer (default 0.3).
  it("leaky_relu as an Activation layer (tfjs: LeakyReLU layer, α 0.2)", async () => {
    expectParity(
      await run(
        [{ dense: 9 }, { activation: "leaky_relu", tfLayer: () => tf.layers.leakyReLU({ alpha: 0.2 }) }, { dense: 3 }],
        "leaky_relu",
      ),
    );
  });
});
