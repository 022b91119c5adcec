// `trainable` changed after compile, and a fully frozen model.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { init, layers, Sequential, setRandomSeed } from "../../ts/index.js";
import { Dense } from "../../ts/layers/dense.js";

beforeAll(async () => {
  await init();
  setRandomSeed(7);
});

afterEach(() => {
  vi.restoreAllMocks();
});

const x = [
  [1, 2, 3],
  [4, 5, 6],
  [7, 8, 9],
  [1, 0, 1],
].map((row) => row.map((v) => v / 10));
const y = [[1], [2], [3], [4]];
const fitOptions = { epochs: 3, verbose: 0, shuffle: false, batchSize: 2 } as const;
const values = (layer: { getWeights(): { data: Float32Array }[] }) =>
  layer.getWeights().map((weight) => Array.from(weight.data));

function twoLayers(firstTrainable = true) {
  const first = new layers.Dense(4, { inputShape: [3], activation: "tanh", trainable: firstTrainable });
  const model = new Sequential([first, new layers.Dense(1)]);
  return { first, model };
}

/** A model with the same weights as `source`, compiled with SGD after `prepare` ran on its first layer. */
function referenceFor(source: Sequential, firstTrainable: boolean) {
  const { first, model } = twoLayers(firstTrainable);
  model.setWeights(source.getWeights());
  model.compile({ optimizer: "sgd", loss: "mse" });
  return { first, model };
}

describe("trainable changed after compile", () => {
  it("a layer frozen after compile gets no more updates, and the rest trains as if frozen at compile", async () => {
    const { first, model } = twoLayers();
    model.compile({ optimizer: "sgd", loss: "mse" });
    await model.fit(x, y, { ...fitOptions, epochs: 1 });
    first.trainable = false;
    const frozen = values(first);
    const reference = referenceFor(model, false);
    const history = await model.fit(x, y, fitOptions);
    const expected = await reference.model.fit(x, y, fitOptions);
    expect(values(first)).toEqual(frozen);
    expect(history.history.loss).toEqual(expected.history.loss);
    expect(values(model)).toEqual(values(reference.model));
    model.dispose();
    reference.model.dispose();
  });

  it("a layer thawed after compile starts training, as if trainable at compile", async () => {
    const { first, model } = twoLayers(false);
    model.compile({ optimizer: "sgd", loss: "mse" });
    await model.fit(x, y, { ...fitOptions, epochs: 1 });
    const beforeThaw = values(first);
    first.trainable = true;
    const reference = referenceFor(model, true);
    await model.fit(x, y, fitOptions);
    await reference.model.fit(x, y, fitOptions);
    expect(values(first)).not.toEqual(beforeThaw);
    expect(values(model)).toEqual(values(reference.model));
    model.dispose();
    reference.model.dispose();
  });

  it("trainOnBatch sees the change too, and trainable must be a boolean", () => {
    const { first, model } = twoLayers();
    model.compile({ optimizer: "sgd", loss: "mse" });
    model.trainOnBatch(x, y);
    first.trainable = false;
    const frozen = values(first);
    model.trainOnBatch(x, y);
    expect(values(first)).toEqual(frozen);
    expect(() => {
      first.trainable = "no" as never;
    }).toThrow(`${first.name}: trainable must be true or false, got string "no"`);
    expect(first.trainable).toBe(false);
    model.dispose();
  });
});

describe("a fully frozen model", () => {
  it("runs no backward and no optimizer step, and still reports the loss", async () => {
    const { first, model } = twoLayers();
    model.layers[1].trainable = false;
    first.trainable = false;
    model.compile({ optimizer: "sgd", loss: "mse" });
    const before = values(model);
    const evaluated = await model.evaluate(x, y, { verbose: 0, batchSize: 4 });
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const backward = vi.spyOn(Dense.prototype, "backward");
    const history = await model.fit(x, y, { ...fitOptions, epochs: 1, batchSize: 4 });
    expect(backward).not.toHaveBeenCalled();
    expect(model.optimizer!.iterations).toBe(0);
    expect(values(model)).toEqual(before);
    expect(history.history.loss[0]).toBeCloseTo(evaluated.loss, 6);
    model.dispose();
  });
});
