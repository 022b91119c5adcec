// Finite-difference checks of Functional graphs: every merge layer's backward, a layer applied twice (shared
// weights, gradients summed over its calls) and a tensor feeding several layers (gradients summed at the
// fan-out). The analytic gradients come from one trainOnBatch at learning rate 0 (tests/helpers/finite-differences.ts).
import { beforeAll, describe, it } from "vitest";
import { Input, init, layers, Model, tensor } from "../../ts/index.js";
import type { Layer } from "../../ts/layers/layer.js";
import type { SymbolicTensor } from "../../ts/layers/symbolic-tensor.js";
import { expectGradientsMatch, uniformArray } from "../helpers/finite-differences.js";

beforeAll(() => init());

const ROWS = 5;
const x1 = tensor(uniformArray(ROWS * 3, 1), [ROWS, 3]);
const x2 = tensor(uniformArray(ROWS * 4, 2), [ROWS, 4]);
const y = tensor(uniformArray(ROWS * 2, 3), [ROWS, 2]);

/** a = tanh(Dense(x1)), b = tanh(Dense(x2)) (both width 5), merged, then Dense(2): MSE against y. */
function twoBranch(merge: () => Layer, width = 5) {
  return () => {
    const a = Input({ shape: [3] });
    const b = Input({ shape: [4] });
    const left = new layers.Dense(width, { activation: "tanh" }).apply(a);
    const right = new layers.Dense(width, { activation: "tanh" }).apply(b);
    const merged = merge().apply([left, right]);
    const out = new layers.Dense(2).apply(merged.shape.length === 1 ? merged : new layers.Flatten().apply(merged));
    return new Model({ inputs: [a, b], outputs: out });
  };
}

describe("merge layers: finite differences", () => {
  const cases: [string, () => Layer][] = [
    ["Add", () => new layers.Add()],
    ["Subtract", () => new layers.Subtract()],
    ["Multiply", () => new layers.Multiply()],
    ["Average", () => new layers.Average()],
    ["Maximum", () => new layers.Maximum()],
    ["Minimum", () => new layers.Minimum()],
    ["Concatenate", () => new layers.Concatenate()],
    ["Dot", () => new layers.Dot({ axes: 1 })],
    ["Dot normalize", () => new layers.Dot({ axes: 1, normalize: true })],
  ];
  for (const [name, merge] of cases) {
    it(name, () => {
      expectGradientsMatch(
        { model: twoBranch(merge), loss: "mse", x: [x1, x2], y },
        { maxSkipped: name.startsWith("M") ? 0.3 : 0.15 },
      );
    });
  }

  it("Add of three inputs and Concatenate along a middle axis", () => {
    expectGradientsMatch({
      model: () => {
        const a = Input({ shape: [3] });
        const h = [0, 1, 2].map(() => new layers.Dense(4, { activation: "tanh" }).apply(a));
        const sum = new layers.Add().apply(h);
        const out = new layers.Dense(2).apply(sum);
        return new Model({ inputs: a, outputs: out });
      },
      loss: "mse",
      x: x1,
      y,
    });
  });
});

describe("graph structure: finite differences", () => {
  it("a Dense applied to two inputs shares its weights (gradients summed over both calls)", () => {
    expectGradientsMatch({
      model: () => {
        const a = Input({ shape: [3] });
        const b = Input({ shape: [3] });
        const shared = new layers.Dense(4, { activation: "tanh" });
        const both = new layers.Concatenate().apply([shared.apply(a), shared.apply(b)]);
        return new Model({ inputs: [a, b], outputs: new layers.Dense(2).apply(both) });
      },
      loss: "mse",
      x: [x1, tensor(uniformArray(ROWS * 3, 9), [ROWS, 3])],
      y,
    });
  });

  it("a skip connection: one tensor feeds a Dense and an Add (gradients summed at the fan-out)", () => {
    expectGradientsMatch({
      model: () => {
        const a = Input({ shape: [3] });
        const h: SymbolicTensor = new layers.Dense(4, { activation: "tanh" }).apply(a);
        const skip = new layers.Add().apply([h, new layers.Dense(4, { activation: "tanh" }).apply(h)]);
        return new Model({ inputs: a, outputs: new layers.Dense(2).apply(skip) });
      },
      loss: "mse",
      x: x1,
      y,
    });
  });

  it("two outputs with loss weights: the gradient of 0.3·mse(a) + 2·mse(b)", () => {
    expectGradientsMatch({
      model: () => {
        const a = Input({ shape: [3] });
        const h = new layers.Dense(4, { activation: "tanh" }).apply(a);
        const first = new layers.Dense(2, { name: "first" }).apply(h);
        const second = new layers.Dense(2, { name: "second" }).apply(h);
        const model = new Model({ inputs: a, outputs: [first, second] });
        const compile = model.compile.bind(model);
        model.compile = (args) => compile({ ...args, loss: ["mse", "mse"], lossWeights: [0.3, 2] });
        return model;
      },
      loss: "mse",
      x: x1,
      y: [y, tensor(uniformArray(ROWS * 2, 11), [ROWS, 2])],
    });
  });
});
