// An optimizer's saved state (Keras's optimizer.variables, tfjs's getWeights): "iter", extra state (Nadam's
// u_product), then every slot of every weight as `<weight>/<slot>`, slot by slot. Restoring it into a fresh
// optimizer must continue training exactly as the uninterrupted optimizer does; bad state is refused whole,
// before anything is written.
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { Adadelta, Adagrad, Adam, Adamax, Nadam, type Optimizer, RMSprop, SGD } from "../../ts/optimizers/index.js";
import { disposeWeights, step, values, weight } from "../helpers/optimizer-steps.js";
import { loadEngine } from "../helpers/wasm.js";

beforeAll(loadEngine);
afterEach(disposeWeights);

const gradients = [
  [0.3, -0.8, 1.2, -0.05, 0.6],
  [-0.4, 0.2, 0.9, 0.7, -0.3],
  [0.8, -0.6, -0.2, 0.4, 0.5],
  [0.1, 0.1, -0.7, 0.2, -0.9],
];
const start = [0.5, -1, 2, 0.25, -0.75];

// [name, factory, slot names in save order, extra state names]
const makers: [string, () => Optimizer, string[], string[]][] = [
  ["SGD", () => new SGD({ learningRate: 0.1 }), [], []],
  ["SGD momentum", () => new SGD({ learningRate: 0.1, momentum: 0.5 }), ["momentum"], []],
  ["Adam", () => new Adam({ learningRate: 0.1 }), ["m", "v"], []],
  ["Adam amsgrad", () => new Adam({ learningRate: 0.1, amsgrad: true }), ["m", "v", "vhat"], []],
  ["RMSprop", () => new RMSprop({ learningRate: 0.1 }), ["rms"], []],
  [
    "RMSprop momentum centered",
    () => new RMSprop({ learningRate: 0.1, momentum: 0.5, centered: true }),
    ["rms", "momentum", "mg"],
    [],
  ],
  ["RMSprop centered", () => new RMSprop({ learningRate: 0.1, centered: true }), ["rms", "mg"], []],
  ["Adagrad", () => new Adagrad({ learningRate: 0.1 }), ["accumulator"], []],
  ["Adadelta", () => new Adadelta({ learningRate: 1 }), ["accum_grad", "accum_var"], []],
  ["Adamax", () => new Adamax({ learningRate: 0.1 }), ["m", "v"], []],
  ["Nadam", () => new Nadam({ learningRate: 0.1 }), ["m", "v"], ["u_product"]],
];

describe.each(makers)("%s", (_, make, slotNames, extra) => {
  test("state names and order; restoring it continues exactly as the uninterrupted run", () => {
    const uninterrupted = make();
    const a = weight("dense/kernel", start);
    const b = weight("dense/bias", start.slice(0, 2));
    for (const g of gradients) step(uninterrupted, [a, b], [g, g.slice(0, 2)]);

    const first = make();
    const c = weight("dense/kernel", start);
    const d = weight("dense/bias", start.slice(0, 2));
    expect(first.getWeights([c, d]).map((w) => w.name)).toEqual(["iter", ...extra]);
    for (const g of gradients.slice(0, 2)) step(first, [c, d], [g, g.slice(0, 2)]);
    const state = first.getWeights([c, d]);
    expect(state.map((w) => w.name)).toEqual([
      "iter",
      ...extra,
      ...slotNames.flatMap((slot) => [`dense/kernel/${slot}`, `dense/bias/${slot}`]),
    ]);
    expect(Array.from(state[0].values)).toEqual([2]);
    expect(state[0].values).toBeInstanceOf(Int32Array);
    expect(state[0].shape).toEqual([]);
    state.slice(1 + extra.length).forEach((w, i) => expect(w.shape).toEqual(i % 2 === 0 ? [5] : [2]));

    const resumed = make();
    resumed.setWeights([c, d], state);
    expect(resumed.iterations).toBe(2);
    for (const g of gradients.slice(2)) step(resumed, [c, d], [g, g.slice(0, 2)]);
    expect(values(c)).toEqual(values(a));
    expect(values(d)).toEqual(values(b));
    for (const optimizer of [uninterrupted, first, resumed]) optimizer.dispose();
  });
});

