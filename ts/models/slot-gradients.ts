import { getEngine } from "../engine/engine.js";
import { RowBuffer } from "../layers/row-buffer.js";
import type { GraphNode } from "./graph-nodes.js";

/**
 * The gradient of each slot of a graph during one backward: a slot with one contribution passes it on as is; a
 * slot several layers read (fan-out, a shared layer's inputs, an output also read by layers) sums them in a buffer
 * of its own; an output of a several-output node that nothing downstream read gets zeros. The buffers are made
 * ahead, so that the graph's activation plan places them with the other buffers.
 */
export class SlotGradients {
  private readonly grads: number[];
  /** How many gradient contributions each slot got this backward (0: none yet). */
  private readonly contributions: Int32Array;
  private readonly sums: (RowBuffer | null)[];
  private readonly zeros: (RowBuffer | null)[];
  /** The buffers above, for the activation plan. */
  readonly buffers: readonly RowBuffer[];

  constructor(
    nodes: readonly GraphNode[],
    outputSlots: readonly number[],
    private readonly slotWidths: readonly number[],
  ) {
    const slots = slotWidths.length;
    this.grads = new Array<number>(slots).fill(0);
    this.contributions = new Int32Array(slots);
    const consumers = new Int32Array(slots);
    const sharedConsumer = new Uint8Array(slots);
    for (const node of nodes) {
      for (const slot of node.inputSlots) {
        consumers[slot]++;
        if (node.shared) sharedConsumer[slot] = 1;
      }
    }
    for (const slot of outputSlots) consumers[slot]++;
    // NOTE: input slots too: a nested model's input that feeds several layers sums their gradients.
    this.sums = slotWidths.map((width, slot) =>
      consumers[slot] > 1 || sharedConsumer[slot] ? new RowBuffer(width, { training: true }) : null,
    );
    this.zeros = slotWidths.map(() => null);
    for (const node of nodes) {
      if (node.outputSlots.length < 2) continue;
      for (const slot of node.outputSlots) this.zeros[slot] = new RowBuffer(slotWidths[slot], { training: true });
    }
    this.buffers = [...this.sums, ...this.zeros].filter((buffer): buffer is RowBuffer => buffer !== null);
  }

  /** Starts a backward: no slot has a gradient yet. */
  reset(): void {
    this.contributions.fill(0);
  }

  /** Whether slot `slot` got a gradient this backward. */
  reached(slot: number): boolean {
    return this.contributions[slot] > 0;
  }

  /** The pointer of slot `slot`'s gradient (valid when reached). */
  gradient(slot: number): number {
    return this.grads[slot];
  }

  /** Adds one gradient of a slot: passed on as is when it is the slot's only one, else summed in its buffer. */
  contribute(slot: number, grad: number, rows: number): void {
    const sum = this.sums[slot];
    const count = this.contributions[slot]++;
    if (!sum) {
      this.grads[slot] = grad;
      return;
    }
    const size = rows * this.slotWidths[slot];
    const engine = getEngine();
    const target = sum.ensure(rows);
    if (count === 0) engine.f32.copyWithin(target >>> 2, grad >>> 2, (grad >>> 2) + size);
    else engine.kernels.addElementwise(target, grad, target, size);
    this.grads[slot] = target;
  }

  /**
   * The gradient of a slot, or zeros when nothing downstream read it (an unused output of a several-output node:
   * its layers then get zero gradients, as Keras's are for a loss that does not depend on them).
   */
  gradientOrZero(slot: number, rows: number): number {
    if (this.contributions[slot] > 0) return this.grads[slot];
    const ptr = this.zeros[slot]!.ensure(rows);
    getEngine().f32.fill(0, ptr >>> 2, (ptr >>> 2) + rows * this.slotWidths[slot]);
    return ptr;
  }
}
