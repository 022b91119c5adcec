// Activation and Normalization on the per-step path: no shape copies or JS scans per call, and the divisor
// Normalization keeps (max(sqrt(variance), ε) per feature) follows every way the variance is written.
import { afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { layers, loadModel, Sequential, tensor } from "../../ts/index.js";
import { Activation } from "../../ts/layers/activation.js";
import { Normalization } from "../../ts/layers/normalization.js";
import { expectClose, freeAll, get, loadEngine, put, randomArray } from "../helpers/wasm.js";

beforeAll(loadEngine);
afterEach(() => {
  vi.restoreAllMocks();
  freeAll();
});

/** (x − mean) / max(sqrt(variance), 1e-7) per feature (the last axis), in float64. */
function normalized(x: ArrayLike<number>, mean: readonly number[], variance: readonly number[]): number[] {
  return Array.from(
    x,
    (value, i) => (value - mean[i % mean.length]) / Math.max(Math.sqrt(variance[i % mean.length]), 1e-7),
  );
}

describe("per-call work", () => {
  test("Activation (softmax over the last axis of a rank-2 sample) copies no shape per forward or backward", () => {
    const layer = new Activation("softmax");
    layer.build([2, 3]);
    const input = put(randomArray(5 * 6, 1, -2, 2));
    const outputGrad = put(randomArray(5 * 6, 2, -1, 1));
    const shapeReads = vi.spyOn(layer, "inputShape", "get");
    for (let step = 0; step < 3; step++) {
      layer.forward(input, { rows: 5, training: true, generator: null });
      layer.backward(outputGrad, { rows: 5, training: true, generator: null }, true);
    }
    expect(shapeReads).not.toHaveBeenCalled();
    // softmax along the last axis: each run of 3 sums to 1
    const output = get(layer.forward(input, { rows: 5, training: false, generator: null }), 30);
    for (let row = 0; row < 10; row++)
      expect(output[row * 3] + output[row * 3 + 1] + output[row * 3 + 2]).toBeCloseTo(1, 6);
    layer.dispose();
  });

  test("Normalization reads no wasm view and scans nothing in JS while its variance is unchanged", () => {
    const layer = new Normalization({ mean: [1, 2, 3], variance: [4, 0, 9] });
    layer.build([2, 3]);
    const x = randomArray(4 * 6, 3, -3, 3);
    const input = put(x);
    expectClose(
      get(layer.forward(input, { rows: 4, training: false, generator: null }), 24),
      normalized(x, [1, 2, 3], [4, 0, 9]),
    );
    const views = vi.spyOn(getEngine(), "view");
    for (let step = 0; step < 3; step++) layer.forward(input, { rows: 4, training: false, generator: null });
    expect(views).not.toHaveBeenCalled();
    layer.dispose();
  });
});

describe("Normalization follows its variance", () => {
  const x = randomArray(6 * 3, 4, -3, 3);
  const rows = [...Array(6)].map((_, i) => [...x.subarray(i * 3, i * 3 + 3)]);

  test("after setWeights", () => {
    const model = new Sequential([new layers.Normalization({ inputShape: [3], mean: [0, 0, 0], variance: [1, 1, 1] })]);
    expectClose(model.predict(rows).data, normalized(x, [0, 0, 0], [1, 1, 1]));
    model.setWeights([tensor([1, -1, 0.5], [3]), tensor([4, 0.25, 0], [3])]);
    expectClose(model.predict(rows).data, normalized(x, [1, -1, 0.5], [4, 0.25, 0]));
    model.dispose();
  });

  test("after adapt on a layer already used", () => {
    const layer = new layers.Normalization({ inputShape: [3], mean: [0, 0, 0], variance: [1, 1, 1] });
    const model = new Sequential([layer]);
    model.predict(rows);
    const data = [
      [1, 2, 3],
      [3, 2, 1],
      [5, 2, 8],
    ];
    layer.adapt(data);
    const mean = [3, 2, 4];
    const variance = [8 / 3, 0, 26 / 3];
    expectClose(model.predict(rows).data, normalized(x, mean, variance));
    model.dispose();
  });

  test("after loadModel (the weights are written after build)", async () => {
    const model = new Sequential([
      new layers.Normalization({ inputShape: [3], mean: [2, 0, -1], variance: [9, 0.5, 2] }),
    ]);
    const loaded = await loadModel(await model.save());
    expectClose(loaded.predict(rows).data, normalized(x, [2, 0, -1], [9, 0.5, 2]));
    expect(loaded.predict(rows).data).toEqual(model.predict(rows).data);
    loaded.dispose();
    model.dispose();
  });
});
