import { unzlibSync } from "fflate";
import type { ByteCursor } from "./byte-cursor.js";
import { Hdf5Error, UNDEFINED_ADDRESS } from "./hdf5-error.js";

/**
 * Where a dataset's bytes are (layout message v1–v4) and how to gather them: compact (in the header),
 * contiguous (one block), or chunked with a version-1 B-tree index (layout v1–v3), through the deflate
 * and shuffle filters. Other chunk indexes (layout v4) and filters are an Hdf5Error naming them.
 *
 *   v3: ver(1) class(1) | compact: size(2) data | contiguous: address(O) size(L)
 *                       | chunked: rank+1(1) btree(O) chunkDims(4 × (rank+1)) elementSize(4)
 *   chunk B-tree node: "TREE" type=1(1) level(1) used(2) left(O) right(O) {key child}* key
 *     key: chunkBytes(4) filterMask(4) offsets(8 × (rank+1))
 */
export type Layout =
  | { kind: "compact"; data: Uint8Array }
  | { kind: "contiguous"; address: number; size: number }
  | { kind: "chunked"; btree: number; chunkShape: number[] };

export interface Filter {
  id: number;
  values: number[];
}

export function readLayout(cursor: ByteCursor): Layout {
  const version = cursor.u8();
  if (version === 1 || version === 2) {
    const rank = cursor.u8();
    const layoutClass = cursor.u8();
    cursor.skip(5, "data layout");
    const address = layoutClass === 0 ? UNDEFINED_ADDRESS : cursor.offset();
    const dims: number[] = [];
    for (let i = 0; i < rank; i++) dims.push(cursor.u32());
    if (layoutClass === 0) return { kind: "compact", data: cursor.take(cursor.u32(), "compact data") };
    if (layoutClass === 1) return { kind: "contiguous", address, size: dims.reduce((a, b) => a * b, 1) };
    return { kind: "chunked", btree: address, chunkShape: dims.slice(0, -1) };
  }
  if (version !== 3 && version !== 4) throw new Hdf5Error(`data layout message version ${version} is not supported`);
  const layoutClass = cursor.u8();
  if (layoutClass === 0) return { kind: "compact", data: cursor.take(cursor.u16(), "compact data") };
  if (layoutClass === 1)
    return { kind: "contiguous", address: cursor.offset(), size: cursor.length("contiguous size") };
  if (layoutClass === 2 && version === 3) {
    const rank = cursor.u8();
    const btree = cursor.offset("chunk B-tree address");
    const dims: number[] = [];
    for (let i = 0; i < rank; i++) dims.push(cursor.u32());
    return { kind: "chunked", btree, chunkShape: dims.slice(0, -1) };
  }
  if (layoutClass === 2)
    throw new Hdf5Error("chunked datasets with a version-4 chunk index (h5py libver='latest') are not supported");
  throw new Hdf5Error(`data layout class ${layoutClass} (virtual datasets) is not supported`);
}

/**
 *   v1: ver(1) count(1) 0(6) | id(2) nameLength(2) flags(2) nValues(2) name(8-aligned) values(4 × n) [pad 4 if n odd]
 *   v2: ver(1) count(1)      | id(2) [nameLength(2) if id ≥ 256] flags(2) nValues(2) [name] values(4 × n)
 */
export function readFilters(cursor: ByteCursor): Filter[] {
  const version = cursor.u8();
  const count = cursor.u8();
  if (version === 1) cursor.skip(6, "filter pipeline");
  else if (version !== 2) throw new Hdf5Error(`filter pipeline version ${version} is not supported`);
  const filters: Filter[] = [];
  for (let i = 0; i < count; i++) {
    const id = cursor.u16();
    const nameLength = version === 1 || id >= 256 ? cursor.u16() : 0;
    cursor.u16(); // flags
    const valueCount = cursor.u16();
    cursor.skip(version === 1 ? Math.ceil(nameLength / 8) * 8 : nameLength, "filter name");
    const values: number[] = [];
    for (let v = 0; v < valueCount; v++) values.push(cursor.u32());
    if (version === 1 && valueCount % 2 === 1) cursor.skip(4, "filter padding");
    if (id !== 1 && id !== 2) {
      const known: Record<number, string> = {
        3: "fletcher32",
        4: "szip",
        5: "nbit",
        6: "scaleoffset",
        32001: "blosc",
        32004: "lz4",
        32015: "zstd",
      };
      throw new Hdf5Error(`filter ${known[id] ?? `#${id}`} is not supported (densa reads deflate and shuffle)`);
    }
    filters.push({ id, values });
  }
  return filters;
}

/** A chunk's stored bytes through the filters, last to first (as they were applied first to last). */
export function unfilter(
  stored: Uint8Array,
  filters: readonly Filter[],
  filterMask: number,
  elementSize: number,
  expectedBytes: number,
): Uint8Array {
  let data = stored;
  for (let i = filters.length - 1; i >= 0; i--) {
    if (filterMask & (1 << i)) continue;
    if (filters[i].id === 1) {
      const out = new Uint8Array(expectedBytes + 1);
      try {
        data = unzlibSync(data, { out });
      } catch (cause) {
        throw new Hdf5Error(`a deflated chunk is corrupt (${(cause as Error)?.message ?? String(cause)})`);
      }
      if (data.length > expectedBytes)
        throw new Hdf5Error(`a deflated chunk expands beyond its ${expectedBytes} bytes`);
    } else {
      data = unshuffle(data, elementSize);
    }
  }
  return data;
}

function unshuffle(data: Uint8Array, elementSize: number): Uint8Array {
  const count = Math.floor(data.length / elementSize);
  const out = data.slice();
  for (let byte = 0; byte < elementSize; byte++) {
    for (let i = 0; i < count; i++) out[i * elementSize + byte] = data[byte * count + i];
  }
  return out;
}

export interface ChunkRef {
  address: number;
  size: number;
  filterMask: number;
  offsets: number[];
}

/** Every chunk of a chunked dataset, walking its v1 B-tree (depth-bounded, each node visited once). */
export function readChunkIndex(file: ByteCursor, btree: number, rank: number): ChunkRef[] {
  const chunks: ChunkRef[] = [];
  const visited = new Set<number>();
  const visit = (address: number, depth: number): void => {
    if (depth > 64 || visited.has(address))
      throw new Hdf5Error(`chunk B-tree node at byte ${address} is visited twice or nests too deep (cyclic file)`);
    visited.add(address);
    const node = file.at(address);
    node.signature("TREE", "chunk B-tree node");
    const type = node.u8();
    if (type !== 1) throw new Hdf5Error(`B-tree node at byte ${address} has type ${type}, expected 1 (chunks)`);
    const level = node.u8();
    const used = node.u16();
    node.offset();
    node.offset();
    for (let i = 0; i < used; i++) {
      const size = node.u32();
      const filterMask = node.u32();
      const offsets: number[] = [];
      for (let d = 0; d <= rank; d++) offsets.push(node.uint(8, "chunk offset"));
      const child = node.offset("chunk address");
      if (level > 0) visit(child, depth + 1);
      else chunks.push({ address: child, size, filterMask, offsets: offsets.slice(0, rank) });
    }
  };
  visit(btree, 0);
  return chunks;
}
