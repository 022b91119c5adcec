// A model is a layer (Keras: Model subclasses Layer): a Sequential or Functional model applied inside another
// model. References: the same layers wired flat in one model (densa's graph, itself checked against tfjs in
// parity.test.ts), plain JS matrix products of the weights, and finite differences of the loss.
// (Bad input, config, files and dispose: nested-model-lifecycle.test.ts.)
import { beforeAll, describe, expect, test } from "vitest";
import { Input, init, layers, Model, Sequential, setRandomSeed, tensor } from "../../ts/index.js";
import type { Layer } from "../../ts/layers/layer.js";
import { expectGradientsMatch, uniformTensor } from "../helpers/finite-differences.js";
import { denseRef, innerSequential, relu, rowsOf, x8, y8 } from "../helpers/nested-fixtures.js";

beforeAll(() => init());

describe("a model applied as a layer", () => {
  test("inner.apply(tensor) in a Functional model: one layer in model.layers, Keras's weight order, the same forward as its layers", () => {
    const inner = innerSequential();
    const input = Input({ shape: [4], name: "x" });
    const out = new layers.Dense(1, { name: "head" }).apply(inner.apply(input));
    const outer = new Model({ inputs: input, outputs: out, name: "outer" });
    expect(outer.layers.map((layer) => layer.name)).toEqual(["x", "inner", "head"]);
    expect(outer.layers[1]).toBe(inner);
    expect(outer.getLayer("inner")).toBe(inner);
    expect(outer.countParams()).toBe(4 * 5 + 5 + 5 * 3 + 3 + 3 + 1);
    const weights = outer.getWeights();
    expect(weights.map((w) => w.shape)).toEqual([[4, 5], [5], [5, 3], [3], [3, 1], [1]]);
    expect(outer.layers[1].weights.map((v) => v.name)).toEqual([
      "inner_a/kernel",
      "inner_a/bias",
      "inner_b/kernel",
      "inner_b/bias",
    ]);
    const [w1, b1, w2, b2, w3, b3] = weights;
    const expected = denseRef(denseRef(denseRef(rowsOf(x8), w1, b1, relu), w2, b2), w3, b3);
    const actual = rowsOf(outer.predict(x8));
    actual.forEach((row, r) => row.forEach((value, j) => expect(value).toBeCloseTo(expected[r][j], 5)));
    const lines: string[] = [];
    outer.summary((line) => lines.push(line));
    expect(
      lines
        .filter((line) => line.startsWith("│"))
        .map((line) =>
          line
            .split("│")
            .slice(1, 4)
            .map((cell) => cell.trim()),
        ),
    ).toEqual([
      ["x (InputLayer)", "(None, 4)", "0"],
      ["inner (Sequential)", "(None, 3)", "43"],
      ["head (Dense)", "(None, 1)", "4"],
    ]);
    outer.dispose();
  });

  test("new Sequential([inner, Dense]): an unbuilt inner model is built with the outer one; setWeights writes the inner model's weights", () => {
    const inner = new Sequential([new layers.Dense(5, { activation: "relu" }), new layers.Dense(3)], {
      name: "unbuilt_inner",
    });
    const outer = new Sequential([new layers.InputLayer({ shape: [4] }), inner, new layers.Dense(2, { name: "top" })]);
    expect(inner.built).toBe(true);
    expect(outer.layers.map((layer) => layer.name)).toEqual(["unbuilt_inner", "top"]);
    const values = outer.getWeights().map((w, i) => uniformTensor([...w.shape], 40 + i));
    outer.setWeights(values);
    expect(inner.getWeights().map((w) => Array.from(w.data))).toEqual(
      values.slice(0, 4).map((w) => Array.from(w.data)),
    );
    const [w1, b1, w2, b2, w3, b3] = values;
    const expected = denseRef(denseRef(denseRef(rowsOf(x8), w1, b1, relu), w2, b2), w3, b3);
    rowsOf(outer.predict(x8)).forEach((row, r) =>
      row.forEach((value, j) => expect(value).toBeCloseTo(expected[r][j], 5)),
    );
    const lines: string[] = [];
    outer.summary((line) => lines.push(line));
    const row = lines.find((line) => line.includes("unbuilt_inner"))!;
    expect(row).toMatch(/unbuilt_inner \(Sequential\)\s+│ \(None, 3\)\s+│\s+43 │/);
    outer.dispose();
  });

  test("a Functional model nested in a Sequential one, and a Sequential model in a Functional one inside it", () => {
    const deepest = innerSequential("deepest");
    const a = Input({ shape: [4], name: "mid_in" });
    const mid = new Model({
      inputs: a,
      outputs: new layers.Dense(2, { name: "mid_head" }).apply(deepest.apply(a)),
      name: "mid",
    });
    const outer = new Sequential([mid, new layers.Dense(1, { name: "top1" })]);
    expect(mid.className).toBe("Functional");
    expect(outer.countParams()).toBe(deepest.countParams() + 3 * 2 + 2 + 2 + 1);
    const [w1, b1, w2, b2, w3, b3, w4, b4] = outer.getWeights();
    const expected = denseRef(denseRef(denseRef(denseRef(rowsOf(x8), w1, b1, relu), w2, b2), w3, b3), w4, b4);
    rowsOf(outer.predict(x8)).forEach((row, r) =>
      row.forEach((value, j) => expect(value).toBeCloseTo(expected[r][j], 5)),
    );
    outer.dispose();
    expect((deepest as unknown as Layer).disposed).toBe(true);
  });
});

