/** The number of values in a block of this shape: the product of its dimensions from `fromAxis` on (1 for none). */
export function shapeSize(shape: readonly number[], fromAxis = 0): number {
  let size = 1;
  for (let axis = fromAxis; axis < shape.length; axis++) size *= shape[axis];
  return size;
}
