// Drives an optimizer directly on weights in wasm memory with gradients the test chooses, so a test can compare
// the weights after each step with a closed form (no model, no loss: the gradient is exactly what is written).
import { getEngine } from "../../ts/engine/engine.js";
import { Variable } from "../../ts/layers/variable.js";
import type { Optimizer } from "../../ts/optimizers/optimizer.js";
import type { Constraint } from "../../ts/regularizers/constraints.js";

const live: Variable[] = [];

/** A trainable weight holding `values`, freed by disposeWeights(). */
export function weight(
  name: string,
  values: readonly number[],
  shape: readonly number[] = [values.length],
  constraint: Constraint | null = null,
): Variable {
  const variable = new Variable(name, shape, true, null, constraint);
  variable.write(Float32Array.from(values));
  live.push(variable);
  return variable;
}

/** Writes each weight's gradient, then applies one optimizer step to all of them. */
export function step(
  optimizer: Optimizer,
  weights: readonly Variable[],
  gradients: readonly (readonly number[])[],
): void {
  weights.forEach((variable, i) => getEngine().write(variable.grad, Float32Array.from(gradients[i])));
  optimizer.applyGradients(weights);
}

export function values(variable: Variable): number[] {
  return Array.from(variable.read().data);
}

export function disposeWeights(): void {
  for (const variable of live.splice(0)) variable.dispose();
}

/** Expects every value within `tolerance` (relative, with an absolute floor of the same size) of the reference. */
export function expectClose(actual: readonly number[], expected: readonly number[], tolerance = 1e-6): void {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  actual.forEach((value, i) => {
    const error = Math.abs(value - expected[i]);
    if (!(error <= tolerance * Math.max(1, Math.abs(expected[i])))) {
      throw new Error(`element ${i}: got ${value}, expected ${expected[i]} (|error| ${error} > ${tolerance})`);
    }
  });
}
