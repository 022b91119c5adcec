// Fixtures shared by the fit-semantics tests (tests/model/fit-*.test.ts): a small classifier with chosen
// initial weights, and a callback that snapshots weights and logs at every epoch end.
import { callbacks, initializers, layers, optimizers, Sequential, type Tensor } from "../../ts/index.js";
import { toyClassification } from "./model-fixtures.js";

/** 50 samples, 5 features, 3 classes. */
export const fitData = toyClassification(50, 5, 3, 11);

/**
 * A small classifier with fixed initial weights: copied from `initial` when given, else drawn by seeded
 * initializers (the same weights on every run, whatever the process-wide generator holds).
 */
export function classifier(
  initial?: Tensor[],
  optimizer: optimizers.Optimizer | string = new optimizers.SGD({ learningRate: 0.1 }),
) {
  const model = new Sequential([
    new layers.Dense(8, {
      activation: "tanh",
      inputShape: [5],
      kernelInitializer: initializers.glorotUniform({ seed: 101 }),
    }),
    new layers.Dense(3, { activation: "softmax", kernelInitializer: initializers.glorotUniform({ seed: 102 }) }),
  ]);
  if (initial) model.setWeights(initial);
  model.compile({ optimizer, loss: "sparse_categorical_crossentropy", metrics: ["accuracy"] });
  return model;
}

/** A LambdaCallback that keeps a copy of the weights and of the logs at every epoch end. */
export function recorder() {
  const weights: Tensor[][] = [];
  const logs: Record<string, number>[] = [];
  const epochs: number[] = [];
  const callback = new callbacks.LambdaCallback({
    onEpochEnd: (epoch, epochLogs) => {
      epochs.push(epoch);
      logs.push({ ...epochLogs });
      weights.push(callback.model!.getWeights());
    },
  });
  return { callback, weights, logs, epochs };
}
