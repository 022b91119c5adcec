// CallbackList dispatch (Keras's CallbackList): every hook reaches every callback in list order with its
// arguments; a hook that returns a promise is awaited before the next callback runs, also for batch hooks, whose
// fast path returns undefined when nothing was async. LambdaCallback forwards each of Keras's 14 hooks.
import { describe, expect, test } from "vitest";
import { Callback, type Logs } from "../../ts/callbacks/callback.js";
import { CallbackList } from "../../ts/callbacks/callback-list.js";
import { History } from "../../ts/callbacks/history.js";
import { LambdaCallback } from "../../ts/callbacks/lambda-callback.js";
import { ProgressBar } from "../../ts/callbacks/progress-bar.js";

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

/** A LambdaCallback that records "<tag> <hook> <args>" for every hook. */
function recorder(tag: string, calls: string[]): LambdaCallback {
  const hooks: Record<string, unknown> = {};
  for (const hook of RUN_HOOKS) hooks[hook] = (logs: Logs) => calls.push(`${tag} ${hook} ${JSON.stringify(logs)}`);
  for (const hook of STEP_HOOKS)
    hooks[hook] = (index: number, logs: Logs) => calls.push(`${tag} ${hook} ${index} ${JSON.stringify(logs)}`);
  return new LambdaCallback(hooks);
}

describe("CallbackList", () => {
  test("every hook reaches every callback, in order, with its arguments", async () => {
    const calls: string[] = [];
    const list = new CallbackList([recorder("a", calls), recorder("b", calls)]);
    for (const hook of RUN_HOOKS) await list[hook]({ loss: 1 });
    for (const hook of STEP_HOOKS) await list[hook](3, { loss: 2 });
    const expected: string[] = [];
    for (const hook of RUN_HOOKS) expected.push(`a ${hook} {"loss":1}`, `b ${hook} {"loss":1}`);
    for (const hook of STEP_HOOKS) expected.push(`a ${hook} 3 {"loss":2}`, `b ${hook} 3 {"loss":2}`);
    expect(calls).toEqual(expected);
  });

  test("logs default to an empty object", async () => {
    const calls: string[] = [];
    const list = new CallbackList([recorder("a", calls)]);
    for (const hook of RUN_HOOKS) await list[hook]();
    for (const hook of STEP_HOOKS) await list[hook](0);
    expect(calls.every((call) => call.endsWith("{}"))).toBe(true);
    expect(calls).toHaveLength(RUN_HOOKS.length + STEP_HOOKS.length);
  });

  test.each([
    "onBatchBegin",
    "onBatchEnd",
    "onTestBatchBegin",
    "onTestBatchEnd",
    "onPredictBatchBegin",
    "onPredictBatchEnd",
  ] as const)("%s: an async hook in the middle is awaited before the callbacks after it", async (hook) => {
    const calls: string[] = [];
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = new LambdaCallback({ [hook]: (b: number) => void calls.push(`first ${b}`) });
    const slow = new LambdaCallback({
      [hook]: async (b: number) => {
        await gate;
        calls.push(`slow ${b}`);
      },
    });
    const last = new LambdaCallback({ [hook]: (b: number) => void calls.push(`last ${b}`) });
    const pending = new CallbackList([first, slow, last])[hook](4, {});
    expect(pending).toBeInstanceOf(Promise);
    expect(calls).toEqual(["first 4"]);
    release();
    await pending;
    expect(calls).toEqual(["first 4", "slow 4", "last 4"]);
  });

  test("a hook returning a non-promise value (an arrow's push()) keeps the synchronous path", () => {
    const seen: number[] = [];
    const list = new CallbackList([
      new LambdaCallback({ onTestBatchEnd: (b) => seen.push(b) }),
      new LambdaCallback({ onTestBatchEnd: (b) => seen.push(10 * b) }),
    ]);
    expect(list.onTestBatchEnd(2, {})).toBeUndefined();
    expect(seen).toEqual([2, 20]);
  });

  test("adds History and a ProgressBar when asked, after the user's callbacks, and only when not given", () => {
    const mine = new Callback();
    const both = new CallbackList([mine], { addHistory: true, addProgressBar: true });
    expect(both.callbacks[0]).toBe(mine);
    expect(both.callbacks[1]).toBeInstanceOf(History);
    expect(both.callbacks[2]).toBeInstanceOf(ProgressBar);
    expect(both.history).toBe(both.callbacks[1]);
    expect(both.progressBar).toBe(both.callbacks[2]);

    const none = new CallbackList([mine]);
    expect(none.callbacks).toEqual([mine]);
    expect(none.history).toBeUndefined();
    expect(none.progressBar).toBeUndefined();

    const history = new History();
    const bar = new ProgressBar();
    const given = new CallbackList([bar, history], { addHistory: true, addProgressBar: true });
    expect(given.callbacks).toEqual([bar, history]);
    expect(given.history).toBe(history);
    expect(given.progressBar).toBe(bar);
    expect(new CallbackList(undefined, { addHistory: true }).callbacks).toHaveLength(1);
  });

  test("refuses what is not an array of callbacks, naming the function", () => {
    expect(() => new CallbackList({} as never)).toThrow("fit: callbacks must be an array of Callback, got an object");
    expect(() => new CallbackList("x" as never, { fn: "evaluate" })).toThrow(
      'evaluate: callbacks must be an array of Callback, got string "x"',
    );
    expect(() => new CallbackList([new Callback(), 3] as never, { fn: "predict" })).toThrow(
      "predict: callbacks[1] must be a Callback (e.g. new callbacks.EarlyStopping({ … }) or new callbacks.LambdaCallback({ onEpochEnd })), got 3",
    );
  });
});

describe("LambdaCallback", () => {
  test("passes promises through and drops other return values", async () => {
    const callback = new LambdaCallback({
      onEpochEnd: () => 5,
      onTrainEnd: async () => {},
      // biome-ignore lint/suspicious/noThenProperty: a non-callable `then` must not be awaited as a thenable
      onBatchEnd: () => ({ then: 1 }),
    });
    expect(callback.onEpochEnd(0, {})).toBeUndefined();
    expect(callback.onTrainEnd({})).toBeInstanceOf(Promise);
    expect(callback.onBatchEnd(0, {})).toBeUndefined();
    // Hooks not given stay the base class's no-ops.
    expect(callback.onTestEnd({})).toBeUndefined();
    expect(new LambdaCallback().onPredictBatchEnd(0, {})).toBeUndefined();
  });

  test("names a bad hook", () => {
    expect(() => new LambdaCallback({ onTrainBegin: "x" } as never)).toThrow(
      'LambdaCallback: onTrainBegin must be a function, got string "x"',
    );
    expect(() => new LambdaCallback({ onBatchEnd: null } as never)).toThrow(
      "LambdaCallback: onBatchEnd must be a function, got null",
    );
  });
});

describe("Callback", () => {
  test("requireModel names the callback class when used outside fit", () => {
    class MyCallback extends Callback {
      run() {
        return this.requireModel();
      }
    }
    expect(() => new MyCallback().run()).toThrow("MyCallback: no model is set; callbacks run inside model.fit()");
  });
});
