import { readAttribute } from "./attribute.js";
import { ByteCursor } from "./byte-cursor.js";
import { type Filter, type Layout, readChunkIndex, readFilters, readLayout, unfilter } from "./data-layout.js";
import { elementCount, readDataspace } from "./dataspace.js";
import { type Datatype, datatypeName, readDatatype } from "./datatype.js";
import { decodeElements, type Hdf5Value } from "./element-decoder.js";
import { GlobalHeap } from "./global-heap.js";
import { readGroupLinks } from "./group-links.js";
import { Hdf5Error, UNDEFINED_ADDRESS } from "./hdf5-error.js";
import { type HeaderMessage, MESSAGE, readObjectHeader } from "./object-header.js";
import { readSuperblock } from "./superblock.js";

/** Largest dataset densa decodes, in bytes (chunked data may expand beyond the file's size, up to this). */
const MAX_DATASET_BYTES = 2 ** 31 - 1;

/**
 * A read-only HDF5 file of the subset Keras and h5py write (see docs/API.md, "Keras files"): groups, datasets
 * and attributes by path. Objects are parsed when first asked for; nothing outside the given bytes is read.
 */
export class Hdf5File {
  readonly root: Hdf5Group;
  readonly cursor: ByteCursor;
  readonly heap: GlobalHeap;

  readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    // NOTE: a plain Uint8Array view: Node's Buffer.slice shares memory, where typed arrays' slice copies.
    this.bytes = bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const superblock = readSuperblock(bytes);
    this.cursor = new ByteCursor(bytes, 0, superblock.offsetSize, superblock.lengthSize);
    this.heap = new GlobalHeap(this.cursor);
    this.root = new Hdf5Group(this, superblock.rootAddress, "/", readObjectHeader(this.cursor, superblock.rootAddress));
  }

  /** The object at a `/`-separated path from the root, or undefined. */
  get(path: string): Hdf5Group | Hdf5Dataset | undefined {
    let node: Hdf5Group | Hdf5Dataset = this.root;
    for (const part of path.split("/").filter(Boolean)) {
      if (!(node instanceof Hdf5Group)) return undefined;
      const next: Hdf5Group | Hdf5Dataset | undefined = node.get(part);
      if (!next) return undefined;
      node = next;
    }
    return node;
  }
}

abstract class Hdf5Object {
  private attributeCache: Map<string, Hdf5Value> | null = null;

  constructor(
    readonly file: Hdf5File,
    readonly address: number,
    readonly path: string,
    protected readonly messages: HeaderMessage[],
  ) {}

  get attributes(): ReadonlyMap<string, Hdf5Value> {
    if (!this.attributeCache) {
      this.attributeCache = new Map();
      for (const message of this.messages) {
        if (message.type === MESSAGE.attributeInfo) {
          const info = message.data.at(message.data.position);
          info.u8();
          const flags = info.u8();
          if (flags & 1) info.u16();
          if (info.offset("attribute heap address") !== UNDEFINED_ADDRESS) {
            throw new Hdf5Error(
              `${this.path} keeps its attributes in dense storage (a fractal heap), which is not supported`,
            );
          }
        }
        if (message.type !== MESSAGE.attribute) continue;
        const cursor = message.data.at(message.data.position);
        const { name, value } = readAttribute(
          cursor,
          message.data.position + message.size,
          this.file.heap,
          this.file.cursor,
        );
        this.attributeCache.set(name, value);
      }
    }
    return this.attributeCache;
  }
}

export class Hdf5Group extends Hdf5Object {
  private memberCache: Map<string, number> | null = null;

  /** Member names in the file's order (name order for old-style groups). */
  get memberNames(): string[] {
    return [...this.members().keys()];
  }

  private members(): Map<string, number> {
    if (!this.memberCache) this.memberCache = readGroupLinks(this.file.cursor, this.messages, this.path);
    return this.memberCache;
  }

  get(name: string): Hdf5Group | Hdf5Dataset | undefined {
    const address = this.members().get(name);
    if (address === undefined) return undefined;
    const path = this.path === "/" ? `/${name}` : `${this.path}/${name}`;
    const messages = readObjectHeader(this.file.cursor, address);
    const isDataset = messages.some((message) => message.type === MESSAGE.dataLayout);
    return isDataset
      ? new Hdf5Dataset(this.file, address, path, messages)
      : new Hdf5Group(this.file, address, path, messages);
  }
}

export class Hdf5Dataset extends Hdf5Object {
  readonly type: Datatype;
  /** [] for a scalar; [0] for a null dataspace. */
  readonly shape: number[];
  private readonly layout: Layout;
  private readonly filters: Filter[];

