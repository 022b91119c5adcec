import type { History } from "../callbacks/history.js";
import { normalizeClassWeight } from "../data/checks.js";
import type { FloatData } from "../data/convert.js";
import type { CompileConfig } from "../io/training-config.js";
import { resolveLoss } from "../losses/loss.js";
import { resolveMetrics } from "../metrics/index.js";
import type { SampleSet } from "../models/batch-buffers.js";
import type { Model } from "../models/model.js";
import { type ModelData, packInputs, packTargets } from "../models/model-data.js";
import { shapeSize } from "../utils/shape.js";
import type { CallArguments } from "./call-arguments.js";
import { collectLogs, evaluateArrays, evaluateDataset } from "./evaluate.js";
import { fitArrays, fitDataset } from "./fit.js";
import type { TestOnBatchOptions, TrainOnBatchOptions } from "./on-batch-options.js";
import type { OptimizerLease } from "./optimizer-lease.js";
import { prepareSamples, type SampleSetContext } from "./prepare-samples.js";
import type { RunGuard } from "./run-guard.js";
import { type OutputTraining, Trainer } from "./trainer.js";

/**
 * What one compile() makes of a model (Keras's compiled state: CompileLoss, CompileMetrics, the optimizer): the
 * resolved loss, optimizer and metrics, and — once the model is built — the training step with its buffers (a
 * Trainer). It owns fit, evaluate, trainOnBatch and testOnBatch; the model's methods of those names check that
 * the model is usable and compiled, and delegate here.
 *
 * A new compile makes a new one (and frees this one). A Sequential model whose layers change (add / pop) keeps it
 * and drops only the step, which is made again for the new graph on first use.
 */
export class CompiledTraining {
  private trainer: Trainer | null = null;

  constructor(
    readonly model: Model,
    readonly config: CompileConfig,
    /** The model's run guard: what runs now, and the one check for a dispose() during an await. */
    readonly runs: RunGuard,
    /**
     * The model's memory that its garbage-collection safety net frees: the step and the optimizer's slots go in
     * there. NOTE: never this object itself, which references the model (the net would keep the model alive).
     */
    private readonly resources: Set<{ dispose(): void }>,
    private lease: OptimizerLease | null,
  ) {
    if (lease) resources.add(lease);
  }

  /** The log keys fit / evaluate report (loss, per-output losses, metrics); empty until the step is made. */
  get metricsNames(): string[] {
    return this.trainer ? Object.keys(this.trainer.logs(0)) : [];
  }

  /** Keras's fit on parsed arguments (arrays or a data set); checks everything before the model counts as busy. */
  fit(call: CallArguments): Promise<History> {
    this.runs.assertIdle("fit", { fit: true, evaluate: true });
    const run =
      call.kind === "dataset"
        ? fitDataset(this, call.dataset, call.options)
        : fitArrays(this, call.x, call.y, call.options);
    return this.runs.run("fit", run);
  }

  /** Keras's evaluate (return_dict form) on parsed arguments. */
  evaluate(call: CallArguments): Promise<Record<string, number>> {
    this.runs.assertIdle("evaluate", { evaluate: true });
    const run =
      call.kind === "dataset"
        ? evaluateDataset(this, call.dataset, call.options)
        : evaluateArrays(this, call.x, call.y, call.options);
    return this.runs.run("evaluate", run);
  }

  /** One optimizer step on exactly this batch (Keras's train_on_batch); returns { loss, …metrics }. */
  trainOnBatch(x: ModelData, y: ModelData, options: TrainOnBatchOptions): Record<string, number> {
    this.runs.assertIdle("trainOnBatch", { fit: true, evaluate: true });
    if (options.sampleWeight !== undefined && options.classWeight !== undefined) {
      throw new Error(
        "trainOnBatch: pass either classWeight or sampleWeight, not both (Keras cannot combine them either)",
      );
    }
    const classWeight =
      options.classWeight === undefined ? undefined : normalizeClassWeight(options.classWeight, "trainOnBatch");
    const set = this.prepare("trainOnBatch", x, y, options.sampleWeight, classWeight);
    const trainer = this.step("trainOnBatch");
    trainer.resetMetrics();
    trainer.buffers.load(set, null, 0, set.count);
    const loss = trainer.trainBatch(set.count);
    return collectLogs(trainer, loss);
  }

  /** Loss and metrics of exactly this batch (Keras's test_on_batch). */
  testOnBatch(x: ModelData, y: ModelData, options: TestOnBatchOptions): Record<string, number> {
    this.runs.assertIdle("testOnBatch", { evaluate: true });
    const set = this.prepare("testOnBatch", x, y, options.sampleWeight, undefined);
    const trainer = this.step("testOnBatch");
    trainer.resetMetrics();
    trainer.buffers.load(set, null, 0, set.count);
    const loss = trainer.testBatch(set.count);
    return collectLogs(trainer, loss);
  }

