import type { ByteCursor } from "./byte-cursor.js";
import { Hdf5Error, UNDEFINED_ADDRESS } from "./hdf5-error.js";

/** Header message types this reader looks at (HDF5 spec §IV.A.2). */
export const MESSAGE = {
  dataspace: 0x01,
  linkInfo: 0x02,
  datatype: 0x03,
  link: 0x06,
  dataLayout: 0x08,
  filterPipeline: 0x0b,
  attribute: 0x0c,
  continuation: 0x10,
  symbolTable: 0x11,
  attributeInfo: 0x15,
} as const;

export interface HeaderMessage {
  type: number;
  /** A cursor at the message's first data byte. */
  data: ByteCursor;
  size: number;
}

/** Most continuation blocks one header may chain; a cycle of continuations stops here instead of looping. */
const MAX_CONTINUATIONS = 1024;

/**
 * The messages of the object header at `address`, version 1 or 2, following continuation messages.
 *
 *   v1: ver=1(1) 0(1) count(2) refcount(4) size(4) 0(4) | per message: type(2) size(2) flags(1) 0(3) data(size, 8-aligned)
 *   v2: "OHDR" ver=2(1) flags(1) [times(16)] [attr phase change(4)] chunk0Size(1|2|4|8)
 *       | per message: type(1) size(2) flags(1) [order(2)] data(size) | checksum(4)
 *   continuation blocks: v1 bare messages; v2 "OCHK" messages checksum(4)
 */
export function readObjectHeader(file: ByteCursor, address: number): HeaderMessage[] {
  if (address === UNDEFINED_ADDRESS) throw new Hdf5Error("a link points to an undefined object header address");
  const cursor = file.at(address);
  cursor.need(4, "object header");
  const isV2 = String.fromCharCode(...file.bytes.subarray(address, address + 4)) === "OHDR";
  const messages: HeaderMessage[] = [];
  const blocks: { start: number; end: number }[] = [];
  let creationOrder = false;
  if (isV2) {
    cursor.skip(4, "object header");
    const version = cursor.u8();
    if (version !== 2) throw new Hdf5Error(`object header at byte ${address} has version ${version} (1 or 2 expected)`);
    const flags = cursor.u8();
    creationOrder = (flags & 0x04) !== 0;
    if (flags & 0x20) cursor.skip(16, "object header times");
    if (flags & 0x10) cursor.skip(4, "object header attribute phase change");
    const chunkSize = cursor.uint(1 << (flags & 0x03), "object header chunk size");
    blocks.push({ start: cursor.position, end: cursor.position + chunkSize });
  } else {
    const version = cursor.u8();
    if (version !== 1) throw new Hdf5Error(`object header at byte ${address} has version ${version} (1 or 2 expected)`);
    cursor.skip(3, "object header");
    cursor.u32(); // reference count
    const size = cursor.u32();
    cursor.skip(4, "object header padding");
    blocks.push({ start: cursor.position, end: cursor.position + size });
  }
  const seenBlocks = new Set<number>();
  for (let b = 0; b < blocks.length; b++) {
    if (b > MAX_CONTINUATIONS)
      throw new Hdf5Error(`object header at byte ${address} chains more than ${MAX_CONTINUATIONS} continuation blocks`);
    const { start, end } = blocks[b];
    if (seenBlocks.has(start)) throw new Hdf5Error(`object header at byte ${address} has a continuation cycle`);
    seenBlocks.add(start);
    file.at(start).need(end - start, "object header block");
    const block = file.at(start);
    if (isV2 && b > 0) block.signature("OCHK", "object header continuation block");
    // NOTE: v2 continuation blocks ("OCHK") count their 4-byte checksum in their length; chunk 0's size leaves
    // its checksum out. A remainder smaller than a message header is a gap.
    const stop = isV2 && b > 0 ? end - 4 : end;
    const headerSize = isV2 ? 4 + (creationOrder ? 2 : 0) : 8;
    while (block.position + headerSize <= stop) {
      const type = isV2 ? block.u8() : block.u16();
      const size = block.u16();
      block.u8(); // flags
      if (isV2) {
        if (creationOrder) block.u16();
      } else block.skip(3, "message header");
      if (block.position + size > stop)
        throw new Hdf5Error(`a header message of object ${address} (type ${type}, ${size} bytes) runs past its block`);
      const data = block.at(block.position);
      if (type === MESSAGE.continuation) {
        const next = data.offset("continuation address");
        const length = data.length("continuation length");
        blocks.push({ start: next, end: next + length });
      } else {
        messages.push({ type, data, size });
      }
      block.position += size;
      if (!isV2) block.position = start + Math.ceil((block.position - start) / 8) * 8;
    }
  }
  return messages;
}
