import { toFloatData } from "../data/convert.js";
import { resolveLoss, type LossIdentifier, type Loss } from "../losses/loss.js";
import { resolveMetrics, type MetricIdentifier } from "../metrics/index.js";
import { resolveOptimizer, type OptimizerIdentifier } from "../optimizers/index.js";
import type { TensorLike } from "../tensor.js";
import type { SampleSet } from "./batch-buffers.js";
import { fitArrays, fitDataset, type FitHost } from "./fit.js";
import { CallbackList } from "../callbacks/callback-list.js";
import { collectLogs, evaluateWithCallbacks } from "./evaluate.js";
import { prepareSamples, type SampleSetContext } from "./prepare-data.js";
import { normalizeClassWeight } from "../data/checks.js";
import { parseCallArguments } from "../data/fit-arguments.js";
import { resolveEvaluateOptions, resolvePredictOptions, type FitOptions } from "../data/fit-options.js";
import { checkOptionKeys } from "../utils/options.js";
import { InferenceModel } from "./inference-model.js";
import { saveModel } from "../io/save.js";
import type { CompileConfig } from "../io/training-config.js";
import type { ModelArtifacts, SaveHandler, SaveOptions, SaveResult } from "../io/types.js";
import { OptimizerLease, optimizerOwner } from "./optimizer-lease.js";
import { SequentialBase, type SequentialConfig, describe } from "./sequential.js";
import type { History } from "../callbacks/history.js";
import type { Callback } from "../callbacks/callback.js";
import { Trainer } from "./trainer.js";

export interface CompileArgs {
  optimizer?: OptimizerIdentifier;
  loss: LossIdentifier;
  metrics?: MetricIdentifier[];
}

export interface EvaluateOptions {
  batchSize?: number;
  sampleWeight?: TensorLike;
  /** 0 silent, 1 progress bar (the default, "auto"), 2 one line. */
  verbose?: 0 | 1 | 2 | "auto";
  /** Evaluate only this many batches. */
  steps?: number;
  /** Their onTest* hooks run (Keras's evaluate(callbacks=…)). */
  callbacks?: Callback[];
}

