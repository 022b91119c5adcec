/**
 * Learning-rate schedules, Keras 3's keras/src/optimizers/schedules/learning_rate_schedule.py in camelCase:
 *   new optimizers.Adam({ learningRate: schedules.exponentialDecay({ initialLearningRate: 1e-2,
 *                                                                   decaySteps: 1000, decayRate: 0.9 }) })
 * `call(step)` gives the rate for an optimizer step (Keras passes optimizer.iterations: 0 at the first update).
 *
 * Arithmetic is float32, as Keras computes it (the initial rate's dtype): every operation rounds with
 * Math.fround, which is exact IEEE float32 rounding in every engine. pow / cos go through ScalarMath, which
 * init() points at the wasm kernels, for bit-identical results everywhere (see utils/scalar-math.ts).
 */
import { describeValue } from "../utils/describe.js";
import { checkBoolean, checkNumber, checkOptionKeys, checkString } from "../utils/options.js";
import { getScalarMath } from "../utils/scalar-math.js";

const f32 = Math.fround;

export abstract class LearningRateSchedule {
  /** Keras's class name, used in saved configs. */
  abstract readonly className: string;
  /** The learning rate at optimizer step `step` (>= 0). */
  abstract call(step: number): number;
  /** Constructor options (camelCase): `new (this.constructor)(getConfig())` rebuilds the schedule. */
  abstract getConfig(): object;
}

export interface ExponentialDecayOptions {
  initialLearningRate: number;
  /** Must be > 0. */
  decaySteps: number;
  decayRate: number;
  /** Decay in whole intervals: floor(step / decaySteps). Default false. */
  staircase?: boolean;
  name?: string;
}

/** initialLearningRate * decayRate ^ (step / decaySteps). */
export class ExponentialDecay extends LearningRateSchedule {
  readonly className = "ExponentialDecay";
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  constructor(options: ExponentialDecayOptions) {
    super();
    const fn = "ExponentialDecay";
    checkOptionKeys(fn, requireOptions(fn, options), [
      "initialLearningRate",
      "decaySteps",
      "decayRate",
      "staircase",
      "name",
    ]);
    this.initialLearningRate = checkNumber(fn, "initialLearningRate", options.initialLearningRate);
    this.decaySteps = checkNumber(fn, "decaySteps", options.decaySteps, { min: 0, minExclusive: true });
    this.decayRate = checkNumber(fn, "decayRate", options.decayRate);
    this.staircase = checkBoolean(fn, "staircase", options.staircase ?? false);
    this.name = checkString(fn, "name", options.name ?? "ExponentialDecay");
  }

  call(step: number): number {
    let p = f32(f32(checkStep(this.className, step)) / f32(this.decaySteps));
    if (this.staircase) p = Math.floor(p);
    return f32(f32(this.initialLearningRate) * f32(getScalarMath().pow(f32(this.decayRate), p)));
  }

  getConfig(): ExponentialDecayOptions {
    const { initialLearningRate, decaySteps, decayRate, staircase, name } = this;
    return { initialLearningRate, decaySteps, decayRate, staircase, name };
  }
}

export interface PiecewiseConstantDecayOptions {
  /** Strictly increasing step boundaries. */
  boundaries: readonly number[];
  /** One more value than boundaries: values[0] for step <= boundaries[0], …, the last for step > the last. */
  values: readonly number[];
  name?: string;
}

export class PiecewiseConstantDecay extends LearningRateSchedule {
  readonly className = "PiecewiseConstantDecay";
  readonly boundaries: readonly number[];
  readonly values: readonly number[];
  readonly name: string;

