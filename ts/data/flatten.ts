/**
 * Nested JS arrays → one row-major Float32Array, with the checks every entry point needs: ragged rows,
 * non-numbers, and (optionally) non-finite values, each reported with the path of the bad entry.
 * Shared by tensor() and the fit/evaluate/predict input conversion.
 */
import { describeValue, formatPath } from "../utils/describe.js";
import { shapeSize } from "../utils/shape.js";

/** Typed arrays we read as numbers (BigInt arrays are refused: their values are not JS numbers). */
export type NumericTypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint8ClampedArray
  | Uint16Array
  | Uint32Array;

export function isNumericTypedArray(value: unknown): value is NumericTypedArray {
  return (
    ArrayBuffer.isView(value) &&
    !(value instanceof DataView) &&
    !(value instanceof BigInt64Array) &&
    !(value instanceof BigUint64Array)
  );
}

export function isBigIntTypedArray(value: unknown): boolean {
  return value instanceof BigInt64Array || value instanceof BigUint64Array;
}

/** Largest finite float32; anything beyond rounds to ±Infinity when stored. */
export const FLOAT32_MAX = 3.4028234663852886e38;

export interface FlattenContext {
  /** Function name for messages, e.g. "fit". */
  fn: string;
  /** Argument name for messages, e.g. "x". */
  arg: string;
  /** Reject NaN, ±Infinity and values outside the float32 range. */
  finite: boolean;
}

/** The shape implied by following the first element down: [[1,2,3],[4,5,6]] → [2, 3]. */
export function inferNestedShape(values: readonly unknown[]): number[] {
  const shape: number[] = [values.length];
  let first: unknown = values[0];
  while (Array.isArray(first) || isNumericTypedArray(first)) {
    shape.push(first.length);
    first = first[0];
  }
  return shape;
}

/** Flattens `values` (whose shape must be exactly `shape`) into a new Float32Array; throws on the first problem. */
export function flattenNested(
  values: readonly unknown[],
  shape: readonly number[],
  context: FlattenContext,
): Float32Array {
  const size = shapeSize(shape);
  const out = new Float32Array(size);
  const path: number[] = [];
  fill(values, 0, 0);
  return out;

  function fill(node: unknown, axis: number, offset: number): number {
    const length = shape[axis];
    const isLeafAxis = axis === shape.length - 1;
    if (Array.isArray(node)) {
      if (node.length !== length) throw raggedLength(node.length);
      for (let i = 0; i < length; i++) {
        path.push(i);
        if (isLeafAxis) out[offset++] = checkLeaf(node[i]);
        else offset = fill(node[i], axis + 1, offset);
        path.pop();
      }
      return offset;
    }
    if (isNumericTypedArray(node)) {
      if (node.length !== length) throw raggedLength(node.length);
      if (!isLeafAxis) throw raggedKind("a typed array of numbers", "an array one level deeper");
      for (let i = 0; i < length; i++) {
        path.push(i);
        out[offset++] = checkLeaf(node[i]);
        path.pop();
      }
      return offset;
    }
    if (typeof node === "number") throw raggedKind("a number", `an array of length ${length}`);
    throw new Error(
      `${context.fn}: ${formatPath(context.arg, path)} must be an array of length ${length}, got ${describeValue(node)}`,
    );
  }

  function checkLeaf(value: unknown): number {
    if (typeof value !== "number") {
      if (Array.isArray(value) || isNumericTypedArray(value)) throw raggedKind("an array", "a number");
      throw new Error(`${context.fn}: ${formatPath(context.arg, path)} must be a number, got ${describeValue(value)}`);
    }
    if (context.finite) checkFinite(value, context, path);
    return value;
  }

  function raggedLength(got: number): Error {
    return new Error(
      `${context.fn}: ${context.arg} is ragged: ${formatPath(context.arg, path)} has ${got} element${got === 1 ? "" : "s"} ` +
        `but ${formatPath(
          context.arg,
          path.map(() => 0),
        )} has ${shape[path.length]}; ` +
        `expected every row to have the same length`,
    );
  }

  function raggedKind(got: string, expected: string): Error {
    return new Error(
      `${context.fn}: ${context.arg} is ragged: ${formatPath(context.arg, path)} is ${got} ` +
        `but ${formatPath(
          context.arg,
          path.map(() => 0),
        )} is ${expected}`,
    );
  }
}

/** Throws for NaN, ±Infinity, or a magnitude float32 cannot hold. */
export function checkFinite(value: number, context: FlattenContext, path: readonly number[]): void {
  if (Number.isNaN(value)) {
    throw new Error(`${context.fn}: ${formatPath(context.arg, path)} is NaN; expected a finite number`);
  }
  if (value === Infinity || value === -Infinity) {
    throw new Error(`${context.fn}: ${formatPath(context.arg, path)} is ${value}; expected a finite number`);
  }
  if (Math.abs(value) > FLOAT32_MAX) {
    throw new Error(
      `${context.fn}: ${formatPath(context.arg, path)} is ${value}, outside the float32 range ` +
        `(|x| <= ${FLOAT32_MAX}); expected a finite float32 number`,
    );
  }
}
