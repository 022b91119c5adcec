// Functions that allocate several wasm blocks free every one they got when a later allocation fails.
import { afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { initializers, ops, tensor } from "../../ts/index.js";
import { loadEngine } from "../helpers/wasm.js";

beforeAll(loadEngine);
afterEach(() => vi.restoreAllMocks());

/** Makes the engine's `nth` allocation from now on throw, as an out-of-memory grow does. */
function failAllocation(nth: number): void {
  const engine = getEngine();
  const real = engine.allocF32.bind(engine);
  let calls = 0;
  vi.spyOn(engine, "allocF32").mockImplementation((count: number) => {
    if (++calls === nth) throw new RangeError("WebAssembly.Memory.grow(): Maximum memory size exceeded");
    return real(count);
  });
}

describe("a failed allocation leaks nothing", () => {
  test("matMul, when the product does not fit (a real out-of-memory grow)", () => {
    const engine = getEngine();
    const before = engine.allocator.bytesInUse;
    // NOTE: [65536 × 1]·[1 × 65536] has 2^32 floats (16 GiB): a and b fit, the product never can.
    const a = new Float32Array(65536).fill(1);
    expect(() => ops.matMul(tensor(a, [65536, 1]), tensor(a, [1, 65536]))).toThrow();
    expect(engine.allocator.bytesInUse).toBe(before);
  });

  test.each([1, 2, 3])("matMul, when allocation %i of 3 fails", (nth) => {
    const engine = getEngine();
    const before = engine.allocator.bytesInUse;
    failAllocation(nth);
    expect(() =>
      ops.matMul(
        [
          [1, 2],
          [3, 4],
        ],
        [[5], [6]],
      ),
    ).toThrow(/Maximum memory size/);
    vi.restoreAllMocks();
    expect(engine.allocator.bytesInUse).toBe(before);
    expect(
      ops
        .matMul(
          [
            [1, 2],
            [3, 4],
          ],
          [[5], [6]],
        )
        .toArray(),
    ).toEqual([[17], [39]]);
  });

  test.each([1, 2])("Orthogonal, when allocation %i of its 2 scratch blocks fails", (nth) => {
    const engine = getEngine();
    const weight = engine.allocF32(5 * 3);
    const before = engine.allocator.bytesInUse;
    failAllocation(nth);
    expect(() => new initializers.Orthogonal({ seed: 1 }).fill(weight, [5, 3])).toThrow(/Maximum memory size/);
    vi.restoreAllMocks();
    expect(engine.allocator.bytesInUse).toBe(before);
    engine.free(weight);
  });
});
