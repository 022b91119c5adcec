// Shared pieces of the nested-model tests: a small inner Sequential model, fixed data, and a plain JS Dense.
import { layers, Sequential, type Tensor } from "../../ts/index.js";
import { uniformTensor } from "./finite-differences.js";

/** x · W + b for rows of x (row-major W of shape [in, out]), then the activation. */
export function denseRef(
  x: number[][],
  w: Tensor,
  b: Tensor,
  activation: (v: number) => number = (v) => v,
): number[][] {
  const [inputs, units] = w.shape;
  return x.map((row) =>
    Array.from({ length: units }, (_, j) => {
      let sum = b.data[j];
      for (let i = 0; i < inputs; i++) sum += row[i] * w.data[i * units + j];
      return activation(sum);
    }),
  );
}

export const relu = (v: number) => Math.max(0, v);

export function rowsOf(t: Tensor): number[][] {
  const width = t.shape[1];
  return Array.from({ length: t.shape[0] }, (_, r) => Array.from(t.data.subarray(r * width, (r + 1) * width)));
}

export function innerSequential(name = "inner"): Sequential {
  return new Sequential(
    [
      new layers.Dense(5, { inputShape: [4], activation: "relu", name: `${name}_a` }),
      new layers.Dense(3, { name: `${name}_b` }),
    ],
    { name },
  );
}

export const x8 = uniformTensor([8, 4], 3);
export const y8 = uniformTensor([8, 1], 4);
