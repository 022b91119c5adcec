// House rule: every layer, initializer, loss and optimizer rebuilds from its own config to an equal config, and a
// model rebuilt from its config computes the same outputs once given the same weights.
import { beforeAll, describe, expect, it } from "vitest";
import {
  constraints,
  init,
  initializers,
  layers,
  losses,
  optimizers,
  regularizers,
  Sequential,
  tensor,
} from "../../ts/index.js";
import { resolveInitializer } from "../../ts/initializers/index.js";
import { layerFromConfig } from "../../ts/layers/registry.js";
import { resolveLoss } from "../../ts/losses/loss.js";
import { resolveOptimizer } from "../../ts/optimizers/index.js";
import { randomArray } from "../helpers/wasm.js";

beforeAll(() => init());

describe("config round trips", () => {
  it("layers", () => {
    const built = [
      new layers.Dense(5, {
        activation: "elu",
        useBias: false,
        kernelInitializer: initializers.heNormal({ seed: 3 }),
        kernelRegularizer: regularizers.l1l2({ l1: 0.01, l2: 0.02 }),
        activityRegularizer: "l2",
        kernelConstraint: constraints.maxNorm({ maxValue: 3 }),
        inputShape: [4],
        name: "first",
      }),
      new layers.Dense({
        units: 2,
        activation: "leaky_relu",
        biasInitializer: initializers.constant({ value: 0.5 }),
        biasConstraint: "nonNeg",
      }),
      new layers.Activation("softmax"),
      new layers.Dropout(0.25, { seed: 9 }),
      new layers.Flatten(),
      new layers.Normalization({ mean: [1, 2], variance: [4, 9] }),
      layers.Input({ shape: [3] }).layer,
    ];
    for (const layer of built) {
      const config = layer.getConfig();
      const rebuilt = layerFromConfig({ className: layer.className, config }, "test");
      expect(rebuilt.className).toBe(layer.className);
      expect(rebuilt.getConfig()).toEqual(config);
    }
  });

  it("initializers", () => {
    const all = [
      initializers.zeros(),
      initializers.ones(),
      initializers.constant({ value: 2 }),
      initializers.identity({ gain: 3 }),
      initializers.randomNormal({ mean: 1, stddev: 2, seed: 4 }),
      initializers.randomUniform({ minval: -1, maxval: 2 }),
      initializers.truncatedNormal({ stddev: 0.1 }),
      initializers.varianceScaling({ scale: 2, mode: "fan_out", distribution: "uniform", seed: 1 }),
      initializers.glorotUniform({ seed: 1 }),
      initializers.glorotNormal(),
      initializers.heUniform(),
      initializers.heNormal(),
      initializers.lecunUniform(),
      initializers.lecunNormal(),
      initializers.orthogonal({ gain: 2, seed: 5 }),
    ];
    for (const initializer of all) {
      const config = initializer.getConfig();
      expect(resolveInitializer(config, "test").getConfig()).toEqual(config);
    }
  });

  it("losses", () => {
    const all = [
      new losses.BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }),
      new losses.Huber({ delta: 2 }),
      new losses.CategoricalCrossentropy({ labelSmoothing: 0.2 }),
      new losses.SparseCategoricalCrossentropy({ fromLogits: true }),
      new losses.MeanSquaredError(),
      new losses.CosineSimilarity(),
      new losses.KLDivergence(),
    ];
    for (const loss of all) {
      const { className, config } = loss.getConfig();
      const rebuilt = new (losses as unknown as Record<string, new (options: object) => typeof loss>)[className](
        config,
      );
      expect(rebuilt.getConfig()).toEqual({ className, config });
      expect(resolveLoss(loss.lossName, "test").className).toBe(className);
    }
  });

  it("optimizers", () => {
    const all = [
      new optimizers.SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true, clipnorm: 1 }),
      new optimizers.Adam({ beta1: 0.8, amsgrad: true, globalClipnorm: 2 }),
      new optimizers.AdamW({ weightDecay: 0.01 }),
      new optimizers.RMSprop({ rho: 0.8, momentum: 0.5, centered: true, clipvalue: 0.5 }),
      new optimizers.Adagrad({ initialAccumulatorValue: 0.2 }),
      new optimizers.Adadelta({ rho: 0.9 }),
      new optimizers.Adamax({ beta2: 0.99 }),
      new optimizers.Nadam({ epsilon: 1e-6 }),
    ];
    for (const optimizer of all) {
      const config = optimizer.getConfig();
      const rebuilt = resolveOptimizer({ className: optimizer.className, config }, "test");
      expect(rebuilt.className).toBe(optimizer.className);
      expect(rebuilt.getConfig()).toEqual(config);
    }
  });

  it("a Sequential model, which then predicts the same with the same weights", () => {
    const model = new Sequential(
      [
        new layers.Dense(6, { activation: "tanh", inputShape: [5] }),
        new layers.Dropout(0.5),
        new layers.Dense(3, { activation: "softmax" }),
      ],
      { name: "round_trip" },
    );
    const config = model.getConfig();
    const copy = Sequential.fromConfig(JSON.parse(JSON.stringify(config)));
    expect(copy.getConfig()).toEqual(config);
    copy.setWeights(model.getWeights());
    const x = tensor(randomArray(20, 7), [4, 5]);
    expect(copy.predict(x).data).toEqual(model.predict(x).data);
    model.dispose();
    copy.dispose();
  });
});
