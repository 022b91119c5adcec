// Shared helpers for kernel tests: put arrays into wasm memory, read them back, compare with a reference.
import { expect } from "vitest";
import { type Engine, getEngine, init } from "../../ts/engine/engine.js";
import { uniformArray } from "./seeded.js";

const live: number[] = [];

export async function loadEngine(): Promise<Engine> {
  await init();
  return getEngine();
}

/** Allocates a block holding `values` (float32); freed by freeAll(). */
export function put(values: ArrayLike<number>): number {
  const engine = getEngine();
  const ptr = engine.allocF32(values.length);
  engine.write(ptr, values);
  live.push(ptr);
  return ptr;
}

/** Allocates a block holding `values` as int32 (labels, indices); freed by freeAll(). */
export function putI32(values: ArrayLike<number>): number {
  const engine = getEngine();
  const ptr = engine.alloc(values.length * 4);
  engine.i32.set(values, ptr >>> 2);
  live.push(ptr);
  return ptr;
}

/** Allocates `count` float32 zeros (or `fill`); freed by freeAll(). */
export function zeros(count: number, fill = 0): number {
  const engine = getEngine();
  const ptr = engine.allocF32(count);
  engine.view(ptr, count).fill(fill);
  live.push(ptr);
  return ptr;
}

export function get(ptr: number, count: number): Float32Array {
  return getEngine().read(ptr, count);
}

export function getI32(ptr: number, count: number): Int32Array {
  return getEngine().i32.slice(ptr >>> 2, (ptr >>> 2) + count);
}

/** Frees every block put() / zeros() made; call in afterEach. */
export function freeAll(): void {
  const engine = getEngine();
  while (live.length) engine.free(live.pop()!);
}

/** Deterministic test data (mulberry32), uniform in [low, high). */
export const randomArray = uniformArray;

/**
 * Element-wise |actual - expected| <= atol + rtol * |expected|, with NaN matching NaN and equal infinities
 * matching. Fails naming the first bad index and both values.
 */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  { rtol = 1e-5, atol = 1e-6, label = "" }: { rtol?: number; atol?: number; label?: string } = {},
): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    const ok = Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!ok) {
      expect.fail(`${label}[${i}]: got ${a}, expected ${e} (rtol ${rtol}, atol ${atol})`);
    }
  }
}
