// Shared helpers for the model-level tests (tests/model/*): small deterministic data sets, exact weight
// snapshots and comparisons, and the engine's memory counters.
import { expect } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import type { Sequential } from "../../ts/models/sequential.js";
import { type Tensor, tensor } from "../../ts/tensor.js";

export { seededRandom } from "./seeded.js";

import { seededRandom } from "./seeded.js";

/** `rows` × `features` uniform values in [-1, 1), as a Tensor. */
export function randomMatrix(rows: number, features: number, seed: number): Tensor {
  const next = seededRandom(seed);
  return tensor(
    Float32Array.from({ length: rows * features }, () => next() * 2 - 1),
    [rows, features],
  );
}

/**
 * A separable-ish classification problem: x uniform in [-1, 1)^features, label = argmax of x·W for a fixed
 * random W (`classes` columns). Labels as plain integers (sparse form).
 */
export function toyClassification(
  rows: number,
  features: number,
  classes: number,
  seed: number,
): { x: Tensor; y: number[] } {
  const x = randomMatrix(rows, features, seed);
  const next = seededRandom(seed + 1000);
  const w = Array.from({ length: features * classes }, () => next() * 2 - 1);
  const y: number[] = [];
  for (let i = 0; i < rows; i++) {
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < classes; c++) {
      let score = 0;
      for (let j = 0; j < features; j++) score += x.data[i * features + j] * w[j * classes + c];
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    y.push(best);
  }
  return { x, y };
}

/** The rows [start, end) of a 2-D tensor (copied). */
export function rows(data: Tensor, start: number, end: number): Tensor {
  const width = data.size / data.shape[0];
  return tensor(data.data.slice(start * width, end * width), [end - start, ...data.shape.slice(1)]);
}

/** The rows of a 2-D tensor at `indices` (copied), in that order. */
export function takeRows(data: Tensor, indices: ArrayLike<number>): Tensor {
  const width = data.size / data.shape[0];
  const out = new Float32Array(indices.length * width);
  for (let i = 0; i < indices.length; i++)
    out.set(data.data.subarray(indices[i] * width, (indices[i] + 1) * width), i * width);
  return tensor(out, [indices.length, ...data.shape.slice(1)]);
}

/** Every weight of the model as raw float32 bits, concatenated (for bit-exact comparisons). */
export function weightBits(model: Sequential): Uint32Array {
  const weights = model.getWeights();
  const total = weights.reduce((sum, weight) => sum + weight.size, 0);
  const bits = new Uint32Array(total);
  let offset = 0;
  for (const weight of weights) {
    bits.set(new Uint32Array(weight.data.buffer, weight.data.byteOffset, weight.size), offset);
    offset += weight.size;
  }
  return bits;
}

/** Index of the first differing element, or -1 when the two arrays hold the same bits. */
export function firstDifference(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** Asserts that two bit snapshots are identical (reports the first differing index). */
export function expectSameBits(actual: Uint32Array, expected: Uint32Array): void {
  expect(actual.length).toBe(expected.length);
  expect(firstDifference(actual, expected)).toBe(-1);
}

/** Raw bits of a float32 array (a view, not a copy). */
export function bitsOf(values: Float32Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length);
}

export interface WasmUsage {
  bytesInUse: number;
  liveBlocks: number;
  /** Size of linear memory (it only ever grows). */
  memoryBytes: number;
}

/** The engine allocator's counters and the size of linear memory. */
export function wasmUsage(): WasmUsage {
  const engine = getEngine();
  return {
    bytesInUse: engine.allocator.bytesInUse,
    liveBlocks: engine.allocator.liveBlocks,
    memoryBytes: engine.memory.buffer.byteLength,
  };
}

/** Accuracy of predicted class scores (argmax) against integer labels. */
export function accuracyOf(scores: Tensor, labels: ArrayLike<number>): number {
  const predicted = scores.argMax(-1).data;
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct / labels.length;
}

/** The message a promise rejects with, or "no error" when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  return "no error";
}