/** The same layers, nested and flat, from the same initial weights. */
function nestedAndFlat(dropout: boolean, batchNorm: boolean) {
  const build = (nested: boolean) => {
    setRandomSeed(9);
    const innerLayers = [
      new layers.Dense(6, { activation: "tanh", name: "l1", kernelRegularizer: "l2" }),
      ...(batchNorm ? [new layers.BatchNormalization({ name: "bn" })] : []),
      ...(dropout ? [new layers.Dropout(0.3, { name: "drop" })] : []),
      new layers.Dense(3, { activation: "tanh", name: "l2" }),
    ];
    const input = Input({ shape: [4], name: "x" });
    let h: ReturnType<typeof Input>;
    let inner: Sequential | null = null;
    if (nested) {
      inner = new Sequential(innerLayers, { name: "block" });
      h = inner.apply(input);
    } else {
      h = innerLayers.reduce((tensor, layer) => layer.apply(tensor), input);
    }
    const model = new Model({ inputs: input, outputs: new layers.Dense(1, { name: "head" }).apply(h) });
    return { model, inner };
  };
  const nested = build(true);
  const flat = build(false);
  flat.model.setWeights(nested.model.getWeights());
  return { nested, flat };
}

describe("training through the nesting", () => {
  test.each([
    ["Dense only (an L2 kernel regularizer inside: its penalty and gradient too)", false, false],
    ["with Dropout (the outer fit's seed reaches it)", true, false],
    ["with BatchNormalization (batch statistics while training, moving statistics updated)", false, true],
  ])(
    "%s: fit trains the inner model's own weights as the flat model trains the same layers",
    async (_name, dropout, batchNorm) => {
      const { nested, flat } = nestedAndFlat(dropout, batchNorm);
      const x = uniformTensor([40, 4], 11);
      const y = uniformTensor([40, 1], 12);
      for (const { model } of [nested, flat]) model.compile({ optimizer: "adam", loss: "mse" });
      const nestedHistory = await nested.model.fit(x, y, {
        epochs: 3,
        batchSize: 8,
        shuffle: true,
        seed: 5,
        verbose: 0,
      });
      const flatHistory = await flat.model.fit(x, y, { epochs: 3, batchSize: 8, shuffle: true, seed: 5, verbose: 0 });
      expect(nestedHistory.history.loss).toEqual(flatHistory.history.loss);
      const nestedWeights = nested.model.getWeights();
      flat.model
        .getWeights()
        .forEach((weight, i) => expect(Array.from(nestedWeights[i].data)).toEqual(Array.from(weight.data)));
      // The inner model object holds those very weights, and predicts with them (inference mode, as Keras).
      const innerPredict = nested.inner!.predict(x);
      const probe = Sequential.fromConfig(nested.inner!.getConfig() as never);
      probe.build([4]);
      probe.setWeights(
        ["l1", ...(batchNorm ? ["bn"] : []), "l2"].flatMap((name) => flat.model.getLayer(name).getWeights()),
      );
      expect(Array.from(innerPredict.data)).toEqual(Array.from(probe.predict(x).data));
      probe.dispose();
      nested.model.dispose();
      flat.model.dispose();
    },
  );

  test("an inner model applied twice shares its weights: gradients summed over both calls (finite differences)", () => {
    expectGradientsMatch({
      model: () => {
        const a = Input({ shape: [3], name: "a" });
        const b = Input({ shape: [3], name: "b" });
        const inner = new Sequential([
          new layers.Dense(4, { inputShape: [3], activation: "tanh" }),
          new layers.Dense(2, { activation: "sigmoid" }),
        ]);
        // NOTE: a trainable layer before the inner model, so the inner graph must give its inputs' gradients too.
        const pre = new layers.Dense(3, { activation: "tanh" }).apply(a);
        const joined = new layers.Concatenate().apply([inner.apply(pre), inner.apply(b)]);
        return new Model({ inputs: [a, b], outputs: new layers.Dense(1).apply(joined) });
      },
      loss: "mse",
      x: [uniformTensor([6, 3], 21), uniformTensor([6, 3], 22)],
      y: uniformTensor([6, 1], 23),
    });
  });

  test("an inner model applied in series to its own output (Keras allows it: two calls, shared weights)", () => {
    expectGradientsMatch({
      model: () => {
        const a = Input({ shape: [4], name: "a" });
        const square = new Sequential([new layers.Dense(4, { inputShape: [4], activation: "tanh" })], {
          name: "square",
        });
        return new Model({ inputs: a, outputs: new layers.Dense(1).apply(square.apply(square.apply(a))) });
      },
      loss: "mse",
      x: uniformTensor([6, 4], 24),
      y: uniformTensor([6, 1], 25),
    });
  });

  test("a Functional inner model with two inputs, its input feeding two layers (input gradients summed)", () => {
    expectGradientsMatch({
      model: () => {
        const p = Input({ shape: [3], name: "p" });
        const q = Input({ shape: [2], name: "q" });
        const left = new layers.Dense(2, { activation: "tanh" }).apply(p);
        const right = new layers.Dense(2, { activation: "tanh" }).apply(p);
        const innerOut = new layers.Dense(2).apply(new layers.Concatenate().apply([left, right, q]));
        const inner = new Model({ inputs: [p, q], outputs: innerOut, name: "two_in" });
        const a = Input({ shape: [3], name: "a" });
        const b = Input({ shape: [2], name: "b" });
        const pre = new layers.Dense(3, { activation: "tanh" }).apply(a);
        return new Model({ inputs: [a, b], outputs: new layers.Dense(1).apply(inner.apply([pre, b])) });
      },
      loss: "mse",
      x: [uniformTensor([5, 3], 31), uniformTensor([5, 2], 32)],
      y: uniformTensor([5, 1], 33),
    });
  });

  test("trainable = false on the inner model freezes all its layers; true thaws them (also after compile)", async () => {
    const inner = innerSequential("frozen");
    const outer = new Sequential([inner, new layers.Dense(1, { name: "frozen_head" })]);
    outer.compile({ optimizer: "sgd", loss: "mse" });
    inner.trainable = false;
    expect(inner.layers.every((layer) => !layer.trainable)).toBe(true);
    expect(outer.layers[0].trainableWeights).toEqual([]);
    const before = outer.getWeights();
    await outer.fit(x8, y8, { epochs: 2, verbose: 0 });
    const after = outer.getWeights();
    for (let i = 0; i < 4; i++) expect(Array.from(after[i].data)).toEqual(Array.from(before[i].data));
    expect(Array.from(after[4].data)).not.toEqual(Array.from(before[4].data));
    inner.trainable = true;
    outer.trainOnBatch(x8, y8);
    expect(Array.from(outer.getWeights()[0].data)).not.toEqual(Array.from(after[0].data));
    // One inner layer frozen by hand after compile: only it stays.
    inner.layers[1].trainable = false;
    const kept = inner.layers[1].getWeights();
    const moving = inner.layers[0].getWeights();
    outer.trainOnBatch(x8, y8);
    expect(Array.from(inner.layers[1].getWeights()[0].data)).toEqual(Array.from(kept[0].data));
    expect(Array.from(inner.layers[0].getWeights()[0].data)).not.toEqual(Array.from(moving[0].data));
    outer.dispose();
  });

  test("an inner model compiled and trained alone keeps its fused softmax path, and trains right nested afterwards", async () => {
    const inner = new Sequential([new layers.Dense(3, { inputShape: [4], activation: "softmax", name: "fused_out" })], {
      name: "classifier",
    });
    inner.compile({ optimizer: "sgd", loss: "categorical_crossentropy" });
    const labels = tensor(
      Array.from({ length: 8 }, (_, r) => [r % 3 === 0 ? 1 : 0, r % 3 === 1 ? 1 : 0, r % 3 === 2 ? 1 : 0]),
    );
    inner.trainOnBatch(x8, labels);
    // The same step nested, against the flat twin: both give the gradient of the output (not of the pre-activation).
    const outer = new Sequential([inner, new layers.Dense(1, { name: "after_softmax" })]);
    const twin = new Sequential([new layers.Dense(3, { inputShape: [4], activation: "softmax" }), new layers.Dense(1)]);
    twin.setWeights(outer.getWeights());
    for (const model of [outer, twin]) model.compile({ optimizer: "sgd", loss: "mse" });
    outer.trainOnBatch(x8, y8);
    twin.trainOnBatch(x8, y8);
    const twinWeights = twin.getWeights();
    outer.getWeights().forEach((w, i) => expect(Array.from(w.data)).toEqual(Array.from(twinWeights[i].data)));
    // And alone again: its own step as a fresh model of the same weights takes it.
    const alone = new Sequential([new layers.Dense(3, { inputShape: [4], activation: "softmax" })]);
    alone.setWeights(inner.getWeights());
    alone.compile({ optimizer: "sgd", loss: "categorical_crossentropy" });
    expect(inner.trainOnBatch(x8, labels).loss).toBe(alone.trainOnBatch(x8, labels).loss);
    expect(Array.from(inner.getWeights()[0].data)).toEqual(Array.from(alone.getWeights()[0].data));
    outer.dispose();
    twin.dispose();
    alone.dispose();
  });
});
