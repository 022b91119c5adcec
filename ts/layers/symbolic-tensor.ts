import { formatShape } from "../utils/describe.js";
import type { Layer } from "./layer.js";

/**
 * Keras's KerasTensor: a placeholder for the batch a layer will see, made by Input() and by layer.apply().
 * It is also the node of the graph that made it (every layer has one output): `layer` applied to `inputs`,
 * the `callIndex`-th call of that layer. Holds no data and no wasm memory.
 */
export class SymbolicTensor {
  /** Per-sample shape (no batch axis). */
  readonly shape: readonly number[];

  constructor(
    readonly layer: Layer,
    readonly inputs: readonly SymbolicTensor[],
    shape: readonly number[],
    /** Which call of `layer` made this tensor (Keras's node index). */
    readonly callIndex: number,
  ) {
    this.shape = Object.freeze([...shape]);
  }

  /** Keras's name for the tensor: the layer's name, with the call index after the first call. */
  get name(): string {
    return this.callIndex === 0 ? this.layer.name : `${this.layer.name}_${this.callIndex}`;
  }

  /** Shape with the batch axis: [null, ...shape]. */
  get batchShape(): (number | null)[] {
    return [null, ...this.shape];
  }

  toString(): string {
    return `<SymbolicTensor shape=${formatShape([null, ...this.shape])} from ${this.layer.name}>`;
  }
}
