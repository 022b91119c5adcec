/**
 * A plain JS tensor: a Float32Array and a shape. It holds no WebAssembly memory, so there is nothing to dispose.
 */
export type NestedArray = number | NestedArray[];
export type TensorLike = Tensor | NestedArray | Float32Array | ArrayLike<number>;

export class Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;

  constructor(data: Float32Array, shape: readonly number[]) {
    const size = shape.reduce((product, dim) => product * dim, 1);
    if (size !== data.length) {
      throw new Error(`tensor: shape [${shape.join(", ")}] holds ${size} values but data has ${data.length}`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
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
}

function nest(data: Float32Array, shape: readonly number[], axis: number, offset: number): NestedArray[] {
  const stride = shape.slice(axis + 1).reduce((product, dim) => product * dim, 1);
  const out: NestedArray[] = [];
  for (let i = 0; i < shape[axis]; i++) {
    out.push(axis === shape.length - 1 ? data[offset + i] : nest(data, shape, axis + 1, offset + i * stride));
  }
  return out;
}

/** Builds a Tensor from nested arrays, or from a flat array / Float32Array and a shape. */
export function tensor(values: TensorLike, shape?: readonly number[]): Tensor {
  if (values instanceof Tensor) return shape ? new Tensor(values.data.slice(), shape) : values;
  if (typeof values === "number") return new Tensor(Float32Array.of(values), shape ?? []);
  if (Array.isArray(values)) {
    const inferred = inferShape(values);
    const flat = new Float32Array(inferred.reduce((product, dim) => product * dim, 1));
    flatten(values, flat, 0);
    return new Tensor(flat, shape ?? inferred);
  }
  const data = values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
  return new Tensor(data, shape ?? [data.length]);
}

function inferShape(values: NestedArray[]): number[] {
  const shape = [values.length];
  let first: NestedArray = values[0];
  while (Array.isArray(first)) {
    shape.push(first.length);
    first = first[0];
  }
  return shape;
}

function flatten(values: NestedArray, out: Float32Array, offset: number): number {
  if (!Array.isArray(values)) {
    if (typeof values !== "number") throw new Error(`tensor: expected numbers, got ${typeof values}`);
    out[offset] = values;
    return offset + 1;
  }
  for (const item of values) offset = flatten(item, out, offset);
  return offset;
}
