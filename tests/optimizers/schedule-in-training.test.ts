// A learning-rate schedule sets the rate of each training step: Keras evaluates it at optimizer.iterations, the
// number of updates made before the step (0 at the first). Each step's rate is recovered from what SGD did to a
// linear model — ΔW = −lr·dW with dW the float64 closed-form gradient at the weights before the step — and
// compared with the schedule's documented formula evaluated here, independently of densa's schedule classes.
import { beforeAll, describe, expect, it } from "vitest";
import { callbacks, init, optimizers, tensor } from "../../ts/index.js";
import {
  currentWeights,
  type LinearProblem,
  linearModel,
  linearProblem,
  mseGradients,
  trainStep,
} from "../helpers/linear-step.js";

beforeAll(() => init());

/** The rate SGD used between two weight snapshots: −⟨ΔW, g⟩ / ⟨g, g⟩ over kernel and bias. */
function rateUsed(
  problem: LinearProblem,
  before: [Float64Array, Float64Array],
  after: [Float64Array, Float64Array],
): number {
  const gradients = mseGradients(problem, before[0], before[1]);
  let along = 0;
  let squared = 0;
  gradients.forEach((gradient, block) => {
    for (let i = 0; i < gradient.length; i++) {
      along -= (after[block][i] - before[block][i]) * gradient[i];
      squared += gradient[i] * gradient[i];
    }
  });
  return along / squared;
}

const STEPS = 5;
// NOTE: Keras's formulas (learning_rate_schedule.py), evaluated in float64 at steps 0, 1, 2, …
const exponential = (step: number) => 0.2 * 0.5 ** step;
const piecewise = (step: number) => (step <= 0 ? 0.3 : step <= 2 ? 0.2 : 0.05);
const inverseTime = (step: number) => 0.25 / (1 + 0.5 * step);

const cases: [string, () => optimizers.LearningRateSchedule, (step: number) => number][] = [
  [
    "ExponentialDecay (0.2 · 0.5^step)",
    () => new optimizers.schedules.ExponentialDecay({ initialLearningRate: 0.2, decaySteps: 1, decayRate: 0.5 }),
    exponential,
  ],
  [
    "PiecewiseConstantDecay (boundaries 0, 2)",
    () => new optimizers.schedules.PiecewiseConstantDecay({ boundaries: [0, 2], values: [0.3, 0.2, 0.05] }),
    piecewise,
  ],
  [
    "InverseTimeDecay (0.25 / (1 + 0.5 · step))",
    () => new optimizers.schedules.InverseTimeDecay({ initialLearningRate: 0.25, decaySteps: 1, decayRate: 0.5 }),
    inverseTime,
  ],
];

describe("a schedule gives the rate of each step, evaluated at the updates made before it", () => {
  for (const [name, schedule, formula] of cases) {
    it(`${name}: trainOnBatch steps 0…${STEPS - 1}`, () => {
      const problem = linearProblem(4, 3, 9, 21);
      const model = linearModel(problem, new optimizers.SGD({ learningRate: schedule() }));
      const used: number[] = [];
      let before = currentWeights(model);
      for (let step = 0; step < STEPS; step++) {
        const after = trainStep(model, problem);
        used.push(rateUsed(problem, before, after));
        before = after;
      }
      const expected = Array.from({ length: STEPS }, (_, step) => formula(step));
      used.forEach((rate, step) =>
        expect(Math.abs(rate - expected[step]), `step ${step}: used ${rate}, schedule ${expected[step]}`).toBeLessThan(
          2e-5 * expected[step],
        ),
      );
      model.dispose();
    });
  }

  it("fit: one batch per epoch, the rate of epoch e is the schedule at step e", async () => {
    const problem = linearProblem(5, 2, 8, 22);
    const model = linearModel(problem, new optimizers.SGD({ learningRate: cases[0][1]() }));
    const snapshots = [currentWeights(model)];
    const recorder = new callbacks.LambdaCallback({ onEpochEnd: () => void snapshots.push(currentWeights(model)) });
    await model.fit(
      tensor(Float32Array.from(problem.x), [problem.rows, problem.inputs]),
      tensor(Float32Array.from(problem.y), [problem.rows, problem.units]),
      {
        epochs: STEPS,
        batchSize: problem.rows,
        shuffle: false,
        verbose: 0,
        callbacks: [recorder],
      },
    );
    for (let step = 0; step < STEPS; step++) {
      const rate = rateUsed(problem, snapshots[step], snapshots[step + 1]);
      expect(Math.abs(rate - exponential(step)), `epoch ${step}: used ${rate}`).toBeLessThan(2e-5 * exponential(step));
    }
    model.dispose();
  });

  it("fit: the step count runs over batches, not epochs (3 batches an epoch, 2 epochs: steps 0…5)", async () => {
    const problem = linearProblem(4, 2, 9, 24);
    const model = linearModel(problem, new optimizers.SGD({ learningRate: cases[2][1]() }));
    const batchProblem = (batch: number): LinearProblem => ({
      ...problem,
      rows: 3,
      x: problem.x.subarray(batch * 3 * problem.inputs, (batch + 1) * 3 * problem.inputs),
      y: problem.y.subarray(batch * 3 * problem.units, (batch + 1) * 3 * problem.units),
    });
    const snapshots = [currentWeights(model)];
    const recorder = new callbacks.LambdaCallback({ onBatchEnd: () => void snapshots.push(currentWeights(model)) });
    await model.fit(
      tensor(Float32Array.from(problem.x), [problem.rows, problem.inputs]),
      tensor(Float32Array.from(problem.y), [problem.rows, problem.units]),
      {
        epochs: 2,
        batchSize: 3,
        shuffle: false,
        verbose: 0,
        callbacks: [recorder],
      },
    );
    expect(snapshots).toHaveLength(7);
    for (let step = 0; step < 6; step++) {
      const rate = rateUsed(batchProblem(step % 3), snapshots[step], snapshots[step + 1]);
      expect(Math.abs(rate - inverseTime(step)), `step ${step}: used ${rate}`).toBeLessThan(2e-5 * inverseTime(step));
    }
    model.dispose();
  });

  it("optimizer.learningRate reads the schedule at the current iteration", () => {
    const problem = linearProblem(3, 2, 4, 23);
    const optimizer = new optimizers.SGD({ learningRate: cases[0][1]() });
    const model = linearModel(problem, optimizer);
    for (let step = 0; step < 3; step++) {
      expect(optimizer.learningRate).toBeCloseTo(exponential(step), 7);
      trainStep(model, problem);
    }
    model.dispose();
  });
});
