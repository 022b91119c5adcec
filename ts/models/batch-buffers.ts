import { getEngine } from "../engine/engine.js";
import { gatherRows } from "../training/batch-indexer.js";

/**
 * Features, targets and weights of a whole data set, in JS memory (only one batch at a time enters wasm).
 * A model of several inputs (outputs) keeps each sample's inputs (targets) side by side in one row, in the
 * order of the model's inputs (outputs); the batch buffers split them into one block per input (output).
 */
export interface SampleSet {
  count: number;
  /** count × features, row-major. */
  x: Float32Array;
  features: number;
  /** Values per sample of each input, side by side in a row of x; absent: one input of `features`. */
  inputWidths?: readonly number[];
  /**
   * count × targetWidth floats, or count class indices (sparse labels). With several outputs always a
   * Float32Array whose sparse outputs' columns hold the int32 bits of their labels (copied bit for bit).
   */
  y: Float32Array | Int32Array | null;
  targetWidth: number;
  /** Values per sample of each output's targets, side by side in a row of y; absent: one output. */
  targetWidths?: readonly number[];
  /** Per-sample weights (sample_weight × class_weight), or null for all ones. */
  weights: Float32Array | null;
}

/**
 * The wasm memory one batch is copied into: a span per input, one for the targets of each output, one for the
 * weights of each output, all in ONE block grown to the largest batch seen. Integer labels share the targets
 * span (4 bytes a value either way).
 *
 *   block:  [ input 0 | input 1 | … | targets 0 | … | weights 0 | … ]    each span rows × width, 64-byte aligned
 *
 * `weightRepeats`: how many loss rows one sample makes, per output. An output of shape [..., last] is scored
 * as size / last rows of `last` values (Keras computes a loss per position of the leading axes), so each
 * sample's weight is written once per position.
 */
export class BatchBuffers {
  /** Values per sample of every span: inputs, then targets, then weights. */
  private readonly spanWidths: readonly number[];
  /** Where each span starts in the block. */
  private readonly spanPtrs: number[];
  private block = 0;
  private capacity = 0;
  /** Pointer of each input's block (valid after load). */
  readonly inputPtrs: number[];
  /** Pointer of each output's targets (valid after load). */
  readonly targetPtrs: number[];
  /** Pointer of each output's weights, 0 when the set has none (valid after load). */
  readonly weightPtrs: number[];

  constructor(
    private readonly inputWidths: readonly number[],
    private readonly targetWidths: readonly number[],
    private readonly weightRepeats: readonly number[] = targetWidths.map(() => 1),
  ) {
    this.spanWidths = [...inputWidths, ...targetWidths.map((width) => Math.max(1, width)), ...weightRepeats];
    this.spanPtrs = this.spanWidths.map(() => 0);
    this.inputPtrs = inputWidths.map(() => 0);
    this.targetPtrs = targetWidths.map(() => 0);
    this.weightPtrs = weightRepeats.map(() => 0);
  }

  get inputPtr(): number {
    return this.inputPtrs[0];
  }

  get targetPtr(): number {
    return this.targetPtrs[0] ?? 0;
  }

  get weightPtr(): number {
    return this.weightPtrs[0] ?? 0;
  }

  /** Makes the block hold `rows` rows of every span (a new block only for a larger batch than any before). */
  private ensure(rows: number): void {
    if (rows <= this.capacity) return;
    const starts: number[] = [];
    let floats = 0;
    for (const width of this.spanWidths) {
      starts.push(floats);
      floats += Math.ceil((rows * width) / 16) * 16;
    }
    // NOTE: free the old block first: if the allocation throws (out of memory), capacity 0 makes the next
    // call allocate again instead of handing out a freed pointer.
    this.dispose();
    this.block = getEngine().allocF32(floats);
    this.capacity = rows;
    for (let k = 0; k < starts.length; k++) this.spanPtrs[k] = this.block + starts[k] * 4;
  }

