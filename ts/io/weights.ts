import { describeValue } from "../utils/describe.js";
import { shapeSize } from "../utils/shape.js";
import type { BinaryLike, WeightSpec } from "./types.js";

/** One weight read from the weight data: float32 values (dequantized when the file was quantized). */
export interface DecodedWeight {
  /** The name as written, minus a TensorFlow output suffix (":0"). */
  name: string;
  shape: number[];
  /** The spec's dtype after dequantization: "float32" or "int32". */
  dtype: "float32" | "int32";
  group: string | undefined;
  values: Float32Array | Int32Array;
}

/** Bytes per stored value, for the dtypes densa reads. */
const STORED_BYTES: Record<string, number> = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2 };

/**
 * Reads every weight of `specs` from `data` (the shards, concatenated in manifest order). Checks first that the
 * bytes and the manifest agree in size, so a missing or short shard is reported as such, not as garbage.
 */
export function decodeWeights(specs: unknown, data: ArrayBuffer, argument: string): DecodedWeight[] {
  if (!Array.isArray(specs))
    throw new Error(`${argument}: the weight specs must be an array, got ${describeValue(specs)}`);
  const checked = specs.map((spec, i) => checkSpec(spec, i, argument));
  const needed = checked.reduce((total, spec) => total + spec.size * spec.bytes, 0);
  if (data.byteLength !== needed) {
    const why =
      data.byteLength < needed
        ? "a weight file is missing or short"
        : "the weight files hold more than the manifest describes";
    throw new Error(
      `${argument}: the weight data has ${data.byteLength} bytes but the manifest describes ${needed} (${why})`,
    );
  }
  let offset = 0;
  return checked.map((spec) => {
    const byteLength = spec.size * spec.bytes;
    // NOTE: slice copies, so a weight after an odd-sized uint8 one is still aligned for its typed array.
    const bytes = data.slice(offset, offset + byteLength);
    offset += byteLength;
    return {
      name: spec.name,
      shape: spec.shape,
      dtype: spec.dtype,
      group: spec.group,
      values: decodeValues(spec, bytes),
    };
  });
}

interface CheckedSpec {
  name: string;
  shape: number[];
  dtype: "float32" | "int32";
  group: string | undefined;
  stored: string;
  size: number;
  bytes: number;
  scale: number;
  min: number;
}

function checkSpec(spec: WeightSpec, index: number, argument: string): CheckedSpec {
  if (typeof spec !== "object" || spec === null || typeof spec.name !== "string") {
    throw new Error(`${argument}: weight spec ${index} must be { name, shape, dtype }, got ${describeValue(spec)}`);
  }
  const { shape, dtype, quantization } = spec;
  const label = `${argument}: weight ${JSON.stringify(spec.name)}`;
  if (!Array.isArray(shape) || !shape.every((dim) => Number.isInteger(dim) && dim >= 0)) {
    throw new Error(`${label} has shape ${describeValue(shape)}; expected an array of non-negative integers`);
  }
  if (dtype !== "float32" && dtype !== "int32") {
    throw new Error(
      `${label} has dtype ${JSON.stringify(dtype)}; densa reads float32 and int32 weights (and their uint8 / uint16 / float16 quantization)`,
    );
  }
  let stored: string = dtype;
  let scale = 1;
  let min = 0;
  if (quantization !== undefined && quantization !== null) {
    stored = quantization.dtype;
    if (stored === "uint8" || stored === "uint16") {
      scale = quantization.scale as number;
      min = quantization.min as number;
      if (!Number.isFinite(scale) || !Number.isFinite(min)) {
        throw new Error(
          `${label} is quantized to ${stored} but has no finite scale and min (got scale ${describeValue(scale)}, min ${describeValue(min)})`,
        );
      }
    } else if (stored !== "float16" || dtype !== "float32") {
      throw new Error(
        `${label} has quantization ${JSON.stringify(stored)} for ${dtype}; densa reads uint8 and uint16 (with scale and min) and float16 for float32`,
      );
    }
  }
  const name = spec.name.replace(/:\d+$/, "");
  const size = shapeSize(shape);
  return { name, shape: [...shape], dtype, group: spec.group, stored, size, bytes: STORED_BYTES[stored], scale, min };
}

