import { describeValue } from "../utils/describe.js";
import { checkBoolean, checkNumber, checkOptionKeys } from "../utils/options.js";
import { LearningRateSchedule } from "./schedules.js";

/** Options every optimizer accepts (OptimizerArgs). */
const OPTIMIZER_OPTIONS = ["learningRate", "clipnorm", "clipvalue", "globalClipnorm", "weightDecay", "name"];

export interface OptimizerArgs {
  learningRate?: number | LearningRateSchedule;
  /** Clip each gradient to this L2 norm. */
  clipnorm?: number | null;
  /** Clip each gradient element to [-clipvalue, clipvalue]. */
  clipvalue?: number | null;
  /** Clip all gradients together to this global L2 norm. */
  globalClipnorm?: number | null;
  /** Decoupled weight decay: w ← w − w·weightDecay·lr before each update (Keras 3's base optimizer). */
  weightDecay?: number | null;
  name?: string;
}

/** What a subclass gives the base optimizer: its class name, defaults and the options it takes besides the base ones. */
export interface OptimizerDefaults {
  learningRate: number;
  name: string;
  weightDecay?: number | null;
  className: string;
  options: readonly string[];
}

/** The base options, checked: at most one kind of clipping, as Keras. */
export interface ResolvedOptimizerArgs {
  name: string;
  learningRate: number;
  schedule: LearningRateSchedule | null;
  clipnorm: number | null;
  clipvalue: number | null;
  globalClipnorm: number | null;
  weightDecay: number | null;
}

/**
 * Checks an optimizer's options (any key the optimizer does not take is an error that lists the valid names)
 * and fills in its defaults; errors are named after `defaults.className`.
 */
export function resolveOptimizerArgs(args: OptimizerArgs, defaults: OptimizerDefaults): ResolvedOptimizerArgs {
  const fn = defaults.className;
  checkOptionKeys(fn, args, [...OPTIMIZER_OPTIONS, ...defaults.options]);
  if (args.name !== undefined && (typeof args.name !== "string" || args.name.length === 0)) {
    throw new Error(`${fn}: name must be a non-empty string, got ${describeValue(args.name)}`);
  }
  const rate = args.learningRate ?? defaults.learningRate;
  let learningRate: number;
  let schedule: LearningRateSchedule | null = null;
  if (typeof rate === "number") {
    learningRate = checkNumber(fn, "learningRate", rate, { min: 0 });
  } else if (rate instanceof LearningRateSchedule) {
    schedule = rate;
    learningRate = rate.call(0);
  } else {
    throw new Error(`${fn}: learningRate must be a number >= 0 or a schedule, got ${describeValue(rate)}`);
  }
  const clipnorm = optionalPositive(`${fn}: clipnorm`, args.clipnorm);
  const clipvalue = optionalPositive(`${fn}: clipvalue`, args.clipvalue);
  const globalClipnorm = optionalPositive(`${fn}: globalClipnorm`, args.globalClipnorm);
  if ([clipnorm, clipvalue, globalClipnorm].filter((value) => value !== null).length > 1) {
    throw new Error(`${fn}: set only one of clipnorm, clipvalue and globalClipnorm (as Keras), got several`);
  }
  const weightDecay = args.weightDecay === undefined ? (defaults.weightDecay ?? null) : args.weightDecay;
  if (weightDecay !== null) checkNumber(fn, "weightDecay", weightDecay, { min: 0 });
  return {
    name: args.name ?? defaults.name,
    learningRate,
    schedule,
    clipnorm,
    clipvalue,
    globalClipnorm,
    weightDecay,
  };
}

function optionalPositive(argument: string, value: number | null | undefined): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new Error(`${argument} must be a finite number > 0 (or null), got ${describeValue(value)}`);
  }
  return value;
}

/** An optional flag: true or false; returns `fallback` when undefined. */
export function optionalBoolean(fn: string, name: string, value: unknown, fallback: boolean): boolean {
  return value === undefined ? fallback : checkBoolean(fn, name, value);
}
