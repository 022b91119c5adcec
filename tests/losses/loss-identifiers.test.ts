// Losses by name (Keras's snake_case names, its short names, tfjs's camelCase and the class names), their
// options (only where Keras has them), their configs as Keras saves them, and the errors for bad input.
import { beforeAll, describe, expect, test } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import * as losses from "../../ts/losses/index.js";
import { canonicalLossName, Loss, resolveLoss } from "../../ts/losses/loss.js";
import { loadEngine } from "../helpers/wasm.js";

beforeAll(loadEngine);

const KERAS_NAMES: [string, string][] = [
  ["mean_squared_error", "MeanSquaredError"],
  ["mean_absolute_error", "MeanAbsoluteError"],
  ["mean_absolute_percentage_error", "MeanAbsolutePercentageError"],
  ["mean_squared_logarithmic_error", "MeanSquaredLogarithmicError"],
  ["huber", "Huber"],
  ["binary_crossentropy", "BinaryCrossentropy"],
  ["categorical_crossentropy", "CategoricalCrossentropy"],
  ["sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"],
  ["hinge", "Hinge"],
  ["squared_hinge", "SquaredHinge"],
  ["categorical_hinge", "CategoricalHinge"],
  ["log_cosh", "LogCosh"],
  ["kl_divergence", "KLDivergence"],
  ["poisson", "Poisson"],
  ["cosine_similarity", "CosineSimilarity"],
];

describe("names", () => {
  test.each(KERAS_NAMES)("%s: by snake_case, camelCase and class name; the class gives the same", (name, className) => {
    const camel = name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    for (const identifier of [name, camel, className]) {
      const loss = resolveLoss(identifier, "loss");
      expect([loss.lossName, loss.className, loss.name]).toEqual([name, className, name]);
    }
    const instance = new (losses as unknown as Record<string, new () => Loss>)[className]();
    expect([instance.lossName, instance.className]).toEqual([name, className]);
    expect(losses.LOSS_NAMES).toContain(name);
  });

  test.each([
    ["mse", "mean_squared_error"],
    ["MSE", "mean_squared_error"],
    ["mae", "mean_absolute_error"],
    ["MAE", "mean_absolute_error"],
    ["mape", "mean_absolute_percentage_error"],
    ["MAPE", "mean_absolute_percentage_error"],
    ["msle", "mean_squared_logarithmic_error"],
    ["MSLE", "mean_squared_logarithmic_error"],
    ["kld", "kl_divergence"],
    ["KLD", "kl_divergence"],
    ["kullback_leibler_divergence", "kl_divergence"],
    ["bce", "binary_crossentropy"],
    ["BCE", "binary_crossentropy"],
    ["huber_loss", "huber"],
    ["logcosh", "log_cosh"],
  ])("Keras's short name %s → %s", (alias, name) => {
    expect(canonicalLossName(alias, "loss")).toBe(name);
  });

  test("instances pass through; anything else is refused naming the argument", () => {
    const loss = new losses.Huber();
    expect(resolveLoss(loss, "loss")).toBe(loss);
    expect(() => resolveLoss("mean_square_error", "compile: loss")).toThrow(
      'compile: loss: unknown loss "mean_square_error"; expected one of mean_squared_error, mean_absolute_error, mean_absolute_percentage_error, mean_squared_logarithmic_error, huber, binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy, hinge, squared_hinge, categorical_hinge, log_cosh, kl_divergence, poisson, cosine_similarity (or their camelCase / short names), or a losses.* instance',
    );
    expect(() => resolveLoss(3 as never, "compile: loss")).toThrow(
      'compile: loss: expected a loss name (e.g. "mse") or a losses.* instance, got number',
    );
    expect(() => resolveLoss(null as never, "compile: loss")).toThrow("got object");
    expect(() => new Loss("toString")).toThrow('loss: unknown loss "toString"');
  });
});

