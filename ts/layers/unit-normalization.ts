import { getEngine } from "../engine/engine.js";
import { axisList, trailingAxes } from "./axes.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import { registerLayerClasses } from "./registry.js";
import type { RowBuffer } from "./row-buffer.js";
import { ShapePreservingLayer } from "./shape-preserving-layer.js";
import type { StepContext } from "./step-context.js";

export interface UnitNormalizationArgs extends LayerArgs {
  /** The axes whose values get unit L2 norm: the last (−1, the default) or the last few. */
  axis?: number | readonly number[];
}

/** Keras 3's ops.normalize floor: the norm is taken as at least 1e-12. */
const EPSILON = 1e-12;

/** Keras's UnitNormalization: y = x / max(‖x‖₂, 1e-12) over `axis` of each sample. */
export class UnitNormalization extends ShapePreservingLayer {
  readonly className = "UnitNormalization";
  readonly axis: number | number[];
  private rowsPerSample = 1;
  private cols = 0;
  private factors: RowBuffer | null = null;

  constructor(args: UnitNormalizationArgs = {}) {
    super(checkArgsObject("UnitNormalization", args, "an options object"), "UnitNormalization", ["axis"]);
    const axes = axisList(args.axis ?? -1, "UnitNormalization: axis");
    this.axis = Array.isArray(args.axis) ? axes : axes[0];
  }

  private get axes(): number[] {
    return Array.isArray(this.axis) ? this.axis : [this.axis];
  }

  override computeOutputShape(inputShape: readonly number[]): number[] {
    trailingAxes(this.axes, inputShape, `${this.name}: axis`);
    return [...inputShape];
  }

  protected override createWeights(inputShape: readonly number[], initialize: boolean): void {
    super.createWeights(inputShape, initialize);
    const { rowsPerSample, cols } = trailingAxes(this.axes, inputShape, `${this.name}: axis`);
    this.rowsPerSample = rowsPerSample;
    this.cols = cols;
    this.factors = this.declareBuffer(rowsPerSample, { keptForBackward: true });
  }

  forward(input: number, step: StepContext): number {
    const rows = step.rows;
    const output = this.outputBlock(rows);
    getEngine().kernels.unitNormForward(
      rows * this.rowsPerSample,
      this.cols,
      input,
      EPSILON,
      output,
      this.factors!.ensure(rows),
    );
    return output;
  }

  backward(outputGrad: number, step: StepContext, needInputGrad: boolean): number {
    if (!needInputGrad) return 0;
    const rows = step.rows;
    const inputGrad = this.inputGradBlock(rows);
    getEngine().kernels.unitNormBackward(
      rows * this.rowsPerSample,
      this.cols,
      this.outputs!.ptr,
      outputGrad,
      this.factors!.ptr,
      EPSILON,
      inputGrad,
    );
    return inputGrad;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: Array.isArray(this.axis) ? [...this.axis] : this.axis };
  }
}

registerLayerClasses({ UnitNormalization });
