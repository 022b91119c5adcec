import { describeValue } from "../utils/describe.js";
import { shapeSize } from "../utils/shape.js";

/**
 * Keras counts axes with the batch axis: for a per-sample shape of rank R, axis 1 … R are the sample's axes and
 * −1 … −R count from the end. Returns the sample axis (0-based, without the batch axis) or throws naming `what`.
 */
export function sampleAxis(axis: number, rank: number, what: string): number {
  if (!Number.isInteger(axis) || axis === 0 || axis > rank || axis < -rank) {
    throw new Error(
      `${what} must be an axis of the input other than the batch axis (1 … ${rank} or −1 … −${rank}), got ${describeValue(axis)}`,
    );
  }
  return axis > 0 ? axis - 1 : rank + axis;
}

/** An axis option: an integer or a non-empty list of integers (Keras's int or list/tuple); returns it as a list. */
export function axisList(value: unknown, what: string): number[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((axis) => typeof axis === "number" && Number.isInteger(axis))) {
    throw new Error(`${what} must be an integer or a non-empty list of integers, got ${describeValue(value)}`);
  }
  return [...list] as number[];
}

/**
 * For layers that work on the trailing axes of a sample (LayerNormalization, UnitNormalization): the axes must
 * be the last k sample axes, in increasing order. Returns { rowsPerSample, cols }: a sample is rowsPerSample
 * rows of cols values in memory.
 */
export function trailingAxes(
  axes: readonly number[],
  shape: readonly number[],
  what: string,
): { rowsPerSample: number; cols: number; first: number } {
  const resolved = axes.map((axis) => sampleAxis(axis, shape.length, what));
  const first = shape.length - resolved.length;
  if (!resolved.every((axis, i) => axis === first + i)) {
    throw new Error(
      `${what}: densa normalizes over the last axes of a sample, in increasing order; got axes ${JSON.stringify(axes)} for input shape [${shape.join(", ")}]`,
    );
  }
  return { rowsPerSample: shapeSize(shape.slice(0, first)), cols: shapeSize(shape, first), first };
}
