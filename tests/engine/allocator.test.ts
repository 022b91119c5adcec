import { describe, expect, it } from "vitest";
import { Allocator, BLOCK_ALIGN } from "../../ts/engine/allocator.js";
import { loadEngine } from "../helpers/wasm.js";

const PAGE = 65536;

function freshMemory(pages = 1) {
  const memory = new WebAssembly.Memory({ initial: pages });
  let grows = 0;
  const allocator = new Allocator(memory, 1000, () => grows++);
  return { memory, allocator, grows: () => grows };
}

describe("Allocator", () => {
  it("hands out cache-line (64-byte) aligned, non-overlapping blocks above the heap base", () => {
    expect(BLOCK_ALIGN).toBe(64);
    const { allocator } = freshMemory(4);
    const blocks: Array<[number, number]> = [];
    for (const bytes of [1, 3, 16, 17, 100, 4096, 0, 33]) {
      const ptr = allocator.alloc(bytes);
      expect(ptr % BLOCK_ALIGN).toBe(0);
      expect(ptr).toBeGreaterThanOrEqual(1024); // heap base 1000, rounded up to a line
      blocks.push([ptr, Math.max(bytes, 1)]);
    }
    blocks.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < blocks.length; i++) {
      expect(blocks[i][0]).toBeGreaterThanOrEqual(blocks[i - 1][0] + blocks[i - 1][1]);
    }
  });

  it("reuses freed blocks and coalesces neighbours", () => {
    const { allocator } = freshMemory(1);
    const a = allocator.alloc(1024);
    const b = allocator.alloc(1024);
    const c = allocator.alloc(1024);
    allocator.free(b);
    expect(allocator.alloc(1000)).toBe(b);
    allocator.free(b);
    allocator.free(a);
    // a and b merged: a 2048-byte request fits where they were
    expect(allocator.alloc(2048)).toBe(a);
    allocator.free(c);
    expect(allocator.liveBlocks).toBe(1);
  });

  it("grows memory when nothing fits, calls onGrow, and keeps earlier data", () => {
    const { memory, allocator, grows } = freshMemory(1);
    const first = allocator.alloc(1024);
    new Float32Array(memory.buffer, first, 4).set([1, 2, 3, 4]);
    const big = allocator.alloc(3 * PAGE);
    expect(grows()).toBeGreaterThan(0);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(big + 3 * PAGE);
    expect([...new Float32Array(memory.buffer, first, 4)]).toEqual([1, 2, 3, 4]);
  });

  it("does not grow again for memory it already freed (alloc/free cycles stay flat)", () => {
    const { memory, allocator } = freshMemory(1);
    for (let i = 0; i < 50; i++) {
      const ptrs = [allocator.alloc(5000), allocator.alloc(70000), allocator.alloc(123)];
      for (const ptr of ptrs) allocator.free(ptr);
    }
    const size = memory.buffer.byteLength;
    for (let i = 0; i < 200; i++) {
      const ptrs = [allocator.alloc(5000), allocator.alloc(70000), allocator.alloc(123)];
      for (const ptr of ptrs.reverse()) allocator.free(ptr);
    }
    expect(memory.buffer.byteLength).toBe(size);
    expect(allocator.liveBlocks).toBe(0);
    expect(allocator.bytesInUse).toBe(0);
  });

  it("rejects bad sizes and double frees with clear errors", () => {
    const { allocator } = freshMemory(1);
    expect(() => allocator.alloc(-1)).toThrow(/alloc: bytes must be a non-negative integer, got -1/);
    expect(() => allocator.alloc(1.5)).toThrow(/got 1.5/);
    const ptr = allocator.alloc(8);
    allocator.free(ptr);
    expect(() => allocator.free(ptr)).toThrow(/is not a live allocation/);
  });
});

describe("Engine views", () => {
  it("are re-created after memory grows, so old pointers still read their data", async () => {
    const engine = await loadEngine();
    const ptr = engine.allocF32(4);
    engine.write(ptr, [1.5, -2, 3, 4]);
    const before = engine.memory.buffer.byteLength;
    const big = engine.alloc(before * 2);
    expect(engine.memory.buffer.byteLength).toBeGreaterThan(before);
    expect(engine.f32.buffer).toBe(engine.memory.buffer);
    expect([...engine.read(ptr, 4)]).toEqual([1.5, -2, 3, 4]);
    engine.free(big);
    engine.free(ptr);
  });
});

describe("init", () => {
  it("is idempotent: later calls resolve to the same engine and memory", async () => {
    const { init, getEngine } = await import("../../ts/engine/engine.js");
    await init();
    const first = getEngine();
    const ptr = first.allocF32(3);
    first.write(ptr, [7, 8, 9]);
    await Promise.all([init(), init()]);
    expect(getEngine()).toBe(first);
    expect([...getEngine().read(ptr, 3)]).toEqual([7, 8, 9]);
    first.free(ptr);
  });
});
