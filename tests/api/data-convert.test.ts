import { describe, expect, it } from "vitest";
import {
  checkInputShape,
  checkSameSampleCount,
  checkSparseLabels,
  classWeightToSampleWeights,
  normalizeClassWeight,
  toSampleWeights,
} from "../../ts/data/checks.js";
import { toFloatData } from "../../ts/data/convert.js";
import { tensor } from "../../ts/tensor.js";

describe("toFloatData", () => {
  it("converts nested arrays row-major", () => {
    const d = toFloatData(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      "fit",
      "x",
    );
    expect(d.shape).toEqual([3, 2]);
    expect(Array.from(d.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("uses a Tensor's and a Float32Array's memory without copying", () => {
    const t = tensor(new Float32Array([1, 2, 3, 4]), [2, 2]);
    expect(toFloatData(t, "fit", "x").data).toBe(t.data);
    const f = new Float32Array([1, 2, 3]);
    const d = toFloatData(f, "fit", "y");
    expect(d.data).toBe(f);
    expect(d.shape).toEqual([3]);
  });

  it("reports ragged rows with function, argument, expected and got", () => {
    expect(() =>
      toFloatData(
        [
          [1, 2, 3],
          [4, 5, 6],
          [7, 8],
        ],
        "fit",
        "x",
      ),
    ).toThrow("fit: x is ragged: x[2] has 2 elements but x[0] has 3; expected every row to have the same length");
  });

  it("reports NaN / Infinity / out-of-float32 values with their position", () => {
    expect(() =>
      toFloatData(
        [
          [1, 2],
          [NaN, 4],
        ],
        "fit",
        "x",
      ),
    ).toThrow("fit: x[1][0] is NaN; expected a finite number");
    expect(() => toFloatData([1, -Infinity], "evaluate", "y")).toThrow(
      "evaluate: y[1] is -Infinity; expected a finite number",
    );
    expect(() => toFloatData([1e39], "fit", "x")).toThrow("fit: x[0] is 1e+39, outside the float32 range");
    // inside a Tensor or typed array, the multi-index is reported
    expect(() => toFloatData(tensor([1, 2, 3, NaN, 5, 6], [3, 2]), "fit", "x")).toThrow(
      "fit: x[1][1] is NaN; expected a finite number",
    );
    expect(() => toFloatData(new Float64Array([0, Infinity]), "predict", "x")).toThrow(
      "predict: x[1] is Infinity; expected a finite number",
    );
  });

  it("finds the first non-finite float32 at chunk edges and in views with an offset (the bit scan)", () => {
    // Reference: the first index whose value - value is not 0, found by a plain loop.
    const firstBad = (values: Float32Array) => values.findIndex((value) => value - value !== 0);
    for (const length of [1, 3, 4095, 4096, 4097, 8195]) {
      for (const position of new Set([0, 1, length - 1, 4095, 4096].filter((p) => p < length))) {
        for (const bad of [NaN, Infinity, -Infinity]) {
          const backing = new Float32Array(length + 3).map((_, i) => (i % 7) - 3.5 + 3.4e38 * (i % 5 === 0 ? 1 : 0));
          const values = backing.subarray(3); // byteOffset 12
          values[position] = bad;
          if (position + 2 < length) values[position + 2] = NaN; // a later one must not win
          expect(firstBad(values)).toBe(position);
          const shape = [length, 1];
          const message = `fit: x[${position}][0] is ${Number.isNaN(bad) ? "NaN" : bad}; expected a finite number`;
          expect(() => toFloatData(tensor(values, shape), "fit", "x")).toThrow(message);
          expect(() => toFloatData(values, "predict", "x")).toThrow(`predict: x[${position}] is`);
        }
      }
      const finite = new Float32Array(length).map((_, i) => (i % 2 ? -3.4028234663852886e38 : 1e-45));
      expect(() => toFloatData(tensor(finite, [length]), "fit", "x")).not.toThrow();
      expect(() => toFloatData(finite, "fit", "x")).not.toThrow();
    }
    expect(() => toFloatData(new Float64Array([0, -1e300]), "fit", "x")).toThrow(
      "fit: x[1] is -1e+300, outside the float32 range",
    );
  });

  it("refuses strings and other non-numbers", () => {
    expect(() => toFloatData([[1, "a"]], "fit", "x")).toThrow('fit: x[0][1] must be a number, got string "a"');
    expect(() => toFloatData("1,2,3", "fit", "x")).toThrow(
      'fit: x must be a Tensor, a nested array of numbers or a Float32Array, got string "1,2,3"',
    );
    expect(() => toFloatData(null, "fit", "y")).toThrow(
      "fit: y must be a Tensor, a nested array of numbers or a Float32Array, got null",
    );
    expect(() => toFloatData({ data: [1] }, "fit", "x")).toThrow("got an object");
    expect(() => toFloatData([[1], null], "fit", "x")).toThrow("fit: x[1] must be an array of length 1, got null");
  });

  it("refuses empty data and scalars", () => {
    expect(() => toFloatData([], "fit", "x")).toThrow("fit: x is empty (shape [0]); expected at least one sample");
    expect(() => toFloatData([[], []], "fit", "x")).toThrow(
      "fit: x is empty (shape [2, 0]); expected at least one sample",
    );
    expect(() => toFloatData(3, "fit", "x")).toThrow(
      "fit: x must have at least 1 dimension (one entry per sample), got a scalar",
    );
    expect(toFloatData([], "fit", "x", { allowEmpty: true }).shape).toEqual([0]);
  });
});

describe("checks", () => {
  it("checkInputShape names features per sample against the model's input shape", () => {
    const x = toFloatData([[1, 2, 3, 4, 5, 6, 7]], "fit", "x");
    expect(() => checkInputShape(x, [8], "fit", "x")).toThrow(
      "fit: x has 7 features per sample but the model's input shape is [8]",
    );
    expect(checkInputShape(x, [7], "fit", "x")).toBe(x);
    expect(checkInputShape(x, [null], "fit", "x")).toBe(x);
    const images = toFloatData(tensor(new Float32Array(2 * 4 * 3), [2, 4, 3]), "fit", "x");
    expect(() => checkInputShape(images, [4, 4], "fit", "x")).toThrow(
      "fit: x has shape [2, 4, 3] (per sample [4, 3]) but the model's input shape is [4, 4]",
    );
    // a flat vector feeds a one-feature model, as in Keras
    expect(checkInputShape(toFloatData([1, 2, 3], "fit", "x"), [1], "fit", "x").shape).toEqual([3, 1]);
  });

  it("checkSameSampleCount", () => {
    const x = toFloatData([[1], [2], [3]], "fit", "x");
    const y = toFloatData([1, 2], "fit", "y");
    expect(() => checkSameSampleCount(x, y, "fit", "x", "y")).toThrow(
      "fit: x has 3 samples but y has 2; expected the same number of samples",
    );
  });

  it("checkSparseLabels wants integers in [0, classes)", () => {
    expect(checkSparseLabels(toFloatData([[0], [2], [1]], "fit", "y"), 3, "fit", "y").shape).toEqual([3]);
    expect(() => checkSparseLabels(toFloatData([0, 3, 1], "fit", "y"), 3, "fit", "y")).toThrow(
      "fit: y[1] is 3 but the model's output has 3 classes; expected integer labels in [0, 2]",
    );
    expect(() => checkSparseLabels(toFloatData([0, -1], "fit", "y"), 3, "fit", "y")).toThrow("fit: y[1] is -1 but");
    expect(() => checkSparseLabels(toFloatData([0, 1.5], "fit", "y"), 3, "fit", "y")).toThrow(
      "fit: y[1] is 1.5 (not an integer); expected integer labels in [0, 2]",
    );
    expect(() => checkSparseLabels(toFloatData([[0, 1]], "fit", "y"), 3, "fit", "y")).toThrow(
      "fit: y has shape [1, 2]; expected one integer class label per sample (shape [1] or [1, 1])",
    );
  });

  it("toSampleWeights checks length and shape", () => {
    expect(toSampleWeights([[1], [2]], 2, "fit").shape).toEqual([2]);
    expect(() => toSampleWeights([1, 2, 3], 2, "fit")).toThrow("fit: sampleWeight has 3 entries but x has 2 samples");
    expect(() => toSampleWeights([[1, 2]], 1, "fit")).toThrow(
      "fit: sampleWeight has shape [1, 2]; expected one weight per sample (shape [1])",
    );
    expect(() => toSampleWeights([1, NaN], 2, "fit")).toThrow("fit: sampleWeight[1] is NaN");
  });

  it("class weights follow Keras: argmax for one-hot rows, round-half-even otherwise, 1 for unlisted classes", () => {
    const weights = normalizeClassWeight({ 0: 1, 1: 4, "2": 0.5 }, "fit");
    expect([...weights.entries()]).toEqual([
      [0, 1],
      [1, 4],
      [2, 0.5],
    ]);
    const sparse = toFloatData([0, 1, 2, 3, 0.5, 1.5, 2.5], "fit", "y");
    // np.round: 0.5 → 0, 1.5 → 2, 2.5 → 2; class 3 is not listed → 1
    expect(Array.from(classWeightToSampleWeights(sparse, weights))).toEqual([1, 4, 0.5, 1, 1, 0.5, 0.5]);
    const oneHot = toFloatData(
      [
        [0, 1, 0],
        [1, 0, 0],
        [0, 0, 1],
      ],
      "fit",
      "y",
    );
    expect(Array.from(classWeightToSampleWeights(oneHot, weights))).toEqual([4, 1, 0.5]);
    const column = toFloatData([[1], [0]], "fit", "y");
    expect(Array.from(classWeightToSampleWeights(column, weights))).toEqual([4, 1]);
  });

  it("class weight keys and values are validated", () => {
    expect(() => normalizeClassWeight({ a: 1 }, "fit")).toThrow(
      'fit: classWeight keys must be class indices (non-negative integers), got string "a"',
    );
    expect(() => normalizeClassWeight({ 0: "x" }, "fit")).toThrow(
      'fit: classWeight[0] must be a finite number, got string "x"',
    );
    expect(() => normalizeClassWeight([1, 2], "fit")).toThrow(
      "fit: classWeight must be an object mapping class indices to weights",
    );
  });
});
