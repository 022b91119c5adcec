// The model's structure: add() after compile, one owner per layer, builds that fail part way, and constructors
// that fail part way.
import { beforeAll, describe, expect, it } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { init, layers, Sequential } from "../../ts/index.js";

beforeAll(async () => {
  await init();
});

const bytesInUse = () => getEngine().allocator.bytesInUse;
const snapshot = (model: Sequential) => model.getWeights().map((weight) => Array.from(weight.data));

describe("add() after compile", () => {
  it("trains the added layer exactly as a model built with it from the start", async () => {
    const x = Array.from({ length: 64 }, (_, i) => [(i % 7) / 7, (i % 5) / 5]);
    const y = x.map(([a, b]) => [a + b, a - b, a * b]);
    const grown = new Sequential([new layers.Dense(4, { inputShape: [2] }), new layers.Dense(1)]);
    grown.compile({ optimizer: "sgd", loss: "mse" });
    await grown.fit(
      [
        [1, 2],
        [3, 4],
      ],
      [[1], [2]],
      { verbose: 0 },
    );
    const extra = new layers.Dense(3);
    grown.add(extra);
    expect(grown.outputShape).toEqual([3]);

    // Reference: a fresh model of the same three layers with the same starting weights.
    const reference = new Sequential([
      new layers.Dense(4, { inputShape: [2] }),
      new layers.Dense(1),
      new layers.Dense(3),
    ]);
    reference.setWeights(grown.getWeights());
    reference.compile({ optimizer: "sgd", loss: "mse" });

    const before = Array.from(extra.getWeights()[0].data);
    const options = { verbose: 0, batchSize: 64, shuffle: false, epochs: 2 } as const;
    const grownHistory = await grown.fit(x, y, options);
    const referenceHistory = await reference.fit(x, y, options);
    expect(Array.from(extra.getWeights()[0].data)).not.toEqual(before);
    expect(grownHistory.history.loss).toEqual(referenceHistory.history.loss);
    expect(snapshot(grown)).toEqual(snapshot(reference));
    grown.dispose();
    reference.dispose();
  });
});

describe("one model per layer", () => {
  it("Layer.build refuses another input shape once built", () => {
    const layer = new layers.Dense(2, { name: "built_for_3" });
    layer.build([3]);
    expect(() => layer.build([7])).toThrow(
      "built_for_3: build: the layer is already built for input shape [3], got [7]; a built layer keeps the shapes of its weights, so use a new layer for another input shape",
    );
    layer.build([3]); // the same shape again is fine
    expect(layer.weights[0].shape).toEqual([3, 2]);
    layer.dispose();
  });

  it("a built layer that does not fit the new model is refused, naming both shapes; nothing changes", () => {
    const shared = new layers.Dense(2, { name: "shared_fit" });
    const first = new Sequential([new layers.Dense(3, { inputShape: [3] }), shared]);
    expect(first.pop()).toBe(shared);
    const before = bytesInUse();
    expect(() => new Sequential([new layers.Dense(5, { inputShape: [7] }), shared])).toThrow(
      'Sequential: layer "shared_fit" is built for input shape [3] but the model\'s output before it has shape [5]; a built layer keeps the shapes of its weights, so create a new layer',
    );
    expect(bytesInUse()).toBe(before);
    expect(shared.inputShape).toEqual([3]);
    const model = new Sequential([new layers.Dense(5, { inputShape: [7] })]);
    expect(() => model.add(shared)).toThrow('add: layer "shared_fit" is built for input shape [3]');
    expect(model.layers.length).toBe(1);
    // It still fits a model whose output before it has 3 values.
    first.add(shared);
    expect(first.predict([[1, 2, 3]]).shape).toEqual([1, 2]);
    first.dispose();
    model.dispose();
  });

  it("a layer of one model cannot join another; pop() releases it", () => {
    const shared = new layers.Dense(2, { name: "shared_owner" });
    const a = new Sequential([new layers.Dense(3, { inputShape: [3] }), shared], { name: "model_a" });
    expect(() => new Sequential([new layers.Dense(3, { inputShape: [3] }), shared])).toThrow(
      'Sequential: layer "shared_owner" belongs to the model "model_a"; a layer can be in one model at a time, so pop() it from that model first, or create a new layer',
    );
    const b = new Sequential([new layers.Dense(3, { inputShape: [3] })]);
    expect(() => b.add(shared)).toThrow('add: layer "shared_owner" belongs to the model "model_a"');
    // a.dispose() must not free anything b uses: b never took the layer.
    a.pop();
    b.add(shared);
    a.dispose();
    for (let i = 0; i < 5; i++)
      new Sequential([
        new layers.Dense(2, { inputShape: [3], kernelInitializer: "ones", biasInitializer: "ones" }),
      ]).dispose();
    const expected = b.predict([[1, 2, 3]]).toArray();
    expect(b.predict([[1, 2, 3]]).toArray()).toEqual(expected);
    expect(b.getWeights().length).toBe(4);
    b.dispose();
  });

  it("a disposed layer cannot be added again", () => {
    const layer = new layers.Dense(2, { inputShape: [3], name: "gone" });
    const model = new Sequential([layer]);
    model.dispose();
    expect(layer.disposed).toBe(true);
    expect(() => new Sequential([layer])).toThrow(
      'Sequential: layer "gone" was disposed (by its model\'s dispose() or its own); create a new layer',
    );
    const other = new Sequential([new layers.Dense(3, { inputShape: [3] })]);
    expect(() => other.add(layer)).toThrow('add: layer "gone" was disposed');
    expect(() => layer.build([3])).toThrow("gone: build: the layer was disposed; create a new layer");
    other.dispose();
  });

  it("a popped layer can be freed with layer.dispose()", () => {
    const before = bytesInUse();
    const model = new Sequential([new layers.Dense(16, { inputShape: [16] }), new layers.Dense(16)]);
    const popped = model.pop();
    model.dispose();
    expect(bytesInUse()).toBeGreaterThan(before);
    popped.dispose();
    expect(bytesInUse()).toBe(before);
  });
});

