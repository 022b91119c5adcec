import { shapeSize } from "../utils/shape.js";
import { Layer } from "./layer.js";
import type { BufferUse, RowBuffer } from "./row-buffer.js";

/**
 * A layer whose output has its input's shape (activations, normalizations, dropout and noise, rescaling…): the
 * output shape, the values per sample, and the two buffers such a layer declares, its output and the gradient of
 * its input, both `width` values a row.
 */
export abstract class ShapePreservingLayer extends Layer {
  /** Values per sample, known after build. */
  protected width = 0;
  /** The forward's output (null before build, or for a layer that hands its input on). */
  protected outputs: RowBuffer | null = null;
  /** The gradient of the input, written by backward when the graph asks for it. */
  protected inputGrads: RowBuffer | null = null;

  computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape];
  }

  /**
   * How the output buffer is used: every forward ({}), only a training forward ({ training: true }: at inference
   * the layer hands its input on), or not at all (null).
   */
  protected get outputUse(): BufferUse | null {
    return {};
  }

  /** How the input-gradient buffer is used (null: backward hands the output's gradient on as it is). */
  protected get inputGradUse(): BufferUse | null {
    return { inputGradient: true };
  }

  /** Declares the output and input-gradient buffers; a subclass that creates weights calls it first. */
  protected override createWeights(inputShape: readonly number[], _initialize: boolean): void {
    this.width = shapeSize(inputShape);
    const use = this.outputUse;
    this.outputs = use ? this.declareBuffer(this.width, use) : null;
    const gradUse = this.inputGradUse;
    this.inputGrads = gradUse ? this.declareBuffer(this.width, gradUse) : null;
  }

  /** The output block for `rows` samples. */
  protected outputBlock(rows: number): number {
    return this.outputs!.ensure(rows);
  }

  /** The input-gradient block for `rows` samples. */
  protected inputGradBlock(rows: number): number {
    return this.inputGrads!.ensure(rows);
  }
}
