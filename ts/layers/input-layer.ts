import { Layer, type LayerConfig } from "./layer.js";

export interface InputLayerArgs {
  /** Shape of one sample, without the batch axis (Keras's `shape`); `inputShape` is tfjs's name for it. */
  shape?: readonly number[];
  inputShape?: readonly number[];
  batchInputShape?: readonly (number | null)[];
  batchSize?: number;
  name?: string;
  dtype?: string;
}

/** Declares the model's input shape (Keras's InputLayer / keras.Input); passes data through. */
export class InputLayer extends Layer {
  readonly className = "InputLayer";

  constructor(args: InputLayerArgs = {}) {
    if (args.shape === undefined && args.inputShape === undefined && args.batchInputShape === undefined) {
      throw new Error("InputLayer: shape is required (the shape of one sample, e.g. { shape: [8] }), got none");
    }
    super({ ...args, inputShape: args.shape ?? args.inputShape }, "InputLayer");
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }

  forward(input: number): number {
    return input;
  }

  backward(outputGrad: number, _rows: number, needInputGrad: boolean): number {
    return needInputGrad ? outputGrad : 0;
  }

  override getConfig(): LayerConfig {
    // NOTE: Keras's InputLayer config has no `trainable`; tfjs and Keras both ignore it on load.
    return { ...super.getConfig(), sparse: false };
  }
}