  /**
   * Copies samples order[start..end) (or start..end when order is null) into the blocks.
   * Returns the pointer of the (first output's) weights, or 0 when the set has none.
   */
  load(set: SampleSet, order: Int32Array | null, start: number, end: number): number {
    this.ensure(end - start);
    const spans = this.spanPtrs;
    const inputs = this.inputPtrs.length;
    const targets = this.targetPtrs.length;
    for (let k = 0; k < inputs; k++) this.inputPtrs[k] = spans[k];
    for (let k = 0; k < targets; k++) this.targetPtrs[k] = set.y ? spans[inputs + k] : 0;
    for (let k = 0; k < this.weightPtrs.length; k++) this.weightPtrs[k] = set.weights ? spans[inputs + targets + k] : 0;
    const engine = getEngine();
    const f32 = engine.f32;
    const targetPtrs = this.targetPtrs;
    const weightPtrs = this.weightPtrs;
    if (this.inputPtrs.length === 1) copyRows(f32, this.inputPtrs[0] >>> 2, set.x, set.features, order, start, end);
    else copySegments(f32, this.inputPtrs, set.x, set.features, this.inputWidths, order, start, end);
    if (set.y instanceof Int32Array)
      copyRows(engine.i32, targetPtrs[0] >>> 2, set.y, set.targetWidth, order, start, end);
    else if (set.y && targetPtrs.length === 1)
      copyRows(f32, targetPtrs[0] >>> 2, set.y, set.targetWidth, order, start, end);
    else if (set.y) copySegments(f32, targetPtrs, set.y, set.targetWidth, this.targetWidths, order, start, end);
    if (set.weights) {
      for (let k = 0; k < weightPtrs.length; k++) {
        const repeat = this.weightRepeats[k];
        if (repeat === 1) copyRows(f32, weightPtrs[k] >>> 2, set.weights, 1, order, start, end);
        else repeatRows(f32, weightPtrs[k] >>> 2, set.weights, repeat, order, start, end);
      }
    }
    return weightPtrs[0] ?? 0;
  }

  dispose(): void {
    if (this.block) getEngine().free(this.block);
    this.block = 0;
    this.capacity = 0;
    this.spanPtrs.fill(0);
  }
}

/**
 * Splits rows of side-by-side segments into one block per segment: segment k of each sample goes to row r of
 * block k. NOTE: plain loops (as gatherRows): no subarray objects on the per-step path.
 */
export function copySegments(
  target: Float32Array,
  pointers: readonly number[],
  source: Float32Array,
  rowWidth: number,
  widths: readonly number[],
  order: Int32Array | null,
  start: number,
  end: number,
): void {
  let offset = 0;
  for (let k = 0; k < widths.length; k++) {
    const width = widths[k];
    let to = pointers[k] >>> 2;
    for (let i = start; i < end; i++) {
      const from = (order === null ? i : order[i]) * rowWidth + offset;
      for (let c = 0; c < width; c++) target[to + c] = source[from + c];
      to += width;
    }
    offset += width;
  }
}

/** Copies samples into `target` at `offset`: in order with one memcpy, else gathered by `order`. */
function copyRows<Values extends Float32Array | Int32Array>(
  target: Values,
  offset: number,
  source: Values,
  width: number,
  order: Int32Array | null,
  start: number,
  end: number,
): void {
  if (order === null) target.set(source.subarray(start * width, end * width), offset);
  else gatherRows(source, width, order, start, end - start, target, offset);
}

/** Writes each sample's one value `repeat` times (per-sample weights → per-position weights). */
function repeatRows(
  target: Float32Array,
  offset: number,
  source: Float32Array,
  repeat: number,
  order: Int32Array | null,
  start: number,
  end: number,
): void {
  let to = offset;
  for (let i = start; i < end; i++) {
    target.fill(source[order === null ? i : order[i]], to, to + repeat);
    to += repeat;
  }
}
