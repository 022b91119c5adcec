import { float16ToFloat32 } from "../weights.js";
import { ByteCursor } from "./byte-cursor.js";
import { type Datatype, datatypeName } from "./datatype.js";
import type { GlobalHeap } from "./global-heap.js";
import { Hdf5Error } from "./hdf5-error.js";

/** A dataset's or attribute's value: numbers as the narrowest exact typed array, strings as strings. */
export interface Hdf5Value {
  /** "float32", "int64", "string" … (datatypeName). */
  dtype: string;
  shape: number[];
  /** float16 and float32 → Float32Array; float64, int64, uint32, uint64 → Float64Array; smaller ints → Int32Array. */
  values: Float32Array | Float64Array | Int32Array | string[];
}

/** Decodes `count` packed little-endian elements of `type` from `raw`. */
export function decodeElements(
  type: Datatype,
  raw: Uint8Array,
  count: number,
  heap: GlobalHeap,
  file: ByteCursor,
  what: string,
): Hdf5Value["values"] {
  const size = type.size;
  if (raw.length < count * size) throw new Hdf5Error(`${what} holds ${raw.length} bytes but needs ${count * size}`);
  // NOTE: copy to an aligned buffer first: raw data sits at any byte offset of the file.
  const bytes = raw.slice(0, count * size);
  const view = new DataView(bytes.buffer);
  if (type.kind === "float") {
    if (size === 4) return new Float32Array(bytes.buffer);
    if (size === 2) return float16ToFloat32(new Uint16Array(bytes.buffer));
    return new Float64Array(bytes.buffer);
  }
  if (type.kind === "int") {
    if (size === 8 || (size === 4 && !type.signed)) {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const value =
          size === 4
            ? view.getUint32(i * 4, true)
            : Number(type.signed ? view.getBigInt64(i * 8, true) : view.getBigUint64(i * 8, true));
        if (!Number.isSafeInteger(value))
          throw new Hdf5Error(`${what}: ${datatypeName(type)} value ${value} is beyond 2^53`);
        out[i] = value;
      }
      return out;
    }
    if (size === 4) return new Int32Array(bytes.buffer);
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      out[i] =
        size === 1
          ? type.signed
            ? view.getInt8(i)
            : view.getUint8(i)
          : type.signed
            ? view.getInt16(i * 2, true)
            : view.getUint16(i * 2, true);
    }
    return out;
  }
  const decoder = new TextDecoder();
  const strings: string[] = [];
  for (let i = 0; i < count; i++) {
    if (type.kind === "string") {
      const element = bytes.subarray(i * size, (i + 1) * size);
      const end = element.indexOf(0);
      strings.push(decoder.decode(end < 0 ? element : element.subarray(0, end)).replace(/ +$/, ""));
    } else {
      const cursor = new ByteCursor(bytes, i * size, file.offsetSize, file.lengthSize);
      const length = cursor.u32();
      const address = cursor.offset("global heap address");
      const index = cursor.u32();
      if (length === 0 && address <= 0) {
        strings.push("");
        continue;
      }
      const object = heap.read(address, index);
      if (object.length < length)
        throw new Hdf5Error(
          `${what}: a variable-length string of ${length} bytes has only ${object.length} in the heap`,
        );
      strings.push(decoder.decode(object.subarray(0, length)));
    }
  }
  return strings;
}
