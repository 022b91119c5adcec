import { getEngine } from "../engine/engine.js";

/**
 * When a layer uses a buffer, which decides where the model's activation plan (ts/models/activation-plan.ts)
 * puts it:
 * - `training`: only a training step reads or writes it (masks, saved statistics, gradients); a predict or
 *   evaluate arena leaves it out.
 * - `inputGradient`: it holds (part of) the gradient of the layer's input, written only when the graph asks
 *   the layer for that gradient; a layer whose inputs need none (the first layer of a model) gets no room.
 * - `keptForBackward`: written by forward and read only by the backward of the same step (pre-activations,
 *   per-row statistics); in a predict or evaluate block, where no backward runs, it is scratch.
 * - `scratch`: it lives only inside one forward or backward call of its layer (never returned, never read by
 *   a later call), so every layer's scratch can share the same bytes.
 * - `perStep`: its size does not follow the batch (`width` floats, e.g. per-channel statistics); the layer
 *   takes it with ensure(1).
 */
export interface BufferUse {
  training?: boolean;
  inputGradient?: boolean;
  keptForBackward?: boolean;
  scratch?: boolean;
  perStep?: boolean;
}

/** An activation plan's block of buffers: what placed a RowBuffer (only compared by identity here). */
export interface BufferArena {
  readonly capacity: number;
}

/** Bumped whenever a buffer appears or leaves the layout a plan made: every plan re-plans at its next bind. */
let layoutVersion = 0;

export function currentLayoutVersion(): number {
  return layoutVersion;
}

/** Marks every activation plan out of date (a buffer declared or used outside its plan, gradients re-derived). */
export function invalidateLayouts(): void {
  layoutVersion++;
}

/**
 * A `rows × width` float buffer a layer declares (Layer.declareBuffer) and uses in forward or backward. The
 * model's activation plan places it at an offset of one block for the batch size at hand, so a layer
 * allocates nothing itself. A layer run on its own (no model, or more rows than the plan was made for) gets
 * a block of its own, grown to the largest batch it has seen; that use also tells the plans to re-plan, and
 * their next layout takes the buffer in.
 */
export class RowBuffer {
  /** Where the buffer starts now (0 while not placed). */
  ptr = 0;
  /** Rows the memory at `ptr` holds. */
  capacity = 0;
  /** The arena that placed it, or null when it has its own block (or none). */
  arena: BufferArena | null = null;
  /** Used where its declaration said it would not be: every plan takes it in from now on. */
  usedUnplanned = false;
  private ownPtr = 0;

  constructor(
    readonly width: number,
    readonly use: Readonly<BufferUse> = {},
  ) {}

  /** The buffer's pointer, with room for `rows` rows. Contents are not kept when it has to move. */
  ensure(rows: number): number {
    return rows <= this.capacity ? this.ptr : this.ownBlock(rows);
  }

  /** Whether it holds a block of its own (not placed by a plan). @internal */
  get ownsBlock(): boolean {
    return this.ownPtr !== 0;
  }

  /** Puts the buffer at `ptr` of an arena, for up to `rows` rows; its own block (if any) is freed. */
  place(ptr: number, rows: number, arena: BufferArena): void {
    this.freeOwn();
    this.ptr = ptr;
    this.capacity = rows;
    this.arena = arena;
  }

  /** Takes the buffer out of `arena` (being freed), unless another arena has placed it since. */
  unplace(arena: BufferArena): void {
    if (this.arena !== arena) return;
    this.ptr = 0;
    this.capacity = 0;
    this.arena = null;
  }

  dispose(): void {
    this.freeOwn();
    this.ptr = 0;
    this.capacity = 0;
    this.arena = null;
  }

  private ownBlock(rows: number): number {
    // NOTE: forget the old block before allocating: if the allocation throws (out of memory), the buffer is
    // empty (capacity 0) and the next call allocates again, instead of handing out pointer 0.
    this.dispose();
    this.ownPtr = getEngine().allocF32(rows * this.width);
    this.ptr = this.ownPtr;
    this.capacity = rows;
    this.usedUnplanned = true;
    invalidateLayouts();
    return this.ptr;
  }

  private freeOwn(): void {
    if (this.ownPtr) getEngine().free(this.ownPtr);
    this.ownPtr = 0;
  }
}
