import { Callback, type Logs, type TrainingModel } from "../callbacks/callback.js";
import { CallbackList } from "../callbacks/callback-list.js";
import type { PredictHooks } from "./inference-model.js";
import type { PredictConfig } from "./predict-options.js";

type PredictHook = "onPredictBegin" | "onPredictEnd" | "onPredictBatchBegin" | "onPredictBatchEnd";
const PREDICT_HOOKS: readonly PredictHook[] = [
  "onPredictBegin",
  "onPredictBatchBegin",
  "onPredictBatchEnd",
  "onPredictEnd",
];

/**
 * predict's callbacks (Keras's predict(callbacks=…, verbose=…)): the user's, then a ProgressBar unless verbose
 * is 0, called synchronously — predict returns its Tensor synchronously, so it cannot await a hook. A hook that
 * is an async function is refused before predict starts; one that returns a Promise all the same is refused
 * when it does (its work would otherwise run after predict had returned). Returns null when there is nothing
 * to call, so a plain predict pays nothing.
 */
export function predictHooks(config: PredictConfig, model: TrainingModel): PredictHooks | null {
  if (config.callbacks.length === 0 && config.verbose === 0) return null;
  const list = new CallbackList(config.callbacks, { addProgressBar: config.verbose !== 0, model, fn: "predict" });
  const callbacks = list.callbacks;
  callbacks.forEach((callback, index) => {
    for (const hook of PREDICT_HOOKS) {
      const fn = callback[hook] as unknown;
      if (
        fn !== Callback.prototype[hook] &&
        (fn as { constructor?: { name?: string } }).constructor?.name === "AsyncFunction"
      ) {
        throw new Error(
          `predict: callbacks[${index}] (${callback.constructor.name}).${hook} is an async function, but predict is ` +
            "synchronous and cannot await it; make the hook synchronous (fit and evaluate await async hooks)",
        );
      }
    }
  });
  const call = (hook: PredictHook, batch?: number) => {
    for (let index = 0; index < callbacks.length; index++) {
      const callback = callbacks[index];
      const logs: Logs = {};
      const result: unknown =
        batch === undefined
          ? (callback[hook] as (logs: Logs) => unknown)(logs)
          : (callback[hook] as (batch: number, logs: Logs) => unknown)(batch, logs);
      if (typeof (result as { then?: unknown } | null)?.then === "function") {
        throw new Error(
          `predict: callbacks[${index}] (${callback.constructor.name}).${hook} returned a Promise, but predict is ` +
            "synchronous and cannot await it; make the hook synchronous (fit and evaluate await async hooks)",
        );
      }
    }
  };
  return {
    begin: (steps) => {
      list.setParams({ epochs: 1, steps, verbose: config.verbose });
      call("onPredictBegin");
    },
    batchBegin: (batch) => call("onPredictBatchBegin", batch),
    batchEnd: (batch) => call("onPredictBatchEnd", batch),
    end: () => call("onPredictEnd"),
  };
}
