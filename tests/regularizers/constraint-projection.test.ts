// Keras 3's weight constraints applied to a weight block (keras/src/constraints/constraints.py, axis 0):
//   MaxNorm:  w · clip(‖w_col‖, 0, maxValue) / (ε + ‖w_col‖)      UnitNorm: w / (ε + ‖w_col‖)      NonNeg: w · (w ≥ 0)
// with ε = 1e-7 (backend.epsilon()); norms over the inputs of each unit (the columns of a Dense kernel, the
// whole of a bias). References in float64, on shapes whose sizes are not multiples of 4.
import { beforeAll, describe, expect, test } from "vitest";
import { seededFloats } from "../../examples/datasets.mjs";
import { getEngine } from "../../ts/engine/engine.js";
import { type Constraint, MaxNorm, NonNeg, UnitNorm } from "../../ts/regularizers/constraints.js";
import { expectClose } from "../helpers/optimizer-steps.js";
import { loadEngine } from "../helpers/wasm.js";

beforeAll(loadEngine);

function applied(constraint: Constraint, values: readonly number[], shape: number[]): number[] {
  const engine = getEngine();
  const ptr = engine.allocF32(values.length);
  engine.write(ptr, Float32Array.from(values));
  constraint.apply(ptr, shape);
  const out = Array.from(engine.read(ptr, values.length));
  engine.free(ptr);
  return out;
}

function columnNorms(values: readonly number[], cols: number): number[] {
  const norms = new Array<number>(cols).fill(0);
  values.forEach((v, i) => (norms[i % cols] += v * v));
  return norms.map(Math.sqrt);
}

function reference(values: readonly number[], cols: number, factor: (norm: number) => number): number[] {
  const norms = columnNorms(values, cols);
  return values.map((v, i) => v * factor(norms[i % cols]));
}

const shapes: number[][] = [[7, 5], [3, 1], [2, 9], [6], [2, 3, 5]];

describe.each(shapes)("shape %j", (...shape) => {
  const size = shape.reduce((a, b) => a * b, 1);
  const cols = shape.length > 1 ? shape[shape.length - 1] : 1;
  const next = seededFloats(1000 + size);
  const values = Array.from({ length: size }, () => 6 * next() - 3);

  test("MaxNorm(maxValue 1.5) scales columns above 1.5 down to it", () => {
    const out = applied(new MaxNorm({ maxValue: 1.5 }), values, shape);
    expectClose(
      out,
      reference(values, cols, (n) => Math.min(n, 1.5) / (1e-7 + n)),
      2e-6,
    );
    for (const n of columnNorms(out, cols)) expect(n).toBeLessThanOrEqual(1.5 + 1e-5);
  });

  test("MaxNorm's default maxValue is 2 (Keras)", () => {
    const out = applied(new MaxNorm(), values, shape);
    expectClose(
      out,
      reference(values, cols, (n) => Math.min(n, 2) / (1e-7 + n)),
      2e-6,
    );
  });

  test("UnitNorm makes every column's norm 1", () => {
    const out = applied(new UnitNorm(), values, shape);
    expectClose(
      out,
      reference(values, cols, (n) => 1 / (1e-7 + n)),
      2e-6,
    );
  });

  test("NonNeg zeroes the negative weights and keeps the rest", () => {
    expect(applied(new NonNeg(), values, shape)).toEqual(values.map((v) => (v < 0 ? 0 : Math.fround(v))));
  });
});
