import { describe, expect, it } from "vitest";
import { Tensor, tensor } from "../../ts/tensor.js";
import { seededRandom } from "../helpers/seeded.js";

/** NumPy's argmax along an axis, written plainly over nested index loops (float64 compares). */
function referenceArgMax(data: ArrayLike<number>, shape: number[], axis: number): { data: number[]; shape: number[] } {
  const outShape = shape.filter((_, i) => i !== axis);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const outSize = outShape.reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let flat = 0; flat < outSize; flat++) {
    // multi-index over the kept axes
    const index: number[] = [];
    let rest = flat;
    for (let i = outShape.length - 1; i >= 0; i--) {
      index.unshift(rest % outShape[i]);
      rest = Math.floor(rest / outShape[i]);
    }
    const full = [...index.slice(0, axis), 0, ...index.slice(axis)];
    let best = -1;
    let bestValue = -Infinity;
    for (let k = 0; k < shape[axis]; k++) {
      full[axis] = k;
      const value = data[full.reduce((sum, i, a) => sum + i * strides[a], 0)];
      if (Number.isNaN(value)) {
        best = k;
        break;
      }
      if (best < 0 || value > bestValue) {
        best = k;
        bestValue = value;
      }
    }
    out.push(best);
  }
  return { data: out, shape: outShape };
}

function randomData(size: number, seed: number): Float32Array {
  const next = seededRandom(seed);
  return Float32Array.from({ length: size }, () => Math.round((next() * 2 - 1) * 8) / 4); // coarse values, so ties happen
}

