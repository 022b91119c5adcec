// Every optimizer, with hyperparameters away from their defaults, against Keras 3's update rule written out in
// float64 for each element (keras/src/optimizers/*.py): three steps on a weight of 7 elements (SIMD body and
// tail) with fixed gradients. The options must reach the kernels: a swapped, dropped or defaulted option moves
// the weights away from the reference.
import { afterEach, beforeAll, describe, test } from "vitest";
import { Adadelta, Adagrad, Adam, Adamax, Nadam, type Optimizer, RMSprop, SGD } from "../../ts/optimizers/index.js";
import { disposeWeights, expectClose, step, values, weight } from "../helpers/optimizer-steps.js";
import { loadEngine } from "../helpers/wasm.js";

beforeAll(loadEngine);
afterEach(disposeWeights);

const start = [0.5, -1, 2, 0.25, -0.75, 1.5, -2];
const gradients = [
  [0.3, -0.8, 1.2, -0.05, 0.6, -1.5, 0.9],
  [-0.4, 0.2, 0.9, 0.7, -0.3, 0.1, -1.1],
  [0.8, -0.6, -0.2, 0.4, 0.5, -0.9, 0.3],
];

/** A per-element rule: (weight, gradient, that element's slots, step from 1) → new weight. */
type Rule = (w: number, g: number, s: number[], t: number) => number;

// A second weight gets other gradients (the steps in reverse order, negated), so that two weights sharing a
// slot block, or a slot left at address 0, would move away from their own references.
const otherGradients = gradients.map((g) => g.map((x) => -x)).reverse();

function reference(
  rule: Rule,
  slots: number,
  initialSlot = 0,
  beforeStep: (t: number) => void = () => {},
  steps = gradients,
): number[] {
  const state = start.map(() => new Array<number>(slots).fill(initialSlot));
  let w = [...start];
  steps.forEach((g, k) => {
    beforeStep(k + 1);
    w = w.map((value, i) => rule(value, g[i], state[i], k + 1));
  });
  return w;
}

function adam(lr: number, b1: number, b2: number, eps: number, amsgrad: boolean): Rule {
  return (w, g, s, t) => {
    s[0] += (g - s[0]) * (1 - b1);
    s[1] += (g * g - s[1]) * (1 - b2);
    s[2] = Math.max(s[2], s[1]);
    const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    return w - (alpha * s[0]) / (Math.sqrt(amsgrad ? s[2] : s[1]) + eps);
  };
}

function nadamReference(lr: number, b1: number, b2: number, eps: number, steps = gradients): number[] {
  let product = 1;
  let productBefore = 1;
  const mu = (t: number) => b1 * (1 - 0.5 * 0.96 ** t);
  return reference(
    (w, g, s, t) => {
      s[0] += (g - s[0]) * (1 - b1);
      s[1] += (g * g - s[1]) * (1 - b2);
      const mHat = (s[0] * mu(t + 1)) / (1 - product * mu(t + 1)) + (g * (1 - mu(t))) / (1 - product);
      const vHat = s[1] / (1 - b2 ** t);
      return w - (lr * mHat) / (Math.sqrt(vHat) + eps);
    },
    2,
    0,
    (t) => {
      productBefore = product;
      product = productBefore * mu(t);
    },
    steps,
  );
}

/** reference() over the given gradient steps. */
function referenceWith(steps: number[][], rule: Rule, slots: number, initialSlot = 0): number[] {
  return reference(rule, slots, initialSlot, () => {}, steps);
}