  constructor(file: Hdf5File, address: number, path: string, messages: HeaderMessage[]) {
    super(file, address, path, messages);
    const find = (type: number, what: string): ByteCursor => {
      const message = messages.find((m) => m.type === type);
      if (!message) throw new Hdf5Error(`dataset ${path} has no ${what} message`);
      return message.data.at(message.data.position);
    };
    try {
      this.type = readDatatype(find(MESSAGE.datatype, "datatype"));
      this.shape = readDataspace(find(MESSAGE.dataspace, "dataspace")) ?? [0];
      this.layout = readLayout(find(MESSAGE.dataLayout, "data layout"));
      const pipeline = messages.find((m) => m.type === MESSAGE.filterPipeline);
      this.filters = pipeline ? readFilters(pipeline.data.at(pipeline.data.position)) : [];
    } catch (error) {
      if (error instanceof Hdf5Error && !error.message.includes(path))
        throw new Hdf5Error(`dataset ${path}: ${error.message.replace(/^HDF5: /, "")}`);
      throw error;
    }
  }

  get dtype(): string {
    return datatypeName(this.type);
  }

  read(): Hdf5Value {
    const what = `dataset ${this.path}`;
    const size = this.type.size;
    const count = elementCount(this.shape, Math.floor(MAX_DATASET_BYTES / size), what);
    const raw = this.rawBytes(count * size, what);
    return {
      dtype: this.dtype,
      shape: [...this.shape],
      values: decodeElements(this.type, raw, count, this.file.heap, this.file.cursor, what),
    };
  }

  private rawBytes(byteCount: number, what: string): Uint8Array {
    const layout = this.layout;
    if (layout.kind === "compact") {
      if (layout.data.length < byteCount)
        throw new Hdf5Error(`${what} is compact with ${layout.data.length} bytes but needs ${byteCount}`);
      return layout.data;
    }
    if (layout.kind === "contiguous") {
      if (byteCount === 0) return new Uint8Array(0);
      // NOTE: h5py leaves a never-written dataset unallocated (undefined address): its values are the fill, 0.
      if (layout.address === UNDEFINED_ADDRESS) return new Uint8Array(byteCount);
      return this.file.cursor.at(layout.address).take(byteCount, `${what} data`);
    }
    return this.chunkedBytes(layout.btree, layout.chunkShape, byteCount, what);
  }

  /** Copies each chunk's elements into place in a row-major buffer of the whole dataset. */
  private chunkedBytes(btree: number, chunkShape: number[], byteCount: number, what: string): Uint8Array {
    const shape = this.shape;
    const size = this.type.size;
    if (chunkShape.length !== shape.length || chunkShape.some((dim) => dim <= 0))
      throw new Hdf5Error(`${what} has chunks of shape [${chunkShape}] for data of shape [${shape}]`);
    const out = new Uint8Array(byteCount);
    if (btree === UNDEFINED_ADDRESS || byteCount === 0) return out;
    const chunkElements = chunkShape.reduce((a, b) => a * b, 1);
    const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
    for (const chunk of readChunkIndex(this.file.cursor, btree, shape.length)) {
      const stored = this.file.cursor.at(chunk.address).take(chunk.size, `${what} chunk`);
      const data = this.filters.length
        ? unfilter(stored, this.filters, chunk.filterMask, size, chunkElements * size)
        : stored;
      if (data.length < chunkElements * size)
        throw new Hdf5Error(`${what}: a chunk holds ${data.length} bytes, not ${chunkElements * size}`);
      if (chunk.offsets.some((offset, d) => offset >= shape[d] || offset % chunkShape[d] !== 0))
        throw new Hdf5Error(`${what}: a chunk lies outside the dataset`);
      // Walk the chunk's elements row by row (last dimension contiguous), clipped to the dataset's edge.
      const rowLength = Math.min(
        chunkShape[shape.length - 1],
        shape[shape.length - 1] - chunk.offsets[shape.length - 1],
      );
      const index = new Array<number>(shape.length).fill(0);
      for (let row = 0; row < chunkElements / chunkShape[shape.length - 1]; row++) {
        let inside = true;
        let target = 0;
        for (let d = 0; d < shape.length; d++) {
          const position = chunk.offsets[d] + index[d];
          if (position >= shape[d]) inside = false;
          target += position * strides[d];
        }
        if (inside)
          out.set(
            data.subarray(
              row * chunkShape[shape.length - 1] * size,
              (row * chunkShape[shape.length - 1] + rowLength) * size,
            ),
            target * size,
          );
        for (let d = shape.length - 2; d >= 0; d--) {
          if (++index[d] < chunkShape[d]) break;
          index[d] = 0;
        }
      }
    }
    return out;
  }
}