describe("tensor()", () => {
  it("builds from nested arrays with the inferred shape and round-trips toArray", () => {
    const values = [
      [1, 2, 3],
      [4, 5, 6],
    ];
    const t = tensor(values);
    expect(t.shape).toEqual([2, 3]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.toArray()).toEqual(values);
    expect(
      tensor([
        [[1], [2]],
        [[3], [4]],
      ]).shape,
    ).toEqual([2, 2, 1]);
    expect(tensor(7).shape).toEqual([]);
    expect(tensor(7).toArray()).toBe(7);
  });

  it("takes a flat array or typed array with a shape; a Float32Array is not copied", () => {
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    const t = tensor(data, [3, 2]);
    expect(t.data).toBe(data);
    expect(t.toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(tensor([1, 2, 3, 4], [2, 2]).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it("converts other typed arrays to float32", () => {
    expect(Array.from(tensor(new Int32Array([1, -2, 3])).data)).toEqual([1, -2, 3]);
    expect(Array.from(tensor(new Uint8Array([255, 0])).data)).toEqual([255, 0]);
    const f64 = tensor(new Float64Array([0.1]));
    expect(f64.data[0]).toBe(Math.fround(0.1));
    expect(f64.data).toBeInstanceOf(Float32Array);
    // rows given as typed arrays
    expect(tensor([new Float32Array([1, 2]), new Float32Array([3, 4])]).shape).toEqual([2, 2]);
  });

  it("reports ragged arrays with the paths that differ", () => {
    expect(() =>
      tensor([
        [1, 2, 3],
        [4, 5],
      ]),
    ).toThrow(
      "tensor: values is ragged: values[1] has 2 elements but values[0] has 3; expected every row to have the same length",
    );
    expect(() => tensor([[[1, 2]], [[3]]])).toThrow(
      "tensor: values is ragged: values[1][0] has 1 element but values[0][0] has 2",
    );
    expect(() => tensor([[1, 2], 3])).toThrow(
      "tensor: values is ragged: values[1] is a number but values[0] is an array of length 2",
    );
    expect(() => tensor([1, [2]])).toThrow("tensor: values is ragged: values[1] is an array but values[0] is a number");
  });

  it("refuses non-numbers, naming the entry and what came", () => {
    expect(() => tensor([[1, "2"]] as never)).toThrow('tensor: values[0][1] must be a number, got string "2"');
    expect(() => tensor([true] as never)).toThrow("tensor: values[0] must be a number, got boolean true");
    expect(() => tensor([1, undefined] as never)).toThrow("tensor: values[1] must be a number, got undefined");
    expect(() => tensor("abc" as never)).toThrow(
      'tensor: values must be a number, a (nested) array of numbers, a typed array or a Tensor, got string "abc"',
    );
    expect(() => tensor(new BigInt64Array(2) as never)).toThrow(
      "tensor: values must hold JS numbers, got BigInt64Array of length 2",
    );
  });

  it("allows NaN and Infinity (valid float32 values)", () => {
    const t = tensor([NaN, Infinity, -Infinity]);
    expect(Number.isNaN(t.data[0])).toBe(true);
    expect(t.data[1]).toBe(Infinity);
  });

  it("checks shapes", () => {
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow("tensor: shape [2, 2] holds 4 values but values (shape [3]) has 3");
    expect(() => tensor([1, 2], [2, -1])).toThrow(
      "tensor: shape[1] must be a non-negative integer, got -1 (shape [2, -1])",
    );
    expect(() => tensor([1, 2], [1.5] as never)).toThrow("tensor: shape[0] must be a non-negative integer, got 1.5");
    expect(() => new Tensor(new Float32Array(3), [2])).toThrow("Tensor: shape [2] holds 2 values but data has 3");
    expect(() => new Tensor([1, 2] as never, [2])).toThrow(
      "Tensor: data must be a Float32Array, got an array of length 2",
    );
  });

  it("empty arrays give zero-sized tensors", () => {
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([[]]).shape).toEqual([1, 0]);
  });

  it("reshape copies into the new shape and checks the size", () => {
    const t = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const r = t.reshape([3, 2]);
    expect(r.toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(r.data).not.toBe(t.data);
    expect(() => t.reshape([4, 2])).toThrow(
      "reshape: cannot reshape a tensor of shape [2, 3] (6 values) into shape [4, 2] (8 values)",
    );
  });
});

describe("Tensor.argMax", () => {
  const shapes = [[1], [5], [3, 4], [7, 1], [2, 3, 5], [4, 1, 3], [2, 2, 2, 3]];
  for (const shape of shapes) {
    it(`matches NumPy's argmax on shape [${shape}] for every axis`, () => {
      const size = shape.reduce((a, b) => a * b, 1);
      const data = randomData(size, size * 31 + shape.length);
      const t = new Tensor(data, shape);
      for (let axis = -shape.length; axis < shape.length; axis++) {
        const expected = referenceArgMax(data, shape, axis < 0 ? axis + shape.length : axis);
        const got = t.argMax(axis);
        expect(got.shape).toEqual(expected.shape);
        expect(Array.from(got.data)).toEqual(expected.data);
      }
    });
  }

  it("defaults to the last axis; first index wins ties; NaN counts as largest", () => {
    const t = tensor([
      [0.1, 0.7, 0.2],
      [0.5, 0.5, 0.1],
      [1, NaN, 3],
      [-Infinity, -Infinity, -5],
    ]);
    expect(Array.from(t.argMax().data)).toEqual([1, 0, 1, 2]);
    expect(Array.from(t.argMax(0).data)).toEqual([2, 2, 2]);
  });

  it("validates the axis", () => {
    const t = tensor([[1, 2]]);
    expect(() => t.argMax(2)).toThrow("argMax: axis must be an integer in [-2, 1] for a tensor of rank 2, got 2");
    expect(() => t.argMax(0.5)).toThrow("argMax: axis must be an integer in [-2, 1] for a tensor of rank 2, got 0.5");
    expect(() => tensor(3).argMax()).toThrow("argMax: the tensor is a scalar (rank 0); expected rank >= 1");
    expect(() => tensor([[]]).argMax(1)).toThrow("argMax: axis 1 has length 0");
  });
});
