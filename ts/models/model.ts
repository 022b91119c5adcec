import type { FloatData } from "../data/convert.js";
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
import { describe, ModelBase, type FunctionalStructure, type SequentialConfig } from "./model-base.js";
import { graphFromConfig, type FunctionalConfig } from "./functional-config.js";
import { LAYER_CLASSES, layerFromConfig } from "../layers/registry.js";
import type { MetricIdentifier } from "../metrics/index.js";
import type { LossIdentifier } from "../losses/loss.js";
import { packInputs, packTargets, type ModelData } from "./model-data.js";
import type { OutputTraining } from "./trainer.js";
import { isPlainObject } from "../io/topology.js";
import type { SymbolicTensor } from "../layers/symbolic-tensor.js";
import type { History } from "../callbacks/history.js";
import type { CompileArgs, EvaluateOptions, TestOnBatchOptions, TrainOnBatchOptions } from "./model-options.js";
import { Trainer } from "./trainer.js";

export type { CompileArgs, EvaluateOptions, TestOnBatchOptions, TrainOnBatchOptions } from "./model-options.js";

/** Keras's Model(inputs, outputs, name): the arguments of a Functional model. */
export interface ModelArgs extends FunctionalStructure {
  name?: string;
}

/**
 * Keras's Model: a graph of layers from Input tensors to outputs (the Functional API), with compile, fit,
 * evaluate and predict. Sequential extends it (the linear graph).
 */
export class Model extends InferenceModel {
  /** Set by a callback to end fit after the current batch (Keras's model.stop_training). */
  stopTraining = false;
  private trainer: Trainer | null = null;
  private compileArgs: CompileConfig | null = null;
  private optimizerLease: OptimizerLease | null = null;
  /** What runs now: one fit, one evaluation, predicts; carries out a dispose() that came meanwhile. */
  private readonly runs = new RunGuard(this.name, () => {
    if (this.disposed) this.releaseMemory();
  });

  /**
   * `new Model({ inputs, outputs, name })`. NOTE: the array form (layers, { name }) is Sequential's, which
   * extends this class.
   */
  constructor(args: ModelArgs | readonly (Layer | ModelBase | SymbolicTensor)[], options: { name?: string } = {}) {
    if (Array.isArray(args)) {
      super(args as readonly Layer[], options);
      return;
    }
    if (!isPlainObject(args)) throw new Error(`Model: expected { inputs, outputs, name }, got ${describe(args)}`);
    const { name, ...structure } = args as ModelArgs;
    super(structure as FunctionalStructure, { name });
  }

  /**
   * Keras's Model.from_config: a Functional model from getConfig()'s form (layers with inbound nodes, input and
   * output layers); a config that names a missing layer or makes a cycle is an Error and leaves no memory behind.
   */
  static fromConfig(config: FunctionalConfig | SequentialConfig): Model {
    if (!config || !("inputLayers" in config)) {
      return new Model(ModelBase.layersFromConfig(config as SequentialConfig, "Model.fromConfig"), { name: config?.name });
    }
    const graph = graphFromConfig(config, (entry, i) => layerFromConfig(entry, `Model.fromConfig: layer ${i}`), "Model.fromConfig");
    try {
      return new Model({ inputs: graph.inputs, outputs: graph.outputs, name: config.name });
    } catch (error) {
      for (const layer of graph.layers) layer.dispose();
      throw error;
    }
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
    return this.trainer ? Object.keys(this.trainer.logs(0)) : [];
  }