describe("failures part way leave no memory behind", () => {
  it("a build that throws after creating a weight frees it, and a retry leaks nothing", () => {
    const before = bytesInUse();
    // The kernel is created and filled, then the "identity" initializer refuses the 1-D bias.
    const layer = new layers.Dense(4, { inputShape: [3], biasInitializer: "identity" });
    const first = (() => {
      try {
        new Sequential([layer]);
      } catch (error) {
        return (error as Error).message;
      }
      return "no error";
    })();
    expect(first).toMatch(/identity|2-D|2D|matri/i);
    expect(bytesInUse()).toBe(before);
    expect(layer.built).toBe(false);
    expect(layer.weights).toEqual([]);
    expect(() => new Sequential([layer])).toThrow(first);
    expect(bytesInUse()).toBe(before);
  });

  it("a constructor that fails at a later layer frees the layers it built and releases them", () => {
    const before = bytesInUse();
    const big = new layers.Dense(256, { inputShape: [256], name: "big_first" });
    for (let i = 0; i < 3; i++) {
      expect(() => new Sequential([big, new layers.Dense(2, { inputShape: [5] })])).toThrow(
        /^Sequential: layer "dense_\d+" declares input shape \[5\] but the model's output before it has shape \[256\]/,
      );
      expect(bytesInUse()).toBe(before);
      expect(big.built).toBe(false);
    }
    // The layer came back unbuilt and unowned: it can start a model.
    const model = new Sequential([big]);
    expect(model.built).toBe(true);
    model.dispose();
    expect(bytesInUse()).toBe(before);
  });

  it("layers that were built before a failed constructor stay built and usable", () => {
    const kept = new layers.Dense(3, { inputShape: [2], name: "kept_built" });
    const holder = new Sequential([kept]);
    holder.pop();
    holder.dispose();
    const weights = Array.from(kept.getWeights()[0].data);
    const owned = new layers.Dense(1, { name: "owned_elsewhere" });
    const other = new Sequential([new layers.Dense(3, { inputShape: [3] }), owned]);
    expect(() => new Sequential([kept, owned])).toThrow("belongs to the model");
    expect(kept.built).toBe(true);
    expect(Array.from(kept.getWeights()[0].data)).toEqual(weights);
    const model = new Sequential([kept]);
    expect(model.predict([[1, 2]]).shape).toEqual([1, 3]);
    model.dispose();
    other.dispose();
  });
});
