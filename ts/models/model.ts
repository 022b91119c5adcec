import type { History } from "../callbacks/history.js";
import type { CompileConfig } from "../io/training-config.js";
import type { LoadOptions, ModelArtifacts, SaveHandler, SaveOptions, SaveResult } from "../io/types.js";
import type { Layer } from "../layers/layer.js";
import { layerFromConfig, registerModelClass } from "../layers/registry.js";
import type { SymbolicTensor } from "../layers/symbolic-tensor.js";
import type { Loss } from "../losses/loss.js";
import type { Optimizer } from "../optimizers/optimizer.js";
import type { Tensor } from "../tensor.js";
import { parseCallArguments } from "../training/call-arguments.js";
import { type CompileArgs, resolveCompileArgs } from "../training/compile-args.js";
import { CompiledTraining } from "../training/compiled-training.js";
import type { EvaluateOptions } from "../training/evaluate-options.js";
import type { FitOptions } from "../training/fit-options.js";
import type { TestOnBatchOptions, TrainOnBatchOptions } from "../training/on-batch-options.js";
import { OptimizerLease } from "../training/optimizer-lease.js";
import { RunGuard } from "../training/run-guard.js";
import { describeValue } from "../utils/describe.js";
import { checkOptionKeys } from "../utils/options.js";
import { isPlainObject } from "../utils/plain-object.js";
import { type FunctionalConfig, graphFromConfig } from "./functional-config.js";
import { FUNCTIONAL_MODELS } from "./functional-models.js";
import type { FunctionalStructure } from "./functional-structure.js";
import { provideFunctionalSupport } from "./functional-support.js";
import { InferenceModel, type PredictOptions, type PredictPlan } from "./inference-model.js";
import type { ModelBase, SequentialConfig } from "./model-base.js";
import type { ModelData } from "./model-data.js";
import { summaryText } from "./model-summary.js";
import { predictHooks } from "./predict-callbacks.js";
import { resolvePredictOptions } from "./predict-options.js";
import { layersFromConfig } from "./sequential-config.js";

export type { CompileArgs } from "../training/compile-args.js";
export type { EvaluateOptions } from "../training/evaluate-options.js";
export type { TestOnBatchOptions, TrainOnBatchOptions } from "../training/on-batch-options.js";

/** Keras's Model(inputs, outputs, name): the arguments of a Functional model. */
export interface ModelArgs extends FunctionalStructure {
  name?: string;
}

/**
 * Keras's Model: a graph of layers from Input tensors to outputs (the Functional API), with compile, fit,
 * evaluate and predict. Sequential extends it (the linear graph). The model knows its structure and predicts;
 * compile makes a CompiledTraining (ts/training/), which owns fit, evaluate, trainOnBatch and testOnBatch.
 */
export class Model extends InferenceModel {
  /** Set by a callback to end fit after the current batch (Keras's model.stop_training). */
  stopTraining = false;
  /** What the last compile made; null before compile. */
  private training: CompiledTraining | null = null;
  /** What runs now: one fit, one evaluation, predicts; carries out a dispose() that came meanwhile. */
  private readonly runs = new RunGuard(this.name, () => this.releaseMemory());

  /**
   * `new Model({ inputs, outputs, name })`. NOTE: the array form (layers, { name }) is Sequential's, which
   * extends this class.
   */
  constructor(args: ModelArgs | readonly (Layer | ModelBase | SymbolicTensor)[], options: { name?: string } = {}) {
    if (Array.isArray(args)) {
      super(args as readonly Layer[], options);
      return;
    }
    if (!isPlainObject(args)) throw new Error(`Model: expected { inputs, outputs, name }, got ${describeValue(args)}`);
    const { name, ...structure } = args as ModelArgs;
    super(structure as FunctionalStructure, { name });
  }

  /**
   * Keras's Model.from_config: a Functional model from getConfig()'s form (layers with inbound nodes, input and
   * output layers); a config that names a missing layer or makes a cycle is an Error and leaves no memory behind.
   */
  static fromConfig(config: FunctionalConfig | SequentialConfig): Model {
    if (!config || !("inputLayers" in config)) {
      return new Model(layersFromConfig(config as SequentialConfig, "Model.fromConfig"), {
        name: config?.name,
      });
    }
    const graph = graphFromConfig(
      config,
      (entry, i) => layerFromConfig(entry, `Model.fromConfig: layer ${i}`),
      "Model.fromConfig",
    );
    try {
      return new Model({ inputs: graph.inputs, outputs: graph.outputs, name: config.name });
    } catch (error) {
      for (const layer of graph.layers) layer.dispose();
      throw error;
    }
  }

  /** The compiled optimizer (also before the model is built), or null. */
  get optimizer(): Optimizer | null {
    return this.training?.config.optimizer ?? null;
  }

  /** The compiled loss (also before the model is built), or null. */
  get loss(): Loss | null {
    return this.training?.config.loss ?? null;
  }

  get metricsNames(): string[] {
    return this.training?.metricsNames ?? [];
  }

  /**
   * Keras's compile: resolves everything first, so a bad name leaves the model as it was. With several outputs
   * `loss` is one loss for all, an array (one per output) or an object keyed by output name; so are
   * `lossWeights` and `metrics` (an entry may be one metric or an array of them).
   */
  compile(args: CompileArgs): void {
    this.assertUsable("compile");
    this.runs.assertIdle("compile", { fit: true, evaluate: true });
    const config = resolveCompileArgs(args, this.outputNames, this.ownerToken);
    const previous = this.training;
    // NOTE: the same optimizer instance keeps its slots (the moments of these weights); a new one frees them.
    const lease = previous?.takeLease(config.optimizer) ?? new OptimizerLease(config.optimizer, this.ownerToken);
    previous?.dispose();
    this.training = new CompiledTraining(this, config, this.runs, this.held.others, lease);
    if (this.built) this.training.step("compile");
  }

