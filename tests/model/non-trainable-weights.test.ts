// trainableWeights / nonTrainableWeights (Keras's trainable_weights / non_trainable_weights): which weights a
// layer offers the optimizer, checked by what training does — a step moves every trainable weight and none of
// the non-trainable ones — and by the counts summary() reports. Normalization is adapted to data (Keras 3 then
// keeps its statistics as non-trainable weights; given a mean and variance up front it keeps constants).
import { beforeAll, describe, expect, it } from "vitest";
import { init, layers, optimizers, Sequential, tensor } from "../../ts/index.js";
import type { Layer } from "../../ts/layers/layer.js";

beforeAll(() => init());

const x = tensor(
  Float32Array.from({ length: 24 }, (_, i) => Math.sin(i)),
  [6, 4],
);
const y = tensor(
  Float32Array.from({ length: 12 }, (_, i) => Math.cos(i)),
  [6, 2],
);

const names = (layer: Layer, which: "trainableWeights" | "nonTrainableWeights") =>
  layer[which].map((weight) => weight.name);

function build() {
  const normalization = new layers.Normalization({ inputShape: [4], name: "norm" });
  normalization.adapt(x);
  const hidden = new layers.Dense(5, { activation: "tanh", name: "hidden" });
  const frozen = new layers.Dense(5, { name: "frozen", trainable: false });
  const out = new layers.Dense(2, { name: "out" });
  const model = new Sequential([normalization, hidden, frozen, out]);
  model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: "mse" });
  return { model, normalization, hidden, frozen, out };
}

describe("nonTrainableWeights", () => {
  it("lists a frozen layer's weights and Normalization's statistics; trainableWeights the rest", () => {
    const { model, normalization, hidden, frozen, out } = build();
    // NOTE: Keras 3 also keeps a "count" weight here; only the statistics are checked.
    expect(names(normalization, "nonTrainableWeights")).toEqual(expect.arrayContaining(["norm/mean", "norm/variance"]));
    expect(names(normalization, "trainableWeights")).toEqual([]);
    expect(names(frozen, "nonTrainableWeights")).toEqual(["frozen/kernel", "frozen/bias"]);
    expect(names(frozen, "trainableWeights")).toEqual([]);
    for (const [layer, name] of [
      [hidden, "hidden"],
      [out, "out"],
    ] as const) {
      expect(names(layer, "trainableWeights")).toEqual([`${name}/kernel`, `${name}/bias`]);
      expect(names(layer, "nonTrainableWeights")).toEqual([]);
    }
    model.dispose();
  });

  it("a training step moves every trainable weight and no non-trainable one", () => {
    const { model, normalization, hidden, frozen, out } = build();
    const snapshot = (layer: Layer) => layer.getWeights().map((weight) => Array.from(weight.data));
    const before = [normalization, hidden, frozen, out].map(snapshot);
    model.trainOnBatch(x, y);
    const after = [normalization, hidden, frozen, out].map(snapshot);
    expect(after[0]).toEqual(before[0]);
    expect(after[2]).toEqual(before[2]);
    for (const index of [1, 3]) {
      after[index].forEach((weights, w) => expect(weights, `layer ${index} weight ${w}`).not.toEqual(before[index][w]));
    }
    model.dispose();
  });

  it("follows trainable when it changes: unfreezing moves the weights to the trainable list", () => {
    const { model, frozen } = build();
    frozen.trainable = true;
    expect(names(frozen, "trainableWeights")).toEqual(["frozen/kernel", "frozen/bias"]);
    expect(names(frozen, "nonTrainableWeights")).toEqual([]);
    const before = frozen.getWeights().map((weight) => Array.from(weight.data));
    model.trainOnBatch(x, y);
    expect(frozen.getWeights().map((weight) => Array.from(weight.data))[0]).not.toEqual(before[0]);
    model.dispose();
  });

  it("summary() counts a frozen layer's weights as non-trainable: 5·5 + 5", () => {
    const hidden = new layers.Dense(5, { activation: "tanh", inputShape: [4] });
    const frozen = new layers.Dense(5, { trainable: false });
    const model = new Sequential([hidden, frozen, new layers.Dense(2)]);
    const lines: string[] = [];
    model.summary((line) => lines.push(line));
    expect(lines).toContain(" Non-trainable params: 30 (120.00 B)");
    // 4·5 + 5 and 5·2 + 2 trainable.
    expect(lines).toContain(" Trainable params: 37 (148.00 B)");
    frozen.trainable = true;
    const unfrozen: string[] = [];
    model.summary((line) => unfrozen.push(line));
    expect(unfrozen).toContain(" Non-trainable params: 0 (0.00 B)");
    expect(unfrozen).toContain(" Trainable params: 67 (268.00 B)");
    model.dispose();
  });
});
