import { toFloatData, type FloatData } from "../data/convert.js";
import { getEngine } from "../engine/engine.js";
import { resolveLoss, type LossIdentifier, type Loss } from "../losses/loss.js";
import { resolveMetrics, type MetricIdentifier } from "../metrics/index.js";
import { resolveOptimizer, type OptimizerIdentifier } from "../optimizers/index.js";
import { Tensor, type TensorLike } from "../tensor.js";
import { BatchBuffers, type SampleSet } from "./batch-buffers.js";
import { runLayers } from "./forward.js";
import { fitArrays, fitDataset, isDataset, type FitOptions } from "./fit.js";
import { evaluateSet } from "./evaluate.js";
import { checkFeatures, prepareSamples, type ClassWeight } from "./prepare-data.js";
import { SequentialBase, type SequentialConfig, describe } from "./sequential.js";
import type { History } from "../callbacks/history.js";
import { Trainer } from "./trainer.js";

export interface CompileArgs {
  optimizer?: OptimizerIdentifier;
  loss: LossIdentifier;
  metrics?: MetricIdentifier[];
}

export interface EvaluateOptions {
  batchSize?: number;
  sampleWeight?: TensorLike;
  verbose?: 0 | 1 | 2 | "auto";
}

export interface PredictOptions {
  batchSize?: number;
  verbose?: 0 | 1 | 2 | "auto";
}

/** Keras's Sequential model: the layer stack plus compile, fit, evaluate and predict. */
export class Sequential extends SequentialBase {
  /** Set by a callback to end fit after the current batch (Keras's model.stop_training). */
  stopTraining = false;
  private trainer: Trainer | null = null;
  private compileArgs: { optimizer: OptimizerIdentifier; loss: LossIdentifier; metrics: MetricIdentifier[] } | null = null;
  private inferenceBuffers: BatchBuffers | null = null;

  static fromConfig(config: SequentialConfig): Sequential {
    const layers = SequentialBase.layersFromConfig(config, "Sequential.fromConfig");
    return new Sequential(layers, { name: config.name });
  }

  get optimizer() {
    return this.trainer?.optimizer ?? null;
  }

  get loss(): Loss | null {
    return this.trainer?.loss ?? null;
  }

  get metricsNames(): string[] {
    return this.trainer ? ["loss", ...this.trainer.metrics.map((metric) => metric.name)] : [];
  }

  /** Keras's compile: resolves everything first, so a bad name leaves the model as it was. */
  compile(args: CompileArgs): void {
    this.assertUsable("compile");
    if (!args || typeof args !== "object") throw new Error(`compile: expected { optimizer, loss, metrics }, got ${describe(args)}`);
    const optimizer = resolveOptimizer(args.optimizer ?? "rmsprop", "compile: optimizer");
    const loss = resolveLoss(args.loss, "compile: loss");
    if (args.metrics !== undefined && !Array.isArray(args.metrics)) {
      throw new Error(`compile: metrics must be an array (e.g. ["accuracy"]), got ${describe(args.metrics)}`);
    }
    const metrics = args.metrics ?? [];
    resolveMetrics(metrics, loss, 2, "compile: metrics"); // NOTE: validates the names now; built again per output width.
    this.compileArgs = { optimizer, loss, metrics };
    this.trainer?.dispose();
    this.trainer = null;
    if (this.built) this.makeTrainer();
  }

  /** The trainer for the built model; compile must have run. */
  protected ensureTrainer(fn: string): Trainer {
    if (!this.compileArgs) throw new Error(`${fn}: the model must be compiled first; call model.compile({ optimizer, loss })`);
    this.assertBuilt(fn);
    return this.trainer ?? this.makeTrainer();
  }

  private makeTrainer(): Trainer {
    const { optimizer, loss, metrics } = this.compileArgs!;
    const outputWidth = this.outputShape.reduce((product, dim) => product * dim, 1);
    const resolvedLoss = resolveLoss(loss, "compile: loss");
    const resolvedMetrics = resolveMetrics(metrics, resolvedLoss, outputWidth, "compile: metrics");
    const features = this.inputShape!.reduce((product, dim) => product * dim, 1);
    this.trainer = new Trainer(this.stack, resolvedLoss, resolveOptimizer(optimizer, "compile: optimizer"), resolvedMetrics, features, outputWidth);
    return this.trainer;
  }

  /** Builds the model from the first data it sees, as Keras does when no input shape was given. */
  protected buildFromData(perSampleShape: readonly number[], fn: string): void {
    if (this.built) return;
    if (this.stack.length === 0) throw new Error(`${fn}: the model has no layers`);
    if (perSampleShape.length === 0) throw new Error(`${fn}: x must have a feature axis, got one number per sample`);
    this.build(this.inputShape ?? perSampleShape);
  }

  /** Keras's predict: outputs for every sample, computed in batches (synchronous once init() resolved). */
  predict(x: TensorLike, options: PredictOptions = {}): Tensor {
    this.assertUsable("predict");
    const batchSize = checkBatchSize(options.batchSize ?? 32, "predict");
    return this.predictData(toFloatData(x, "predict", "x"), batchSize, "predict");
  }

  /** predict on one batch (Keras's predict_on_batch). */
  predictOnBatch(x: TensorLike): Tensor {
    this.assertUsable("predictOnBatch");
    const data = toFloatData(x, "predictOnBatch", "x");
    return this.predictData(data, Math.max(1, data.shape[0]), "predictOnBatch");
  }

