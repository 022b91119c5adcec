import { getEngine } from "../engine/engine.js";
import { RowBuffer } from "../layers/row-buffer.js";
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
 * The wasm blocks one batch is copied into, grown to the largest batch seen: one per input, one for the
 * targets of each output, one for the weights of each output. Integer labels share the targets block (4 bytes
 * a value either way).
 *
 * `weightRepeats`: how many loss rows one sample makes, per output. An output of shape [..., last] is scored
 * as size / last rows of `last` values (Keras computes a loss per position of the leading axes), so each
 * sample's weight is written once per position.
 */
export class BatchBuffers {
  private readonly inputs: RowBuffer[];
  private readonly targets: RowBuffer[];
  private readonly weights: RowBuffer[];
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
    this.inputs = inputWidths.map((width) => new RowBuffer(width));
    this.targets = targetWidths.map((width) => new RowBuffer(Math.max(1, width)));
    this.weights = weightRepeats.map((repeat) => new RowBuffer(repeat));
    this.inputPtrs = inputWidths.map(() => 0);
    this.targetPtrs = targetWidths.map(() => 0);
    this.weightPtrs = weightRepeats.map(() => 0);
  }

  get inputPtr(): number {
    return this.inputs[0].ptr;
  }

  get targetPtr(): number {
    return this.targets[0]?.ptr ?? 0;
  }

  get weightPtr(): number {
    return this.weights[0]?.ptr ?? 0;
  }

  /**
   * Copies samples order[start..end) (or start..end when order is null) into the blocks.
   * Returns the pointer of the (first output's) weights, or 0 when the set has none.
   */
  load(set: SampleSet, order: Int32Array | null, start: number, end: number): number {
    const rows = end - start;
    const engine = getEngine();
    for (let k = 0; k < this.inputs.length; k++) this.inputPtrs[k] = this.inputs[k].ensure(rows);
    for (let k = 0; k < this.targets.length; k++) this.targetPtrs[k] = set.y ? this.targets[k].ensure(rows) : 0;
    for (let k = 0; k < this.weights.length; k++) this.weightPtrs[k] = set.weights ? this.weights[k].ensure(rows) : 0;
    const f32 = engine.f32;
    if (this.inputs.length === 1) copyRows(f32, this.inputPtrs[0] >>> 2, set.x, set.features, order, start, end);
    else copySegments(f32, this.inputPtrs, set.x, set.features, this.inputWidths, order, start, end);
    if (set.y instanceof Int32Array)
      copyRows(engine.i32, this.targetPtrs[0] >>> 2, set.y, set.targetWidth, order, start, end);
    else if (set.y && this.targets.length === 1)
      copyRows(f32, this.targetPtrs[0] >>> 2, set.y, set.targetWidth, order, start, end);
    else if (set.y) copySegments(f32, this.targetPtrs, set.y, set.targetWidth, this.targetWidths, order, start, end);
    if (set.weights) {
      for (let k = 0; k < this.weights.length; k++) {
        const repeat = this.weightRepeats[k];
        if (repeat === 1) copyRows(f32, this.weightPtrs[k] >>> 2, set.weights, 1, order, start, end);
        else repeatRows(f32, this.weightPtrs[k] >>> 2, set.weights, repeat, order, start, end);
      }
    }
    return this.weightPtrs[0] ?? 0;
  }

  dispose(): void {
    for (const buffer of [...this.inputs, ...this.targets, ...this.weights]) buffer.dispose();
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