  /** The training step of the built model: made on first use after build, compile or a change of layers. */
  step(fn: string): Trainer {
    if (this.trainer) return this.trainer;
    if (!this.model.built)
      throw new Error(
        `${fn}: the model is not built yet; give the first layer an inputShape, or call build(), fit() or predict() first`,
      );
    const model = this.model;
    const graph = model.graph();
    const { config } = this;
    const shapes = model.outputShapes;
    const outputs: OutputTraining[] = model.outputNames.map((name, k) => {
      const spec = config.outputs?.[k] ?? {
        loss: config.loss,
        lossWeight: config.lossWeights?.[0] ?? 1,
        metrics: config.metrics,
      };
      const shape = shapes[k];
      const loss = resolveLoss(spec.loss, "compile: loss");
      const layer = graph.outputLayer(k);
      return {
        name,
        shape,
        loss,
        lossWeight: spec.lossWeight,
        metrics: resolveMetrics(spec.metrics, loss, shape[shape.length - 1], "compile: metrics"),
        layer,
        fusable: layer !== null && graph.isPlainOutput(k) && layer.fusedLossPaths().includes("softmax_cross_entropy"),
      };
    });
    const inputWidths = model.packedInputs
      ? model.inputShapes.map((shape) => shapeSize(shape!))
      : [shapeSize(model.inputShape!)];
    this.trainer = new Trainer(graph, outputs, config.optimizer, inputWidths);
    this.resources.add(this.trainer);
    return this.trainer;
  }

  /** Frees the step (its buffers and metrics), to be made again for the model's new layers. */
  dropStep(): void {
    if (!this.trainer) return;
    this.trainer.dispose();
    this.resources.delete(this.trainer);
    this.trainer = null;
  }

  /**
   * Hands the optimizer's lease (its slots: the moments of these weights) to the next compile when that keeps the
   * same optimizer instance; null otherwise, and this object's dispose() frees them.
   */
  takeLease(optimizer: CompileConfig["optimizer"]): OptimizerLease | null {
    if (!this.lease || this.lease.optimizer !== optimizer) return null;
    const lease = this.lease;
    this.resources.delete(lease);
    this.lease = null;
    return lease;
  }

  /** Frees the step and the optimizer's slots (unless handed on); the config stays readable. */
  dispose(): void {
    this.dropStep();
    if (this.lease) {
      this.lease.dispose();
      this.resources.delete(this.lease);
      this.lease = null;
    }
  }

  /** x as one array: converted, or for several inputs each part checked and packed side by side. */
  xData(value: unknown, fn: string, arg: string): FloatData {
    return packInputs(
      value,
      this.model.inputNames,
      this.model.inputShapes.map((shape) => shape ?? []),
      fn,
      arg,
    );
  }

  /** y as one array: converted, or for several outputs each part checked against its loss and packed. */
  yData(value: unknown, fn: string, arg: string): FloatData {
    const names = this.model.outputNames;
    if (names.length === 1) return packInputs(value, names, [], fn, arg);
    const shapes = this.model.outputShapes;
    const outputs = names.map((name, k) => ({ name, shape: shapes[k], loss: this.config.outputs![k].loss }));
    return packTargets(value, outputs, fn, arg).data;
  }

  /**
   * What data must match: the (planned) input shape, the output width and the loss. Builds nothing, so data
   * is checked before a first fit / evaluate builds the model.
   */
  sampleContext(fn: string, names?: readonly [string, string], perSampleShape?: readonly number[]): SampleSetContext {
    const model = this.model;
    const inputWidths = model.packedInputs ? model.inputShapes.map((shape) => shapeSize(shape!)) : undefined;
    const inputShape = inputWidths
      ? [inputWidths.reduce((sum, width) => sum + width, 0)]
      : model.plannedInputShape(perSampleShape, fn);
    const outputShape = model.plannedOutputShape(inputShape);
    const targets = (value: unknown, arg: string) => this.yData(value, fn, arg);
    return {
      fn,
      inputShape,
      outputShape,
      outputWidth: shapeSize(outputShape),
      loss: this.config.loss,
      names,
      inputWidths,
      targetWidths: this.targetWidths(),
      targets,
    };
  }

  /** Builds an unbuilt model from the data's per-sample shape (only after the data was checked). */
  buildFromData(perSampleShape: readonly number[], fn: string): void {
    this.model.buildFromData(perSampleShape, fn);
  }

  /** Per output, the widths of its targets in a packed y (several outputs), else undefined. */
  private targetWidths(): number[] | undefined {
    const outputs = this.config.outputs;
    if (!outputs) return undefined;
    return this.model.outputShapes.map((shape, k) =>
      outputs[k].loss.sparseLabels ? shapeSize(shape) / shape[shape.length - 1] : shapeSize(shape),
    );
  }

  /** Checks and packs one batch of arrays (trainOnBatch, testOnBatch, evaluate), then builds the model from it. */
  prepare(
    fn: string,
    x: unknown,
    y: unknown,
    sampleWeight: unknown,
    classWeight: Map<number, number> | undefined,
  ): SampleSet {
    const xData = this.xData(x, fn, "x");
    const set = prepareSamples(
      xData,
      y,
      sampleWeight,
      classWeight,
      this.sampleContext(fn, undefined, xData.shape.slice(1)),
    );
    this.buildFromData(xData.shape.slice(1), fn);
    return set;
  }
}