describe("options", () => {
  test("defaults: no logits, no smoothing, delta 1, not sparse (except sparse categorical)", () => {
    const loss = new losses.BinaryCrossentropy();
    expect([loss.fromLogits, loss.labelSmoothing, loss.delta, loss.sparseLabels]).toEqual([false, 0, 1, false]);
    expect(new losses.SparseCategoricalCrossentropy().sparseLabels).toBe(true);
    expect(new losses.Huber({ delta: 2.5 }).delta).toBe(2.5);
    expect(new losses.CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.3 })).toMatchObject({
      fromLogits: true,
      labelSmoothing: 0.3,
    });
    expect(new losses.MeanSquaredError({ name: "my_mse" }).name).toBe("my_mse");
  });

  test("fromLogits picks the logits kernel", () => {
    const kernels = getEngine().kernels as unknown as Record<string, WebAssembly.Global>;
    expect(new losses.BinaryCrossentropy({ fromLogits: true }).kind).toBe(
      kernels.LOSS_BINARY_CROSSENTROPY_FROM_LOGITS.value,
    );
    expect(new losses.BinaryCrossentropy({ fromLogits: false }).kind).toBe(kernels.LOSS_BINARY_CROSSENTROPY.value);
    const sparse = new losses.SparseCategoricalCrossentropy({ fromLogits: true });
    expect(sparse.kind).toBe(kernels.LOSS_SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS.value);
    expect(sparse.kind).toBe(kernels.LOSS_SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS.value);
    expect(new losses.Poisson().kind).toBe(kernels.LOSS_POISSON.value);
  });

  test.each([
    [
      () => new losses.MeanSquaredError({ fromLogits: true }),
      "MeanSquaredError: unknown option fromLogits for this loss",
    ],
    [
      () => new losses.SparseCategoricalCrossentropy({ labelSmoothing: 0.1 }),
      "SparseCategoricalCrossentropy: unknown option labelSmoothing for this loss",
    ],
    [() => new losses.BinaryCrossentropy({ delta: 1 }), "BinaryCrossentropy: unknown option delta for this loss"],
    [() => new losses.Huber({ labelSmoothing: 0 }), "Huber: unknown option labelSmoothing for this loss"],
    [
      () => new losses.BinaryCrossentropy({ fromLogits: "yes" as never }),
      'BinaryCrossentropy: fromLogits must be a boolean, got string "yes"',
    ],
    [
      () => new losses.BinaryCrossentropy({ labelSmoothing: 1.5 }),
      "BinaryCrossentropy: labelSmoothing must be a number in [0, 1], got 1.5",
    ],
    [
      () => new losses.CategoricalCrossentropy({ labelSmoothing: -0.1 }),
      "CategoricalCrossentropy: labelSmoothing must be a number in [0, 1], got -0.1",
    ],
    [
      () => new losses.CategoricalCrossentropy({ labelSmoothing: "0.1" as never }),
      'CategoricalCrossentropy: labelSmoothing must be a number in [0, 1], got string "0.1"',
    ],
    [() => new losses.Huber({ delta: 0 }), "Huber: delta must be a finite number > 0, got 0"],
    [() => new losses.Huber({ delta: Infinity }), "Huber: delta must be a finite number > 0, got Infinity"],
    [() => new losses.Huber({ delta: "1" as never }), 'Huber: delta must be a finite number > 0, got string "1"'],
    [
      () => new losses.Huber({ reduction: "sum" as never }),
      'Huber: only the reduction "sum_over_batch_size" is supported, got sum',
    ],
    [() => new losses.Hinge({ name: "" }), 'Hinge: name must be a non-empty string, got string ""'],
    [() => new losses.Hinge({ name: 5 as never }), "Hinge: name must be a non-empty string, got 5"],
    [() => new losses.Hinge({ from_logits: true } as never), "Hinge"],
  ])("%#", (make, message) => {
    expect(make).toThrow(message);
  });

  test("edge values are accepted: labelSmoothing 0 and 1, reduction sum_over_batch_size", () => {
    expect(new losses.BinaryCrossentropy({ labelSmoothing: 1 }).labelSmoothing).toBe(1);
    expect(new losses.BinaryCrossentropy({ labelSmoothing: 0 }).labelSmoothing).toBe(0);
    expect(new losses.Huber({ reduction: "sum_over_batch_size" }).name).toBe("huber");
  });
});

describe("configs as Keras saves them", () => {
  test.each([
    [
      () => new losses.MeanSquaredError(),
      { className: "MeanSquaredError", config: { name: "mean_squared_error", reduction: "sum_over_batch_size" } },
    ],
    [
      () => new losses.Huber({ delta: 0.5 }),
      { className: "Huber", config: { name: "huber", reduction: "sum_over_batch_size", delta: 0.5 } },
    ],
    [
      () => new losses.BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }),
      {
        className: "BinaryCrossentropy",
        config: {
          name: "binary_crossentropy",
          reduction: "sum_over_batch_size",
          fromLogits: true,
          labelSmoothing: 0.1,
        },
      },
    ],
    [
      () => new losses.SparseCategoricalCrossentropy(),
      {
        className: "SparseCategoricalCrossentropy",
        config: { name: "sparse_categorical_crossentropy", reduction: "sum_over_batch_size", fromLogits: false },
      },
    ],
    [
      () => new losses.CategoricalCrossentropy({ name: "cce" }),
      {
        className: "CategoricalCrossentropy",
        config: { name: "cce", reduction: "sum_over_batch_size", fromLogits: false, labelSmoothing: 0 },
      },
    ],
  ])("%#", (make, config) => {
    expect(make().getConfig()).toEqual(config);
  });
});
