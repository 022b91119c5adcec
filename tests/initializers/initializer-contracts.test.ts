// Small contracts of the initializers: they overwrite whatever the block held, seeded presets keep their seed
// (a preset that lost it would draw from the shared generator), a seeded draw frees its generator (measured on
// densa's allocator), and bad identifiers or seeds are refused by name.
import { beforeAll, describe, expect, test } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import * as initializers from "../../ts/initializers/index.js";
import type { Initializer } from "../../ts/initializers/initializer.js";
import { loadEngine } from "../helpers/wasm.js";

beforeAll(loadEngine);

/** Fills a block that held 7s and returns what the initializer left. */
function overwrite(initializer: Initializer, shape: number[]): number[] {
  const engine = getEngine();
  const size = shape.reduce((a, b) => a * b, 1);
  const ptr = engine.allocF32(size);
  engine.view(ptr, size).fill(7);
  initializer.fill(ptr, shape);
  const out = Array.from(engine.read(ptr, size));
  engine.free(ptr);
  return out;
}

describe("initializer contracts", () => {
  test("every initializer overwrites the whole block", () => {
    expect(overwrite(initializers.zeros(), [5])).toEqual([0, 0, 0, 0, 0]);
    expect(overwrite(initializers.ones(), [2, 2])).toEqual([1, 1, 1, 1]);
    expect(overwrite(initializers.identity(), [2, 2])).toEqual([1, 0, 0, 1]);
    for (const make of [
      initializers.glorotUniform,
      initializers.heNormal,
      initializers.lecunNormal,
      initializers.orthogonal,
    ]) {
      expect(overwrite(make({ seed: 1 }), [4, 3]).some((x) => x === 7)).toBe(false);
    }
  });

  test.each([
    ["glorotUniform", initializers.glorotUniform],
    ["glorotNormal", initializers.glorotNormal],
    ["heUniform", initializers.heUniform],
    ["heNormal", initializers.heNormal],
    ["lecunUniform", initializers.lecunUniform],
    ["lecunNormal", initializers.lecunNormal],
  ] as const)("%s keeps its seed: the same values every call", (_, make) => {
    const initializer = make({ seed: 21 });
    expect(initializer.seed).toBe(21);
    expect(overwrite(initializer, [6, 4])).toEqual(overwrite(make({ seed: 21 }), [6, 4]));
  });

  test("a seeded fill frees its generator", () => {
    const initializer = initializers.randomNormal({ seed: 5 });
    const engine = getEngine();
    const ptr = engine.allocF32(64);
    const before = engine.allocator.bytesInUse;
    initializer.fill(ptr, [64]);
    initializers.orthogonal({ seed: 5 }).fill(ptr, [8, 8]);
    expect(engine.allocator.bytesInUse).toBe(before);
    engine.free(ptr);
  });

  test("bad identifiers and seeds name what is wrong", () => {
    expect(() => initializers.resolveInitializer(null as never, "kernelInitializer")).toThrow(
      "kernelInitializer: unknown initializer null",
    );
    expect(() => initializers.truncatedNormal({ seed: -1 })).toThrow("truncatedNormal");
    expect(() => initializers.randomUniform({ seed: 0.5 })).toThrow("randomUniform");
    expect(() => initializers.randomNormal({ seed: -2 })).toThrow("randomNormal");
  });
});
