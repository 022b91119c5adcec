import { dropoutMask, randomBits, randomPermutation, randomSeed, randomUniform, RANDOM_STATE_BYTES } from "../random";

function seeded(seed: i32): StaticArray<u32> {
  const state = new StaticArray<u32>(RANDOM_STATE_BYTES / 4);
  randomSeed(changetype<usize>(state), seed, 0);
  return state;
}

describe("random", () => {
  it("same seed, same bits; other seed, other bits", () => {
    const a = new StaticArray<u32>(9), b = new StaticArray<u32>(9), c = new StaticArray<u32>(9);
    randomBits(changetype<usize>(seeded(1)), changetype<usize>(a), 9);
    randomBits(changetype<usize>(seeded(1)), changetype<usize>(b), 9);
    randomBits(changetype<usize>(seeded(2)), changetype<usize>(c), 9);
    let same = 0;
    for (let i = 0; i < 9; i++) {
      expect(a[i]).toBe(b[i]);
      if (a[i] == c[i]) same++;
    }
    expect(same).toBeLessThan(2);
  });

  it("uniform values stay in [low, high)", () => {
    const out = new StaticArray<f32>(101);
    randomUniform(changetype<usize>(seeded(3)), changetype<usize>(out), 101, -2, 5);
    for (let i = 0; i < 101; i++) {
      expect(out[i]).toBeGreaterThanOrEqual(-2);
      expect(out[i]).toBeLessThan(5);
    }
  });

  it("dropout mask holds only 0 and 1/(1 - rate)", () => {
    const mask = new StaticArray<f32>(37);
    dropoutMask(changetype<usize>(seeded(4)), changetype<usize>(mask), 37, 0.5);
    for (let i = 0; i < 37; i++) expect(mask[i] == 0 || mask[i] == 2).toBe(true);
  });

  it("permutation holds every index once", () => {
    const n = 50;
    const p = new StaticArray<i32>(n);
    randomPermutation(changetype<usize>(seeded(5)), changetype<usize>(p), n);
    const seen = new StaticArray<i32>(n);
    let moved = 0;
    for (let i = 0; i < n; i++) {
      seen[p[i]]++;
      if (p[i] != i) moved++;
    }
    for (let i = 0; i < n; i++) expect(seen[i]).toBe(1);
    expect(moved).toBeGreaterThan(0);
  });
});
