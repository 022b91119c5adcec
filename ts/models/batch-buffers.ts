import { getEngine } from "../engine/engine.js";
import { gatherRows } from "../data/batches.js";
import { RowBuffer } from "../layers/row-buffer.js";

/** Features, targets and weights of a whole data set, in JS memory (only one batch at a time enters wasm). */
export interface SampleSet {
  count: number;
  /** count × features, row-major. */
  x: Float32Array;
  features: number;
  /** count × targetWidth floats, or count class indices (sparse labels). */
  y: Float32Array | Int32Array | null;
  targetWidth: number;
  /** Per-sample weights (sample_weight × class_weight), or null for all ones. */
  weights: Float32Array | null;
}

/**
 * The wasm blocks one batch is copied into, grown to the largest batch seen. Integer labels share the
 * targets block (4 bytes a value either way).
 *
 * `weightRepeat`: how many loss rows one sample makes. An output of shape [..., last] is scored as
 * size / last rows of `last` values (Keras computes a loss per position of the leading axes), so each
 * sample's weight is written once per position.
 */
export class BatchBuffers {
  private readonly inputs: RowBuffer;
  private readonly targets: RowBuffer;
  private readonly weights: RowBuffer;

  constructor(
    features: number,
    targetWidth: number,
    private readonly weightRepeat = 1,
  ) {
    this.inputs = new RowBuffer(features);
    this.targets = new RowBuffer(Math.max(1, targetWidth));
    this.weights = new RowBuffer(weightRepeat);
  }

  get inputPtr(): number {
    return this.inputs.ptr;
  }

  get targetPtr(): number {
    return this.targets.ptr;
  }

  get weightPtr(): number {
    return this.weights.ptr;
  }

  /**
   * Copies samples order[start..end) (or start..end when order is null) into the blocks.
   * Returns the pointer of the weights, or 0 when the set has none.
   */
  load(set: SampleSet, order: Int32Array | null, start: number, end: number): number {
    const rows = end - start;
    const inputPtr = this.inputs.ensure(rows);
    const targetPtr = set.y ? this.targets.ensure(rows) : 0;
    const weightPtr = set.weights ? this.weights.ensure(rows) : 0;
    const engine = getEngine();
    const f32 = engine.f32;
    copyRows(f32, inputPtr >>> 2, set.x, set.features, order, start, end);
    if (set.y instanceof Int32Array) copyRows(engine.i32, targetPtr >>> 2, set.y, set.targetWidth, order, start, end);
    else if (set.y) copyRows(f32, targetPtr >>> 2, set.y, set.targetWidth, order, start, end);
    if (set.weights && this.weightRepeat === 1) copyRows(f32, weightPtr >>> 2, set.weights, 1, order, start, end);
    else if (set.weights) repeatRows(f32, weightPtr >>> 2, set.weights, this.weightRepeat, order, start, end);
    return weightPtr;
  }

  dispose(): void {
    this.inputs.dispose();
    this.targets.dispose();
    this.weights.dispose();
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
function repeatRows(target: Float32Array, offset: number, source: Float32Array, repeat: number, order: Int32Array | null, start: number, end: number): void {
  let to = offset;
  for (let i = start; i < end; i++) {
    target.fill(source[order === null ? i : order[i]], to, to + repeat);
    to += repeat;
  }
}
