import { expV, logV, expm1V, log1pV, scalarExp, scalarLog, mathMap, MATH_EXP, MATH_LOG } from "../math";

function lane0(v: v128): f32 {
  return f32x4.extract_lane(v, 0);
}

function relErr(got: f32, want: f64): f64 {
  return Math.abs(<f64>got - want) / Math.abs(want);
}

describe("expV / logV", () => {
  it("satisfy exp(0) = 1, log(1) = 0 and exp(k·ln2) = 2^k to within an ulp", () => {
    expect(lane0(expV(f32x4.splat(0)))).toBe(1);
    expect(lane0(logV(f32x4.splat(1)))).toBe(0);
    for (let k = -20; k <= 20; k++) {
      const x = <f32>(<f64>k * Math.LN2);
      expect(relErr(lane0(expV(f32x4.splat(x))), Math.exp(<f64>x))).toBeLessThan(1.2e-7);
      expect(Math.abs(<f64>lane0(logV(f32x4.splat(<f32>Math.pow(2, k)))) - <f64>k * Math.LN2)).toBeLessThan(1e-5);
    }
  });

  it("are inverses: log(exp(x)) ≈ x and exp(x)·exp(-x) ≈ 1", () => {
    for (let i = -40; i <= 40; i++) {
      const x = <f32>i * 0.37;
      const e = expV(f32x4.splat(x));
      expect(Math.abs(<f64>lane0(logV(e)) - <f64>x)).toBeLessThan(2e-6 * Math.max(1, Math.abs(<f64>x)));
      const product = <f64>lane0(e) * <f64>lane0(expV(f32x4.splat(-x)));
      expect(Math.abs(product - 1)).toBeLessThan(3e-7);
    }
  });

  it("handle the edges: overflow, underflow, log of 0 and of negatives", () => {
    expect(lane0(expV(f32x4.splat(89)))).toBe(Infinity);
    expect(lane0(expV(f32x4.splat(-104)))).toBe(0);
    expect(lane0(logV(f32x4.splat(0)))).toBe(-Infinity);
    expect(isNaN(lane0(logV(f32x4.splat(-1))))).toBe(true);
    expect(isNaN(lane0(expV(f32x4.splat(NaN))))).toBe(true);
    expect(lane0(expm1V(f32x4.splat(1e-10)))).toBe(<f32>1e-10);
    expect(lane0(log1pV(f32x4.splat(1e-10)))).toBe(<f32>1e-10);
  });

  it("give each lane its own value, and the scalar entry points give lane 0's bits", () => {
    const v = f32x4(-3.5, 0.25, 7, 42);
    const e = expV(v);
    expect(f32x4.extract_lane(e, 1)).toBe(scalarExp(0.25));
    expect(f32x4.extract_lane(e, 3)).toBe(scalarExp(42));
    expect(f32x4.extract_lane(logV(v), 2)).toBe(scalarLog(7));
  });

  it("mathMap gives the scalar bits in the body and the tail", () => {
    const n = 7;
    const x = new StaticArray<f32>(n);
    const y = new StaticArray<f32>(n);
    for (let i = 0; i < n; i++) x[i] = <f32>i * 1.7 - 4;
    mathMap(MATH_EXP, n, changetype<usize>(x), changetype<usize>(y));
    for (let i = 0; i < n; i++) expect(y[i]).toBe(scalarExp(x[i]));
    for (let i = 0; i < n; i++) x[i] = <f32>(i + 1) * 0.9;
    mathMap(MATH_LOG, n, changetype<usize>(x), changetype<usize>(y));
    for (let i = 0; i < n; i++) expect(y[i]).toBe(scalarLog(x[i]));
  });
});