  private predictData(data: FloatData, batchSize: number, fn: string): Tensor {
    this.buildFromData(data.shape.slice(1), fn);
    const count = checkFeatures(data, this.inputShape!, fn);
    const outputShape = this.outputShape;
    const width = outputShape.reduce((product, dim) => product * dim, 1);
    const features = data.data.length / count;
    this.inferenceBuffers ??= new BatchBuffers(features, 0);
    const set: SampleSet = { count, x: data.data, features, y: null, targetWidth: 0, weights: null };
    const result = new Float32Array(count * width);
    const engine = getEngine();
    for (let start = 0; start < count; start += batchSize) {
      const end = Math.min(count, start + batchSize);
      this.inferenceBuffers.load(set, null, start, end);
      const output = runLayers(this.stack, this.inferenceBuffers.inputPtr, end - start, false);
      result.set(engine.view(output, (end - start) * width), start * width);
    }
    return new Tensor(result, [count, ...outputShape]);
  }

  async evaluate(x: TensorLike, y: TensorLike, options: EvaluateOptions = {}): Promise<Record<string, number>> {
    this.assertUsable("evaluate");
    const batchSize = checkBatchSize(options.batchSize ?? 32, "evaluate");
    const set = this.prepare("evaluate", x, y, options.sampleWeight, undefined);
    return evaluateSet(this.ensureTrainer("evaluate"), set, batchSize, this.metricsNames);
  }

  /** One optimizer step on exactly this batch (Keras's train_on_batch); returns { loss, …metrics }. */
  trainOnBatch(x: TensorLike, y: TensorLike, options: { sampleWeight?: TensorLike; classWeight?: ClassWeight } = {}): Record<string, number> {
    this.assertUsable("trainOnBatch");
    const set = this.prepare("trainOnBatch", x, y, options.sampleWeight, options.classWeight);
    const trainer = this.ensureTrainer("trainOnBatch");
    trainer.resetMetrics();
    const weightPtr = trainer.buffers.load(set, null, 0, set.count);
    const loss = trainer.trainBatch(set.count, weightPtr);
    return { loss, ...Object.fromEntries(trainer.metrics.map((metric) => [metric.name, metric.result()])) };
  }

  /** Loss and metrics of exactly this batch (Keras's test_on_batch). */
  testOnBatch(x: TensorLike, y: TensorLike, options: { sampleWeight?: TensorLike } = {}): Record<string, number> {
    this.assertUsable("testOnBatch");
    const set = this.prepare("testOnBatch", x, y, options.sampleWeight, undefined);
    const trainer = this.ensureTrainer("testOnBatch");
    trainer.resetMetrics();
    const weightPtr = trainer.buffers.load(set, null, 0, set.count);
    const loss = trainer.testBatch(set.count, weightPtr);
    return { loss, ...Object.fromEntries(trainer.metrics.map((metric) => [metric.name, metric.result()])) };
  }

  /** Keras's fit, on arrays (fit(x, y, options)) or on a data set of batches (fit(dataset, options)). */
  async fit(x: unknown, y?: unknown, options?: FitOptions): Promise<History> {
    this.assertUsable("fit");
    if (!this.compileArgs) throw new Error("fit: the model must be compiled first; call model.compile({ optimizer, loss })");
    if (isDataset(x)) return fitDataset(this.fitHost(), x, (y ?? {}) as FitOptions);
    return fitArrays(this.fitHost(), x, y, options ?? {});
  }

  /** What the fit loop needs from the model, without making those parts public. */
  private fitHost() {
    return {
      model: this,
      prepare: (fn: string, x: unknown, y: unknown, sampleWeight: unknown, classWeight: ClassWeight | undefined, names?: [string, string]) =>
        this.prepare(fn, x, y, sampleWeight, classWeight, names),
      trainer: (fn: string) => this.ensureTrainer(fn),
      layers: () => this.stack,
    };
  }

  private prepare(fn: string, x: unknown, y: unknown, sampleWeight: unknown, classWeight: ClassWeight | undefined, names?: [string, string]): SampleSet {
    if (!this.compileArgs) throw new Error(`${fn}: the model must be compiled first; call model.compile({ optimizer, loss })`);
    const xData = toFloatData(x, fn, names?.[0] ?? "x");
    this.buildFromData(xData.shape.slice(1), fn);
    const trainer = this.ensureTrainer(fn);
    return prepareSamples(new Tensor(xData.data, xData.shape), y, {
      fn, inputShape: this.inputShape!, outputWidth: trainer.outputWidth, loss: trainer.loss,
      sampleWeight, classWeight, xName: names?.[0], yName: names?.[1],
    });
  }

  protected override onStructureChange(): void {
    this.trainer?.dispose();
    this.trainer = null;
    this.inferenceBuffers?.dispose();
    this.inferenceBuffers = null;
  }

  override dispose(): void {
    if (this.disposed) return;
    this.trainer?.optimizer.dispose();
    this.trainer?.dispose();
    this.inferenceBuffers?.dispose();
    super.dispose();
  }
}

export function checkBatchSize(batchSize: unknown, fn: string): number {
  if (typeof batchSize !== "number" || !Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`${fn}: batchSize must be a positive integer, got ${String(batchSize)}`);
  }
  return batchSize;
}
