import type { ByteCursor } from "./byte-cursor.js";
import { Hdf5Error, UNDEFINED_ADDRESS } from "./hdf5-error.js";
import { type HeaderMessage, MESSAGE } from "./object-header.js";

/** Most members one group may list (bounded again by the file's size: every entry takes bytes). */
const MAX_MEMBERS = 1 << 20;

/**
 * A group's members, name → object header address, from either form h5py writes:
 *  - old style (symbol table message 0x11): a version-1 B-tree of group nodes, whose leaves are symbol table
 *    nodes ("SNOD") of entries, with names in a local heap ("HEAP");
 *  - new style: link messages (0x06) in the header. Dense link storage (a fractal heap, link info 0x02 with
 *    a heap address) is an Hdf5Error naming it.
 *
 *   B-tree node: "TREE" type=0(1) level(1) used(2) left(O) right(O) key0(L) {child(O) key(L)} × used
 *   SNOD: "SNOD" ver=1(1) 0(1) count(2) entries: nameOffset(O) header(O) cache(4) 0(4) scratch(16)
 *   HEAP: "HEAP" ver=0(1) 0(3) dataSize(L) freeList(L) dataAddress(O)
 *   link: ver=1(1) flags(1) [type(1) if bit 3] [order(8) if bit 2] [charset(1) if bit 4]
 *         nameLength(1|2|4|8 by bits 0–1) name [hard: address(O) | soft/external: …]
 */
export function readGroupLinks(
  file: ByteCursor,
  messages: readonly HeaderMessage[],
  where: string,
): Map<string, number> {
  const members = new Map<string, number>();
  const symbolTable = messages.find((message) => message.type === MESSAGE.symbolTable);
  if (symbolTable) {
    const data = symbolTable.data.at(symbolTable.data.position);
    const btree = data.offset("group B-tree address");
    const heap = data.offset("local heap address");
    readSymbolTable(file, btree, readLocalHeap(file, heap), members, where);
  }
  for (const message of messages) {
    if (message.type === MESSAGE.linkInfo) {
      const info = message.data.at(message.data.position);
      info.u8();
      const flags = info.u8();
      if (flags & 1) info.skip(8, "link info");
      const heap = info.offset("fractal heap address");
      if (heap !== UNDEFINED_ADDRESS)
        throw new Hdf5Error(`group ${where} keeps its links in dense storage (a fractal heap), which is not supported`);
    } else if (message.type === MESSAGE.link) {
      const [name, address] = readLink(message.data.at(message.data.position), where);
      members.set(name, address);
    }
  }
  return members;
}

function readLink(cursor: ByteCursor, where: string): [string, number] {
  const version = cursor.u8();
  if (version !== 1) throw new Hdf5Error(`link message version ${version} in group ${where} is not supported`);
  const flags = cursor.u8();
  const linkType = flags & 0x08 ? cursor.u8() : 0;
  if (flags & 0x04) cursor.skip(8, "link creation order");
  if (flags & 0x10) cursor.u8();
  const nameLength = cursor.uint(1 << (flags & 0x03), "link name length");
  const name = new TextDecoder().decode(cursor.take(nameLength, "link name"));
  if (linkType !== 0)
    throw new Hdf5Error(
      `${linkType === 1 ? "soft" : linkType === 64 ? "external" : `type-${linkType}`} link ${JSON.stringify(name)} in group ${where} is not supported`,
    );
  return [name, cursor.offset("link address")];
}

interface LocalHeap {
  dataAddress: number;
  dataSize: number;
}

function readLocalHeap(file: ByteCursor, address: number): LocalHeap {
  const cursor = file.at(address);
  cursor.signature("HEAP", "local heap");
  const version = cursor.u8();
  if (version !== 0) throw new Hdf5Error(`local heap version ${version} is not supported`);
  cursor.skip(3, "local heap");
  const dataSize = cursor.length("local heap size");
  cursor.length();
  const dataAddress = cursor.offset("local heap data address");
  file.at(dataAddress).need(dataSize, "local heap data");
  return { dataAddress, dataSize };
}

function readSymbolTable(
  file: ByteCursor,
  root: number,
  heap: LocalHeap,
  members: Map<string, number>,
  where: string,
): void {
  const visited = new Set<number>();
  const visit = (address: number, depth: number): void => {
    if (depth > 64 || visited.has(address))
      throw new Hdf5Error(
        `group ${where}: B-tree node at byte ${address} is visited twice or nests too deep (cyclic file)`,
      );
    visited.add(address);
    const node = file.at(address);
    node.signature("TREE", "group B-tree node");
    const type = node.u8();
    if (type !== 0)
      throw new Hdf5Error(`group ${where}: B-tree node at byte ${address} has type ${type}, expected 0 (group)`);
    const level = node.u8();
    const used = node.u16();
    node.offset();
    node.offset();
    node.length(); // key 0
    for (let i = 0; i < used; i++) {
      const child = node.offset("B-tree child");
      node.length();
      if (level > 0) visit(child, depth + 1);
      else readSymbolNode(file, child, heap, members, where);
      if (members.size > MAX_MEMBERS) throw new Hdf5Error(`group ${where} has more than ${MAX_MEMBERS} members`);
    }
  };
  visit(root, 0);
}

function readSymbolNode(
  file: ByteCursor,
  address: number,
  heap: LocalHeap,
  members: Map<string, number>,
  where: string,
): void {
  const node = file.at(address);
  node.signature("SNOD", "symbol table node");
  const version = node.u8();
  if (version !== 1) throw new Hdf5Error(`symbol table node version ${version} is not supported`);
  node.u8();
  const count = node.u16();
  for (let i = 0; i < count; i++) {
    const nameOffset = node.offset("link name offset");
    const header = node.offset("object header address");
    node.skip(24, "symbol table entry");
    if (nameOffset >= heap.dataSize)
      throw new Hdf5Error(`group ${where}: a member's name lies outside the group's local heap`);
    const name = file.at(heap.dataAddress + nameOffset).cString(heap.dataSize - nameOffset, "member name");
    members.set(name, header);
  }
}
