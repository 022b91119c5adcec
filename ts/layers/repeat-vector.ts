import { getEngine } from "../engine/engine.js";
import { formatShape } from "../utils/describe.js";
import { checkNumber } from "../utils/options.js";
import { Layer } from "./layer.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import { registerLayerClasses } from "./registry.js";
import type { RowBuffer } from "./row-buffer.js";
import type { StepContext } from "./step-context.js";

export interface RepeatVectorArgs extends LayerArgs {
  n?: number;
}

/** Keras's RepeatVector: a sample of shape [features] becomes [n, features]; the backward sums the n copies' gradients. */
export class RepeatVector extends Layer {
  readonly className = "RepeatVector";
  readonly n: number;
  private width = 0;
  private outputs: RowBuffer | null = null;
  private inputGrads: RowBuffer | null = null;

  constructor(nOrArgs: number | RepeatVectorArgs, maybeArgs: RepeatVectorArgs = {}) {
    const args =
      typeof nOrArgs === "number"
        ? { ...maybeArgs, n: nOrArgs }
        : { ...checkArgsObject("RepeatVector", nOrArgs, "n (a positive integer) or an options object") };
    super(args, "RepeatVector", ["n"]);
    this.n = checkNumber("RepeatVector", "n", args.n, { integer: true, min: 0, minExclusive: true });
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 1) {
      throw new Error(
        `${this.name}: RepeatVector expects samples of shape [features], got input shape ${formatShape(inputShape)}; add a Flatten layer before it`,
      );
    }
    return [this.n, inputShape[0]];
  }

  protected override createWeights(inputShape: readonly number[]): void {
    this.width = inputShape[0];
    this.outputs = this.declareBuffer(this.n * this.width);
    this.inputGrads = this.declareBuffer(this.width, { inputGradient: true });
  }

  forward(input: number, step: StepContext): number {
    const rows = step.rows;
    const output = this.outputs!.ensure(rows);
    getEngine().kernels.repeatRows(rows, this.n, this.width, input, output);
    return output;
  }

  backward(outputGrad: number, step: StepContext, needInputGrad: boolean): number {
    if (!needInputGrad) return 0;
    const rows = step.rows;
    const inputGrad = this.inputGrads!.ensure(rows);
    getEngine().kernels.sumRepeats(rows, this.n, this.width, outputGrad, inputGrad);
    return inputGrad;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), n: this.n };
  }
}

registerLayerClasses({ RepeatVector });
