// How work is cut over threads: ranges cover the work exactly once, start on aligned boundaries (so SIMD lanes
// and scalar tails fall on the same elements as on one thread), and products are cut into whole strips or bands.
import { describe, expect, it } from "vitest";
import { planProduct } from "../../ts/engine/threads/plan-product.js";
import { splitRange } from "../../ts/engine/threads/split-range.js";

describe("splitRange", () => {
  it("covers [0, total) once, in order, with aligned starts and at most `parts` ranges", () => {
    for (let total = 0; total <= 70; total++) {
      for (const parts of [1, 2, 3, 5, 8]) {
        for (const align of [1, 4, 16]) {
          const ranges = splitRange(total, parts, align);
          expect(ranges.length).toBeLessThanOrEqual(parts);
          if (total === 0) {
            expect(ranges).toEqual([]);
            continue;
          }
          expect(ranges.length).toBe(Math.min(parts, Math.ceil(total / align)));
          let next = 0;
          for (const [start, end] of ranges) {
            expect(start).toBe(next);
            expect(start % align).toBe(0);
            expect(end).toBeGreaterThan(start);
            next = end;
          }
          expect(next).toBe(total);
        }
      }
    }
  });

  it("balances the units: sizes differ by at most one unit", () => {
    const sizes = splitRange(100, 3, 4).map(([start, end]) => end - start);
    expect(sizes).toEqual([32, 32, 36]);
  });
});

describe("planProduct", () => {
  it("cuts the bench model's first layer (32×128) into 16-column strips and a 10-column output into 4-row bands", () => {
    expect(planProduct(32, 128, 2).blocks).toEqual([[[0, 32], [0, 64]], [[0, 32], [64, 128]]]);
    expect(planProduct(32, 10, 2).blocks).toEqual([[[0, 16], [0, 10]], [[16, 32], [0, 10]]]);
  });

  it("gives every element of C to exactly one block", () => {
    for (const [m, n, threads] of [[1, 37, 3], [5, 3, 2], [13, 70, 3], [784, 128, 2], [9, 150, 4]]) {
      const owner = new Int32Array(m * n);
      for (const [[i0, i1], [j0, j1]] of planProduct(m, n, threads).blocks) {
        for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) owner[i * n + j]++;
      }
      expect(owner.every((count) => count === 1), `${m}×${n} over ${threads}`).toBe(true);
    }
  });
});
