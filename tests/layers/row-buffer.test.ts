// RowBuffer: a layer's declared buffer. Placed by a model's activation plan it points into the plan's block; used on
// its own it gets a block of its own that grows to the largest batch and is reused; a failed grow must leave it
// usable.
import { beforeAll, describe, expect, test } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { currentLayoutVersion, RowBuffer } from "../../ts/layers/row-buffer.js";
import { loadEngine } from "../helpers/wasm.js";

beforeAll(loadEngine);

describe("RowBuffer", () => {
  test("reuses its block for smaller batches and grows for larger ones", () => {
    const buffer = new RowBuffer(3);
    const first = buffer.ensure(4);
    expect(getEngine().allocator.sizeOf(first)).toBeGreaterThanOrEqual(4 * 3 * 4);
    expect(buffer.ensure(2)).toBe(first);
    const grown = buffer.ensure(9);
    expect(getEngine().allocator.sizeOf(grown)).toBeGreaterThanOrEqual(9 * 3 * 4);
    expect(buffer.ptr).toBe(grown);
    buffer.dispose();
    expect(buffer.ptr).toBe(0);
  });

  test("after a grow that runs out of memory, the next ensure allocates a real block (never pointer 0)", () => {
    const engine = getEngine();
    const before = engine.allocator.bytesInUse;
    const buffer = new RowBuffer(1 << 20);
    buffer.ensure(2);
    // NOTE: 2^11 rows of 2^20 floats is 8 GiB, more than 32-bit wasm memory can ever hold: the grow fails.
    expect(() => buffer.ensure(1 << 11)).toThrow();
    const again = buffer.ensure(2);
    expect(again).not.toBe(0);
    expect(engine.allocator.sizeOf(again)).toBeGreaterThanOrEqual(2 * (1 << 20) * 4);
    expect(buffer.ptr).toBe(again);
    buffer.dispose();
    expect(engine.allocator.bytesInUse).toBe(before);
  });

  test("placed by an arena it uses the arena's memory; its own block is freed; only that arena can take it out", () => {
    const engine = getEngine();
    const before = engine.allocator.bytesInUse;
    const buffer = new RowBuffer(5);
    const version = currentLayoutVersion();
    const own = buffer.ensure(3);
    expect(buffer.ownsBlock).toBe(true);
    // A use outside any plan tells the plans to re-plan (and take the buffer in).
    expect(currentLayoutVersion()).toBeGreaterThan(version);
    expect(buffer.usedUnplanned).toBe(true);
    const block = engine.allocF32(64 * 5);
    const arena = { capacity: 64 };
    buffer.place(block + 128, 64, arena);
    expect(buffer.ownsBlock).toBe(false);
    expect(engine.allocator.sizeOf(own)).toBeUndefined(); // the own block went back to the allocator
    expect(buffer.ensure(64)).toBe(block + 128);
    expect(buffer.ensure(1)).toBe(block + 128);
    buffer.unplace({ capacity: 64 }); // another arena: no effect
    expect(buffer.ptr).toBe(block + 128);
    buffer.unplace(arena);
    expect(buffer.ptr).toBe(0);
    expect(buffer.capacity).toBe(0);
    engine.free(block);
    buffer.dispose();
    expect(engine.allocator.bytesInUse).toBe(before);
  });
});