/** Keras's Sequential model: the layer stack plus compile, fit, evaluate and predict. */
export class Sequential extends InferenceModel {
  /** Set by a callback to end fit after the current batch (Keras's model.stop_training). */
  stopTraining = false;
  private trainer: Trainer | null = null;
  private compileArgs: CompileConfig | null = null;
  private optimizerLease: OptimizerLease | null = null;

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
    checkOptionKeys("compile", args, ["optimizer", "loss", "metrics"]);
    const optimizer = resolveOptimizer(args.optimizer ?? "rmsprop", "compile: optimizer");
    const loss = resolveLoss(args.loss, "compile: loss");
    if (args.metrics !== undefined && !Array.isArray(args.metrics)) {
      throw new Error(`compile: metrics must be an array (e.g. ["accuracy"]), got ${describe(args.metrics)}`);
    }
    const metrics = args.metrics ?? [];
    resolveMetrics(metrics, loss, 2, "compile: metrics"); // NOTE: validates the names now; built again per output width.
    const owner = optimizerOwner(optimizer);
    if (owner && owner !== this.ownerToken) {
      throw new Error(
        `compile: optimizer: this ${optimizer.className} instance already trains the model "${owner.modelName}"; ` +
          `expected an optimizer of this model's own (e.g. new optimizers.${optimizer.className}({ … }) or a name like "adam")`,
      );
    }
    this.compileArgs = { optimizer, loss, metrics };
    this.dropTrainer();
    if (this.optimizerLease?.optimizer !== optimizer) {
      // A new optimizer: the old one's slots (moments of these weights) are of no further use.
      this.releaseOptimizer();
      this.optimizerLease = new OptimizerLease(optimizer, this.ownerToken);
      this.held.others.add(this.optimizerLease);
    }
    if (this.built) this.makeTrainer();
  }

  private dropTrainer(): void {
    if (!this.trainer) return;
    this.trainer.dispose();
    this.held.others.delete(this.trainer);
    this.trainer = null;
  }

  private releaseOptimizer(): void {
    if (!this.optimizerLease) return;
    this.optimizerLease.dispose();
    this.held.others.delete(this.optimizerLease);
    this.optimizerLease = null;
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
    this.held.others.add(this.trainer);
    return this.trainer;
  }

  /**
   * Saves in the TensorFlow.js Layers format: with no target, returns the artifacts { modelTopology (Keras's
   * JSON, with the training config), weightSpecs, weightData, format, generatedBy }; "file://dir" writes
   * dir/model.json and dir/weights.bin (Node, Deno, Bun); an object with save(artifacts) gets the artifacts
   * (tfjs's IOHandlers, a KV store …). `{ includeOptimizer: true }` adds the optimizer's state.
   */
  save(options?: SaveOptions): Promise<ModelArtifacts>;
  save(target: undefined, options?: SaveOptions): Promise<ModelArtifacts>;
  save(url: string, options?: SaveOptions): Promise<SaveResult>;
  save<Result>(handler: SaveHandler<Result>, options?: SaveOptions): Promise<Result>;
  async save(target?: unknown, options?: SaveOptions): Promise<unknown> {
    this.assertUsable("save");
    return saveModel(this, this.compileArgs, target, options);
  }

  /** Keras's full predict options (steps, callbacks, verbose) are checked here, then InferenceModel predicts. */
  protected override predictBatchSize(options: unknown): number {
    return resolvePredictOptions(options).batchSize;
  }

  /** Keras's evaluate (return_dict form): { loss, …metrics } over all samples. */
  async evaluate(x: TensorLike, y: TensorLike, options: EvaluateOptions = {}): Promise<Record<string, number>> {
    this.assertUsable("evaluate");
    const config = resolveEvaluateOptions(options, { dataset: false });
    const set = this.prepare("evaluate", x, y, config.sampleWeight, undefined);
    const steps = Math.min(Math.ceil(set.count / config.batchSize), config.steps ?? Infinity);
    const list = new CallbackList(config.callbacks, {
      addProgressBar: config.verbose !== 0,
      model: this,
      params: { epochs: 1, steps, verbose: config.verbose },
      fn: "evaluate",
    });
    return evaluateWithCallbacks(this.ensureTrainer("evaluate"), set, config.batchSize, this.metricsNames, list, steps);
  }

  /** One optimizer step on exactly this batch (Keras's train_on_batch); returns { loss, …metrics }. */
  trainOnBatch(x: TensorLike, y: TensorLike, options: { sampleWeight?: TensorLike; classWeight?: Record<number, number> } = {}): Record<string, number> {
    this.assertUsable("trainOnBatch");
    const classWeight = options.classWeight === undefined ? undefined : normalizeClassWeight(options.classWeight, "trainOnBatch");
    const set = this.prepare("trainOnBatch", x, y, options.sampleWeight, classWeight);
    const trainer = this.ensureTrainer("trainOnBatch");
    trainer.resetMetrics();
    const loss = trainer.trainBatch(set.count, trainer.buffers.load(set, null, 0, set.count));
    return collectLogs(trainer, loss, this.metricsNames);
  }

  /** Loss and metrics of exactly this batch (Keras's test_on_batch). */
  testOnBatch(x: TensorLike, y: TensorLike, options: { sampleWeight?: TensorLike } = {}): Record<string, number> {
    this.assertUsable("testOnBatch");
    const set = this.prepare("testOnBatch", x, y, options.sampleWeight, undefined);
    const trainer = this.ensureTrainer("testOnBatch");
    trainer.resetMetrics();
    const loss = trainer.testBatch(set.count, trainer.buffers.load(set, null, 0, set.count));
    return collectLogs(trainer, loss, this.metricsNames);
  }

  /** Keras's fit, on arrays (fit(x, y, options)) or on a data set of batches (fit(dataset, options)). */
  async fit(x: unknown, y?: unknown, options?: FitOptions): Promise<History> {
    this.assertUsable("fit");
    const call = parseCallArguments("fit", x, y, options);
    if (!this.compileArgs) throw new Error("fit: the model must be compiled first; call model.compile({ optimizer, loss })");
    if (call.kind === "dataset") return fitDataset(this.fitHost(), call.dataset, call.options);
    return fitArrays(this.fitHost(), call.x, call.y, call.options);
  }

  /** What the fit loop needs from the model, without making those parts public. */
  private fitHost(): FitHost {
    return {
      model: this,
      trainer: (fn) => this.ensureTrainer(fn),
      buildFromData: (shape, fn) => this.buildFromData(shape, fn),
      sampleContext: (fn, names, perSampleShape) => this.sampleContext(fn, names, perSampleShape),
    };
  }

  /**
   * What data must match: the (planned) input shape, the output width and the loss. Builds nothing, so data
   * is checked before a first fit / evaluate / predict builds the model.
   */
  private sampleContext(fn: string, names?: readonly [string, string], perSampleShape?: readonly number[]): SampleSetContext {
    if (!this.compileArgs) throw new Error(`${fn}: the model must be compiled first; call model.compile({ optimizer, loss })`);
    const inputShape = this.plannedInputShape(perSampleShape, fn);
    const outputWidth = this.plannedOutputShape(inputShape).reduce((product, dim) => product * dim, 1);
    const loss = this.trainer?.loss ?? resolveLoss(this.compileArgs.loss, "compile: loss");
    return { fn, inputShape, outputWidth, loss, names };
  }

  private prepare(fn: string, x: unknown, y: unknown, sampleWeight: unknown, classWeight: Map<number, number> | undefined): SampleSet {
    if (!this.compileArgs) throw new Error(`${fn}: the model must be compiled first; call model.compile({ optimizer, loss })`);
    const xData = toFloatData(x, fn, "x");
    const set = prepareSamples(xData, y, sampleWeight, classWeight, this.sampleContext(fn, undefined, xData.shape.slice(1)));
    this.buildFromData(xData.shape.slice(1), fn);
    return set;
  }

  protected override onStructureChange(): void {
    this.dropTrainer();
    super.onStructureChange();
  }

  override dispose(): void {
    if (this.disposed) return;
    this.dropTrainer();
    this.releaseOptimizer();
    super.dispose();
  }
}

export function checkBatchSize(batchSize: unknown, fn: string): number {
  if (typeof batchSize !== "number" || !Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`${fn}: batchSize must be a positive integer, got ${String(batchSize)}`);
  }
  return batchSize;
}
