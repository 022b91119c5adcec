import { ByteWriter } from "./byte-writer.js";
import { Hdf5Error } from "./hdf5-error.js";
import { HDF5_SIGNATURE } from "./superblock.js";
import {
  attributeMessage,
  contiguousLayoutMessage,
  DTYPE_SIZE,
  dataspaceMessage,
  datatypeMessage,
  fillValueMessage,
  type WriteDtype,
} from "./writer-messages.js";

/** A value to write: numbers as a typed array or list, strings (variable-length UTF-8) as a list. */
export interface Hdf5WriteValue {
  dtype: WriteDtype;
  /** [] for a scalar. */
  shape: readonly number[];
  values: ArrayLike<number> | readonly string[];
}

class GroupNode {
  readonly children = new Map<string, GroupNode | Hdf5WriteValue>();
  readonly attributes = new Map<string, Hdf5WriteValue>();
}

const MESSAGE_TYPE = {
  dataspace: 0x01,
  datatype: 0x03,
  fillValue: 0x05,
  dataLayout: 0x08,
  attribute: 0x0c,
  symbolTable: 0x11,
};
const INTERNAL_K = 16;
const SUPERBLOCK_SIZE = 96;
/** HDF5 reads at least this much of a global heap collection (H5HG_MINSIZE), so collections are never smaller. */
const MIN_COLLECTION = 4096;
/** The local heap's "no free block" offset (H5HL_FREE_NULL). */
const NO_FREE_BLOCK = 1;

/**
 * Writes an HDF5 file in the form h5py writes by default — what Keras's model.weights.h5 is: superblock v0,
 * version-1 object headers, old-style groups (a symbol table: one B-tree node, one symbol node, a local heap),
 * contiguous datasets, variable-length string attributes in one global heap collection.
 * NOTE: one symbol node per group holds every member (the superblock's leaf K is sized for the largest group),
 * where the HDF5 library would split large groups over several; readers follow the file's K either way.
 *
 *   [superblock][global heap][for each object, children first: data, then header; groups: heap, SNOD, B-tree, header]
 */
export class Hdf5Writer {
  private readonly root = new GroupNode();

  group(path: string): void {
    this.node(path, true);
  }

  dataset(path: string, value: Hdf5WriteValue): void {
    const parts = path.split("/").filter(Boolean);
    const name = parts.pop();
    if (!name) throw new Hdf5Error(`a dataset needs a name, got path ${JSON.stringify(path)}`);
    checkValue(value, path);
    const parent = this.node(parts.join("/"), true);
    if (parent.children.has(name)) throw new Hdf5Error(`${path} is written twice`);
    parent.children.set(name, value);
  }

  attribute(path: string, name: string, value: Hdf5WriteValue): void {
    checkValue(value, `${path} attribute ${name}`);
    this.node(path, true).attributes.set(name, value);
  }

  private node(path: string, create: boolean): GroupNode {
    let node = this.root;
    for (const part of path.split("/").filter(Boolean)) {
      let child = node.children.get(part);
      if (!child && create) node.children.set(part, (child = new GroupNode()));
      if (!(child instanceof GroupNode)) throw new Hdf5Error(`${path}: ${part} is a dataset, not a group`);
      node = child;
    }
    return node;
  }

  toBytes(): Uint8Array {
    const out = new ByteWriter();
    out.reserve(SUPERBLOCK_SIZE);
    const leafK = Math.max(4, Math.ceil(largestGroup(this.root) / 2));
    const heap = writeGlobalHeap(out, collectStrings(this.root));
    const root = writeGroup(out, this.root, heap, leafK);
    writeSuperblock(out, root, leafK);
    return out.result();
  }
}

function checkValue(value: Hdf5WriteValue, where: string): void {
  const count = value.shape.reduce((a, b) => a * b, 1);
  if (!(value.dtype in DTYPE_SIZE))
    throw new Hdf5Error(`${where}: dtype ${JSON.stringify(value.dtype)} cannot be written`);
  if (value.values.length !== count)
    throw new Hdf5Error(`${where}: shape [${value.shape}] needs ${count} values, got ${value.values.length}`);
}

function largestGroup(node: GroupNode): number {
  let most = node.children.size;
  for (const child of node.children.values())
    if (child instanceof GroupNode) most = Math.max(most, largestGroup(child));
  return most;
}

function collectStrings(node: GroupNode, into: string[] = []): string[] {
  const add = (value: Hdf5WriteValue) => {
    if (value.dtype === "string") into.push(...(value.values as string[]));
  };
  node.attributes.forEach(add);
  for (const child of node.children.values()) {
    if (child instanceof GroupNode) collectStrings(child, into);
    else add(child);
  }
  return into;
}

type HeapIds = Map<string, { address: number; index: number; length: number }>;

