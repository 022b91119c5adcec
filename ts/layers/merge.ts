import { getEngine } from "../engine/engine.js";
import { formatShape } from "../utils/describe.js";
import { shapeSize } from "../utils/shape.js";
import { Layer } from "./layer.js";
import { checkArgsObject, type LayerArgs } from "./layer-args.js";
import type { RowBuffer } from "./row-buffer.js";
import type { StepContext } from "./step-context.js";

/**
 * Keras's Merge base: a layer of several input tensors (Add, Subtract, Multiply, Average, Maximum, Minimum,
 * Concatenate, Dot), applied to a list: `new layers.Add().apply([a, b])`. No weights. The graph calls
 * forwardNode / backwardNode; the one-input forward / backward are refused.
 */
export abstract class Merge extends Layer {
  /** Per-sample shape of each input, known after build. */
  protected inputShapes: number[][] = [];
  protected outputBuffer: RowBuffer | null = null;
  private gradBuffers: RowBuffer[] = [];

  constructor(args: LayerArgs, className: string, options: readonly string[] = []) {
    super(checkArgsObject(className, args, "an options object"), className, options);
  }

  override get inputCount(): number {
    return -1;
  }

  /** Exactly how many inputs the layer takes (Subtract, Dot: 2), or null for any number ≥ 2. */
  protected get exactInputs(): number | null {
    return null;
  }

  computeOutputShape(_inputShape: readonly number[]): number[] {
    throw new Error(
      `${this.name}: ${this.className} merges a list of input tensors; apply it to a list, e.g. apply([a, b])`,
    );
  }

  /** The output shape for these input shapes; throws an error naming the shapes when they do not fit. */
  protected abstract mergedShape(shapes: readonly (readonly number[])[], fn: string): number[];

  override outputShapeFor(shapes: readonly (readonly number[])[]): number[] {
    return this.mergedShape(shapes, `${this.name}.apply`);
  }

  override buildFor(shapes: readonly (readonly number[])[], fn: string, _initialize = true): void {
    if (this.disposed) throw new Error(`${fn}: the layer was disposed; create a new layer`);
    const exact = this.exactInputs;
    if (exact !== null ? shapes.length !== exact : shapes.length < 2) {
      throw new Error(`${fn}: ${this.className} takes ${exact ?? "at least 2"} input tensors, got ${shapes.length}`);
    }
    if (this.built) {
      const same =
        shapes.length === this.inputShapes.length &&
        shapes.every((shape, i) => shape.join() === this.inputShapes[i].join());
      if (same) return;
      throw new Error(
        `${fn}: layer "${this.name}" was built for input shapes ${this.inputShapes.map(formatShape).join(", ")} and cannot be applied to ` +
          `${shapes.map(formatShape).join(", ")}; use a new layer`,
      );
    }
    const output = this.mergedShape(shapes, fn);
    this.inputShapes = shapes.map((shape) => [...shape]);
    this.builtInputShape = [...shapes[0]];
    this.builtOutputShape = output;
    this.outputBuffer = this.declareBuffer(this.outputWidth);
    for (let i = 0; i < this.gradBlockCount; i++)
      this.gradBuffers.push(this.declareBuffer(shapeSize(this.inputShapes[i]), { inputGradient: true }));
  }

  /** How many gradient blocks backward writes (gradBlock 0 … count−1): one per input unless it hands dy on. */
  protected get gradBlockCount(): number {
    return this.inputShapes.length;
  }

  /** For configs that rebuild a layer from its saved shape: a merge builds from its inputs' shapes only. */
  override build(inputShape: readonly number[]): void {
    if (this.built && inputShape.join() === this.builtInputShape!.join()) return;
    this.computeOutputShape(inputShape);
  }

  forward(_input: number, _step: StepContext): number {
    return this.computeOutputShape([]) as never;
  }

  backward(_outputGrad: number, _step: StepContext, _needInputGrad: boolean): number {
    return this.computeOutputShape([]) as never;
  }

  /** Values per sample of the output. */
  protected get outputWidth(): number {
    return shapeSize(this.builtOutputShape!);
  }

  /** The output block for `rows` samples. */
  protected output(rows: number): number {
    return this.outputBuffer!.ensure(rows);
  }

  /** Gradient block `index` (one per input where inputs need their own), for `rows` samples. */
  protected gradBlock(index: number, rows: number): number {
    return this.gradBuffers[index].ensure(rows);
  }

  protected get kernels() {
    return getEngine().kernels;
  }

  protected override releaseBuffers(): void {
    this.outputBuffer = null;
    this.gradBuffers = [];
  }
}

/** The shapes of an element-wise merge must all be the same; the error names every shape. */
export function sameShapes(className: string, shapes: readonly (readonly number[])[], fn: string): number[] {
  const first = shapes[0];
  if (!shapes.every((shape) => shape.length === first.length && shape.every((dim, axis) => dim === first[axis]))) {
    throw new Error(
      `${fn}: ${className} needs inputs of the same shape, got ${shapes.map((shape) => formatShape([null, ...shape])).join(", ")}`,
    );
  }
  return [...first];
}
