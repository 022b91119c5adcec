/**
 * LambdaCallback: a callback from plain functions, for the hooks you name (Keras's LambdaCallback).
 *   new LambdaCallback({ onEpochEnd: (epoch, logs) => console.log(epoch, logs.loss) })
 * Functions may be async; fit awaits them.
 */
import { checkFunction, checkOptionKeys } from "../utils/options.js";
import { Callback, type HookResult, type Logs } from "./callback.js";

type RunHook = (logs: Logs) => unknown;
type StepHook = (index: number, logs: Logs) => unknown;

export interface LambdaCallbackOptions {
  onTrainBegin?: RunHook;
  onTrainEnd?: RunHook;
  onEpochBegin?: StepHook;
  onEpochEnd?: StepHook;
  onBatchBegin?: StepHook;
  onBatchEnd?: StepHook;
  onTestBegin?: RunHook;
  onTestEnd?: RunHook;
  onTestBatchBegin?: StepHook;
  onTestBatchEnd?: StepHook;
  onPredictBegin?: RunHook;
  onPredictEnd?: RunHook;
  onPredictBatchBegin?: StepHook;
  onPredictBatchEnd?: StepHook;
}

const RUN_HOOKS = ["onTrainBegin", "onTrainEnd", "onTestBegin", "onTestEnd", "onPredictBegin", "onPredictEnd"] as const;
const STEP_HOOKS = [
  "onEpochBegin",
  "onEpochEnd",
  "onBatchBegin",
  "onBatchEnd",
  "onTestBatchBegin",
  "onTestBatchEnd",
  "onPredictBatchBegin",
  "onPredictBatchEnd",
] as const;

export class LambdaCallback extends Callback {
  constructor(hooks: LambdaCallbackOptions = {}) {
    super();
    checkOptionKeys("LambdaCallback", hooks, [...RUN_HOOKS, ...STEP_HOOKS], "hooks");
    for (const name of RUN_HOOKS) {
      const hook = hooks[name];
      if (hook === undefined) continue;
      const run = checkFunction<RunHook>("LambdaCallback", name, hook);
      this[name] = (logs: Logs) => thenable(run(logs));
    }
    for (const name of STEP_HOOKS) {
      const hook = hooks[name];
      if (hook === undefined) continue;
      const step = checkFunction<StepHook>("LambdaCallback", name, hook);
      this[name] = (index: number, logs: Logs) => thenable(step(index, logs));
    }
  }
}

/** Passes promises through (so fit awaits them) and drops other return values. */
function thenable(result: unknown): HookResult {
  return typeof (result as { then?: unknown } | null)?.then === "function" ? (result as Promise<void>) : undefined;
}
