import { getEngine } from "../engine/engine.js";
import type { Variable } from "../layers/variable.js";
import type { VariableBlock } from "../layers/variable-block.js";

/** One slot block per slot name, laid out as the variable block it mirrors; `users` = variables homed there. */
interface SlotBlocks {
  readonly ptrs: number[];
  users: number;
}

/**
 * Where an optimizer keeps its slots (Adam's m and v, RMSprop's rms, …): for each block of variables it
 * updates, one block per slot with the same layout (llm.c's idea: parameters, gradients, m and v side by side
 * at the same offsets), so one kernel call can update every variable of a contiguous run.
 *
 *   variables: [ kernel | bias | kernel | … ]       (VariableBlock, offsets in floats)
 *   slot 0:    [ m      | m    | m      | … ]       same offsets
 *   slot 1:    [ v      | v    | v      | … ]
 *
 * A variable that moved to another block since its slots were made (compile's memory plan) has them copied to
 * the new block's slots on its next use, so a re-compile keeps the optimizer's state; a slot block is freed when
 * no variable lives there any more, or on dispose.
 */
export class SlotStore {
  private readonly blocks = new Map<VariableBlock, SlotBlocks>();
  private readonly homes = new Map<Variable, { block: VariableBlock; offset: number }>();
  /** Bumped whenever slot blocks are made, moved or freed: cached pointers are stale then. */
  version = 0;

  constructor(
    private readonly slotCount: number,
    private readonly initialValue: (slot: number) => number,
  ) {}

  /** Whether any variable has slots (an optimizer that never stepped has none, as in Keras before build). */
  get empty(): boolean {
    return this.homes.size === 0;
  }

  /** Floats of one slot over every variable that has slots (Σ of their sizes). */
  get floatsPerSlot(): number {
    let total = 0;
    for (const variable of this.homes.keys()) total += variable.size;
    return total;
  }

  /**
   * The slot blocks of the block `variable` lives in (add `variable.offset * 4` for the variable's own), made
   * on first use and filled with each slot's initial value; moves the variable's slots there if they were
   * elsewhere.
   */
  basesOf(variable: Variable): readonly number[] {
    const block = variable.block;
    const home = this.homes.get(variable);
    if (home && home.block === block && home.offset === variable.offset) return this.blocks.get(block)!.ptrs;
    const target = this.blocksFor(block);
    if (home) {
      const source = this.blocks.get(home.block)!;
      const f32 = getEngine().f32;
      for (let slot = 0; slot < this.slotCount; slot++) {
        const from = (source.ptrs[slot] >>> 2) + home.offset;
        f32.copyWithin((target.ptrs[slot] >>> 2) + variable.offset, from, from + variable.size);
      }
      this.release(home.block);
    }
    target.users++;
    this.homes.set(variable, { block, offset: variable.offset });
    this.version++;
    return target.ptrs;
  }

  /** The variable's own slot pointers, slot by slot. */
  slotsOf(variable: Variable): number[] {
    const offsetBytes = variable.offset * 4;
    return this.basesOf(variable).map((base) => base + offsetBytes);
  }

  /** Frees every slot block. */
  dispose(): void {
    const engine = getEngine();
    for (const { ptrs } of this.blocks.values()) for (const ptr of ptrs) engine.free(ptr);
    this.blocks.clear();
    this.homes.clear();
    this.version++;
  }

  private blocksFor(block: VariableBlock): SlotBlocks {
    let slots = this.blocks.get(block);
    if (!slots) {
      const engine = getEngine();
      const ptrs: number[] = [];
      for (let slot = 0; slot < this.slotCount; slot++) {
        const ptr = engine.allocF32(block.size);
        engine.view(ptr, block.size).fill(this.initialValue(slot));
        ptrs.push(ptr);
      }
      slots = { ptrs, users: 0 };
      this.blocks.set(block, slots);
    }
    return slots;
  }

  private release(block: VariableBlock): void {
    const slots = this.blocks.get(block)!;
    if (--slots.users > 0) return;
    const engine = getEngine();
    for (const ptr of slots.ptrs) engine.free(ptr);
    this.blocks.delete(block);
  }
}