  /** Keras's fit, on arrays (fit(x, y, options)) or on a data set of batches (fit(dataset, options)). */
  fit(x: unknown, y?: unknown, options?: FitOptions): Promise<History> {
    try {
      this.assertUsable("fit");
      const call = parseCallArguments("fit", x, y, options, this.outputNames);
      return this.compiled("fit").fit(call);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Keras's evaluate (return_dict form): { loss, …metrics } over all samples of arrays (evaluate(x, y, options))
   * or of a data set of [x, y] batches (evaluate(dataset, options), Keras's generator form).
   */
  evaluate(x: unknown, y?: unknown, options?: EvaluateOptions): Promise<Record<string, number>> {
    try {
      this.assertUsable("evaluate");
      const call = parseCallArguments("evaluate", x, y, options, this.outputNames);
      return this.compiled("evaluate").evaluate(call);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** One optimizer step on exactly this batch (Keras's train_on_batch); returns { loss, …metrics }. */
  trainOnBatch(x: ModelData, y: ModelData, options: TrainOnBatchOptions = {}): Record<string, number> {
    this.assertUsable("trainOnBatch");
    checkOptionKeys("trainOnBatch", options, ["sampleWeight", "classWeight"]);
    return this.compiled("trainOnBatch").trainOnBatch(x, y, options);
  }

  /** Loss and metrics of exactly this batch (Keras's test_on_batch). */
  testOnBatch(x: ModelData, y: ModelData, options: TestOnBatchOptions = {}): Record<string, number> {
    this.assertUsable("testOnBatch");
    checkOptionKeys("testOnBatch", options, ["sampleWeight"]);
    return this.compiled("testOnBatch").testOnBatch(x, y, options);
  }

  /** The compiled training, or the error every training-side call gives before compile. */
  private compiled(fn: string): CompiledTraining {
    if (!this.training)
      throw new Error(`${fn}: the model must be compiled first; call model.compile({ optimizer, loss })`);
    return this.training;
  }

  /** The compile arguments save and load write and read (null before compile). */
  private get compileConfig(): CompileConfig | null {
    return this.training?.config ?? null;
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
    // NOTE: loaded on first use (it brings the topology writer and the weights' encoding): apps that never
    // save do not carry it.
    const { saveModel } = await import("../io/save.js");
    return saveModel(this, this.compileConfig, target, options);
  }

  /**
   * The model as Keras 3's `.keras` file (config.json, metadata.json, model.weights.h5 in a zip), with the
   * optimizer's state when compiled: for browsers, Workers and uploads; Keras 3 opens it with load_model.
   */
  async toKeras(): Promise<Uint8Array> {
    this.assertUsable("toKeras");
    const { kerasFileBytes } = await import("../io/keras/keras-model-io.js");
    return kerasFileBytes(this, this.compileConfig);
  }

  /**
   * Keras 3's save_weights: the weights (and the optimizer's state, when compiled) as model.weights.h5 — written
   * to a file:// URL (Node, Deno, Bun) or indexeddb://, localstorage://, downloads:// (browsers); the bytes are
   * returned either way.
   */
  async saveWeights(target?: string): Promise<Uint8Array> {
    this.assertUsable("saveWeights");
    const io = await import("../io/keras/keras-model-io.js");
    const bytes = io.kerasWeightsFileBytes(this, this.compileConfig);
    if (target === undefined) return bytes;
    if (typeof target !== "string")
      throw new Error(
        `saveWeights: expected a file://, indexeddb://, localstorage:// or downloads:// URL, or nothing (for the bytes), got ${describeValue(target)}`,
      );
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
    io.loadKerasWeights(this, this.compileConfig, bytes, "loadWeights");
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
   * Keras's summary; once compiled and trained (the optimizer built), "Total params" also counts the optimizer's
   * variables and an "Optimizer params" line follows, as Keras 3 prints.
   */
  override summary(printFn: (line: string) => void = console.log): void {
    const optimizer = this.training?.config.optimizer.summaryParams() ?? null;
    for (const line of summaryText(this.name, this.stack, this.functional, optimizer).split("\n")) printFn(line);
  }

  override add(layer: Layer | ModelBase): void {
    this.runs.assertIdle("add", { fit: true, evaluate: true, predict: true });
    super.add(layer);
  }

  override pop(): Layer {
    this.runs.assertIdle("pop", { fit: true, evaluate: true, predict: true });
    return super.pop();
  }

  protected override onStructureChange(): void {
    this.training?.dropStep();
    super.onStructureChange();
  }

  /**
   * Frees the model's memory. Called from a callback while fit or evaluate runs, the model counts as disposed
   * at once (every later call is refused), the running loop stops at its next step with an error saying so
   * (RunGuard.checkNotDisposed), and the memory is freed when it has ended.
   */
  override dispose(): void {
    if (this.disposed) return;
    this.assertNotNested("dispose");
    this.disposed = true;
    this.runs.dispose();
  }

  protected override releaseMemory(): void {
    this.training?.dispose();
    super.releaseMemory();
  }
}

// NOTE: "densa" builds Functional models from the start (Model, fromConfig, loadModel): its code is always there.
provideFunctionalSupport(FUNCTIONAL_MODELS);

// NOTE: a Functional model saved as a layer of another model is rebuilt through the layer registry (Keras 3
// names the class "Functional", tfjs and Keras 2 "Model").
const nestedFunctional = (config: Record<string, unknown>): Layer =>
  Model.fromConfig(config as unknown as FunctionalConfig) as unknown as Layer;
registerModelClass("Functional", nestedFunctional);
registerModelClass("Model", nestedFunctional);
