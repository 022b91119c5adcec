/** A growable little-endian byte buffer: append, align, and patch values at earlier positions. */
export class ByteWriter {
  private buffer = new Uint8Array(4096);
  private view = new DataView(this.buffer.buffer);
  length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }

  /** Appends `count` zero bytes; returns where they start. */
  reserve(count: number): number {
    this.ensure(count);
    const at = this.length;
    this.buffer.fill(0, at, at + count);
    this.length += count;
    return at;
  }

  align(to = 8): void {
    const pad = (to - (this.length % to)) % to;
    if (pad) this.reserve(pad);
  }

  bytes(data: Uint8Array): number {
    const at = this.reserve(data.length);
    this.buffer.set(data, at);
    return at;
  }

  u8(value: number, at = this.reserve(1)): void {
    this.view.setUint8(at, value);
  }

  u16(value: number, at = this.reserve(2)): void {
    this.view.setUint16(at, value, true);
  }

  u32(value: number, at = this.reserve(4)): void {
    this.view.setUint32(at, value >>> 0, true);
  }

  /** A 64-bit unsigned value (an address or a length); -1 writes the undefined address (all bits set). */
  u64(value: number, at = this.reserve(8)): void {
    if (value < 0) {
      this.view.setUint32(at, 0xffffffff, true);
      this.view.setUint32(at + 4, 0xffffffff, true);
      return;
    }
    this.view.setUint32(at, value % 2 ** 32, true);
    this.view.setUint32(at + 4, Math.floor(value / 2 ** 32), true);
  }

  ascii(text: string): void {
    for (let i = 0; i < text.length; i++) this.u8(text.charCodeAt(i));
  }

  result(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}
