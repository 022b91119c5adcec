import { getEngine } from "../engine/engine.js";
import { type Variable, variableLayoutVersion } from "../layers/variable.js";
import { checkNumber } from "../utils/options.js";
import { clipGradients } from "./gradient-clipping.js";
import { type OptimizerArgs, type OptimizerDefaults, resolveOptimizerArgs } from "./optimizer-args.js";
import { type LearningRateSchedule, serializeSchedule } from "./schedules.js";
import { SlotStore } from "./slot-store.js";
import { type UpdateRun, updateRuns } from "./update-runs.js";
import { WeightDecayExclusions } from "./weight-decay-exclusions.js";

export { type OptimizerArgs, optionalBoolean } from "./optimizer-args.js";

/**
 * Keras 3's optimizer: per-variable slots built on first use, then on every step
 * clip gradients → (weight decay, folded into the update kernels) → updateStep → constraints.
 * Slots mirror the blocks the variables live in (slot-store.ts), so the weights of a compiled model update in
 * one kernel call (update-runs.ts); the step count and bias corrections are computed in the kernels.
 */
export abstract class Optimizer {
  abstract readonly className: string;
  readonly name: string;
  private currentLearningRate: number;
  readonly schedule: LearningRateSchedule | null;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
  readonly weightDecay: number | null;
  /** Updates applied so far (Keras's optimizer.iterations). */
  iterations = 0;
  private slots: SlotStore | null = null;
  private cachedRuns: {
    variables: readonly Variable[];
    count: number;
    layout: number;
    slots: number;
    runs: UpdateRun[];
  } | null = null;
  private readonly decayExclusions = new WeightDecayExclusions();

  /**
   * `defaults.className` names the optimizer in errors; `defaults.options` lists the options the subclass
   * takes besides the base ones (any other key is an error that lists the valid names).
   */
  constructor(args: OptimizerArgs, defaults: OptimizerDefaults) {
    const resolved = resolveOptimizerArgs(args, defaults);
    this.name = resolved.name;
    this.currentLearningRate = resolved.learningRate;
    this.schedule = resolved.schedule;
    this.clipnorm = resolved.clipnorm;
    this.clipvalue = resolved.clipvalue;
    this.globalClipnorm = resolved.globalClipnorm;
    this.weightDecay = resolved.weightDecay;
  }

  /** The rate the next step uses (a schedule's value at the current step). */
  get learningRate(): number {
    return this.schedule ? this.schedule.call(this.iterations) : this.currentLearningRate;
  }

  /** Callbacks (ReduceLROnPlateau, LearningRateScheduler) set it between epochs, as in Keras. */
  set learningRate(value: number) {
    if (this.schedule) {
      throw new Error(
        `${this.name}: learningRate comes from a ${this.schedule.constructor.name} schedule and cannot be set`,
      );
    }
    this.currentLearningRate = checkNumber(this.name, "learningRate", value, { min: 0 });
  }

  /**
   * The slot blocks each weight gets (moments, accumulators), allocated on its first update, by the name they
   * have in saved state as `<weight>/<slot>` (tfjs's names where tfjs has the optimizer).
   */
  protected abstract slotNames(): string[];

  /** State beyond iterations and slots (Nadam's schedule product): named float blocks, allocated on demand. */
  protected extraState(): { name: string; ptr: number; size: number }[] {
    return [];
  }

  /** Initial value of each slot (Adagrad starts its accumulator above zero). */
  protected slotInitialValue(_slot: number): number {
    return 0;
  }

  /**
   * Updates one run of weights in place from their gradients (one kernel call); `step` is Keras's
   * iterations + 1 and `weightDecay` is 0 where the run is excluded from it.
   */
  protected abstract updateStep(run: UpdateRun, learningRate: number, step: number, weightDecay: number): void;

  /** Runs once per step before the updates (Nadam's schedule state). */
  protected beforeStep(_step: number): void {}

  /**
   * Applies one step to every variable from the gradients in their grad blocks: clip → (decay, update:
   * one kernel call per run of neighbouring variables, see update-runs.ts) → constraints per variable.
   */
  applyGradients(variables: readonly Variable[]): void {
    const learningRate = this.learningRate;
    const runs = this.runsOf(variables);
    clipGradients(this, variables, runs);
    const step = this.iterations + 1;
    this.beforeStep(step);
    const weightDecay = this.weightDecay ?? 0;
    for (const run of runs) this.updateStep(run, learningRate, step, run.decay ? weightDecay : 0);
    this.iterations = step;
    for (const variable of variables) variable.constraint?.apply(variable.ptr, variable.shape);
  }

  /**
   * What Keras's summary prints as "Optimizer params" (count_params of optimizer.variables): the iteration count
   * (an int64: 8 bytes), the learning rate unless a schedule gives it, extra state (Nadam's u_product) and every
   * slot of every variable; null until a step has built the slots (Keras: optimizer.built).
   */
  summaryParams(): { count: number; bytes: number } | null {
    if (!this.slots || this.slots.empty) return null;
    const extra = this.extraState().reduce((sum, block) => sum + block.size, 0);
    const floats = (this.schedule ? 0 : 1) + extra + this.slotNames().length * this.slots.floatsPerSlot;
    return { count: 1 + floats, bytes: 8 + 4 * floats };
  }