const cases: [string, () => Optimizer, (steps: number[][]) => number[]][] = [
  ["SGD", () => new SGD({ learningRate: 0.2 }), (steps) => referenceWith(steps, (w, g) => w - 0.2 * g, 0)],
  [
    "SGD momentum",
    () => new SGD({ learningRate: 0.1, momentum: 0.7 }),
    (steps) => referenceWith(steps, (w, g, s) => w + (s[0] = 0.7 * s[0] - 0.1 * g), 1),
  ],
  [
    "SGD nesterov",
    () => new SGD({ learningRate: 0.1, momentum: 0.7, nesterov: true }),
    (steps) =>
      referenceWith(
        steps,
        (w, g, s) => {
          s[0] = 0.7 * s[0] - 0.1 * g;
          return w + 0.7 * s[0] - 0.1 * g;
        },
        1,
      ),
  ],
  [
    "Adam",
    () => new Adam({ learningRate: 0.05, beta1: 0.8, beta2: 0.95, epsilon: 1e-3 }),
    (steps) => referenceWith(steps, adam(0.05, 0.8, 0.95, 1e-3, false), 3),
  ],
  [
    "Adam amsgrad",
    () => new Adam({ learningRate: 0.05, beta1: 0.8, beta2: 0.95, epsilon: 1e-3, amsgrad: true }),
    (steps) => referenceWith(steps, adam(0.05, 0.8, 0.95, 1e-3, true), 3),
  ],
  [
    "Adamax",
    () => new Adamax({ learningRate: 0.05, beta1: 0.8, beta2: 0.9, epsilon: 1e-3 }),
    (steps) =>
      referenceWith(
        steps,
        (w, g, s, t) => {
          s[0] += (g - s[0]) * (1 - 0.8);
          s[1] = Math.max(0.9 * s[1], Math.abs(g));
          return w - ((0.05 / (1 - 0.8 ** t)) * s[0]) / (s[1] + 1e-3);
        },
        2,
      ),
  ],
  [
    "Adagrad",
    () => new Adagrad({ learningRate: 0.3, initialAccumulatorValue: 0.4, epsilon: 1e-3 }),
    (steps) =>
      referenceWith(
        steps,
        (w, g, s) => {
          s[0] += g * g;
          return w - (0.3 * g) / Math.sqrt(s[0] + 1e-3);
        },
        1,
        0.4,
      ),
  ],
  [
    "Adadelta",
    () => new Adadelta({ learningRate: 0.5, rho: 0.8, epsilon: 1e-3 }),
    (steps) =>
      referenceWith(
        steps,
        (w, g, s) => {
          s[0] = 0.8 * s[0] + 0.2 * g * g;
          const delta = (-Math.sqrt(s[1] + 1e-3) * g) / Math.sqrt(s[0] + 1e-3);
          s[1] = 0.8 * s[1] + 0.2 * delta * delta;
          return w + 0.5 * delta;
        },
        2,
      ),
  ],
  [
    "RMSprop",
    () => new RMSprop({ learningRate: 0.02, rho: 0.8, epsilon: 1e-3 }),
    (steps) =>
      referenceWith(
        steps,
        (w, g, s) => {
          s[0] = 0.8 * s[0] + 0.2 * g * g;
          return w - (0.02 * g) / Math.sqrt(s[0] + 1e-3);
        },
        1,
      ),
  ],
  [
    "RMSprop momentum",
    () => new RMSprop({ learningRate: 0.02, rho: 0.8, momentum: 0.6, epsilon: 1e-3 }),
    (steps) =>
      referenceWith(
        steps,
        (w, g, s) => {
          s[0] = 0.8 * s[0] + 0.2 * g * g;
          s[1] = 0.6 * s[1] + (0.02 * g) / Math.sqrt(s[0] + 1e-3);
          return w - s[1];
        },
        2,
      ),
  ],
  [
    "RMSprop centered",
    () => new RMSprop({ learningRate: 0.02, rho: 0.8, centered: true, epsilon: 1e-3 }),
    (steps) =>
      referenceWith(
        steps,
        (w, g, s) => {
          s[0] = 0.8 * s[0] + 0.2 * g * g;
          s[2] = 0.8 * s[2] + 0.2 * g;
          return w - (0.02 * g) / Math.sqrt(s[0] - s[2] * s[2] + 1e-3);
        },
        3,
      ),
  ],
  [
    "RMSprop centered + momentum",
    () => new RMSprop({ learningRate: 0.02, rho: 0.8, momentum: 0.6, centered: true, epsilon: 1e-3 }),
    (steps) =>
      referenceWith(
        steps,
        (w, g, s) => {
          s[0] = 0.8 * s[0] + 0.2 * g * g;
          s[2] = 0.8 * s[2] + 0.2 * g;
          s[1] = 0.6 * s[1] + (0.02 * g) / Math.sqrt(s[0] - s[2] * s[2] + 1e-3);
          return w - s[1];
        },
        3,
      ),
  ],
  [
    "Nadam",
    () => new Nadam({ learningRate: 0.05, beta1: 0.8, beta2: 0.95, epsilon: 1e-3 }),
    (steps) => nadamReference(0.05, 0.8, 0.95, 1e-3, steps),
  ],
];

describe("Keras 3's update rules", () => {
  test.each(cases)("%s", (_, make, expected) => {
    const optimizer = make();
    const a = weight("dense/kernel", start);
    const b = weight("dense_1/kernel", start);
    gradients.forEach((g, k) => step(optimizer, [a, b], [g, otherGradients[k]]));
    expectClose(values(a), expected(gradients), 2e-5);
    expectClose(values(b), expected(otherGradients), 2e-5);
    optimizer.dispose();
  });

  test("two weights keep separate slots", () => {
    const optimizer = new Adam({ learningRate: 0.05, beta1: 0.8, beta2: 0.95, epsilon: 1e-3 });
    const a = weight("a", start);
    const b = weight("b", start);
    for (const g of gradients) step(optimizer, [a, b], [g, g.map((x) => -x)]);
    const expected = reference(adam(0.05, 0.8, 0.95, 1e-3, false), 3);
    expectClose(values(a), expected, 2e-5);
    // Adam is odd in the gradient: the mirrored gradients move b by the opposite amounts.
    expectClose(
      values(b).map((x, i) => x - start[i]),
      expected.map((x, i) => start[i] - x),
      2e-5,
    );
    optimizer.dispose();
  });
});
