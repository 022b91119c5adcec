// Keras 3's decoupled weight decay (base_optimizer._apply_weight_decay): before each update,
// w ← w − w·weightDecay·lr, for every optimizer that is given weightDecay; AdamW has 0.004 by default.
// References: that formula followed by the optimizer's own step, in float64.
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { Adagrad, Adam, AdamW, RMSprop, SGD } from "../../ts/optimizers/index.js";
import { disposeWeights, expectClose, step, values, weight } from "../helpers/optimizer-steps.js";
import { loadEngine } from "../helpers/wasm.js";

beforeAll(loadEngine);
afterEach(disposeWeights);

const start = [2, -1, 0.5, 4, -3];
const gradient = [0.5, 1, -2, 0, 0.25];

describe("weightDecay", () => {
  test("SGD: w ← w(1 − wd·lr) − lr·g", () => {
    const optimizer = new SGD({ learningRate: 0.1, weightDecay: 0.2 });
    const w = weight("w", start);
    step(optimizer, [w], [gradient]);
    expectClose(
      values(w),
      start.map((x, i) => x - x * 0.2 * 0.1 - 0.1 * gradient[i]),
    );
    optimizer.dispose();
  });

  test("SGD without weightDecay: w ← w − lr·g (no decay at all)", () => {
    const optimizer = new SGD({ learningRate: 0.1 });
    expect(optimizer.weightDecay).toBeNull();
    const w = weight("w", start);
    step(optimizer, [w], [gradient]);
    expectClose(
      values(w),
      start.map((x, i) => x - 0.1 * gradient[i]),
    );
    optimizer.dispose();
  });

  test("Adam: the decay, then Adam's first step lr·g/(|g| + ε/√(1−β2))", () => {
    const optimizer = new Adam({ learningRate: 0.01, weightDecay: 0.5, epsilon: 1e-7 });
    const w = weight("w", start);
    step(optimizer, [w], [gradient]);
    const adamStep = (g: number) => (0.01 * g) / (Math.abs(g) + 1e-7 / Math.sqrt(1 - 0.999));
    expectClose(
      values(w),
      start.map((x, i) => x - x * 0.5 * 0.01 - adamStep(gradient[i])),
      1e-6,
    );
    optimizer.dispose();
  });

  test("AdamW decays by 0.004 by default; Adam does not", () => {
    const adamW = new AdamW({ learningRate: 0.01 });
    const adam = new Adam({ learningRate: 0.01 });
    expect(adamW.weightDecay).toBe(0.004);
    expect(adam.weightDecay).toBeNull();
    const a = weight("a", start);
    const b = weight("b", start);
    step(adamW, [a], [gradient]);
    step(adam, [b], [gradient]);
    // Same Adam step; the difference is the decay term alone.
    expectClose(
      values(a).map((x, i) => values(b)[i] - x),
      start.map((x) => x * 0.004 * 0.01),
      1e-5,
    );
    adamW.dispose();
    adam.dispose();
  });

  test("Adagrad and RMSprop decay too (the base optimizer's decay applies to every optimizer)", () => {
    const pairs = [
      [new Adagrad({ learningRate: 0.1, weightDecay: 0.3 }), new Adagrad({ learningRate: 0.1 })],
      [new RMSprop({ learningRate: 0.1, weightDecay: 0.3 }), new RMSprop({ learningRate: 0.1 })],
    ];
    for (const [decayed, plain] of pairs) {
      const a = weight("a", start);
      const b = weight("b", start);
      step(decayed, [a], [gradient]);
      step(plain, [b], [gradient]);
      expectClose(
        values(a).map((x, i) => values(b)[i] - x),
        start.map((x) => x * 0.3 * 0.1),
        1e-5,
      );
      decayed.dispose();
      plain.dispose();
    }
  });

  test("is kept in the config; bad values are refused", () => {
    expect(new SGD({ weightDecay: 0.1 }).getConfig()).toMatchObject({ weightDecay: 0.1 });
    expect(new AdamW().getConfig()).toMatchObject({ weightDecay: 0.004 });
    expect(new AdamW({ weightDecay: 0 }).weightDecay).toBe(0);
    expect(() => new SGD({ weightDecay: -1 })).toThrow("SGD: weightDecay must be a finite number >= 0, got -1");
    expect(() => new AdamW({ weightDecay: null })).toThrow("AdamW: weightDecay must be a number >= 0, got null");
  });
});
