import type { ByteWriter } from "./byte-writer.js";
import { Hdf5Error } from "./hdf5-error.js";
import type { Hdf5WriteValue } from "./hdf5-writer.js";
import { DTYPE_SIZE } from "./writer-messages.js";

/** HDF5 reads at least this much of a global heap collection (H5HG_MINSIZE), so collections are never smaller. */
const MIN_COLLECTION = 4096;

/** Where each distinct string of the file sits in the global heap (variable-length string values point there). */
export type HeapIds = Map<string, { address: number; index: number; length: number }>;

/**
 * Every distinct string of the file in one global heap collection (h5py's variable-length strings live there):
 *
 *   "GCOL" ver=1 0(3) size(8) | objects: index(2) refs(2) 0(4) size(8) data (8-aligned) | free space: index 0
 */
export function writeGlobalHeap(out: ByteWriter, strings: string[]): HeapIds {
  const ids: HeapIds = new Map();
  const unique = [...new Set(strings)];
  if (unique.length === 0) return ids;
  if (unique.length > 0xffff)
    throw new Hdf5Error(`${unique.length} distinct strings do not fit one global heap collection`);
  const encoded = unique.map((text) => new TextEncoder().encode(text));
  const used = 16 + encoded.reduce((total, bytes) => total + 16 + Math.ceil(bytes.length / 8) * 8, 0);
  const size = Math.max(MIN_COLLECTION, used + 16);
  out.align(8);
  const address = out.length;
  out.ascii("GCOL");
  out.u8(1);
  out.reserve(3);
  out.u64(size);
  encoded.forEach((bytes, i) => {
    out.u16(i + 1);
    out.u16(1);
    out.reserve(4);
    out.u64(bytes.length);
    out.bytes(bytes);
    out.align(8);
    ids.set(unique[i], { address, index: i + 1, length: bytes.length });
  });
  const free = address + size - out.length;
  out.u16(0);
  out.u16(0);
  out.reserve(4);
  out.u64(free);
  out.reserve(free - 16);
  return ids;
}

/** A value's raw bytes: numbers little-endian, a string as its global heap id (length, collection address, index). */
export function encodeValues(value: Hdf5WriteValue, heap: HeapIds): Uint8Array {
  const count = value.values.length;
  const bytes = new Uint8Array(count * DTYPE_SIZE[value.dtype]);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < count; i++) {
    const item = value.values[i];
    switch (value.dtype) {
      case "float32":
        view.setFloat32(i * 4, item as number, true);
        break;
      case "float64":
        view.setFloat64(i * 8, item as number, true);
        break;
      case "int32":
        view.setInt32(i * 4, item as number, true);
        break;
      case "int64":
        view.setBigInt64(i * 8, BigInt(item as number), true);
        break;
      case "string": {
        const id = heap.get(item as string)!;
        view.setUint32(i * 16, id.length, true);
        view.setUint32(i * 16 + 4, id.address % 2 ** 32, true);
        view.setUint32(i * 16 + 8, Math.floor(id.address / 2 ** 32), true);
        view.setUint32(i * 16 + 12, id.index, true);
      }
    }
  }
  return bytes;
}
