import { formatShape } from "../utils/describe.js";
import type { Layer } from "./layer.js";

/**
 * Keras's KerasTensor: a placeholder for the batch a layer will see, made by Input() and by layer.apply().
 * It is also the node of the graph that made it: `layer` applied to `inputs`, the `callIndex`-th call of that
 * layer. A layer has one output, except a model of several outputs applied as a layer: its call makes one
 * tensor per output (`outputIndex`, Keras's tensor index), and the first of them stands for the call
 * (`call`, the entry of layer.inboundNodes). Holds no data and no wasm memory.
 */
export class SymbolicTensor {
  /** Per-sample shape (no batch axis). */
  readonly shape: readonly number[];
  /** The tensor that stands for the call that made this one (its output 0; this tensor itself for output 0). */
  readonly call: SymbolicTensor;
  /** On the call's tensor: every output of the call, in order. */
  private readonly outputs: SymbolicTensor[];

  constructor(
    readonly layer: Layer,
    readonly inputs: readonly SymbolicTensor[],
    shape: readonly number[],
    /** Which call of `layer` made this tensor (Keras's node index). */
    readonly callIndex: number,
    /** Which output of that call it is (Keras's tensor index): 0 but for a model of several outputs. */
    readonly outputIndex = 0,
    /** The call's output 0, for the outputs after it. */
    call?: SymbolicTensor,
  ) {
    this.shape = Object.freeze([...shape]);
    this.call = call ?? this;
    this.outputs = call ? [] : [this];
    if (call) call.outputs.push(this);
  }

  /** Every output of the call that made this tensor, in order (just this tensor for a layer of one output). */
  get outputsOfCall(): readonly SymbolicTensor[] {
    return this.call.outputs;
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
