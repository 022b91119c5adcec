// Fills a weight block with an initializer and returns its values, plus the sample statistics the initializer
// tests compare with the formulas.
import { getEngine } from "../../ts/engine/engine.js";
import type { Initializer } from "../../ts/initializers/initializer.js";

export function draw(initializer: Initializer, shape: readonly number[]): Float32Array {
  const engine = getEngine();
  const size = shape.reduce((a, b) => a * b, 1);
  const ptr = engine.allocF32(size);
  try {
    initializer.fill(ptr, shape);
    return engine.read(ptr, size);
  } finally {
    engine.free(ptr);
  }
}

export function stats(values: ArrayLike<number>): { mean: number; std: number; min: number; max: number } {
  let sum = 0,
    min = Infinity,
    max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(squares / values.length), min, max };
}