function decodeValues(spec: CheckedSpec, bytes: ArrayBuffer): Float32Array | Int32Array {
  switch (spec.stored) {
    case "float32":
      return new Float32Array(bytes);
    case "int32":
      return new Int32Array(bytes);
    case "float16":
      return float16ToFloat32(new Uint16Array(bytes));
  }
  // NOTE: q · scale + min in float64, then rounded once to float32 (or to an integer) — tfjs's decodeWeights
  // does the same, so a quantized file gives densa the very bits it gives tfjs.
  const quantized = spec.stored === "uint8" ? new Uint8Array(bytes) : new Uint16Array(bytes);
  const out = spec.dtype === "int32" ? new Int32Array(quantized.length) : new Float32Array(quantized.length);
  for (let i = 0; i < quantized.length; i++) {
    const value = quantized[i] * spec.scale + spec.min;
    out[i] = spec.dtype === "int32" ? Math.round(value) : value;
  }
  return out;
}

/** IEEE 754 binary16 → binary32, exact (every half float is a float). */
export function float16ToFloat32(halves: Uint16Array): Float32Array {
  const out = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; i++) {
    const half = halves[i];
    const sign = half & 0x8000 ? -1 : 1;
    const exponent = (half >> 10) & 0x1f;
    const fraction = half & 0x3ff;
    if (exponent === 0)
      out[i] = sign * fraction * 2 ** -24; // zero and subnormals
    else if (exponent === 31) out[i] = fraction ? NaN : sign * Infinity;
    else out[i] = sign * (1024 + fraction) * 2 ** (exponent - 25);
  }
  return out;
}

/** Named float32 / int32 values to write, in order. */
export interface WeightToEncode {
  name: string;
  shape: readonly number[];
  values: Float32Array | Int32Array;
  group?: string;
}

/** The specs and one buffer holding every weight in order (little-endian, as tfjs writes them). */
export function encodeWeights(weights: readonly WeightToEncode[]): { specs: WeightSpec[]; data: ArrayBuffer } {
  const specs: WeightSpec[] = [];
  const data = new Uint8Array(weights.reduce((total, weight) => total + weight.values.byteLength, 0));
  let offset = 0;
  for (const weight of weights) {
    const dtype = weight.values instanceof Int32Array ? "int32" : "float32";
    const spec: WeightSpec = { name: weight.name, shape: [...weight.shape], dtype };
    if (weight.group) spec.group = weight.group;
    specs.push(spec);
    data.set(new Uint8Array(weight.values.buffer, weight.values.byteOffset, weight.values.byteLength), offset);
    offset += weight.values.byteLength;
  }
  return { specs, data: data.buffer };
}

/** One ArrayBuffer from a buffer, a view (Node's Buffer, Uint8Array …) or several of them in order. */
export function concatBinary(parts: BinaryLike | readonly BinaryLike[], argument: string): ArrayBuffer {
  const list = Array.isArray(parts) ? parts : [parts];
  const views = list.map((part, i) => {
    if (part instanceof ArrayBuffer) return new Uint8Array(part);
    if (ArrayBuffer.isView(part)) return new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
    throw new Error(
      `${argument}${list.length > 1 ? `[${i}]` : ""} must be an ArrayBuffer or a typed array, got ${describeValue(part)}`,
    );
  });
  if (
    views.length === 1 &&
    views[0].byteOffset === 0 &&
    views[0].byteLength === views[0].buffer.byteLength &&
    views[0].buffer instanceof ArrayBuffer
  ) {
    return views[0].buffer;
  }
  const out = new Uint8Array(views.reduce((total, view) => total + view.byteLength, 0));
  let offset = 0;
  for (const view of views) {
    out.set(view, offset);
    offset += view.byteLength;
  }
  return out.buffer;
}
