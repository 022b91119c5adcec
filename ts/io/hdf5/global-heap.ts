import type { ByteCursor } from "./byte-cursor.js";
import { Hdf5Error } from "./hdf5-error.js";

/**
 * Variable-length strings live in global heap collections; an element holds length(4) collection(O) index(4).
 *
 *   collection: "GCOL" ver=1(1) 0(3) size(L) | objects: index(2) refcount(2) 0(4) size(L) data(size, 8-aligned)
 *   (index 0 is the free space that ends the collection)
 */
export class GlobalHeap {
  private readonly collections = new Map<number, Map<number, Uint8Array>>();

  constructor(private readonly file: ByteCursor) {}

  read(address: number, index: number): Uint8Array {
    let objects = this.collections.get(address);
    if (!objects) {
      objects = this.readCollection(address);
      this.collections.set(address, objects);
    }
    const object = objects.get(index);
    if (!object) throw new Hdf5Error(`global heap collection at byte ${address} has no object ${index}`);
    return object;
  }

  private readCollection(address: number): Map<number, Uint8Array> {
    const cursor = this.file.at(address);
    cursor.signature("GCOL", "global heap collection");
    const version = cursor.u8();
    if (version !== 1) throw new Hdf5Error(`global heap version ${version} is not supported`);
    cursor.skip(3, "global heap");
    const size = cursor.length("global heap size");
    const end = address + size;
    this.file.at(address).need(size, "global heap collection");
    const objects = new Map<number, Uint8Array>();
    const headerSize = 8 + cursor.lengthSize;
    while (cursor.position + headerSize <= end) {
      const index = cursor.u16();
      cursor.skip(6, "global heap object");
      const objectSize = cursor.length("global heap object size");
      if (index === 0) break;
      if (cursor.position + objectSize > end)
        throw new Hdf5Error(`global heap object ${index} at byte ${cursor.position} runs past its collection`);
      objects.set(index, cursor.take(objectSize, "global heap object"));
      cursor.position = address + Math.ceil((cursor.position - address) / 8) * 8;
    }
    return objects;
  }
}
