import { ByteWriter } from "./byte-writer.js";
import { encodeValues, type HeapIds, writeGlobalHeap } from "./global-heap-writer.js";
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
