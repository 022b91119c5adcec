// RowBuffer: a block that grows to the largest batch and is reused; a failed grow must leave it usable.
import { beforeAll, describe, expect, test } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { RowBuffer } from "../../ts/layers/row-buffer.js";
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
});