  constructor(options: PiecewiseConstantDecayOptions) {
    super();
    const fn = "PiecewiseConstantDecay";
    checkOptionKeys(fn, requireOptions(fn, options), ["boundaries", "values", "name"]);
    const { boundaries, values } = options;
    if (!Array.isArray(boundaries) || boundaries.length === 0) {
      throw new Error(`${fn}: boundaries must be a non-empty array of numbers, got ${describeValue(boundaries)}`);
    }
    if (!Array.isArray(values) || values.length !== boundaries.length + 1) {
      throw new Error(
        `${fn}: values must have one more element than boundaries (${boundaries.length + 1}), got ${describeValue(values)}`,
      );
    }
    boundaries.forEach((boundary: unknown, i) => {
      checkNumber(fn, `boundaries[${i}]`, boundary);
      if (i > 0 && !((boundary as number) > boundaries[i - 1])) {
        throw new Error(
          `${fn}: boundaries must be strictly increasing, but boundaries[${i}] = ${boundary} follows ${boundaries[i - 1]}`,
        );
      }
    });
    values.forEach((value: unknown, i) => checkNumber(fn, `values[${i}]`, value));
    this.boundaries = Object.freeze([...boundaries]);
    this.values = Object.freeze([...values]);
    this.name = checkString(fn, "name", options.name ?? "PiecewiseConstant");
  }

  call(step: number): number {
    checkStep(this.className, step);
    let index = 0;
    while (index < this.boundaries.length && step > this.boundaries[index]) index++;
    return f32(this.values[index]);
  }

  getConfig(): PiecewiseConstantDecayOptions {
    return { boundaries: [...this.boundaries], values: [...this.values], name: this.name };
  }
}

export interface CosineDecayOptions {
  initialLearningRate: number;
  /** Steps to decay over (after warm-up). Must be > 0. */
  decaySteps: number;
  /** Final rate as a fraction of the rate decay starts from. Default 0. */
  alpha?: number;
  name?: string;
  /** Warm up linearly from initialLearningRate to this over warmupSteps; null (default) skips warm-up. */
  warmupTarget?: number | null;
  warmupSteps?: number;
}

/** Optional linear warm-up, then decayFrom * ((1 - alpha) * 0.5 * (1 + cos(pi * step / decaySteps)) + alpha). */
export class CosineDecay extends LearningRateSchedule {
  readonly className = "CosineDecay";
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly name: string;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;

  constructor(options: CosineDecayOptions) {
    super();
    const fn = "CosineDecay";
    checkOptionKeys(fn, requireOptions(fn, options), [
      "initialLearningRate",
      "decaySteps",
      "alpha",
      "name",
      "warmupTarget",
      "warmupSteps",
    ]);
    this.initialLearningRate = checkNumber(fn, "initialLearningRate", options.initialLearningRate);
    this.decaySteps = checkNumber(fn, "decaySteps", options.decaySteps, { min: 0, minExclusive: true });
    this.alpha = checkNumber(fn, "alpha", options.alpha ?? 0);
    this.name = checkString(fn, "name", options.name ?? "CosineDecay");
    this.warmupTarget =
      options.warmupTarget === undefined || options.warmupTarget === null
        ? null
        : checkNumber(fn, "warmupTarget", options.warmupTarget);
    this.warmupSteps = checkNumber(fn, "warmupSteps", options.warmupSteps ?? 0, { min: 0 });
  }

  call(step: number): number {
    const s = f32(checkStep(this.className, step));
    const decaySteps = f32(this.decaySteps);
    if (this.warmupTarget === null)
      return this.decay(Math.min(s, decaySteps), decaySteps, f32(this.initialLearningRate));
    const warmupSteps = f32(this.warmupSteps);
    const target = f32(this.warmupTarget);
    const clipped = Math.min(s, f32(decaySteps + warmupSteps));
    if (clipped < warmupSteps) {
      const initial = f32(this.initialLearningRate);
      return f32(f32(f32(target - initial) * f32(clipped / warmupSteps)) + initial);
    }
    return this.decay(f32(clipped - warmupSteps), decaySteps, target);
  }

  getConfig(): CosineDecayOptions {
    const { initialLearningRate, decaySteps, alpha, name, warmupTarget, warmupSteps } = this;
    return { initialLearningRate, decaySteps, alpha, name, warmupTarget, warmupSteps };
  }

