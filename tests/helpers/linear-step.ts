// One linear Dense layer trained with mean squared error, and the float64 closed form of its gradient: the
// reference for what an optimizer option does to a training step (schedules, clipping, constraints). With
// y = x·W + b and Keras's MSE (mean over units, then over the batch), the gradients are
//   dW = 2/(B·U) · xᵀ·(x·W + b − y),   db = 2/(B·U) · Σ_rows (x·W + b − y),
// so a test knows, for weights it set itself, the exact update SGD must make, independently of densa's kernels.
import { layers, Sequential, type Tensor, tensor } from "../../ts/index.js";
import type { Optimizer } from "../../ts/optimizers/optimizer.js";
import type { ConstraintIdentifier } from "../../ts/regularizers/constraints.js";
import { seededRandom } from "./seeded.js";

export interface LinearProblem {
  inputs: number;
  units: number;
  rows: number;
  x: Float64Array;
  y: Float64Array;
  kernel: Float64Array;
  bias: Float64Array;
}

/** A seeded problem: x, y, W and b uniform in [-scale, scale) (float32 values, kept in float64). */
export function linearProblem(inputs: number, units: number, rows: number, seed: number, scale = 1): LinearProblem {
  const random = seededRandom(seed);
  const draw = (count: number) => Float64Array.from({ length: count }, () => Math.fround((2 * random() - 1) * scale));
  return {
    inputs,
    units,
    rows,
    x: draw(rows * inputs),
    y: draw(rows * units),
    kernel: draw(inputs * units),
    bias: draw(units),
  };
}

/** The Dense model with the problem's weights, compiled with `optimizer` and MSE. */
export function linearModel(
  problem: LinearProblem,
  optimizer: Optimizer,
  constraints: { kernelConstraint?: ConstraintIdentifier | null; biasConstraint?: ConstraintIdentifier | null } = {},
): Sequential {
  const model = new Sequential([new layers.Dense(problem.units, { inputShape: [problem.inputs], ...constraints })]);
  model.setWeights([
    tensor(Float32Array.from(problem.kernel), [problem.inputs, problem.units]),
    tensor(Float32Array.from(problem.bias), [problem.units]),
  ]);
  model.compile({ optimizer, loss: "mse" });
  return model;
}

/** One trainOnBatch on the problem's batch; returns [kernel, bias] after it, in float64. */
export function trainStep(model: Sequential, problem: LinearProblem): [Float64Array, Float64Array] {
  model.trainOnBatch(
    tensor(Float32Array.from(problem.x), [problem.rows, problem.inputs]),
    tensor(Float32Array.from(problem.y), [problem.rows, problem.units]),
  );
  return currentWeights(model);
}

export function currentWeights(model: Sequential): [Float64Array, Float64Array] {
  const [kernel, bias] = model.getWeights() as Tensor[];
  return [Float64Array.from(kernel.data), Float64Array.from(bias.data)];
}

/** The MSE gradients [dW, db] at weights (kernel, bias), in float64. */
export function mseGradients(
  problem: LinearProblem,
  kernel: ArrayLike<number>,
  bias: ArrayLike<number>,
): [Float64Array, Float64Array] {
  const { inputs, units, rows, x, y } = problem;
  const dKernel = new Float64Array(inputs * units);
  const dBias = new Float64Array(units);
  const factor = 2 / (rows * units);
  for (let r = 0; r < rows; r++) {
    for (let u = 0; u < units; u++) {
      let prediction = bias[u];
      for (let i = 0; i < inputs; i++) prediction += x[r * inputs + i] * kernel[i * units + u];
      const residual = factor * (prediction - y[r * units + u]);
      dBias[u] += residual;
      for (let i = 0; i < inputs; i++) dKernel[i * units + u] += x[r * inputs + i] * residual;
    }
  }
  return [dKernel, dBias];
}

export function l2Norm(...blocks: ArrayLike<number>[]): number {
  let sum = 0;
  for (const block of blocks) for (let i = 0; i < block.length; i++) sum += block[i] * block[i];
  return Math.sqrt(sum);
}

/** Largest |got − want| relative to max(|want|, floor). */
export function worstRelativeError(got: ArrayLike<number>, want: ArrayLike<number>, floor: number): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++)
    worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(Math.abs(want[i]), floor));
  return worst;
}
