import { Hdf5Error, UNDEFINED_ADDRESS } from "./hdf5-error.js";

/**
 * A little-endian reader over the file's bytes that checks every read against the end of the file, so a
 * truncated or hostile file is an Hdf5Error, never a RangeError or a read of another object's bytes.
 * Offsets and lengths are `offsetSize` / `lengthSize` bytes wide (the superblock says which: 2, 4 or 8).
 */
export class ByteCursor {
  readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    public position: number,
    readonly offsetSize = 8,
    readonly lengthSize = 8,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  at(position: number): ByteCursor {
    return new ByteCursor(this.bytes, position, this.offsetSize, this.lengthSize);
  }

  need(count: number, what: string): void {
    if (
      !Number.isSafeInteger(this.position) ||
      this.position < 0 ||
      count < 0 ||
      this.position + count > this.bytes.length
    ) {
      throw new Hdf5Error(
        `${what} at byte ${this.position} runs past the end of the file (${this.bytes.length} bytes; truncated or corrupt)`,
      );
    }
  }

  u8(): number {
    this.need(1, "a byte");
    return this.view.getUint8(this.position++);
  }

  u16(): number {
    this.need(2, "a 16-bit field");
    const value = this.view.getUint16(this.position, true);
    this.position += 2;
    return value;
  }

  u32(): number {
    this.need(4, "a 32-bit field");
    const value = this.view.getUint32(this.position, true);
    this.position += 4;
    return value;
  }

  /** An unsigned integer of 1–8 bytes; above 2^53 it is an error (no file densa reads is that large). */
  uint(size: number, what: string): number {
    this.need(size, what);
    let value = 0;
    let allOnes = true;
    for (let i = size - 1; i >= 0; i--) {
      const byte = this.view.getUint8(this.position + i);
      if (byte !== 0xff) allOnes = false;
      value = value * 256 + byte;
    }
    this.position += size;
    if (allOnes && size > 1) return UNDEFINED_ADDRESS;
    if (!Number.isSafeInteger(value))
      throw new Hdf5Error(`${what} at byte ${this.position - size} is ${value}, too large for this reader`);
    return value;
  }

  offset(what = "an address"): number {
    return this.uint(this.offsetSize, what);
  }

  length(what = "a length"): number {
    return this.uint(this.lengthSize, what);
  }

  take(count: number, what: string): Uint8Array {
    this.need(count, what);
    const out = this.bytes.subarray(this.position, this.position + count);
    this.position += count;
    return out;
  }

  skip(count: number, what: string): void {
    this.need(count, what);
    this.position += count;
  }

  signature(expected: string, what: string): void {
    const got = String.fromCharCode(...this.take(expected.length, what));
    if (got !== expected)
      throw new Hdf5Error(
        `${what} at byte ${this.position - expected.length} should start with "${expected}", found ${JSON.stringify(got)}`,
      );
  }

  /** A NUL-terminated string starting here, at most `limit` bytes long. */
  cString(limit: number, what: string): string {
    const end = Math.min(this.bytes.length, this.position + limit);
    let stop = this.position;
    while (stop < end && this.bytes[stop] !== 0) stop++;
    if (stop === end)
      throw new Hdf5Error(`${what} at byte ${this.position} has no terminating NUL within ${limit} bytes`);
    const text = new TextDecoder().decode(this.bytes.subarray(this.position, stop));
    this.position = stop + 1;
    return text;
  }
}