describe("setWeights refuses bad state before writing anything", () => {
  function trained(): { optimizer: Adam; weights: ReturnType<typeof weight>[] } {
    const optimizer = new Adam({ learningRate: 0.1, name: "opt" });
    const weights = [weight("k", [1, 2, 3]), weight("b", [1])];
    step(optimizer, weights, [[1, 1, 1], [1]]);
    return { optimizer, weights };
  }

  test.each([
    [
      "no iter",
      (s: ReturnType<Adam["getWeights"]>) => s.slice(1),
      'opt: setWeights: the state needs "iter", one non-negative integer, got none',
    ],
    [
      "negative iter",
      (s: ReturnType<Adam["getWeights"]>) => [{ ...s[0], values: Int32Array.of(-1) }, ...s.slice(1)],
      'opt: setWeights: the state needs "iter", one non-negative integer, got -1',
    ],
    [
      "fractional iter",
      (s: ReturnType<Adam["getWeights"]>) => [{ ...s[0], values: Float32Array.of(1.5) }, ...s.slice(1)],
      'opt: setWeights: the state needs "iter", one non-negative integer, got 1.5',
    ],
    [
      "two iter values",
      (s: ReturnType<Adam["getWeights"]>) => [{ ...s[0], values: Int32Array.of(1, 2) }, ...s.slice(1)],
      'opt: setWeights: the state needs "iter", one non-negative integer, got 1',
    ],
    [
      "unknown name",
      (s: ReturnType<Adam["getWeights"]>) => [...s, { name: "k/velocity", shape: [3], values: new Float32Array(3) }],
      'opt: setWeights: unknown state "k/velocity"; Adam keeps iter, k/m, b/m, k/v, b/v',
    ],
    [
      "wrong size",
      (s: ReturnType<Adam["getWeights"]>) =>
        s.map((w) => (w.name === "b/v" ? { ...w, values: new Float32Array(2) } : w)),
      "opt: setWeights: b/v has 2 values but needs 1",
    ],
    [
      "some slots only",
      (s: ReturnType<Adam["getWeights"]>) => s.filter((w) => w.name !== "k/m"),
      "opt: setWeights: the state has 3 of the 4 slots (every weight's m, v); give all or none",
    ],
  ])("%s", (_, corrupt, message) => {
    const { optimizer, weights } = trained();
    const good = optimizer.getWeights(weights);
    const fresh = new Adam({ learningRate: 0.1, name: "opt" });
    expect(() => fresh.setWeights(weights, corrupt(good))).toThrow(message);
    expect(fresh.iterations).toBe(0);
    expect(fresh.getWeights(weights).map((w) => w.name)).toEqual(["iter"]);
  });

  test("iter alone is accepted: the step count is restored and the slots start afresh", () => {
    const { optimizer, weights } = trained();
    const fresh = new Adam({ learningRate: 0.1 });
    fresh.setWeights(weights, optimizer.getWeights(weights).slice(0, 1));
    expect(fresh.iterations).toBe(1);
    expect(fresh.getWeights(weights).map((w) => w.name)).toEqual(["iter"]);
  });

  test("iter 0 is a valid count; Nadam's u_product (shape [1]) may come without slots", () => {
    const nadam = new Nadam({ learningRate: 0.1 });
    const w = weight("w", [1, 2]);
    step(nadam, [w], [[1, 1]]);
    const [iter, product] = nadam.getWeights([w]);
    expect([product.name, product.shape]).toEqual(["u_product", [1]]);
    const fresh = new Nadam({ learningRate: 0.1 });
    fresh.setWeights([w], [{ ...iter, values: Int32Array.of(0) }, product]);
    expect(fresh.iterations).toBe(0);
    expect(Array.from(fresh.getWeights([w])[1].values)).toEqual(Array.from(product.values));
    nadam.dispose();
    fresh.dispose();
  });

  test("Adagrad's slots start at initialAccumulatorValue", () => {
    const optimizer = new Adagrad({ initialAccumulatorValue: 0.25 });
    const w = weight("w", [1, 2]);
    step(optimizer, [w], [[0, 0]]);
    expect(Array.from(optimizer.getWeights([w])[1].values)).toEqual([0.25, 0.25]);
    optimizer.dispose();
  });
});
