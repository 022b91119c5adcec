import { ByteCursor } from "./byte-cursor.js";
import { Hdf5Error } from "./hdf5-error.js";

/** The 8-byte HDF5 signature: \x89 H D F \r \n \x1a \n. */
export const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

export function looksLikeHdf5(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && HDF5_SIGNATURE.every((byte, i) => bytes[i] === byte);
}

export interface Superblock {
  version: number;
  offsetSize: number;
  lengthSize: number;
  /** The root group's object header. */
  rootAddress: number;
}

/**
 * Superblock versions 0 and 1 (h5py's default "earliest" format, what Keras files hold) and 2 and 3 (h5py's
 * libver="latest"). Only a signature at byte 0 is looked for (no user block).
 *
 *   v0/v1: sig(8) ver(1) fs(1) root(1) 0(1) shm(1) O(1) L(1) 0(1) leafK(2) internalK(2) flags(4) [v1: K(2) 0(2)]
 *          base(O) freeSpace(O) eof(O) driver(O) rootSymbolTableEntry(linkName(O) header(O) cache(4) 0(4) scratch(16))
 *   v2/v3: sig(8) ver(1) O(1) L(1) flags(1) base(O) extension(O) eof(O) rootHeader(O) checksum(4)
 */
export function readSuperblock(bytes: Uint8Array): Superblock {
  if (!looksLikeHdf5(bytes)) throw new Hdf5Error("not an HDF5 file (no \\x89HDF\\r\\n\\x1a\\n signature at byte 0)");
  const cursor = new ByteCursor(bytes, 8);
  const version = cursor.u8();
  if (version === 0 || version === 1) {
    cursor.skip(4, "superblock");
    const offsetSize = cursor.u8();
    const lengthSize = cursor.u8();
    checkSizes(offsetSize, lengthSize);
    cursor.skip(1 + 2 + 2 + 4 + (version === 1 ? 4 : 0), "superblock");
    const sized = new ByteCursor(bytes, cursor.position, offsetSize, lengthSize);
    const base = sized.offset("base address");
    if (base !== 0) throw new Hdf5Error(`superblock base address ${base} is not supported (files with a user block)`);
    sized.offset();
    sized.offset();
    sized.offset();
    sized.offset("root link name");
    return { version, offsetSize, lengthSize, rootAddress: sized.offset("root object header address") };
  }
  if (version === 2 || version === 3) {
    const offsetSize = cursor.u8();
    const lengthSize = cursor.u8();
    checkSizes(offsetSize, lengthSize);
    cursor.skip(1, "superblock");
    const sized = new ByteCursor(bytes, cursor.position, offsetSize, lengthSize);
    const base = sized.offset("base address");
    if (base !== 0) throw new Hdf5Error(`superblock base address ${base} is not supported (files with a user block)`);
    sized.offset();
    sized.offset();
    return { version, offsetSize, lengthSize, rootAddress: sized.offset("root object header address") };
  }
  throw new Hdf5Error(`superblock version ${version} is not supported (densa reads versions 0–3)`);
}

function checkSizes(offsetSize: number, lengthSize: number): void {
  for (const [what, size] of [
    ["offsets", offsetSize],
    ["lengths", lengthSize],
  ] as const) {
    if (size !== 2 && size !== 4 && size !== 8)
      throw new Hdf5Error(`superblock gives a size of ${what} of ${size} bytes (2, 4 or 8 expected)`);
  }
}
