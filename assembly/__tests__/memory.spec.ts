import { heapBase } from "../memory";

describe("heapBase", () => {
  it("points past the static data, 16-byte aligned", () => {
    const base = heapBase();
    expect(base).toBeGreaterThan(0);
    expect(base & 15).toBe(0);
  });
});
