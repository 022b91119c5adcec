import { toFloatData } from "../data/convert.js";
import { resolveLoss, type Loss } from "../losses/loss.js";
import { resolveMetrics } from "../metrics/index.js";
import { resolveOptimizer } from "../optimizers/index.js";
import type { Tensor, TensorLike } from "../tensor.js";
import type { SampleSet } from "./batch-buffers.js";
import { fitArrays, fitDataset, type FitHost } from "./fit.js";
import type { Layer } from "../layers/layer.js";
import type { Optimizer } from "../optimizers/optimizer.js";
import { collectLogs, evaluateArrays, evaluateDataset, type EvaluateCallHost } from "./evaluate.js";
import { prepareSamples, type SampleSetContext } from "./prepare-data.js";
import { normalizeClassWeight } from "../data/checks.js";
import { parseCallArguments } from "../data/fit-arguments.js";
import { resolvePredictOptions, type FitOptions } from "../data/fit-options.js";
import { checkOptionKeys } from "../utils/options.js";
import { InferenceModel, type PredictOptions, type PredictPlan } from "./inference-model.js";
import { predictHooks } from "./predict-callbacks.js";
import { RunGuard } from "./run-guard.js";
import { saveModel } from "../io/save.js";
import type { CompileConfig } from "../io/training-config.js";
import type { LoadOptions, ModelArtifacts, SaveHandler, SaveOptions, SaveResult } from "../io/types.js";
import { OptimizerLease, optimizerOwner } from "./optimizer-lease.js";
import { SequentialBase, type SequentialConfig, describe } from "./sequential.js";
import type { History } from "../callbacks/history.js";
import type { CompileArgs, EvaluateOptions, TestOnBatchOptions, TrainOnBatchOptions } from "./model-options.js";
import { Trainer } from "./trainer.js";

export type { CompileArgs, EvaluateOptions, TestOnBatchOptions, TrainOnBatchOptions } from "./model-options.js";

/** Keras's Sequential model: the layer stack plus compile, fit, evaluate and predict. */
export class Sequential extends InferenceModel {
  /** Set by a callback to end fit after the current batch (Keras's model.stop_training). */
  stopTraining = false;
  private trainer: Trainer | null = null;
  private compileArgs: CompileConfig | null = null;
  private optimizerLease: OptimizerLease | null = null;
  /** What runs now: one fit, one evaluation, predicts; carries out a dispose() that came meanwhile. */
  private readonly runs = new RunGuard(this.name, () => {
    if (this.disposed) this.releaseMemory();
  });

  static fromConfig(config: SequentialConfig): Sequential {
    const layers = SequentialBase.layersFromConfig(config, "Sequential.fromConfig");
    return new Sequential(layers, { name: config.name });
  }

  /** The compiled optimizer (also before the model is built), or null. */
  get optimizer(): Optimizer | null {
    return this.compileArgs?.optimizer ?? null;
  }

  /** The compiled loss (also before the model is built), or null. */
  get loss(): Loss | null {
    return this.compileArgs?.loss ?? null;
  }

  get metricsNames(): string[] {
    return this.trainer ? ["loss", ...this.trainer.metrics.map((metric) => metric.name)] : [];
  }

