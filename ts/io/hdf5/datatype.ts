import type { ByteCursor } from "./byte-cursor.js";
import { Hdf5Error } from "./hdf5-error.js";

/**
 * The datatypes Keras and h5py write: IEEE floats (16, 32, 64 bit), two's-complement integers (8–64 bit),
 * fixed-length strings and variable-length strings (stored in the global heap). Anything else — compound,
 * enum (h5py's bool), array, reference, opaque, bitfield, big-endian data, variable-length sequences — is an
 * Hdf5Error naming the class.
 *
 *   message: classAndVersion(1) bitField(3) size(4) properties…
 *     fixed-point (0): bit 0 byte order, bit 3 signed; offset(2) precision(2)
 *     float (1):       bit 0 byte order; offset(2) precision(2) exponent…(8)
 *     string (3):      bits 0–3 padding, 4–7 charset
 *     vlen (9):        bits 0–3 kind (1 = string), 4–7 padding, 8–11 charset; base type
 */
export type Datatype =
  | { kind: "float"; size: 2 | 4 | 8 }
  | { kind: "int"; size: 1 | 2 | 4 | 8; signed: boolean }
  | { kind: "string"; size: number }
  | { kind: "vlen-string"; size: number };

const CLASS_NAMES = [
  "fixed-point",
  "floating-point",
  "time",
  "string",
  "bitfield",
  "opaque",
  "compound",
  "reference",
  "enum",
  "variable-length",
  "array",
];

export function readDatatype(cursor: ByteCursor): Datatype {
  const classAndVersion = cursor.u8();
  const typeClass = classAndVersion & 0x0f;
  const bits = cursor.u8() | (cursor.u8() << 8) | (cursor.u8() << 16);
  const size = cursor.u32();
  const bigEndian = (bits & 0x01) !== 0;
  switch (typeClass) {
    case 0:
      if (bigEndian) throw new Hdf5Error("big-endian integers are not supported");
      if (size !== 1 && size !== 2 && size !== 4 && size !== 8)
        throw new Hdf5Error(`integers of ${size} bytes are not supported`);
      return { kind: "int", size, signed: (bits & 0x08) !== 0 };
    case 1:
      if (bigEndian || bits & 0x40) throw new Hdf5Error("big-endian or VAX floats are not supported");
      if (size !== 2 && size !== 4 && size !== 8) throw new Hdf5Error(`floats of ${size} bytes are not supported`);
      return { kind: "float", size };
    case 3:
      return { kind: "string", size };
    case 9:
      if ((bits & 0x0f) !== 1)
        throw new Hdf5Error("variable-length sequences are not supported (only variable-length strings)");
      return { kind: "vlen-string", size };
  }
  throw new Hdf5Error(`datatype class ${CLASS_NAMES[typeClass] ?? typeClass} is not supported`);
}

/** The name densa uses for a datatype in messages and results: "float32", "int64", "string" … */
export function datatypeName(type: Datatype): string {
  if (type.kind === "float") return `float${type.size * 8}`;
  if (type.kind === "int") return `${type.signed ? "int" : "uint"}${type.size * 8}`;
  return "string";
}
