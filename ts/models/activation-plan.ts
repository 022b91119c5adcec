import { getEngine } from "../engine/engine.js";
import type { Layer } from "../layers/layer.js";
import { type BufferArena, currentLayoutVersion, type RowBuffer } from "../layers/row-buffer.js";
import type { Graph } from "./graph.js";
import { ModelLayer } from "./model-layer.js";

/** Floats a buffer of `rows × width` takes in an arena: rounded up to 16 (64-byte boundaries, as the allocator's). */
function alignedFloats(rows: number, width: number): number {
  return Math.ceil((rows * width) / 16) * 16;
}

/** One block holding every activation, gradient and scratch buffer of a model for up to `capacity` rows. */
class Arena implements BufferArena {
  constructor(
    readonly capacity: number,
    readonly training: boolean,
    readonly ptr: number,
    /** Floats in the block. */
    readonly size: number,
    /** Floats the block would take if no buffers shared bytes. */
    readonly unsharedSize: number,
    private readonly buffers: readonly RowBuffer[],
    /** Where each buffer starts, in floats from ptr. */
    private readonly offsets: readonly number[],
  ) {}

  /** Points every buffer into this block. */
  place(): void {
    for (let i = 0; i < this.buffers.length; i++)
      this.buffers[i].place(this.ptr + this.offsets[i] * 4, this.capacity, this);
  }

  free(): void {
    for (const buffer of this.buffers) buffer.unplace(this);
    getEngine().free(this.ptr);
  }
}

/** The arena whose layout the buffers have now (a model nested in another, run alone, places its own). */
let placed: Arena | null = null;

/**
 * Frees `arena` (if any) and returns null, for the field that held it. NOTE: callers clear the field before
 * making its successor, so that an allocation that throws (out of memory) never leaves a freed block there.
 */
function drop(arena: Arena | null): null {
  if (arena) {
    if (placed === arena) placed = null;
    arena.free();
  }
  return null;
}

/** What the plan lays out: each buffer, and the layer whose scratch it is (null: not scratch). */
interface Entry {
  buffer: RowBuffer;
  scratchOf: object | null;
}

/**
 * The activation half of a model's memory plan (the weights' half is ts/training/memory-plan.ts): every
 * buffer the layers of the model declared (Layer.declareBuffer), the graph's gradient sums and shared-layer
 * copies, and the trainer's loss gradients, laid out at offsets of ONE block per batch size class:
 *
 *   single     predict of one sample (inference buffers only, 1 row): the batch-1 path never re-plans
 *   training   a training step, for the largest batch seen (training buffers too); evaluate and predict of
 *              up to that many rows run in it as well
 *   inference  predict / evaluate of more rows than the training block holds (inference buffers only)
 *
 *   offset:  0          units·rows          …                         scratch (shared)
 *   block:  [ dense/out | dense_1/out | … | dense_1/dx | loss grad | dense/dz or dense_1/dz ]
 *
 * A block is made when a batch size class is first used (or outgrows it) and reused after; switching blocks
 * only re-points the buffers. NOTE: buffers that are never alive at the same time share bytes where that is
 * provable from the declarations: every layer's scratch (buffers that live inside one forward or backward call
 * of their layer, and in predict / evaluate blocks the buffers kept only for a backward) starts at the same
 * offset, since calls of different layers never overlap. A model's `dispose` frees these few blocks.
 */
export class ActivationPlan {
  /** Whether every layer's scratch shares one span (tests switch it off to compare). @internal */
  static shareScratch = true;
  private single: Arena | null = null;
  private training: Arena | null = null;
  private inference: Arena | null = null;
  private version = -1;
  /** Buffers of the compiled training (the loss gradients), placed in training blocks. */
  private extras: readonly RowBuffer[] = [];

  constructor(private readonly graph: Graph) {}

  /** Places the buffers of a top-level step of `rows` samples (training or not). */
  bind(rows: number, training: boolean): void {
    if (this.version !== currentLayoutVersion()) this.reset();
    let arena: Arena;
    if (training) {
      if (!this.training || this.training.capacity < rows) {
        this.training = drop(this.training);
        this.training = this.make(rows, true);
        // NOTE: the training block now serves every predict the inference block served.
        if (this.inference && this.inference.capacity <= rows) this.inference = drop(this.inference);
      }
      arena = this.training;
    } else if (rows === 1) arena = this.single ??= this.make(1, false);
    else if (this.training && this.training.capacity >= rows) arena = this.training;
    else {
      if (!this.inference || this.inference.capacity < rows) {
        this.inference = drop(this.inference);
        this.inference = this.make(rows, false);
      }
      arena = this.inference;
    }
    if (arena !== placed) {
      arena.place();
      placed = arena;
    }
  }

