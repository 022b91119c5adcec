import { getEngine } from "../engine/engine.js";

/**
 * Floats per slot of a shared block: a variable of a memory plan starts on a multiple of 16 floats (64 bytes,
 * a cache line, as the allocator aligns its blocks), so the GEMM kernels read its rows as whole lines.
 */
export const VARIABLE_ALIGN = 16;

/** `size` floats rounded up to the alignment of a shared block: the span a variable takes there. */
export function alignedSize(size: number): number {
  return Math.ceil(size / VARIABLE_ALIGN) * VARIABLE_ALIGN;
}

/**
 * One contiguous block of WebAssembly memory holding the values of one or more Variables at fixed offsets, and
 * (allocated on first use, the same layout) their gradients. A Variable starts in a block of its own; the
 * memory plan of a compiled model moves every weight of the model into one block (ts/training/memory-plan.ts).
 *
 *   values:    [ var 0 | pad | var 1 | pad | … ]   offsets in floats, each a multiple of VARIABLE_ALIGN
 *   gradients: [ var 0 | pad | var 1 | pad | … ]   same offsets
 *
 * NOTE: the padding is zero and stays zero (no kernel writes it, and every optimizer's update of a zero weight
 * with a zero gradient and fresh slots is zero), so an optimizer may update neighbouring variables and the
 * padding between them in one kernel call.
 *
 * The block counts the variables that live in it and frees both blocks when the last one leaves or is disposed.
 */
export class VariableBlock {
  readonly ptr: number;
  private gradPtr = 0;
  private members = 0;

  constructor(
    /** Floats in the block. */
    readonly size: number,
  ) {
    const engine = getEngine();
    this.ptr = engine.allocF32(size);
    engine.view(this.ptr, size).fill(0);
  }

  /** The gradient block (zeroed), allocated on first use by the training step. */
  get grad(): number {
    if (this.gradPtr === 0) {
      const engine = getEngine();
      this.gradPtr = engine.allocF32(this.size);
      engine.view(this.gradPtr, this.size).fill(0);
    }
    return this.gradPtr;
  }

  /** Whether the block still holds memory (some variable lives in it). */
  get live(): boolean {
    return this.members > 0;
  }

  /** A variable moved in. */
  attach(): void {
    this.members++;
  }

  /** A variable moved out or was disposed; the last one frees the memory. */
  detach(): void {
    if (--this.members > 0) return;
    const engine = getEngine();
    engine.free(this.ptr);
    if (this.gradPtr) engine.free(this.gradPtr);
    this.gradPtr = 0;
  }
}
