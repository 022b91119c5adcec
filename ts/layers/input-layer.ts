import { Layer } from "./layer.js";
import { checkArgsObject, type LayerConfig } from "./layer-args.js";
import type { StepContext } from "./step-context.js";

export interface InputLayerArgs {
  /** Shape of one sample, without the batch axis (Keras's `shape`); `inputShape` is tfjs's name for it. */
  shape?: readonly number[];
  inputShape?: readonly number[];
  batchInputShape?: readonly (number | null)[];
  batchSize?: number;
  name?: string;
  dtype?: string;
  /** Keras's sparse flag; only false is supported. */
  sparse?: false;
}

/** Declares the model's input shape (Keras's InputLayer / keras.Input); passes data through. */
export class InputLayer extends Layer {
  readonly className = "InputLayer";

  constructor(args: InputLayerArgs = {}) {
    checkArgsObject("InputLayer", args, "an options object such as { shape: [8] }");
    if (args.sparse !== undefined && args.sparse !== false) {
      throw new Error(`InputLayer: sparse inputs are not supported, got sparse ${JSON.stringify(args.sparse)}`);
    }
    if (args.shape === undefined && args.inputShape === undefined && args.batchInputShape === undefined) {
      throw new Error("InputLayer: shape is required (the shape of one sample, e.g. { shape: [8] }), got none");
    }
    super({ ...args, inputShape: args.shape ?? args.inputShape }, "InputLayer", ["shape", "sparse"]);
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }

  forward(input: number): number {
    return input;
  }

  backward(outputGrad: number, _step: StepContext, needInputGrad: boolean): number {
    return needInputGrad ? outputGrad : 0;
  }

  override getConfig(): LayerConfig {
    // NOTE: Keras's InputLayer config has no `trainable`; tfjs and Keras both ignore it on load.
    return { ...super.getConfig(), sparse: false };
  }
}
