import type { Variable } from "../layers/variable.js";
import { Tensor } from "../tensor.js";
import { describeValue } from "../utils/describe.js";

/**
 * Keras's set_weights for a list of variables: checks the count, every shape and every value first, then writes
 * them all, so a bad list changes nothing.
 */
export function writeWeights(variables: readonly Variable[], weights: readonly Tensor[], fn: string): void {
  if (!Array.isArray(weights) || weights.length !== variables.length) {
    throw new Error(
      `${fn}: expected ${variables.length} tensors (${variables.map((v) => `[${v.shape.join(", ")}]`).join(", ")}), got ${Array.isArray(weights) ? weights.length : describeValue(weights)}`,
    );
  }
  weights.forEach((weight, i) => {
    const variable = variables[i];
    if (!(weight instanceof Tensor) || weight.shape.join() !== variable.shape.join()) {
      throw new Error(
        `${fn}: weight ${i} (${variable.name}) must have shape [${variable.shape.join(", ")}], got ${weight instanceof Tensor ? `[${weight.shape.join(", ")}]` : describeValue(weight)}`,
      );
    }
    const bad = weight.data.findIndex((value) => !Number.isFinite(value));
    if (bad >= 0)
      throw new Error(
        `${fn}: weight ${i} (${variable.name}) has a non-finite value ${weight.data[bad]} at index ${bad}`,
      );
  });
  weights.forEach((weight, i) => variables[i].write(weight.data));
}