/** "GCOL" ver=1 0(3) size(8) | objects: index(2) refs(2) 0(4) size(8) data (8-aligned) | free space: index 0. */
function writeGlobalHeap(out: ByteWriter, strings: string[]): HeapIds {
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

function encodeValues(value: Hdf5WriteValue, heap: HeapIds): Uint8Array {
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

/** v1 object header: ver=1(1) 0(1) count(2) refcount(4) size(4) 0(4) | type(2) size(2) flags(1) 0(3) data (8-aligned). */
function writeObjectHeader(out: ByteWriter, messages: readonly { type: number; data: Uint8Array }[]): number {
  out.align(8);
  const address = out.length;
  const size = messages.reduce((total, message) => total + 8 + Math.ceil(message.data.length / 8) * 8, 0);
  out.u8(1);
  out.u8(0);
  out.u16(messages.length);
  out.u32(1);
  out.u32(size);
  out.reserve(4);
  for (const message of messages) {
    out.u16(message.type);
    out.u16(Math.ceil(message.data.length / 8) * 8);
    out.u8(0);
    out.reserve(3);
    out.bytes(message.data);
    out.align(8);
  }
  return address;
}

function attributeMessages(node: GroupNode, heap: HeapIds): { type: number; data: Uint8Array }[] {
  return [...node.attributes].map(([name, value]) => ({
    type: MESSAGE_TYPE.attribute,
    data: attributeMessage(name, value.dtype, value.shape, encodeValues(value, heap)),
  }));
}

function writeDataset(out: ByteWriter, value: Hdf5WriteValue, heap: HeapIds): number {
  const data = encodeValues(value, heap);
  out.align(8);
  const address = out.bytes(data);
  return writeObjectHeader(out, [
    { type: MESSAGE_TYPE.dataspace, data: dataspaceMessage(value.shape) },
    { type: MESSAGE_TYPE.datatype, data: datatypeMessage(value.dtype) },
    { type: MESSAGE_TYPE.fillValue, data: fillValueMessage() },
    { type: MESSAGE_TYPE.dataLayout, data: contiguousLayoutMessage(address, data.length) },
  ]);
}

interface WrittenGroup {
  header: number;
  btree: number;
  localHeap: number;
}

function writeGroup(out: ByteWriter, node: GroupNode, heap: HeapIds, leafK: number): WrittenGroup {
  const names = [...node.children.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const members = names.map((name) => {
    const child = node.children.get(name)!;
    return {
      name,
      header: child instanceof GroupNode ? writeGroup(out, child, heap, leafK).header : writeDataset(out, child, heap),
    };
  });
  // Local heap data: "" at offset 0, then each name NUL-terminated, 8-aligned.
  const data = new ByteWriter();
  data.reserve(8);
  const nameOffsets = members.map((member) => {
    const at = data.length;
    data.bytes(new TextEncoder().encode(member.name));
    data.reserve(1);
    data.align(8);
    return at;
  });
  out.align(8);
  const localHeap = out.length;
  out.ascii("HEAP");
  out.u8(0);
  out.reserve(3);
  out.u64(data.length);
  out.u64(NO_FREE_BLOCK);
  out.u64(localHeap + 32);
  out.bytes(data.result());
  // One symbol table node ("SNOD") with every member, sized for 2·leafK entries.
  out.align(8);
  const symbolNode = out.length;
  out.ascii("SNOD");
  out.u8(1);
  out.u8(0);
  out.u16(members.length);
  const entries = out.reserve(2 * leafK * 40);
  members.forEach((member, i) => {
    out.u64(nameOffsets[i], entries + i * 40);
    out.u64(member.header, entries + i * 40 + 8);
  });
  // One B-tree node (type 0, level 0) pointing at it: key 0 = "" , child, key 1 = the last name.
  out.align(8);
  const btree = out.length;
  out.ascii("TREE");
  out.u8(0);
  out.u8(0);
  out.u16(members.length ? 1 : 0);
  out.u64(-1);
  out.u64(-1);
  const keys = out.reserve((2 * INTERNAL_K + 1) * 8 + 2 * INTERNAL_K * 8);
  if (members.length) {
    out.u64(0, keys);
    out.u64(symbolNode, keys + 8);
    out.u64(nameOffsets[nameOffsets.length - 1], keys + 16);
  }
  const symbolTable = new ByteWriter();
  symbolTable.u64(btree);
  symbolTable.u64(localHeap);
  const header = writeObjectHeader(out, [
    { type: MESSAGE_TYPE.symbolTable, data: symbolTable.result() },
    ...attributeMessages(node, heap),
  ]);
  return { header, btree, localHeap };
}

/**
 *   sig(8) ver=0 fs=0 root=0 0 shm=0 O=8 L=8 0 leafK(2) internalK(2) flags(4) base(8) freeSpace(8) eof(8) driver(8)
 *   root entry: nameOffset(8) header(8) cache=1(4) 0(4) scratch: btree(8) heap(8)
 */
function writeSuperblock(out: ByteWriter, root: WrittenGroup, leafK: number): void {
  HDF5_SIGNATURE.forEach((byte, i) => out.u8(byte, i));
  out.u8(8, 13);
  out.u8(8, 14);
  out.u16(leafK, 16);
  out.u16(INTERNAL_K, 18);
  out.u64(0, 24);
  out.u64(-1, 32);
  out.u64(out.length, 40);
  out.u64(-1, 48);
  out.u64(0, 56);
  out.u64(root.header, 64);
  out.u32(1, 72);
  out.u64(root.btree, 80);
  out.u64(root.localHeap, 88);
}
