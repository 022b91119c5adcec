import { getEngine } from "../engine/engine.js";
import { checkNumber } from "../utils/options.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import { registerLayerClasses } from "./registry.js";
import { ShapePreservingLayer } from "./shape-preserving-layer.js";
import type { StepContext } from "./step-context.js";

export interface ELUArgs extends LayerArgs {
  /** Scale of the negative part. Default 1. */
  alpha?: number;
}

/** Keras's ELU layer: y = x for x > 0, alpha·(eˣ − 1) otherwise (the elu activation kernel). */
export class ELU extends ShapePreservingLayer {
  readonly className = "ELU";
  readonly alpha: number;
  private lastInput = 0;

  constructor(args: ELUArgs = {}) {
    super(checkArgsObject("ELU", args, "an options object"), "ELU", ["alpha"]);
    this.alpha = checkNumber("ELU", "alpha", args.alpha ?? 1);
  }

  forward(input: number, step: StepContext): number {
    const rows = step.rows;
    const kernels = getEngine().kernels;
    const output = this.outputBlock(rows);
    kernels.activationForward(kernels.ACTIVATION_ELU.value, rows, this.width, input, output, this.alpha);
    this.lastInput = input;
    return output;
  }

  backward(outputGrad: number, step: StepContext, needInputGrad: boolean): number {
    if (!needInputGrad) return 0;
    const rows = step.rows;
    const kernels = getEngine().kernels;
    const inputGrad = this.inputGradBlock(rows);
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
}

registerLayerClasses({ ELU });
