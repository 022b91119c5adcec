import { getEngine } from "../engine/engine.js";
import { Tensor } from "../tensor.js";
import type { Constraint } from "../regularizers/constraints.js";
import type { Regularizer } from "../regularizers/regularizers.js";

/**
 * A weight that lives in WebAssembly memory: its values and, once the model is compiled for training, its
 * gradient. Layers create them in build(); the model frees them in dispose().
 */
export class Variable {
  readonly ptr: number;
  readonly size: number;
  readonly shape: readonly number[];
  /** Gradient block, allocated on first use by the training step. */
  private gradPtr = 0;
  private disposed = false;
  private writes = 0;

  constructor(
    /** Keras-style path, e.g. "dense_1/kernel". */
    readonly name: string,
    shape: readonly number[],
    readonly trainable: boolean,
    readonly regularizer: Regularizer | null = null,
    readonly constraint: Constraint | null = null,
  ) {
    this.shape = Object.freeze([...shape]);
    this.size = shape.reduce((product, dim) => product * dim, 1);
    this.ptr = getEngine().allocF32(this.size);
  }

  get grad(): number {
    if (this.gradPtr === 0) this.gradPtr = getEngine().allocF32(this.size);
    return this.gradPtr;
  }

  /** A JS copy of the current values. */
  read(): Tensor {
    return new Tensor(getEngine().read(this.ptr, this.size), this.shape);
  }

  write(values: Float32Array): void {
    getEngine().write(this.ptr, values);
    this.writes++;
  }

  /**
   * How many times write() has set the values: a layer that derives something from a weight the optimizer
   * never updates (Normalization's divisor from its variance) recomputes it only when this changes.
   */
  get version(): number {
    return this.writes;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const engine = getEngine();
    engine.free(this.ptr);
    if (this.gradPtr) engine.free(this.gradPtr);
  }
}
