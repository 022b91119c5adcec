// Weight constraints act after each update (Keras 3: the optimizer applies variable.constraint after assigning
// the new value). Reference: one SGD step w − lr·g with the float64 closed-form gradient of a linear model, then
// the constraint's documented formula (keras/src/constraints/constraints.py, axis 0 = per unit of a Dense kernel):
//   NonNeg   w · (w ≥ 0)
//   MaxNorm  w · clip(‖w‖, 0, max) / (ε + ‖w‖)      ε = 1e-7 (backend epsilon)
//   UnitNorm w / (ε + ‖w‖)
// Each test checks that the unconstrained step would break the constraint, so it sees a constraint never applied.
import { beforeAll, describe, expect, it } from "vitest";
import { constraints, init, optimizers } from "../../ts/index.js";
import type { Constraint } from "../../ts/regularizers/constraints.js";
import {
  currentWeights,
  type LinearProblem,
  linearModel,
  linearProblem,
  mseGradients,
  trainStep,
  worstRelativeError,
} from "../helpers/linear-step.js";

beforeAll(() => init());

const EPSILON = 1e-7;
const LEARNING_RATE = 0.4;

type Reference = (values: Float64Array, rows: number, cols: number) => Float64Array;

/** Column norms of a rows × cols matrix (a bias is one column). */
function columnNorms(values: Float64Array, rows: number, cols: number): number[] {
  return Array.from({ length: cols }, (_, c) => {
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += values[r * cols + c] ** 2;
    return Math.sqrt(sum);
  });
}

const nonNeg: Reference = (values) => values.map((w) => (w >= 0 ? w : 0));
const maxNorm =
  (max: number): Reference =>
  (values, rows, cols) => {
    const norms = columnNorms(values, rows, cols);
    return values.map((w, i) => (w * Math.min(norms[i % cols], max)) / (EPSILON + norms[i % cols]));
  };
const unitNorm: Reference = (values, rows, cols) => {
  const norms = columnNorms(values, rows, cols);
  return values.map((w, i) => w / (EPSILON + norms[i % cols]));
};

/** Steps once; returns the unconstrained float64 step and the weights densa ended with. */
function step(problem: LinearProblem, kernelConstraint: Constraint | null, biasConstraint: Constraint | null) {
  const model = linearModel(problem, new optimizers.SGD({ learningRate: LEARNING_RATE }), {
    kernelConstraint,
    biasConstraint,
  });
  const before = currentWeights(model);
  const gradients = mseGradients(problem, before[0], before[1]);
  const free = before.map((weights, block) => weights.map((w, i) => w - LEARNING_RATE * gradients[block][i]));
  const after = trainStep(model, problem);
  model.dispose();
  return { free, after };
}

describe("constraints apply after the update", () => {
  const problem = linearProblem(5, 4, 12, 41, 1.5);
  const shapes: [number, number][] = [
    [problem.inputs, problem.units],
    [problem.units, 1],
  ];

  const cases: [string, () => Constraint, Reference, (free: Float64Array, rows: number, cols: number) => boolean][] = [
    ["NonNeg", () => constraints.nonNeg(), nonNeg, (free) => free.some((w) => w < 0)],
    [
      "MaxNorm(0.6)",
      () => constraints.maxNorm({ maxValue: 0.6 }),
      maxNorm(0.6),
      (free, rows, cols) => columnNorms(free, rows, cols).some((norm) => norm > 0.6),
    ],
    [
      "UnitNorm",
      () => constraints.unitNorm(),
      unitNorm,
      (free, rows, cols) => columnNorms(free, rows, cols).some((norm) => Math.abs(norm - 1) > 0.1),
    ],
  ];

  for (const [name, make, reference, breaks] of cases) {
    it(`${name} on the kernel`, () => {
      const { free, after } = step(problem, make(), null);
      expect(breaks(free[0], ...shapes[0]), "the free step breaks the constraint").toBe(true);
      expect(worstRelativeError(after[0], reference(free[0], ...shapes[0]), 1e-2)).toBeLessThan(1e-5);
      expect(worstRelativeError(after[1], free[1], 1e-2), "the bias is left alone").toBeLessThan(1e-5);
    });

    it(`${name} on the bias`, () => {
      const { free, after } = step(problem, null, make());
      expect(breaks(free[1], ...shapes[1]), "the free step breaks the constraint").toBe(true);
      expect(worstRelativeError(after[1], reference(free[1], ...shapes[1]), 1e-2)).toBeLessThan(1e-5);
      expect(worstRelativeError(after[0], free[0], 1e-2), "the kernel is left alone").toBeLessThan(1e-5);
    });
  }

  it("the constraint sees the updated weights, not the ones before the step", () => {
    // NOTE: NonNeg applied before the update would leave negative weights after it.
    const { after } = step(problem, constraints.nonNeg(), constraints.nonNeg());
    for (const block of after) expect(Math.min(...block)).toBeGreaterThanOrEqual(0);
  });
});