  /** Keras's compile: resolves everything first, so a bad name leaves the model as it was. */
  compile(args: CompileArgs): void {
    this.assertUsable("compile");
    this.runs.assertIdle("compile", { fit: true, evaluate: true });
    if (!args || typeof args !== "object") throw new Error(`compile: expected { optimizer, loss, metrics }, got ${describe(args)}`);
    checkOptionKeys("compile", args, ["optimizer", "loss", "metrics"]);
    const optimizer = resolveOptimizer(args.optimizer ?? "rmsprop", "compile: optimizer");
    const loss = resolveLoss(args.loss, "compile: loss");
    if (args.metrics !== undefined && !Array.isArray(args.metrics)) {
      throw new Error(`compile: metrics must be an array (e.g. ["accuracy"]), got ${describe(args.metrics)}`);
    }
    const metrics = args.metrics ?? [];
    resolveMetrics(metrics, loss, 2, "compile: metrics"); // NOTE: validates the names now; built again per output shape.
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

  /** The compile arguments, or the error every training-side call gives before compile. */
  private requireCompiled(fn: string): CompileConfig {
    if (!this.compileArgs) throw new Error(`${fn}: the model must be compiled first; call model.compile({ optimizer, loss })`);
    return this.compileArgs;
  }

  /** The trainer for the built model; compile must have run. */
  protected ensureTrainer(fn: string): Trainer {
    this.requireCompiled(fn);
    this.assertBuilt(fn);
    return this.trainer ?? this.makeTrainer();
  }

  private makeTrainer(): Trainer {
    const { optimizer, loss, metrics } = this.compileArgs!;
    const outputShape = this.outputShape;
    const resolvedLoss = resolveLoss(loss, "compile: loss");
    const resolvedMetrics = resolveMetrics(metrics, resolvedLoss, outputShape[outputShape.length - 1], "compile: metrics");
    const features = this.inputShape!.reduce((product, dim) => product * dim, 1);
    this.trainer = new Trainer(this.stack, resolvedLoss, resolveOptimizer(optimizer, "compile: optimizer"), resolvedMetrics, features, outputShape);
    this.held.others.add(this.trainer);
    return this.trainer;
  }

  /** Stops a loop whose model a callback disposed (the memory stays until the loop has ended). */
  private checkNotDisposed(fn: string): void {
    if (this.disposed) {
      throw new Error(`${fn}: the model "${this.name}" was disposed while ${fn} was running; ${fn} stopped there`);
    }
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

  /**
   * The model as Keras 3's `.keras` file (config.json, metadata.json, model.weights.h5 in a zip), with the
   * optimizer's state when compiled: for browsers, Workers and uploads; Keras 3 opens it with load_model.
   */
  async toKeras(): Promise<Uint8Array> {
    this.assertUsable("toKeras");
    const { kerasFileBytes } = await import("../io/keras/keras-model-io.js");
    return kerasFileBytes(this, this.compileArgs);
  }

  /**
   * Keras 3's save_weights: the weights (and the optimizer's state, when compiled) as model.weights.h5 — written
   * to a file:// URL (Node, Deno, Bun) or indexeddb://, localstorage://, downloads:// (browsers); the bytes are
   * returned either way.
   */
  async saveWeights(target?: string): Promise<Uint8Array> {
    this.assertUsable("saveWeights");
    const io = await import("../io/keras/keras-model-io.js");
    const bytes = io.kerasWeightsFileBytes(this, this.compileArgs);
    if (target === undefined) return bytes;
    if (typeof target !== "string") throw new Error(`saveWeights: expected a file://, indexeddb://, localstorage:// or downloads:// URL, or nothing (for the bytes), got ${describe(target)}`);
    await io.writeBytesTo(target, bytes, "saveWeights");
    return bytes;
  }

  /**
   * Keras 3's load_weights from a `.weights.h5` (Keras 3 or Keras 2 layout) or a `.keras` file: a file:// or
   * http(s) URL, bytes or a Blob. All or nothing: every value is checked before any is written.
   */
  async loadWeights(source: unknown, options: LoadOptions = {}): Promise<void> {
    this.assertUsable("loadWeights");
    this.runs.assertIdle("loadWeights", { fit: true, evaluate: true });
    const io = await import("../io/keras/keras-model-io.js");
    const bytes = await io.sourceBytes(source, options, "loadWeights");
    io.loadKerasWeights(this, this.compileArgs, bytes, "loadWeights");
  }

  /**
   * Keras's predict with its full options: steps, verbose (a progress bar; default 0 here, see PredictOptions)
   * and callbacks, whose onPredict* hooks run synchronously. While it runs, add / pop are refused and a
   * dispose() from a hook takes effect when predict has stopped.
   */
  override predict(x: TensorLike, options: PredictOptions = {}): Tensor {
    this.assertUsable("predict");
    return this.runs.runPredict(() => super.predict(x, options));
  }

  protected override predictPlan(options: unknown): PredictPlan {
    const config = resolvePredictOptions(options);
    return { batchSize: config.batchSize, steps: config.steps, hooks: predictHooks(config, this) };
  }

  /**
   * Keras's evaluate (return_dict form): { loss, …metrics } over all samples of arrays (evaluate(x, y, options))
   * or of a data set of [x, y] batches (evaluate(dataset, options), Keras's generator form).
   */
  evaluate(x: unknown, y?: unknown, options?: EvaluateOptions): Promise<Record<string, number>> {
    try {
      this.assertUsable("evaluate");
      const call = parseCallArguments("evaluate", x, y, options);
      this.requireCompiled("evaluate");
      this.runs.assertIdle("evaluate", { evaluate: true });
      const host: EvaluateCallHost = {
        ...this.runHost(),
        prepare: (xs, ys, sampleWeight) => this.prepare("evaluate", xs, ys, sampleWeight, undefined),
        evaluation: { trainer: () => this.ensureTrainer("evaluate"), checkNotDisposed: () => this.checkNotDisposed("evaluate") },
      };
      const run = call.kind === "dataset" ? evaluateDataset(host, call.dataset, call.options) : evaluateArrays(host, call.x, call.y, call.options);
      return this.runs.run("evaluate", run);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** One optimizer step on exactly this batch (Keras's train_on_batch); returns { loss, …metrics }. */
  trainOnBatch(x: TensorLike, y: TensorLike, options: TrainOnBatchOptions = {}): Record<string, number> {
    this.assertUsable("trainOnBatch");
    checkOptionKeys("trainOnBatch", options, ["sampleWeight", "classWeight"]);
    this.requireCompiled("trainOnBatch");
    this.runs.assertIdle("trainOnBatch", { fit: true, evaluate: true });
    if (options.sampleWeight !== undefined && options.classWeight !== undefined) {
      throw new Error("trainOnBatch: pass either classWeight or sampleWeight, not both (Keras cannot combine them either)");
    }
    const classWeight = options.classWeight === undefined ? undefined : normalizeClassWeight(options.classWeight, "trainOnBatch");
    const set = this.prepare("trainOnBatch", x, y, options.sampleWeight, classWeight);
    const trainer = this.ensureTrainer("trainOnBatch");
    trainer.resetMetrics();
    const loss = trainer.trainBatch(set.count, trainer.buffers.load(set, null, 0, set.count));
    return collectLogs(trainer, loss);
  }

  /** Loss and metrics of exactly this batch (Keras's test_on_batch). */
  testOnBatch(x: TensorLike, y: TensorLike, options: TestOnBatchOptions = {}): Record<string, number> {
    this.assertUsable("testOnBatch");
    checkOptionKeys("testOnBatch", options, ["sampleWeight"]);
    this.requireCompiled("testOnBatch");
    this.runs.assertIdle("testOnBatch", { evaluate: true });
    const set = this.prepare("testOnBatch", x, y, options.sampleWeight, undefined);
    const trainer = this.ensureTrainer("testOnBatch");
    trainer.resetMetrics();
    const loss = trainer.testBatch(set.count, trainer.buffers.load(set, null, 0, set.count));
    return collectLogs(trainer, loss);
  }

  /** Keras's fit, on arrays (fit(x, y, options)) or on a data set of batches (fit(dataset, options)). */
  fit(x: unknown, y?: unknown, options?: FitOptions): Promise<History> {
    try {
      this.assertUsable("fit");
      const call = parseCallArguments("fit", x, y, options);
      this.requireCompiled("fit");
      this.runs.assertIdle("fit", { fit: true, evaluate: true });
      const host = this.runHost();
      const run = call.kind === "dataset" ? fitDataset(host, call.dataset, call.options) : fitArrays(host, call.x, call.y, call.options);
      return this.runs.run("fit", run);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** What the fit and evaluate loops need from the model, without making those parts public. */
  private runHost(): FitHost {
    return {
      model: this,
      trainer: (fn) => this.ensureTrainer(fn),
      buildFromData: (shape, fn) => this.buildFromData(shape, fn),
      sampleContext: (fn, names, perSampleShape) => this.sampleContext(fn, names, perSampleShape),
      checkNotDisposed: (fn) => this.checkNotDisposed(fn),
      setValidating: (validating) => this.runs.setValidating(validating),
    };
  }

  /**
   * What data must match: the (planned) input shape, the output width and the loss. Builds nothing, so data
   * is checked before a first fit / evaluate / predict builds the model.
   */
  private sampleContext(fn: string, names?: readonly [string, string], perSampleShape?: readonly number[]): SampleSetContext {
    const { loss } = this.requireCompiled(fn);
    const inputShape = this.plannedInputShape(perSampleShape, fn);
    const outputShape = this.plannedOutputShape(inputShape);
    const outputWidth = outputShape.reduce((product, dim) => product * dim, 1);
    return { fn, inputShape, outputShape, outputWidth, loss, names };
  }

  private prepare(fn: string, x: unknown, y: unknown, sampleWeight: unknown, classWeight: Map<number, number> | undefined): SampleSet {
    this.requireCompiled(fn);
    const xData = toFloatData(x, fn, "x");
    const set = prepareSamples(xData, y, sampleWeight, classWeight, this.sampleContext(fn, undefined, xData.shape.slice(1)));
    this.buildFromData(xData.shape.slice(1), fn);
    return set;
  }

  override add(layer: Layer): void {
    this.runs.assertIdle("add", { fit: true, evaluate: true, predict: true });
    super.add(layer);
  }

  override pop(): Layer {
    this.runs.assertIdle("pop", { fit: true, evaluate: true, predict: true });
    return super.pop();
  }

  protected override onStructureChange(): void {
    this.dropTrainer();
    super.onStructureChange();
  }

  /**
   * Frees the model's memory. Called from a callback while fit or evaluate runs, the model counts as disposed
   * at once (every later call is refused), the running loop stops at its next step with an error saying so,
   * and the memory is freed when it has ended.
   */
  override dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (!this.runs.busy) this.releaseMemory();
  }

  protected override releaseMemory(): void {
    this.dropTrainer();
    this.releaseOptimizer();
    super.releaseMemory();
  }
}
