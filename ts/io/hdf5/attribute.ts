import type { ByteCursor } from "./byte-cursor.js";
import { elementCount, readDataspace } from "./dataspace.js";
import { datatypeName, readDatatype } from "./datatype.js";
import { decodeElements, type Hdf5Value } from "./element-decoder.js";
import type { GlobalHeap } from "./global-heap.js";
import { Hdf5Error } from "./hdf5-error.js";

/**
 * An attribute message (object header message 0x0C), versions 1–3:
 *   v1: ver(1) 0(1) nameSize(2) typeSize(2) spaceSize(2) name datatype dataspace (each padded to 8) data
 *   v2: same fields, no padding;   v3: … spaceSize(2) encoding(1) name datatype dataspace data
 */
export function readAttribute(
  cursor: ByteCursor,
  end: number,
  heap: GlobalHeap,
  file: ByteCursor,
): { name: string; value: Hdf5Value } {
  const version = cursor.u8();
  if (version < 1 || version > 3) throw new Hdf5Error(`attribute message version ${version} is not supported`);
  cursor.u8();
  const nameSize = cursor.u16();
  const typeSize = cursor.u16();
  const spaceSize = cursor.u16();
  if (version === 3) cursor.u8();
  const pad = (size: number) => (version === 1 ? Math.ceil(size / 8) * 8 : size);
  const nameBytes = cursor.take(pad(nameSize), "attribute name");
  const nul = nameBytes.indexOf(0);
  const name = new TextDecoder().decode(nameBytes.subarray(0, nul < 0 ? nameSize : Math.min(nul, nameSize)));
  const typeStart = cursor.position;
  let type: ReturnType<typeof readDatatype>;
  try {
    type = readDatatype(cursor.at(typeStart));
  } catch (error) {
    throw new Hdf5Error(`attribute ${JSON.stringify(name)}: ${(error as Error).message.replace(/^HDF5: /, "")}`);
  }
  cursor.position = typeStart + pad(typeSize);
  const spaceStart = cursor.position;
  const shape = readDataspace(cursor.at(spaceStart));
  cursor.position = spaceStart + pad(spaceSize);
  if (shape === null)
    return {
      name,
      value: {
        dtype: datatypeName(type),
        shape: [0],
        values: type.kind === "string" || type.kind === "vlen-string" ? [] : new Float64Array(0),
      },
    };
  const count = elementCount(
    shape,
    Math.max(0, end - cursor.position) / Math.max(1, type.size),
    `attribute ${JSON.stringify(name)}`,
  );
  const raw = cursor.take(count * type.size, `attribute ${JSON.stringify(name)} data`);
  return {
    name,
    value: {
      dtype: datatypeName(type),
      shape,
      values: decodeElements(type, raw, count, heap, file, `attribute ${JSON.stringify(name)}`),
    },
  };
}