  private decay(step: number, decaySteps: number, from: number): number {
    const fraction = f32(step / decaySteps);
    const cosine = f32(0.5 * f32(1 + f32(getScalarMath().cos(f32(f32(Math.PI) * fraction)))));
    const alpha = f32(this.alpha);
    return f32(from * f32(f32(f32(1 - alpha) * cosine) + alpha));
  }
}

export interface InverseTimeDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  staircase?: boolean;
  name?: string;
}

/** initialLearningRate / (1 + decayRate * step / decaySteps). */
export class InverseTimeDecay extends LearningRateSchedule {
  readonly className = "InverseTimeDecay";
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  constructor(options: InverseTimeDecayOptions) {
    super();
    const fn = "InverseTimeDecay";
    checkOptionKeys(fn, requireOptions(fn, options), [
      "initialLearningRate",
      "decaySteps",
      "decayRate",
      "staircase",
      "name",
    ]);
    this.initialLearningRate = checkNumber(fn, "initialLearningRate", options.initialLearningRate);
    this.decaySteps = checkNumber(fn, "decaySteps", options.decaySteps, { min: 0, minExclusive: true });
    this.decayRate = checkNumber(fn, "decayRate", options.decayRate);
    this.staircase = checkBoolean(fn, "staircase", options.staircase ?? false);
    this.name = checkString(fn, "name", options.name ?? "InverseTimeDecay");
  }

  call(step: number): number {
    let p = f32(f32(checkStep(this.className, step)) / f32(this.decaySteps));
    if (this.staircase) p = Math.floor(p);
    return f32(f32(this.initialLearningRate) / f32(1 + f32(f32(this.decayRate) * p)));
  }

  getConfig(): InverseTimeDecayOptions {
    const { initialLearningRate, decaySteps, decayRate, staircase, name } = this;
    return { initialLearningRate, decaySteps, decayRate, staircase, name };
  }
}

/** camelCase factories, as in densa's other namespaces: schedules.exponentialDecay({ … }) etc. */
export const exponentialDecay = (options: ExponentialDecayOptions) => new ExponentialDecay(options);
export const piecewiseConstantDecay = (options: PiecewiseConstantDecayOptions) => new PiecewiseConstantDecay(options);
export const cosineDecay = (options: CosineDecayOptions) => new CosineDecay(options);
export const inverseTimeDecay = (options: InverseTimeDecayOptions) => new InverseTimeDecay(options);

const SCHEDULES = { ExponentialDecay, PiecewiseConstantDecay, CosineDecay, InverseTimeDecay };

/** Keras 3's serialized form (snake_case config), as saved inside an optimizer's config. */
export interface SerializedSchedule {
  module: "keras.optimizers.schedules";
  class_name: string;
  config: Record<string, unknown>;
  registered_name: null;
}

export function serializeSchedule(schedule: LearningRateSchedule): SerializedSchedule {
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schedule.getConfig()))
    config[key.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase())] = value;
  return { module: "keras.optimizers.schedules", class_name: schedule.className, config, registered_name: null };
}

/** Rebuilds a schedule from serializeSchedule's output or Keras's JSON ({ class_name, config }). */
export function deserializeSchedule(value: unknown): LearningRateSchedule {
  const { class_name: className, config } = (value ?? {}) as { class_name?: unknown; config?: unknown };
  const names = Object.keys(SCHEDULES);
  if (typeof className !== "string" || !Object.hasOwn(SCHEDULES, className)) {
    throw new Error(
      `deserializeSchedule: unknown class_name ${describeValue(className)}; valid ones are ${names.join(", ")}`,
    );
  }
  const options: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(requireOptions("deserializeSchedule", config))) {
    options[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = entry;
  }
  const Schedule = SCHEDULES[className as keyof typeof SCHEDULES] as new (options: never) => LearningRateSchedule;
  return new Schedule(options as never);
}

function requireOptions(fn: string, options: unknown): object {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new Error(`${fn}: expected an options object, got ${describeValue(options)}`);
  }
  return options;
}

function checkStep(fn: string, step: number): number {
  if (!(step >= 0) || step === Infinity)
    throw new Error(`${fn}: step must be a finite number >= 0, got ${describeValue(step)}`);
  return step;
}
