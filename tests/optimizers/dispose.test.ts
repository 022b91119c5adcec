// Optimizer.dispose frees the per-weight state and resets the step count, so an instance a disposed model
// trained with starts afresh in the next model (its bias corrections and Nadam's schedule from step 1).
import { beforeAll, describe, expect, test } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { Variable } from "../../ts/layers/variable.js";
import {
  Adadelta,
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  Nadam,
  type Optimizer,
  RMSprop,
  SGD,
} from "../../ts/optimizers/index.js";
import { ExponentialDecay } from "../../ts/optimizers/schedules.js";
import { loadEngine } from "../helpers/wasm.js";

beforeAll(loadEngine);

const makers: [string, () => Optimizer][] = [
  ["SGD with momentum", () => new SGD({ learningRate: 0.1, momentum: 0.9 })],
  ["Adam", () => new Adam({ learningRate: 0.1 })],
  ["AdamW", () => new AdamW({ learningRate: 0.1 })],
  ["RMSprop", () => new RMSprop({ learningRate: 0.1, momentum: 0.5 })],
  ["Adagrad", () => new Adagrad({ learningRate: 0.1 })],
  ["Adadelta", () => new Adadelta({ learningRate: 1 })],
  ["Adamax", () => new Adamax({ learningRate: 0.1 })],
  ["Nadam", () => new Nadam({ learningRate: 0.1 })],
  [
    "Adam on a schedule",
    () => new Adam({ learningRate: new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 }) }),
  ],
];

/** Three steps on a fresh weight with fixed gradients; returns the weight's values. */
function train(optimizer: Optimizer, name: string): Float32Array {
  const weight = new Variable(name, [5], true);
  weight.write(Float32Array.of(0.5, -1, 2, 0, 3));
  for (const gradient of [
    [1, -2, 0.5, 3, -1],
    [0.2, 0.1, -0.3, 1, 2],
    [-1, 1, -1, 1, -1],
  ]) {
    getEngine().write(weight.grad, Float32Array.from(gradient));
    optimizer.applyGradients([weight]);
  }
  const values = weight.read().data;
  weight.dispose();
  return values;
}

describe("Optimizer.dispose", () => {
  test.each(makers)("%s: after dispose the instance trains exactly as a new one", (_, make) => {
    const used = make();
    const before = getEngine().allocator.bytesInUse;
    train(used, "first/kernel");
    used.dispose();
    expect(getEngine().allocator.bytesInUse).toBe(before);
    expect(used.iterations).toBe(0);
    expect(used.learningRate).toBe(make().learningRate);
    const fresh = make();
    expect(train(used, "second/kernel")).toEqual(train(fresh, "fresh/kernel"));
    used.dispose();
    fresh.dispose();
  });
});
