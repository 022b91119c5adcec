/**
 * Input conversion for fit / evaluate / predict: a Tensor, nested number arrays or a typed array become
 * { data: Float32Array, shape } — validated (ragged, non-numbers, NaN/±Infinity, empty) with errors that name
 * the function and the argument: `fit: x[3] has 7 elements but x[0] has 8; …`.
 * A Tensor or Float32Array is used without copying; other inputs are copied once.
 */
import { Tensor, type TensorLike } from "../tensor.js";
import { describeValue, formatShape, unflattenIndex } from "../utils/describe.js";
import { shapeSize } from "../utils/shape.js";
import {
  checkFinite,
  flattenNested,
  inferNestedShape,
  isBigIntTypedArray,
  isNumericTypedArray,
  type NumericTypedArray,
} from "./flatten.js";

/** What users may pass as x, y, sampleWeight or validation data: anything tensor() takes. */
export type DataLike = TensorLike;

/** Validated, row-major float32 data; `shape[0]` is the number of samples. */
export interface FloatData {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

export interface ToFloatDataOptions {
  /** Allow a zero-sized dimension (default false: "x is empty"). */
  allowEmpty?: boolean;
  /** Smallest rank accepted (default 1: there must be a sample axis). */
  minRank?: number;
  /** Refuse NaN / ±Infinity / beyond-float32 values (default true). */
  finite?: boolean;
}

/**
 * Converts and validates one input. `fn` and `arg` name the call and argument in errors ("fit", "x";
 * "fit", "validationData[1]"; "fit", "dataset batch 3 y").
 */
export function toFloatData(value: unknown, fn: string, arg: string, options: ToFloatDataOptions = {}): FloatData {
  const finite = options.finite ?? true;
  const context = { fn, arg, finite };
  let result: FloatData;
  if (value instanceof Tensor) {
    result = { data: value.data, shape: value.shape };
    if (finite) checkAllFinite(result, fn, arg);
  } else if (Array.isArray(value)) {
    const shape = inferNestedShape(value);
    result = { data: flattenNested(value, shape, context), shape };
  } else if (isNumericTypedArray(value)) {
    const data = value instanceof Float32Array ? value : Float32Array.from(value);
    if (finite) checkTypedFinite(value, fn, arg);
    result = { data, shape: [data.length] };
  } else if (typeof value === "number") {
    if (finite) checkFinite(value, context, []);
    result = { data: Float32Array.of(value), shape: [] };
  } else if (isBigIntTypedArray(value)) {
    throw new Error(
      `${fn}: ${arg} must hold JS numbers, got ${describeValue(value)}; convert it with Array.from(${arg}, Number)`,
    );
  } else {
    throw new Error(
      `${fn}: ${arg} must be a Tensor, a nested array of numbers or a Float32Array, got ${describeValue(value)}`,
    );
  }
  const minRank = options.minRank ?? 1;
  if (result.shape.length < minRank) {
    throw new Error(
      `${fn}: ${arg} must have at least ${minRank} dimension${minRank === 1 ? " (one entry per sample)" : "s"}, ` +
        `got ${result.shape.length === 0 ? "a scalar" : `shape ${formatShape(result.shape)}`}`,
    );
  }
  if (!options.allowEmpty && result.data.length === 0) {
    throw new Error(`${fn}: ${arg} is empty (shape ${formatShape(result.shape)}); expected at least one sample`);
  }
  return result;
}

/** Values per sample (product of the dimensions after the first). */
export function sampleSize(data: FloatData): number {
  return shapeSize(data.shape, 1);
}

function checkAllFinite(data: FloatData, fn: string, arg: string): void {
  const values = data.data;
  const first = firstNonFiniteFloat32(values);
  if (first >= 0) checkFinite(values[first], { fn, arg, finite: true }, unflattenIndex(first, data.shape));
}

/**
 * Index of the first NaN or ±Infinity of a Float32Array, or -1. NOTE: fit checks all of x every call, so this
 * reads the bits: a float32 is not finite exactly when its exponent field is all ones, and
 * (bits & 0x7f800000) + 0x00800000 then carries into the sign bit. OR-ing that over a chunk of 4096 values
 * has no branch per value (1.7× faster than `value - value !== 0` in V8); only a chunk that has one is searched.
 */
function firstNonFiniteFloat32(values: Float32Array): number {
  const bits = new Int32Array(values.buffer, values.byteOffset, values.length);
  const length = bits.length;
  for (let chunk = 0; chunk < length; chunk += 4096) {
    const end = Math.min(length, chunk + 4096);
    let any = 0;
    let i = chunk;
    for (; i + 4 <= end; i += 4) {
      any |=
        ((bits[i] & 0x7f800000) + 0x00800000) |
        ((bits[i + 1] & 0x7f800000) + 0x00800000) |
        ((bits[i + 2] & 0x7f800000) + 0x00800000) |
        ((bits[i + 3] & 0x7f800000) + 0x00800000);
    }
    for (; i < end; i++) any |= (bits[i] & 0x7f800000) + 0x00800000;
    if (any < 0) {
      for (let j = chunk; j < end; j++) if (values[j] - values[j] !== 0) return j;
    }
  }
  return -1;
}

function checkTypedFinite(values: NumericTypedArray, fn: string, arg: string): void {
  if (values instanceof Float32Array) {
    const first = firstNonFiniteFloat32(values);
    if (first >= 0) checkFinite(values[first], { fn, arg, finite: true }, [first]);
    return;
  }
  if (!(values instanceof Float64Array)) return; // integers are finite
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value - value !== 0 || Math.abs(value) > 3.4028234663852886e38) {
      checkFinite(value, { fn, arg, finite: true }, [i]);
    }
  }
}
