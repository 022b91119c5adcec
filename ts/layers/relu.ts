import { getEngine } from "../engine/engine.js";
import { checkNumber } from "../utils/options.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import { registerLayerClasses } from "./registry.js";
import { ShapePreservingLayer } from "./shape-preserving-layer.js";
import type { StepContext } from "./step-context.js";

export interface ReLUArgs extends LayerArgs {
  /** The largest output (null: none). */
  maxValue?: number | null;
  /** Slope below the threshold. Default 0. */
  negativeSlope?: number;
  /** Values up to it count as negative (>= 0, as Keras). Default 0. */
  threshold?: number;
}

/**
 * Keras's ReLU layer: y = max_value for x ≥ max_value, x for threshold < x < max_value, negative_slope·(x − threshold)
 * otherwise (keras.activations.relu: clip(x·[x > threshold], 0, max_value) − negative_slope·relu(threshold − x)).
 * LeakyReLU is this with threshold 0 and no max_value.
 */
export class ReLU extends ShapePreservingLayer {
  readonly className: string = "ReLU";
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;
  private lastInput = 0;

  constructor(
    args: ReLUArgs = {},
    className = "ReLU",
    options: readonly string[] = ["maxValue", "negativeSlope", "threshold"],
  ) {
    super(checkArgsObject(className, args, "an options object"), className, options);
    this.maxValue =
      args.maxValue === undefined || args.maxValue === null
        ? null
        : checkNumber(className, "maxValue", args.maxValue, { min: 0 });
    this.negativeSlope = checkNumber(className, "negativeSlope", args.negativeSlope ?? 0, { min: 0 });
    this.threshold = checkNumber(className, "threshold", args.threshold ?? 0, { min: 0 });
  }

  /** The clip bounds of the kernel: [0, maxValue] with a maxValue, none without. */
  private get bounds(): [number, number] {
    return this.maxValue === null ? [-Infinity, Infinity] : [0, this.maxValue];
  }

  forward(input: number, step: StepContext): number {
    const rows = step.rows;
    const output = this.outputBlock(rows);
    const [low, high] = this.bounds;
    getEngine().kernels.reluForward(rows * this.width, input, output, low, high, this.threshold, this.negativeSlope);
    this.lastInput = input;
    return output;
  }

  backward(outputGrad: number, step: StepContext, needInputGrad: boolean): number {
    if (!needInputGrad) return 0;
    const rows = step.rows;
    const inputGrad = this.inputGradBlock(rows);
    const [low, high] = this.bounds;
    getEngine().kernels.reluBackward(
      rows * this.width,
      this.lastInput,
      outputGrad,
      inputGrad,
      low,
      high,
      this.threshold,
      this.negativeSlope,
    );
    return inputGrad;
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      maxValue: this.maxValue,
      negativeSlope: this.negativeSlope,
      threshold: this.threshold,
    };
  }
}

registerLayerClasses({ ReLU });
