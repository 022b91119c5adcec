import { ByteWriter } from "./byte-writer.js";

/**
 * The header messages densa writes, encoded as h5py does with its default ("earliest") format, so files read in
 * HDF5 1.8+ and h5py: datatype v1, dataspace v1, data layout v3 (contiguous), fill value v2, attribute v1.
 * Addresses and lengths are 8 bytes.
 */
export type WriteDtype = "float32" | "float64" | "int64" | "int32" | "string";

/** Bytes per element; a variable-length string element is length(4) + heap collection(8) + index(4). */
export const DTYPE_SIZE: Record<WriteDtype, number> = { float32: 4, float64: 8, int64: 8, int32: 4, string: 16 };

/**
 * classAndVersion(1) bits(3) size(4) properties:
 *   float: offset(2) precision(2) exponentAt(1) exponentBits(1) mantissaAt(1) mantissaBits(1) bias(4)
 *   int:   offset(2) precision(2)
 *   vlen string (class 9): base type = an unsigned 8-bit integer; bits: string, NUL-terminated, UTF-8
 */
export function datatypeMessage(dtype: WriteDtype): Uint8Array {
  const out = new ByteWriter();
  if (dtype === "float32" || dtype === "float64") {
    const wide = dtype === "float64";
    out.u8(0x11);
    out.u8(0x20); // mantissa normalisation: most significant bit implied
    out.u8(wide ? 63 : 31); // sign bit
    out.u8(0);
    out.u32(wide ? 8 : 4);
    out.u16(0);
    out.u16(wide ? 64 : 32);
    out.u8(wide ? 52 : 23);
    out.u8(wide ? 11 : 8);
    out.u8(0);
    out.u8(wide ? 52 : 23);
    out.u32(wide ? 1023 : 127);
  } else if (dtype === "int64" || dtype === "int32") {
    out.u8(0x10);
    out.u8(0x08); // signed, little-endian
    out.u8(0);
    out.u8(0);
    out.u32(DTYPE_SIZE[dtype]);
    out.u16(0);
    out.u16(DTYPE_SIZE[dtype] * 8);
  } else {
    out.u8(0x19);
    out.u8(0x01); // variable-length string, NUL-terminated
    out.u8(0x01); // UTF-8
    out.u8(0);
    out.u32(16);
    out.u8(0x10);
    out.u8(0);
    out.u8(0);
    out.u8(0);
    out.u32(1);
    out.u16(0);
    out.u16(8);
  }
  return out.result();
}

/** v1: ver(1) rank(1) flags(1) 0(5) dims(8 × rank) — rank 0 is a scalar. */
export function dataspaceMessage(shape: readonly number[]): Uint8Array {
  const out = new ByteWriter();
  out.u8(1);
  out.u8(shape.length);
  out.u8(0);
  out.reserve(5);
  for (const dim of shape) out.u64(dim);
  return out.result();
}

/** v3 contiguous: ver(1) class=1(1) address(8) size(8); an empty dataset stays unallocated (undefined address). */
export function contiguousLayoutMessage(address: number, size: number): Uint8Array {
  const out = new ByteWriter();
  out.u8(3);
  out.u8(1);
  out.u64(size === 0 ? -1 : address);
  out.u64(size);
  return out.result();
}

/** v2: ver(1) allocation time(1: late) write time(1: if set) defined(1: no) — h5py's default. */
export function fillValueMessage(): Uint8Array {
  return Uint8Array.of(2, 2, 2, 0);
}

/** v1: ver(1) 0(1) nameSize(2) typeSize(2) spaceSize(2) name, datatype, dataspace (each padded to 8) data. */
export function attributeMessage(
  name: string,
  dtype: WriteDtype,
  shape: readonly number[],
  data: Uint8Array,
): Uint8Array {
  const nameBytes = new TextEncoder().encode(`${name}\0`);
  const type = datatypeMessage(dtype);
  const space = dataspaceMessage(shape);
  const out = new ByteWriter();
  out.u8(1);
  out.u8(0);
  out.u16(nameBytes.length);
  out.u16(type.length);
  out.u16(space.length);
  for (const part of [nameBytes, type, space]) {
    out.bytes(part);
    out.align(8);
  }
  out.bytes(data);
  return out.result();
}