  /**
   * Keras's compile: resolves everything first, so a bad name leaves the model as it was. With several outputs
   * `loss` is one loss for all, an array (one per output) or an object keyed by output name; so are
   * `lossWeights` and `metrics` (an entry may be one metric or an array of them).
   */
  compile(args: CompileArgs): void {
    this.assertUsable("compile");
    this.runs.assertIdle("compile", { fit: true, evaluate: true });
    if (!args || typeof args !== "object") throw new Error(`compile: expected { optimizer, loss, metrics }, got ${describe(args)}`);
    checkOptionKeys("compile", args, ["optimizer", "loss", "metrics", "lossWeights"]);
    const optimizer = resolveOptimizer(args.optimizer ?? "rmsprop", "compile: optimizer");
    const names = this.outputNames;
    const lossIds = perOutput<LossIdentifier>(args.loss, names, "compile: loss");
    const losses = lossIds.map((id, k) => resolveLoss(id, names.length > 1 ? `compile: loss for output "${names[k]}"` : "compile: loss"));
    const lossWeights = args.lossWeights === undefined ? names.map(() => 1) : perOutput<number>(args.lossWeights, names, "compile: lossWeights");
    lossWeights.forEach((weight, k) => {
      if (typeof weight !== "number" || !Number.isFinite(weight) || weight < 0) {
        throw new Error(`compile: lossWeights for output "${names[k]}" must be a finite number >= 0, got ${describe(weight)}`);
      }
    });
    if (args.metrics !== undefined && !Array.isArray(args.metrics) && !(names.length > 1 && isPlainObject(args.metrics))) {
      throw new Error(`compile: metrics must be an array (e.g. ["accuracy"]), got ${describe(args.metrics)}`);
    }
    const metrics = names.length === 1 ? [(args.metrics ?? []) as MetricIdentifier[]] : outputMetrics(args.metrics, names);
    // NOTE: validates the names now; built again per output shape.
    metrics.forEach((list, k) => resolveMetrics(list, losses[k], 2, "compile: metrics"));
    const owner = optimizerOwner(optimizer);
    if (owner && owner !== this.ownerToken) {
      throw new Error(
        `compile: optimizer: this ${optimizer.className} instance already trains the model "${owner.modelName}"; ` +
          `expected an optimizer of this model's own (e.g. new optimizers.${optimizer.className}({ … }) or a name like "adam")`,
      );
    }
    this.compileArgs = {
      optimizer,
      loss: losses[0],
      metrics: metrics[0],
      outputs: names.length > 1 ? names.map((_, k) => ({ loss: losses[k], lossWeight: lossWeights[k], metrics: metrics[k] })) : undefined,
      lossWeights: args.lossWeights === undefined ? undefined : lossWeights,
    };
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
    const config = this.compileArgs!;
    const graph = this.graph();
    const names = this.outputNames;
    const shapes = this.outputShapes;
    const outputs: OutputTraining[] = names.map((name, k) => {
      const spec = config.outputs?.[k] ?? { loss: config.loss, lossWeight: config.lossWeights?.[0] ?? 1, metrics: config.metrics };
      const shape = shapes[k];
      const loss = resolveLoss(spec.loss, "compile: loss");
      const layer = graph.outputLayer(k);
      return {
        name,
        shape,
        loss,
        lossWeight: spec.lossWeight,
        metrics: resolveMetrics(spec.metrics, loss, shape[shape.length - 1], "compile: metrics"),
        fusable: layer !== null && graph.isPlainOutput(k) && layer.fusedLossPaths().includes("softmax_cross_entropy"),
        useFusedLoss: (on: boolean) => layer?.useFusedLoss(on ? "softmax_cross_entropy" : null),
      };
    });
    const size = (shape: readonly number[] | null) => shape!.reduce((product, dim) => product * dim, 1);
    const inputWidths = this.packedInputs ? this.inputShapes.map(size) : [size(this.inputShape)];
    this.trainer = new Trainer(graph, outputs, resolveOptimizer(config.optimizer, "compile: optimizer"), inputWidths);
    this.held.others.add(this.trainer);
    return this.trainer;
  }

  /** x as one array: converted, or for several inputs each part checked and packed side by side. */
  private xData(value: unknown, fn: string, arg: string): FloatData {
    return packInputs(value, this.inputNames, this.inputShapes.map((shape) => shape ?? []), fn, arg);
  }

  /** y as one array: converted, or for several outputs each part checked against its loss and packed. */
  private targetData(value: unknown, fn: string, arg: string): FloatData {
    const config = this.requireCompiled(fn);
    if (this.outputNames.length === 1) return packInputs(value, this.outputNames, [], fn, arg);
    const shapes = this.outputShapes;
    const outputs = this.outputNames.map((name, k) => ({ name, shape: shapes[k], loss: config.outputs![k].loss }));
    return packTargets(value, outputs, fn, arg).data;
  }

