import { getEngine } from "../engine/engine.js";
import { describeValue } from "../utils/describe.js";
import { checkNumber } from "../utils/options.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import { registerLayerClasses } from "./registry.js";
import { ShapePreservingLayer } from "./shape-preserving-layer.js";
import type { StepContext } from "./step-context.js";

export interface RescalingArgs extends LayerArgs {
  /** A number (Keras also takes one per channel; densa takes one number). */
  scale?: number;
  offset?: number;
}

/** Keras's Rescaling: y = x·scale + offset (e.g. scale 1/255 for pixels). */
export class Rescaling extends ShapePreservingLayer {
  readonly className = "Rescaling";
  readonly scale: number;
  readonly offset: number;

  constructor(scaleOrArgs: number | RescalingArgs, maybeArgs: RescalingArgs = {}) {
    const args =
      typeof scaleOrArgs === "number"
        ? { ...maybeArgs, scale: scaleOrArgs }
        : { ...checkArgsObject("Rescaling", scaleOrArgs, "a scale or an options object") };
    super(args, "Rescaling", ["scale", "offset"]);
    for (const key of ["scale", "offset"] as const) {
      if (Array.isArray(args[key]))
        throw new Error(
          `Rescaling: ${key} must be one number (per-channel lists are not supported), got ${describeValue(args[key])}`,
        );
    }
    this.scale = checkNumber("Rescaling", "scale", args.scale);
    this.offset = checkNumber("Rescaling", "offset", args.offset ?? 0);
  }

  forward(input: number, step: StepContext): number {
    const rows = step.rows;
    const output = this.outputBlock(rows);
    getEngine().kernels.scaleShift(rows * this.width, input, output, this.scale, this.offset);
    return output;
  }

  backward(outputGrad: number, step: StepContext, needInputGrad: boolean): number {
    if (!needInputGrad) return 0;
    const rows = step.rows;
    const inputGrad = this.inputGradBlock(rows);
    getEngine().kernels.scaleShift(rows * this.width, outputGrad, inputGrad, this.scale, 0);
    return inputGrad;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }
}

registerLayerClasses({ Rescaling });
