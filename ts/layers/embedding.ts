import { getEngine } from "../engine/engine.js";
import { type Initializer, type InitializerIdentifier, resolveInitializer } from "../initializers/index.js";
import { type Constraint, type ConstraintIdentifier, resolveConstraint } from "../regularizers/constraints.js";
import { type Regularizer, type RegularizerIdentifier, resolveRegularizer } from "../regularizers/regularizers.js";
import { describeValue } from "../utils/describe.js";
import { checkNumber } from "../utils/options.js";
import { shapeSize } from "../utils/shape.js";
import { Layer } from "./layer.js";
import { checkArgsObject, type LayerArgs, type LayerConfig } from "./layer-args.js";
import { registerLayerClasses } from "./registry.js";
import type { RowBuffer } from "./row-buffer.js";
import type { StepContext } from "./step-context.js";
import { Variable } from "./variable.js";

export interface EmbeddingArgs extends LayerArgs {
  inputDim?: number;
  outputDim?: number;
  /** Default Keras's "uniform": RandomUniform(−0.05, 0.05). */
  embeddingsInitializer?: InitializerIdentifier;
  embeddingsRegularizer?: RegularizerIdentifier | null;
  embeddingsConstraint?: ConstraintIdentifier | null;
  /** Keras's mask_zero; only false (densa has no masking): reserve id 0 yourself if you need a padding id. */
  maskZero?: boolean | null;
  /** Keras 2 and tfjs: the length of an id sequence, the same as inputShape [inputLength]. */
  inputLength?: number | null;
}

const OPTIONS = [
  "inputDim",
  "outputDim",
  "embeddingsInitializer",
  "embeddingsRegularizer",
  "embeddingsConstraint",
  "maskZero",
  "inputLength",
];

/**
 * Keras's Embedding: integer ids (as floats or an Int32Array) → rows of a trainable [inputDim, outputDim] table.
 * Input shape [seq] gives [seq, outputDim]. An id that is not a whole number in [0, inputDim) is an error naming
 * the sample and position. The ids get no gradient; the table's gradient adds the rows' gradients by id.
 */
export class Embedding extends Layer {
  readonly className = "Embedding";
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: Initializer;
  readonly embeddingsRegularizer: Regularizer | null;
  readonly embeddingsConstraint: Constraint | null;
  private embeddings: Variable | null = null;
  private idsPerSample = 0;
  private outputs: RowBuffer | null = null;
  private inputGrads: RowBuffer | null = null;
  private lastInput = 0;

  constructor(inputDimOrArgs: number | EmbeddingArgs, outputDim?: number, maybeArgs: EmbeddingArgs = {}) {
    const args: EmbeddingArgs =
      typeof inputDimOrArgs === "number"
        ? { ...maybeArgs, inputDim: inputDimOrArgs, outputDim }
        : {
            ...checkArgsObject(
              "Embedding",
              inputDimOrArgs,
              "inputDim and outputDim (positive integers) or an options object",
            ),
          };
    const fn = "Embedding";
    if (
      args.inputLength !== undefined &&
      args.inputLength !== null &&
      args.inputShape === undefined &&
      args.batchInputShape === undefined
    ) {
      args.inputShape = [
        checkNumber(fn, "inputLength", args.inputLength, { integer: true, min: 0, minExclusive: true }),
      ];
    }
    // NOTE: tfjs writes batchInputShape [null, null] for an Embedding without inputLength (any sequence length).
    if (Array.isArray(args.batchInputShape) && args.batchInputShape.slice(1).some((dim) => dim === null))
      delete args.batchInputShape;
    super(args, fn, OPTIONS);
    this.inputDim = checkNumber(fn, "inputDim", args.inputDim, { integer: true, min: 0, minExclusive: true });
    this.outputDim = checkNumber(fn, "outputDim", args.outputDim, { integer: true, min: 0, minExclusive: true });
    if (args.maskZero !== undefined && args.maskZero !== null && args.maskZero !== false) {
      throw new Error(
        `${fn}: maskZero ${describeValue(args.maskZero)} is not supported: densa has no masking, so padding id 0 would still reach ` +
          "the layers after it; use maskZero false (the default)",
      );
    }
    // NOTE: Keras's string "uniform" is its RandomUniform(−0.05, 0.05), the default.
    const initializer = args.embeddingsInitializer ?? "randomUniform";
    this.embeddingsInitializer = resolveInitializer(
      initializer === "uniform" ? "randomUniform" : initializer,
      `${fn}: embeddingsInitializer`,
    );
    this.embeddingsRegularizer = resolveRegularizer(args.embeddingsRegularizer, `${fn}: embeddingsRegularizer`);
    this.embeddingsConstraint = resolveConstraint(args.embeddingsConstraint, `${fn}: embeddingsConstraint`);
  }

  computeOutputShape(inputShape: readonly number[]): number[] {
    return [...inputShape, this.outputDim];
  }

  protected override createWeights(inputShape: readonly number[], initialize: boolean): void {
    const shape = [this.inputDim, this.outputDim];
    this.embeddings = new Variable(
      `${this.name}/embeddings`,
      shape,
      true,
      this.embeddingsRegularizer,
      this.embeddingsConstraint,
    );
    this.variables.push(this.embeddings);
    if (initialize) this.embeddingsInitializer.fill(this.embeddings.ptr, shape);
    this.idsPerSample = shapeSize(inputShape);
    this.outputs = this.declareBuffer(this.idsPerSample * this.outputDim);
    this.inputGrads = this.declareBuffer(this.idsPerSample, { inputGradient: true });
  }

  forward(input: number, step: StepContext): number {
    const rows = step.rows;
    const engine = getEngine();
    const output = this.outputs!.ensure(rows);
    const bad = engine.kernels.embeddingGather(
      rows * this.idsPerSample,
      input,
      this.embeddings!.ptr,
      this.inputDim,
      this.outputDim,
      output,
    );
    if (bad >= 0) {
      const id = engine.view(input + bad * 4, 1)[0];
      const sample = Math.floor(bad / this.idsPerSample);
      const position = bad % this.idsPerSample;
      throw new Error(
        `${this.name}: embedding ids must be whole numbers in [0, ${this.inputDim}) (inputDim ${this.inputDim}), ` +
          `got ${describeValue(id)} at sample ${sample}, position ${position} of the batch`,
      );
    }
    this.lastInput = input;
    return output;
  }

  backward(outputGrad: number, step: StepContext, needInputGrad: boolean): number {
    const rows = step.rows;
    if (this.trainable) {
      getEngine().kernels.embeddingScatterAdd(
        rows * this.idsPerSample,
        this.lastInput,
        outputGrad,
        this.inputDim,
        this.outputDim,
        this.embeddings!.grad,
      );
    }
    if (!needInputGrad) return 0;
    // Ids are not differentiable: a layer below gets a zero gradient (Keras gives none).
    const inputGrad = this.inputGrads!.ensure(rows);
    getEngine()
      .view(inputGrad, rows * this.idsPerSample)
      .fill(0);
    return inputGrad;
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: this.embeddingsInitializer.getConfig(),
      embeddingsRegularizer: this.embeddingsRegularizer?.getConfig() ?? null,
      embeddingsConstraint: this.embeddingsConstraint?.getConfig() ?? null,
      maskZero: false,
    };
  }
}

registerLayerClasses({ Embedding });