  /** Per output, the widths of its targets in a packed y (several outputs), else undefined. */
  private targetWidths(): number[] | undefined {
    const config = this.compileArgs;
    if (!config?.outputs) return undefined;
    return this.outputShapes.map((shape, k) => {
      const width = shape.reduce((product, dim) => product * dim, 1);
      return config.outputs![k].loss.sparseLabels ? width / shape[shape.length - 1] : width;
    });
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
  override predict<Result extends Tensor | Tensor[] = Tensor>(x: ModelData, options: PredictOptions = {}): Result {
    this.assertUsable("predict");
    return this.runs.runPredict(() => super.predict<Result>(x, options));
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
      const call = parseCallArguments("evaluate", x, y, options, this.outputNames);
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
  trainOnBatch(x: ModelData, y: ModelData, options: TrainOnBatchOptions = {}): Record<string, number> {
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
  testOnBatch(x: ModelData, y: ModelData, options: TestOnBatchOptions = {}): Record<string, number> {
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
      const call = parseCallArguments("fit", x, y, options, this.outputNames);
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
      xData: (value, fn, arg) => this.xData(value, fn, arg),
      yData: (value, fn, arg) => this.targetData(value, fn, arg),
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
    const size = (shape: readonly number[] | null) => shape!.reduce((product, dim) => product * dim, 1);
    const inputWidths = this.packedInputs ? this.inputShapes.map(size) : undefined;
    const inputShape = inputWidths ? [inputWidths.reduce((sum, width) => sum + width, 0)] : this.plannedInputShape(perSampleShape, fn);
    const outputShape = this.plannedOutputShape(inputShape);
    const outputWidth = outputShape.reduce((product, dim) => product * dim, 1);
    const targets = (value: unknown, arg: string) => this.targetData(value, fn, arg);
    return { fn, inputShape, outputShape, outputWidth, loss, names, inputWidths, targetWidths: this.targetWidths(), targets };
  }

  private prepare(fn: string, x: unknown, y: unknown, sampleWeight: unknown, classWeight: Map<number, number> | undefined): SampleSet {
    this.requireCompiled(fn);
    const xData = this.xData(x, fn, "x");
    const set = prepareSamples(xData, y, sampleWeight, classWeight, this.sampleContext(fn, undefined, xData.shape.slice(1)));
    this.buildFromData(xData.shape.slice(1), fn);
    return set;
  }

  override add(layer: Layer | ModelBase): void {
    this.runs.assertIdle("add", { fit: true, evaluate: true, predict: true });
    super.add(layer);
  }

  override pop(): Layer {
    this.runs.assertIdle("pop", { fit: true, evaluate: true, predict: true });
    return super.pop();
  }

  protected override plannedOutputShape(inputShape: readonly number[]): number[] {
    return this.functional ? this.outputShape : super.plannedOutputShape(inputShape);
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
    this.assertNotNested("dispose");
    this.disposed = true;
    if (!this.runs.busy) this.releaseMemory();
  }

  protected override releaseMemory(): void {
    this.dropTrainer();
    this.releaseOptimizer();
    super.releaseMemory();
  }
}

/** One value per output: the same for all, an array in output order, or an object keyed by output name. */
function perOutput<Value>(value: unknown, names: readonly string[], argument: string): Value[] {
  if (Array.isArray(value)) {
    if (value.length !== names.length) {
      throw new Error(`${argument}: the model has ${names.length} output(s) (${names.join(", ")}) but the array has ${value.length} entries; expected one per output`);
    }
    return [...value] as Value[];
  }
  if (isPlainObject(value) && names.length > 1 && !("className" in value) && !("getConfig" in value)) {
    const unknown = Object.keys(value).find((key) => !names.includes(key));
    if (unknown !== undefined) throw new Error(`${argument}: ${JSON.stringify(unknown)} names no output of the model; its outputs are ${names.join(", ")}`);
    const missing = names.find((name) => !(name in value));
    if (missing !== undefined) throw new Error(`${argument}: no entry for the output ${JSON.stringify(missing)}; expected the keys ${names.join(", ")}`);
    return names.map((name) => value[name] as Value);
  }
  return names.map(() => value as Value);
}

/** metrics of a model with several outputs: an array with one entry per output, or an object keyed by output name. */
function outputMetrics(value: unknown, names: readonly string[]): MetricIdentifier[][] {
  if (value === undefined) return names.map(() => []);
  if (Array.isArray(value) && value.length !== names.length) {
    throw new Error(
      `compile: metrics: for a model with several outputs, give one entry per output (${names.join(", ")}) or an object keyed by ` +
        `output name, as Keras 3 does; got an array of ${value.length}`,
    );
  }
  const perName = isPlainObject(value) ? names.map((name) => value[name] ?? []) : (value as unknown[]);
  if (isPlainObject(value)) {
    const unknown = Object.keys(value).find((key) => !names.includes(key));
    if (unknown !== undefined) throw new Error(`compile: metrics: ${JSON.stringify(unknown)} names no output of the model; its outputs are ${names.join(", ")}`);
  }
  return perName.map((entry) => (Array.isArray(entry) ? entry : [entry]) as MetricIdentifier[]);
}

// NOTE: a Functional model saved as a layer of another model is rebuilt through the layer registry (Keras 3
// names the class "Functional", tfjs and Keras 2 "Model").
LAYER_CLASSES.Functional = (config) => Model.fromConfig(config as unknown as FunctionalConfig) as unknown as Layer;
LAYER_CLASSES.Model = LAYER_CLASSES.Functional;