  /** The training's own buffers (the loss gradients): placed with the training buffers from the next step on. */
  setExtras(buffers: readonly RowBuffer[]): void {
    this.extras = buffers;
    this.reset();
  }

  /** Takes the training's buffers out again (its dispose), unless another training has set its own since. */
  removeExtras(buffers: readonly RowBuffer[]): void {
    if (this.extras === buffers) this.setExtras([]);
  }

  /** Bytes of the blocks, and the bytes they would take without shared scratch. @internal */
  get footprint(): { bytes: number; unsharedBytes: number; blocks: number } {
    const arenas = [this.single, this.training, this.inference].filter((arena) => arena !== null);
    return {
      bytes: arenas.reduce((total, arena) => total + arena.size * 4, 0),
      unsharedBytes: arenas.reduce((total, arena) => total + arena.unsharedSize * 4, 0),
      blocks: arenas.length,
    };
  }

  /** Frees every block (the next bind makes them again). */
  reset(): void {
    this.single = drop(this.single);
    this.training = drop(this.training);
    this.inference = drop(this.inference);
    this.version = currentLayoutVersion();
  }

  dispose(): void {
    this.reset();
    this.extras = [];
  }

  private make(rows: number, training: boolean): Arena {
    const entries: Entry[] = [];
    collect(this.graph, training, new Set(), entries);
    if (training) for (const buffer of this.extras) entries.push({ buffer, scratchOf: null });
    const buffers: RowBuffer[] = [];
    const offsets: number[] = [];
    let size = 0;
    let unshared = 0;
    for (const { buffer, scratchOf } of entries) {
      if (scratchOf) continue;
      buffers.push(buffer);
      offsets.push(size);
      size += alignedFloats(buffer.use.perStep ? 1 : rows, buffer.width);
    }
    // Scratch: each layer's from the same start, one after another; the region is the largest layer's.
    const scratchStart = size;
    const scratchUsed = new Map<object, number>();
    let scratchSize = 0;
    for (const { buffer, scratchOf } of entries) {
      if (!scratchOf) continue;
      const used = ActivationPlan.shareScratch ? (scratchUsed.get(scratchOf) ?? 0) : scratchSize;
      buffers.push(buffer);
      offsets.push(scratchStart + used);
      const floats = alignedFloats(buffer.use.perStep ? 1 : rows, buffer.width);
      scratchUsed.set(scratchOf, used + floats);
      scratchSize = Math.max(scratchSize, used + floats);
      unshared += floats;
    }
    unshared += size;
    size += scratchSize;
    const ptr = getEngine().allocF32(Math.max(16, size));
    return new Arena(rows, training, ptr, size, unshared, buffers, offsets);
  }
}

/**
 * The buffers a block of this kind holds, of `graph` and of every model nested in it: inference blocks the
 * buffers a forward uses, training blocks all of them but the input gradients of layers whose inputs need none.
 */
function collect(graph: Graph, training: boolean, seen: Set<object>, into: Entry[]): void {
  const wanted = (buffer: RowBuffer) =>
    training || !(buffer.use.training || buffer.use.inputGradient) || buffer.usedUnplanned;
  for (const buffer of graph.ownBuffers) if (wanted(buffer)) into.push({ buffer, scratchOf: null });
  const nodes = graph.nodes;
  for (let n = 0; n < nodes.length; n++) {
    const layer: Layer = nodes[n].layer;
    if (layer instanceof ModelLayer) {
      if (!seen.has(layer)) {
        seen.add(layer);
        collect(layer.nestedGraph(), training, seen, into);
      }
      continue;
    }
    if (seen.has(layer)) continue;
    seen.add(layer);
    // NOTE: a shared layer (several nodes) needs its input gradients when any of its calls does.
    const inputGradients = nodes.some((node, m) => node.layer === layer && graph.needsInputGradient(m));
    for (const buffer of layer.rowBuffers) {
      if (!wanted(buffer)) continue;
      if (buffer.use.inputGradient && !inputGradients && !buffer.usedUnplanned) continue;
      const scratch = buffer.use.scratch || (!training && buffer.use.keptForBackward);
      into.push({ buffer, scratchOf: scratch ? layer : null });
    }
  }
}
