import type { ByteCursor } from "./byte-cursor.js";
import { Hdf5Error } from "./hdf5-error.js";

/** Most dimensions a dataset may have (HDF5 allows 32). */
const MAX_RANK = 32;

/**
 * A dataspace message: the shape ([] for a scalar), or null for a null dataspace (no elements).
 *
 *   v1: ver(1) rank(1) flags(1) 0(5) dims(L × rank) [maxDims(L × rank) if flags bit 0]
 *   v2: ver(1) rank(1) flags(1) type(1: 0 scalar, 1 simple, 2 null) dims(L × rank) [maxDims]
 */
export function readDataspace(cursor: ByteCursor): number[] | null {
  const version = cursor.u8();
  const rank = cursor.u8();
  cursor.u8(); // flags
  let isNull = false;
  if (version === 1) cursor.skip(5, "dataspace");
  else if (version === 2) isNull = cursor.u8() === 2;
  else throw new Hdf5Error(`dataspace message version ${version} is not supported (1 or 2 expected)`);
  if (rank > MAX_RANK) throw new Hdf5Error(`a dataspace of rank ${rank} (at most ${MAX_RANK})`);
  if (isNull) return null;
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(cursor.length("dataspace dimension"));
  return shape;
}

/** The number of elements of a shape; an error beyond `limit` (sizes are bounded by the file's length). */
export function elementCount(shape: readonly number[], limit: number, what: string): number {
  let count = 1;
  for (const dim of shape) {
    if (dim < 0) throw new Hdf5Error(`${what} has an undefined dimension`);
    count *= dim;
    if (count > limit) throw new Hdf5Error(`${what} claims more than ${limit} elements, more than the file can hold`);
  }
  return count;
}
