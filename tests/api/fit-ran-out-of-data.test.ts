// fit on a data set that runs dry: Keras stops training with a warning ("Your input ran out of data") and
// returns the history so far, rather than failing the whole fit.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { init, layers, Sequential } from "../../ts/index.js";

function makeModel() {
  const model = new Sequential([new layers.Dense(1, { inputShape: [2] })]);
  model.compile({ optimizer: "sgd", loss: "mse" });
  return model;
}

function* batches(count: number) {
  for (let i = 0; i < count; i++)
    yield [
      [
        [1, 2],
        [3, 4],
      ],
      [1, 2],
    ] as [number[][], number[]];
}

describe("fit on a data set that runs out of data", () => {
  beforeAll(() => init());
  afterEach(() => vi.restoreAllMocks());

  it("stops after the first epoch of a one-shot generator, with a warning", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const model = makeModel();
    const history = await model.fit(batches(4), { epochs: 3, verbose: 0 });
    expect(history.epoch).toEqual([0]);
    expect(history.history.loss).toHaveLength(1);
    expect(warn.mock.calls.flat().join("\n")).toMatch(/ran out of data; interrupting training/);
    model.dispose();
  });

  it("keeps the epoch in which an endless-looking source ends, then stops", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const model = makeModel();
    // stepsPerEpoch 3 over 4 batches: epoch 1 gets 3, epoch 2 gets 1 and ends early.
    const history = await model.fit(batches(4), { epochs: 5, stepsPerEpoch: 3, verbose: 0 });
    expect(history.epoch).toEqual([0, 1]);
    model.dispose();
  });

  it("trains every epoch when the source can start again (an array of batches)", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const model = makeModel();
    const history = await model.fit([...batches(2)], { epochs: 3, verbose: 0 });
    expect(history.epoch).toEqual([0, 1, 2]);
    expect(warn).not.toHaveBeenCalled();
    model.dispose();
  });

  it("still fails when there was nothing to train on at all", async () => {
    const model = makeModel();
    await expect(model.fit(batches(0), { epochs: 2, verbose: 0 })).rejects.toThrow(
      "fit: the data gave no batches to train on",
    );
    model.dispose();
  });
});
