import type { Layer } from "../layers/layer.js";

/** Runs the layers in order on `rows` samples at `input`; returns the pointer of the last output. */
export function runLayers(layers: readonly Layer[], input: number, rows: number, training: boolean): number {
  let pointer = input;
  for (const layer of layers) pointer = layer.forward(pointer, rows, training);
  return pointer;
}
