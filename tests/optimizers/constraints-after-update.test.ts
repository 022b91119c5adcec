// Weight constraints run after each optimizer update (Keras 3: optimizer.apply → variable.constraint), so the
// weights a step leaves behind satisfy them. References: Keras's constraint formulas (axis 0, ε = 1e-7) applied
// in float64 to the float64 SGD step.
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { Adam, SGD } from "../../ts/optimizers/index.js";
import { MaxNorm, NonNeg, UnitNorm } from "../../ts/regularizers/constraints.js";
import { disposeWeights, expectClose, step, values, weight } from "../helpers/optimizer-steps.js";
import { loadEngine } from "../helpers/wasm.js";

beforeAll(loadEngine);
afterEach(disposeWeights);

/** Columns of a row-major rows × cols matrix scaled by f(column norm). */
function scaleColumns(matrix: readonly number[], cols: number, factor: (norm: number) => number): number[] {
  const rows = matrix.length / cols;
  const out = [...matrix];
  for (let c = 0; c < cols; c++) {
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += matrix[r * cols + c] ** 2;
    const f = factor(Math.sqrt(sum));
    for (let r = 0; r < rows; r++) out[r * cols + c] = matrix[r * cols + c] * f;
  }
  return out;
}

const kernel = [1, 0.1, -2, 0.2, 2, -0.1]; // 3 × 2: column norms 3 and √0.06 ≈ 0.245
const gradient = [-1, 0, 1, 0, -1, 0];
const afterStep = kernel.map((w, i) => w - 0.5 * gradient[i]); // SGD, lr 0.5

describe("constraints hold after every step", () => {
  test("MaxNorm: a column whose norm grew past maxValue is scaled back to it, the others stay", () => {
    const optimizer = new SGD({ learningRate: 0.5 });
    const w = weight("dense/kernel", kernel, [3, 2], new MaxNorm({ maxValue: 1 }));
    step(optimizer, [w], [gradient]);
    expectClose(
      values(w),
      scaleColumns(afterStep, 2, (n) => Math.min(n, 1) / (1e-7 + n)),
      1e-6,
    );
    optimizer.dispose();
  });

  test("UnitNorm: every column has norm 1 after the step", () => {
    const optimizer = new SGD({ learningRate: 0.5 });
    const w = weight("dense/kernel", kernel, [3, 2], new UnitNorm());
    step(optimizer, [w], [gradient]);
    expectClose(
      values(w),
      scaleColumns(afterStep, 2, (n) => 1 / (1e-7 + n)),
      1e-6,
    );
    optimizer.dispose();
  });

  test("NonNeg: weights the step made negative become 0", () => {
    const optimizer = new SGD({ learningRate: 1 });
    const w = weight("dense/bias", [0.5, 0.5, 0.5, -0.25, 2], [5], new NonNeg());
    step(optimizer, [w], [[1, 0.25, -1, -0.5, 3]]);
    expectClose(values(w), [0, 0.25, 1.5, 0.25, 0]);
    optimizer.dispose();
  });

  test("a rank-1 weight (a bias) is one column: MaxNorm takes the norm over all of it", () => {
    const optimizer = new SGD({ learningRate: 1 });
    const w = weight("dense/bias", [0, 0, 0, 0, 0], [5], new MaxNorm({ maxValue: 2 }));
    step(optimizer, [w], [[-3, 0, -4, 0, 0]]);
    expectClose(values(w), [1.2, 0, 1.6, 0, 0], 1e-6);
    optimizer.dispose();
  });

  test("each weight gets its own constraint; an unconstrained weight is left as the update made it", () => {
    const optimizer = new Adam({ learningRate: 10 });
    const constrained = weight("a", [0, 0, 0], [3], new NonNeg());
    const free = weight("b", [0, 0, 0], [3]);
    step(
      optimizer,
      [constrained, free],
      [
        [1, -1, 1],
        [1, -1, 1],
      ],
    );
    expect(values(constrained)).toEqual([0, values(free)[1], 0]);
    expect(values(free)[0]).toBeLessThan(-9);
    optimizer.dispose();
  });
});
