import { getEngine } from "../engine/engine.js";
import { describeValue, formatShape } from "../utils/describe.js";
import { checkBoolean } from "../utils/options.js";
import type { LayerArgs, LayerConfig } from "./layer-args.js";
import { Merge } from "./merge.js";
import { registerLayerClasses } from "./registry.js";
import type { RowBuffer } from "./row-buffer.js";
import type { StepContext } from "./step-context.js";

export interface DotArgs extends LayerArgs {
  /** The axis of each input to sum over, counting the batch axis (Keras's axes): 1 or -1 (or [1, 1]) for vectors. */
  axes?: number | [number, number];
  /** L2-normalise both inputs along the axis first, giving the cosine similarity (Keras's normalize). */
  normalize?: boolean;
}

/**
 * Keras's Dot of two vectors per sample: y = Σ_c a[c] · b[c], shape [1] (with normalize, of a / ‖a‖ and b / ‖b‖,
 * Keras's l2_normalize with ε = 1e-12 on the squared norm). densa takes vector samples only (rank-1 inputs).
 *
 * forward  [â = a/‖a‖, b̂ = b/‖b‖: rowL2Normalize each]  y = rowDot(â, b̂)
 * backward dâ = dy · b̂, db̂ = dy · â (scaleRows)  [then rowL2NormalizeBackward each]
 */
export class Dot extends Merge {
  readonly className = "Dot";
  readonly axes: number | [number, number];
  readonly normalize: boolean;
  private cols = 0;
  private normalized: RowBuffer[] = [];
  /** Per input: 1 / norm and whether the clamp was inactive, rows each; and one scratch row block. */
  private rowStats: RowBuffer[] = [];
  private lastInputs = [0, 0];
  private scaledGrads: RowBuffer[] = [];

  constructor(args: DotArgs = {}) {
    super(args, "Dot", ["axes", "normalize"]);
    if (args.axes === undefined) throw new Error("Dot: axes is required (1 or -1 for vectors per sample), got none");
    const axes = Array.isArray(args.axes) ? args.axes : [args.axes, args.axes];
    if (axes.length !== 2 || !axes.every((axis) => axis === 1 || axis === -1)) {
      throw new Error(
        `Dot: densa's Dot takes vectors per sample, so axes must be 1, -1 or [1, 1]; got ${describeValue(args.axes)}`,
      );
    }
    this.axes = Array.isArray(args.axes) ? [args.axes[0], args.axes[1]] : args.axes;
    this.normalize = checkBoolean("Dot", "normalize", args.normalize ?? false);
  }

  protected override get exactInputs(): number {
    return 2;
  }

  protected mergedShape(shapes: readonly (readonly number[])[], fn: string): number[] {
    const [a, b] = shapes;
    if (a.length !== 1 || b.length !== 1 || a[0] !== b[0]) {
      throw new Error(
        `${fn}: Dot takes two vectors of one length per sample (shapes [null, n] and [null, n]), got ${formatShape([null, ...a])} and ${formatShape([null, ...b])}`,
      );
    }
    return [1];
  }

  override buildFor(shapes: readonly (readonly number[])[], fn: string, initialize = true): void {
    const built = this.built;
    super.buildFor(shapes, fn, initialize);
    this.cols = shapes[0][0];
    if (built || !this.normalize) return;
    // â, b̂ and each input's row statistics are kept for the backward; dâ, db̂ and the row scratch live in it.
    const kept = { keptForBackward: true };
    this.normalized = [this.declareBuffer(this.cols, kept), this.declareBuffer(this.cols, kept)];
    this.rowStats = [1, 1, 1, 1].map((width) => this.declareBuffer(width, kept));
    this.rowStats.push(this.declareBuffer(1, { training: true, scratch: true }));
    this.scaledGrads = [0, 1].map(() => this.declareBuffer(this.cols, { training: true, scratch: true }));
  }

  override forwardNode(inputs: readonly number[], step: StepContext): number {
    const rows = step.rows;
    const kernels = this.kernels;
    const output = this.output(rows);
    let a = inputs[0];
    let b = inputs[1];
    if (this.normalize) {
      a = this.normalized[0].ensure(rows);
      b = this.normalized[1].ensure(rows);
      kernels.rowL2Normalize(
        rows,
        this.cols,
        inputs[0],
        a,
        this.rowStats[0].ensure(rows),
        this.rowStats[1].ensure(rows),
      );
      kernels.rowL2Normalize(
        rows,
        this.cols,
        inputs[1],
        b,
        this.rowStats[2].ensure(rows),
        this.rowStats[3].ensure(rows),
      );
    }
    this.lastInputs[0] = a;
    this.lastInputs[1] = b;
    kernels.rowDot(rows, this.cols, a, b, output);
    return output;
  }

  override backwardNode(outputGrad: number, step: StepContext, needInputGrad: boolean, inputGrads: number[]): void {
    if (!needInputGrad) {
      inputGrads[0] = inputGrads[1] = 0;
      return;
    }
    const rows = step.rows;
    const kernels = getEngine().kernels;
    const [a, b] = this.lastInputs;
    const da = this.gradBlock(0, rows);
    const db = this.gradBlock(1, rows);
    if (!this.normalize) {
      kernels.scaleRows(rows, this.cols, b, outputGrad, da);
      kernels.scaleRows(rows, this.cols, a, outputGrad, db);
    } else {
      const dA = this.scaledGrads[0].ensure(rows);
      const dB = this.scaledGrads[1].ensure(rows);
      kernels.scaleRows(rows, this.cols, b, outputGrad, dA);
      kernels.scaleRows(rows, this.cols, a, outputGrad, dB);
      const scratch = this.rowStats[4].ensure(rows);
      kernels.rowL2NormalizeBackward(rows, this.cols, a, this.rowStats[0].ptr, this.rowStats[1].ptr, dA, da, scratch);
      kernels.rowL2NormalizeBackward(rows, this.cols, b, this.rowStats[2].ptr, this.rowStats[3].ptr, dB, db, scratch);
    }
    inputGrads[0] = da;
    inputGrads[1] = db;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axes: this.axes, normalize: this.normalize };
  }

  protected override releaseBuffers(): void {
    this.normalized = [];
    this.rowStats = [];
    this.scaledGrads = [];
    super.releaseBuffers();
  }
}

registerLayerClasses({ Dot });
