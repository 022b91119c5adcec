import { getEngine } from "../engine/engine.js";
import { checkNumber } from "../utils/options.js";
import { shapeSize } from "../utils/shape.js";
import { Layer } from "./layer.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import { registerLayerClasses } from "./registry.js";
import { RowBuffer } from "./row-buffer.js";
import type { StepContext } from "./step-context.js";

export interface ELUArgs extends LayerArgs {
  /** Scale of the negative part. Default 1. */
  alpha?: number;
}

/** Keras's ELU layer: y = x for x > 0, alpha·(eˣ − 1) otherwise (the elu activation kernel). */
export class ELU extends Layer {
  readonly className = "ELU";
  readonly alpha: number;
  private width = 0;
  private outputs: RowBuffer | null = null;
  private inputGrads: RowBuffer | null = null;
  private lastInput = 0;

  constructor(args: ELUArgs = {}) {
    super(checkArgsObject("ELU", args, "an options object"), "ELU", ["alpha"]);
    this.alpha = checkNumber("ELU", "alpha", args.alpha ?? 1);
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }

  protected override createWeights(inputShape: readonly number[]): void {
    this.width = shapeSize(inputShape);
    this.outputs = new RowBuffer(this.width);
  }

  forward(input: number, step: StepContext): number {
    const rows = step.rows;
    const kernels = getEngine().kernels;
    const output = this.outputs!.ensure(rows);
    kernels.activationForward(kernels.ACTIVATION_ELU.value, rows, this.width, input, output, this.alpha);
    this.lastInput = input;
    return output;
  }

  backward(outputGrad: number, step: StepContext, needInputGrad: boolean): number {
    if (!needInputGrad) return 0;
    const rows = step.rows;
    const kernels = getEngine().kernels;
    const inputGrad = (this.inputGrads ??= new RowBuffer(this.width)).ensure(rows);
    kernels.activationBackward(
      kernels.ACTIVATION_ELU.value,
      rows,
      this.width,
      this.lastInput,
      this.outputs!.ptr,
      outputGrad,
      inputGrad,
      this.alpha,
    );
    return inputGrad;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), alpha: this.alpha };
  }

  protected override releaseBuffers(): void {
    this.outputs?.dispose();
    this.inputGrads?.dispose();
  }
}

registerLayerClasses({ ELU });
