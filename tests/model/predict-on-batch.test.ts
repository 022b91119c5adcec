// predictOnBatch (Keras's predict_on_batch): the whole input as one batch, against a float64 forward pass of
// the same weights, and equal bit for bit to predict's batches of 32 (the kernels' results do not depend on
// where a row falls in a batch).
import { beforeAll, describe, expect, it } from "vitest";
import { init, layers, Sequential, tensor } from "../../ts/index.js";
import { uniformArray } from "../helpers/seeded.js";

beforeAll(() => init());

const ROWS = 40;
const x = uniformArray(ROWS * 6, 51, -2, 2);

function model() {
  const m = new Sequential([
    new layers.Dense(5, { activation: "tanh", inputShape: [6] }),
    new layers.Dense(3, { activation: "softmax" }),
  ]);
  m.setWeights([
    tensor(uniformArray(30, 52), [6, 5]),
    tensor(uniformArray(5, 53), [5]),
    tensor(uniformArray(15, 54, -2, 2), [5, 3]),
    tensor(uniformArray(3, 55), [3]),
  ]);
  return m;
}

/** float64 forward pass: softmax(tanh(x·W1 + b1)·W2 + b2). */
function reference(m: Sequential): Float64Array {
  const [w1, b1, w2, b2] = m.getWeights().map((weight) => weight.data);
  const out = new Float64Array(ROWS * 3);
  for (let r = 0; r < ROWS; r++) {
    const hidden = Array.from({ length: 5 }, (_, j) => {
      let z = b1[j];
      for (let i = 0; i < 6; i++) z += x[r * 6 + i] * w1[i * 5 + j];
      return Math.tanh(z);
    });
    const logits = Array.from({ length: 3 }, (_, k) => hidden.reduce((z, h, j) => z + h * w2[j * 3 + k], b2[k]));
    const top = Math.max(...logits);
    const exps = logits.map((logit) => Math.exp(logit - top));
    const total = exps.reduce((a, b) => a + b, 0);
    exps.forEach((e, k) => (out[r * 3 + k] = e / total));
  }
  return out;
}

describe("predictOnBatch", () => {
  it("gives the float64 forward pass of its weights for every row, in one batch", () => {
    const m = model();
    const got = m.predictOnBatch(tensor(x, [ROWS, 6]));
    expect(got.shape).toEqual([ROWS, 3]);
    const expected = reference(m);
    for (let i = 0; i < expected.length; i++)
      expect(Math.abs(got.data[i] - expected[i]), `element ${i}`).toBeLessThan(2e-6);
    m.dispose();
  });

  it("equals predict bit for bit (predict runs batches of 32 and 8 here), and accepts nested arrays", () => {
    const m = model();
    const once = m.predictOnBatch(tensor(x, [ROWS, 6]));
    expect(Array.from(m.predict(tensor(x, [ROWS, 6])).data)).toEqual(Array.from(once.data));
    const nested = Array.from({ length: ROWS }, (_, r) => Array.from(x.subarray(r * 6, r * 6 + 6)));
    expect(Array.from(m.predictOnBatch(nested).data)).toEqual(Array.from(once.data));
    m.dispose();
  });

  it("refuses input of the wrong width with a message that names predictOnBatch, and still predicts after", () => {
    const m = model();
    expect(() => m.predictOnBatch(tensor(new Float32Array(10), [2, 5]))).toThrow(/predictOnBatch.*6/);
    expect(m.predictOnBatch(tensor(x.subarray(0, 6), [1, 6])).shape).toEqual([1, 3]);
    m.dispose();
  });
});
