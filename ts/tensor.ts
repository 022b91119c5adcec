/**
 * A plain JS tensor: a Float32Array and a shape. It holds no WebAssembly memory, so there is nothing to dispose.
 */
import {
  flattenNested,
  inferNestedShape,
  isBigIntTypedArray,
  isNumericTypedArray,
  type NumericTypedArray,
} from "./data/flatten.js";
import { describeValue, formatShape } from "./utils/describe.js";

export type NestedArray = number | NestedArray[];
export type TensorLike =
  | Tensor
  | NestedArray
  | NumericTypedArray
  | readonly number[]
  | readonly (readonly number[])[]
  | readonly NumericTypedArray[];

export class Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
  /** Always "float32": densa computes in float32 (the name matches tf.Tensor.dtype). */
  readonly dtype = "float32" as const;

  /** Wraps `data` (not copied) in `shape`; the two must agree in size. */
  constructor(data: Float32Array, shape: readonly number[]) {
    if (!(data instanceof Float32Array)) {
      throw new Error(`Tensor: data must be a Float32Array, got ${describeValue(data)}`);
    }
    checkShape(shape, "Tensor");
    const size = shapeSize(shape);
    if (size !== data.length) {
      throw new Error(`Tensor: shape ${formatShape(shape)} holds ${size} values but data has ${data.length}`);
    }
    this.data = data;
    // NOTE: a frozen shape is shared rather than copied (it cannot change): freezing a copy costs ~70 ns, which
    // predict on one sample pays on every call otherwise.
    this.shape = Object.isFrozen(shape) ? shape : Object.freeze([...shape]);
  }

  get rank(): number {
    return this.shape.length;
  }

  get size(): number {
    return this.data.length;
  }

  /** Nested JS arrays in the tensor's shape (a number for rank 0). */
  toArray(): NestedArray {
    if (this.shape.length === 0) return this.data[0];
    return nest(this.data, this.shape, 0, 0);
  }

  /** The same values in another shape of the same size (copied, like every op result). */
  reshape(shape: readonly number[]): Tensor {
    checkShape(shape, "reshape");
    if (shapeSize(shape) !== this.size) {
      throw new Error(
        `reshape: cannot reshape a tensor of shape ${formatShape(this.shape)} (${this.size} values) ` +
          `into shape ${formatShape(shape)} (${shapeSize(shape)} values)`,
      );
    }
    return new Tensor(this.data.slice(), shape);
  }

  /**
   * Index of the largest value along `axis` (default the last), as NumPy's argmax: the first index wins ties,
   * NaN counts as the largest. The result drops that axis: argMax of a [n, classes] tensor has shape [n].
   */
  argMax(axis = -1): Tensor {
    if (this.rank === 0) throw new Error("argMax: the tensor is a scalar (rank 0); expected rank >= 1");
    if (!Number.isInteger(axis) || axis < -this.rank || axis >= this.rank) {
      throw new Error(
        `argMax: axis must be an integer in [${-this.rank}, ${this.rank - 1}] for a tensor of rank ${this.rank}, ` +
          `got ${describeValue(axis)}`,
      );
    }
    const along = axis < 0 ? axis + this.rank : axis;
    const length = this.shape[along];
    if (length === 0) throw new Error(`argMax: axis ${axis} has length 0; cannot take the argmax of nothing`);
    const inner = shapeSize(this.shape.slice(along + 1));
    const outer = shapeSize(this.shape.slice(0, along));
    const out = new Float32Array(outer * inner);
    const data = this.data;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * length * inner + i;
        let best = 0;
        let bestValue = data[base];
        if (!Number.isNaN(bestValue)) {
          for (let k = 1; k < length; k++) {
            const value = data[base + k * inner];
            if (Number.isNaN(value)) {
              best = k; // NaN: NumPy returns the first NaN
              break;
            }
            if (value > bestValue) {
              best = k;
              bestValue = value;
            }
          }
        }
        out[o * inner + i] = best;
      }
    }
    return new Tensor(out, [...this.shape.slice(0, along), ...this.shape.slice(along + 1)]);
  }

  toString(): string {
    return `Tensor(shape=${formatShape(this.shape)}, dtype=float32)`;
  }
}

/**
 * Builds a Tensor from a number, nested arrays, a flat array with a shape, a typed array (any numeric kind,
 * converted to float32; a Float32Array is used without copying) or another Tensor (reshaped copy if `shape`).
 * Ragged arrays, non-numbers and shapes that do not match the data are errors. NaN and ±Infinity are allowed
 * here (they are valid float32 values); fit/evaluate/predict refuse them in their inputs.
 */
export function tensor(values: TensorLike, shape?: readonly number[]): Tensor {
  if (shape !== undefined) checkShape(shape, "tensor");
  if (values instanceof Tensor) return shape ? values.reshape(shape) : values;
  let data: Float32Array;
  let inferred: number[];
  if (typeof values === "number") {
    data = Float32Array.of(values);
    inferred = [];
  } else if (Array.isArray(values)) {
    inferred = inferNestedShape(values);
    data = flattenNested(values, inferred, { fn: "tensor", arg: "values", finite: false });
  } else if (isNumericTypedArray(values)) {
    data = values instanceof Float32Array ? values : Float32Array.from(values);
    inferred = [data.length];
  } else if (isBigIntTypedArray(values)) {
    throw new Error(
      `tensor: values must hold JS numbers, got ${describeValue(values)}; convert it with Array.from(values, Number)`,
    );
  } else {
    throw new Error(
      `tensor: values must be a number, a (nested) array of numbers, a typed array or a Tensor, got ${describeValue(values)}`,
    );
  }
  if (shape === undefined) return new Tensor(data, inferred);
  if (shapeSize(shape) !== data.length) {
    throw new Error(
      `tensor: shape ${formatShape(shape)} holds ${shapeSize(shape)} values but values ` +
        `(shape ${formatShape(inferred)}) has ${data.length}`,
    );
  }
  return new Tensor(data, shape);
}

function checkShape(shape: unknown, fn: string): asserts shape is readonly number[] {
  if (!Array.isArray(shape))
    throw new Error(`${fn}: shape must be an array of non-negative integers, got ${describeValue(shape)}`);
  for (let i = 0; i < shape.length; i++) {
    const dim: unknown = shape[i];
    if (typeof dim !== "number" || !Number.isInteger(dim) || dim < 0) {
      throw new Error(
        `${fn}: shape[${i}] must be a non-negative integer, got ${describeValue(dim)} (shape ${describeShape(shape)})`,
      );
    }
  }
}

function describeShape(shape: readonly unknown[]): string {
  return `[${shape.map((dim) => (typeof dim === "number" ? String(dim) : describeValue(dim))).join(", ")}]`;
}

function shapeSize(shape: readonly number[]): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}

function nest(data: Float32Array, shape: readonly number[], axis: number, offset: number): NestedArray[] {
  const stride = shapeSize(shape.slice(axis + 1));
  const out: NestedArray[] = [];
  for (let i = 0; i < shape[axis]; i++) {
    out.push(axis === shape.length - 1 ? data[offset + i] : nest(data, shape, axis + 1, offset + i * stride));
  }
  return out;
}
