// Optimizer options are checked by the shared helpers of utils/options.ts: each message names the optimizer,
// the option, the range expected and the value that came.
import { describe, expect, test } from "vitest";
import { Adadelta, Adagrad, Adam, Adamax, AdamW, Nadam, RMSprop, SGD } from "../../ts/optimizers/index.js";

describe("optimizer options", () => {
  test.each([
    [() => new Adam({ beta1: 1 }), "Adam: beta1 must be a finite number in [0, 1), got 1"],
    [() => new AdamW({ beta2: -0.1 }), "AdamW: beta2 must be a finite number in [0, 1), got -0.1"],
    [() => new Adam({ epsilon: NaN }), "Adam: epsilon must be a finite number >= 0, got NaN"],
    [() => new Adam({ amsgrad: "yes" as never }), 'Adam: amsgrad must be true or false, got string "yes"'],
    [() => new Nadam({ beta1: 1.5 }), "Nadam: beta1 must be a finite number in [0, 1), got 1.5"],
    [() => new Adamax({ beta2: 1 }), "Adamax: beta2 must be a finite number in [0, 1), got 1"],
    [() => new SGD({ momentum: 2 }), "SGD: momentum must be a finite number in [0, 1], got 2"],
    [() => new SGD({ nesterov: 1 as never }), "SGD: nesterov must be true or false, got 1"],
    [() => new RMSprop({ rho: -1 }), "RMSprop: rho must be a finite number in [0, 1], got -1"],
    [
      () => new Adagrad({ initialAccumulatorValue: -1 }),
      "Adagrad: initialAccumulatorValue must be a finite number >= 0, got -1",
    ],
    [() => new Adadelta({ rho: "0.9" as never }), 'Adadelta: rho must be a finite number in [0, 1], got string "0.9"'],
    [() => new SGD({ learningRate: -1 }), "SGD: learningRate must be a finite number >= 0, got -1"],
    [() => new Adam({ weightDecay: Infinity }), "Adam: weightDecay must be a finite number >= 0, got Infinity"],
    [
      () => {
        new Adam().learningRate = -0.5;
      },
      "adam: learningRate must be a finite number >= 0, got -0.5",
    ],
  ])("%#: %s", (make, message) => {
    expect(make).toThrow(message);
  });
});