  /** Keras's exclude_from_weight_decay (see WeightDecayExclusions). */
  excludeFromWeightDecay(args: { varList?: readonly Variable[]; varNames?: readonly string[] } = {}): void {
    this.decayExclusions.add(args, `${this.className}.excludeFromWeightDecay`);
    this.cachedRuns = null;
  }

  /**
   * The update runs of these variables, cached while the same array is passed and no variable or slot block
   * moved (the trainer passes one array per compile).
   */
  private runsOf(variables: readonly Variable[]): UpdateRun[] {
    const cache = this.cachedRuns;
    const store = this.slotStore();
    if (
      cache &&
      cache.variables === variables &&
      cache.count === variables.length &&
      cache.layout === variableLayoutVersion() &&
      cache.slots === store.version
    ) {
      return cache.runs;
    }
    const runs = updateRuns(variables, store, (variable) => this.decayExclusions.applies(variable));
    this.cachedRuns = {
      variables,
      count: variables.length,
      layout: variableLayoutVersion(),
      slots: store.version,
      runs,
    };
    return runs;
  }

  /** Where the slots live, made on first use (slotNames needs the subclass's options). */
  private slotStore(): SlotStore {
    this.slots ??= new SlotStore(this.slotNames().length, (slot) => this.slotInitialValue(slot));
    return this.slots;
  }

  /**
   * The optimizer's state, as tfjs's getWeights and Keras's optimizer.variables: "iter" (int32), then any
   * extra state, then — once a step has made them — every slot of every variable, slot by slot.
   */
  getWeights(variables: readonly Variable[]): OptimizerWeight[] {
    const engine = getEngine();
    const weights: OptimizerWeight[] = [{ name: "iter", shape: [], values: Int32Array.of(this.iterations) }];
    for (const block of this.extraState())
      weights.push({ name: block.name, shape: [block.size], values: engine.read(block.ptr, block.size) });
    const store = this.slotStore();
    if (store.empty) return weights;
    this.slotNames().forEach((slotName, slot) => {
      for (const variable of variables) {
        weights.push({
          name: `${variable.name}/${slotName}`,
          shape: variable.shape,
          values: engine.read(store.slotsOf(variable)[slot], variable.size),
        });
      }
    });
    return weights;
  }

  /** Restores what getWeights gave (for the same variables); checks every name and shape before writing any. */
  setWeights(variables: readonly Variable[], weights: readonly OptimizerWeight[]): void {
    const fn = `${this.name}: setWeights`;
    const expected = new Map<string, { size: number; slot: number; variable: Variable | null }>();
    this.extraState().forEach((block) => expected.set(block.name, { size: block.size, slot: -1, variable: null }));
    this.slotNames().forEach((slotName, slot) => {
      for (const variable of variables)
        expected.set(`${variable.name}/${slotName}`, { size: variable.size, slot, variable });
    });
    const iter = weights.find((weight) => weight.name === "iter");
    const iterations = iter?.values[0];
    if (!iter || iter.values.length !== 1 || !Number.isInteger(iterations) || (iterations as number) < 0) {
      throw new Error(
        `${fn}: the state needs "iter", one non-negative integer, got ${iter ? String(iter.values[0]) : "none"}`,
      );
    }
    const given = weights.filter((weight) => weight !== iter);
    for (const weight of given) {
      const target = expected.get(weight.name);
      if (!target)
        throw new Error(
          `${fn}: unknown state ${JSON.stringify(weight.name)}; ${this.className} keeps ${["iter", ...expected.keys()].join(", ")}`,
        );
      if (weight.values.length !== target.size) {
        throw new Error(`${fn}: ${weight.name} has ${weight.values.length} values but needs ${target.size}`);
      }
    }
    const slotWeights = given.filter((weight) => expected.get(weight.name)!.slot >= 0);
    const slotTotal = [...expected.values()].filter((target) => target.slot >= 0).length;
    if (slotWeights.length !== 0 && slotWeights.length !== slotTotal) {
      throw new Error(
        `${fn}: the state has ${slotWeights.length} of the ${slotTotal} slots (every weight's ${this.slotNames().join(", ")}); give all or none`,
      );
    }
    const engine = getEngine();
    const extra = new Map(this.extraState().map((block) => [block.name, block.ptr]));
    const store = this.slotStore();
    for (const weight of given) {
      const target = expected.get(weight.name)!;
      const ptr = target.variable ? store.slotsOf(target.variable)[target.slot] : extra.get(weight.name)!;
      engine.write(ptr, weight.values);
    }
    this.iterations = iterations as number;
  }

  /**
   * Frees the slots of every variable and starts the step count again (the model calls this on dispose), so
   * that the instance trains another model as a new one would: bias corrections and schedules from step 1.
   */
  dispose(): void {
    this.slots?.dispose();
    this.cachedRuns = null;
    this.iterations = 0;
  }

  /** Keras's optimizer config, camelCase (io writes snake_case). */
  getConfig(): Record<string, unknown> {
    return {
      name: this.name,
      learningRate: this.schedule ? serializeSchedule(this.schedule) : this.currentLearningRate,
      weightDecay: this.weightDecay,
      clipnorm: this.clipnorm,
      globalClipnorm: this.globalClipnorm,
      clipvalue: this.clipvalue,
    };
  }
}

/** One block of optimizer state: "iter", a slot (`dense/kernel/m`) or extra state. */
export interface OptimizerWeight {
  name: string;
  shape: readonly number[];
  values: Float32Array | Int32Array;
}
