export interface OnnxDenseLayer {
  kernel: Float32Array;
  bias: Float32Array;
  inputs: number;
  units: number;
  activation: "relu" | "softmax" | "linear";
}
export declare function denseStackOnnx(layers: OnnxDenseLayer[]): Uint8Array;
