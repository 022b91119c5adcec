import { adamUpdate, clipByNorm, nonNegConstraint, sgdUpdate, sumOfSquares } from "../optimizers";

function filled(n: i32, start: f32, stepBy: f32): StaticArray<f32> {
  const a = new StaticArray<f32>(n);
  for (let i = 0; i < n; i++) a[i] = start + stepBy * <f32>i;
  return a;
}

describe("sgdUpdate", () => {
  it("plain SGD is w - lr·g on every element, body and tail alike", () => {
    const w = filled(7, 1, 0.5), g = filled(7, -1, 0.25);
    sgdUpdate(changetype<usize>(w), changetype<usize>(g), 0, 7, 0.1, 0, 0, 0);
    for (let i = 0; i < 7; i++) {
      const expected: f32 = (1 + 0.5 * <f32>i) - (-1 + 0.25 * <f32>i) * <f32>0.1;
      expect(w[i]).toBe(expected);
    }
  });

  it("momentum keeps a velocity of -lr·g after the first step", () => {
    const w = filled(5, 0, 0), g = filled(5, 1, 1), v = filled(5, 0, 0);
    sgdUpdate(changetype<usize>(w), changetype<usize>(g), changetype<usize>(v), 5, 0.5, 0.9, 0, 0);
    for (let i = 0; i < 5; i++) {
      expect(v[i]).toBe(-<f32>0.5 * g[i]);
      expect(w[i]).toBe(v[i]);
    }
  });
});

describe("adamUpdate", () => {
  it("first step moves each weight by about lr against the gradient's sign", () => {
    const n = 6;
    const w = filled(n, 0, 0), g = filled(n, -2.5, 1), m = filled(n, 0, 0), v = filled(n, 0, 0);
    adamUpdate(changetype<usize>(w), changetype<usize>(g), changetype<usize>(m), changetype<usize>(v), 0, n,
      0.01, 0.9, 0.999, 1e-7, 1, 0, 0);
    for (let i = 0; i < n; i++) {
      const expected: f32 = g[i] > 0 ? -0.01 : 0.01;
      expect(Mathf.abs(w[i] - expected)).toBeLessThan(1e-5);
    }
  });
});

describe("clipping and constraints", () => {
  it("sumOfSquares and clipByNorm", () => {
    const g = filled(5, 3, 0); // five 3s: norm √45
    expect(sumOfSquares(changetype<usize>(g), 5)).toBe(45);
    clipByNorm(changetype<usize>(g), 5, 1);
    expect(Mathf.abs(sumOfSquares(changetype<usize>(g), 5) - 1)).toBeLessThan(1e-6);
  });

  it("nonNegConstraint zeroes negatives only", () => {
    const w = filled(9, -4, 1);
    nonNegConstraint(changetype<usize>(w), 9);
    for (let i = 0; i < 9; i++) expect(w[i]).toBe(max<f32>(-4 + <f32>i, 0));
  });
});
