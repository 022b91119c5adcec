import { describe, expect, it } from "vitest";
import { Callback, type Logs } from "../../ts/callbacks/callback.js";
import { CallbackList } from "../../ts/callbacks/callback-list.js";
import { History } from "../../ts/callbacks/history.js";
import { LambdaCallback } from "../../ts/callbacks/lambda-callback.js";
import { ProgressBar } from "../../ts/callbacks/progress-bar.js";
import { TerminateOnNaN } from "../../ts/callbacks/terminate-on-nan.js";
import { StringOutput } from "../../ts/utils/output.js";
import { FakeModel, runEpochs } from "./fake-model.js";

describe("History", () => {
  it("records logs under Keras's keys, the epoch indices and params", async () => {
    const model = new FakeModel();
    const list = new CallbackList([], { addHistory: true, model, params: { epochs: 3, steps: 4, verbose: 0 } });
    const history = list.history!;
    await list.onTrainBegin();
    await list.onEpochEnd(0, { loss: 0.5, accuracy: 0.7 });
    await list.onEpochEnd(1, { loss: 0.4, accuracy: 0.8, val_loss: 0.45, val_accuracy: 0.75 });
    expect(history.history).toEqual({ loss: [0.5, 0.4], accuracy: [0.7, 0.8], val_loss: [0.45], val_accuracy: [0.75] });
    expect(history.epoch).toEqual([0, 1]);
    expect(history.params).toEqual({ epochs: 3, steps: 4, verbose: 0 });
  });
});

describe("CallbackList", () => {
  it("appends History then ProgressBar after the user's callbacks, unless given", () => {
    const mine = new LambdaCallback({});
    const list = new CallbackList([mine], { addHistory: true, addProgressBar: true, output: new StringOutput() });
    expect(list.callbacks[0]).toBe(mine);
    expect(list.callbacks[1]).toBeInstanceOf(History);
    expect(list.callbacks[2]).toBeInstanceOf(ProgressBar);
    const own = new History();
    const again = new CallbackList([own], { addHistory: true });
    expect(again.history).toBe(own);
    expect(again.callbacks).toHaveLength(1);
    expect(new CallbackList([], { addHistory: true, addProgressBar: false }).progressBar).toBeUndefined();
  });

  it("calls hooks in order, awaiting async ones before the next callback", async () => {
    const events: string[] = [];
    const slow = new LambdaCallback({
      onEpochEnd: async (epoch) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        events.push(`slow ${epoch}`);
      },
      onBatchEnd: async (batch) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        events.push(`slow batch ${batch}`);
      },
    });
    const fast = new LambdaCallback({
      onEpochEnd: (epoch) => void events.push(`fast ${epoch}`),
      onBatchEnd: (batch) => void events.push(`fast batch ${batch}`),
    });
    const list = new CallbackList([slow, fast]);
    await list.onEpochEnd(0, {});
    const pending = list.onBatchEnd(3, {});
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    expect(events).toEqual(["slow 0", "fast 0", "slow batch 3", "fast batch 3"]);
  });

  it("batch dispatch returns undefined (no promise) when every hook is synchronous", () => {
    const seen: number[] = [];
    const list = new CallbackList([new LambdaCallback({ onBatchEnd: (b) => seen.push(b) }), new History()]);
    expect(list.onBatchEnd(0, { loss: 1 })).toBeUndefined();
    expect(list.onBatchBegin(1)).toBeUndefined();
    expect(seen).toEqual([0]);
  });

  it("passes the same logs object along, so later callbacks see keys added by earlier ones", async () => {
    let seen: Logs = {};
    const adder = new LambdaCallback({ onEpochEnd: (_e, logs) => void (logs.learning_rate = 0.1) });
    const reader = new LambdaCallback({ onEpochEnd: (_e, logs) => void (seen = { ...logs }) });
    await new CallbackList([adder, reader]).onEpochEnd(0, { loss: 1 });
    expect(seen).toEqual({ loss: 1, learning_rate: 0.1 });
  });

  it("sets model and params on every callback; rejects non-callbacks", () => {
    const model = new FakeModel();
    const callback = new Callback();
    new CallbackList([callback], { model, params: { epochs: 2, steps: undefined, verbose: "auto" } });
    expect(callback.model).toBe(model);
    expect(callback.params).toEqual({ epochs: 2, steps: undefined, verbose: "auto" });
    expect(() => new CallbackList([{}] as never)).toThrow("fit: callbacks[0] must be a Callback");
  });
});

describe("TerminateOnNaN", () => {
  it("stops training at a NaN or infinite batch loss", () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const model = new FakeModel();
      const output = new StringOutput();
      const callback = new TerminateOnNaN({ output });
      callback.setModel(model);
      callback.onBatchEnd(2, { loss: 0.5 });
      expect(model.stopTraining).toBe(false);
      callback.onBatchEnd(3, { loss: bad });
      expect(model.stopTraining).toBe(true);
      expect(output.text).toBe("Batch 3: Invalid loss, terminating training\n");
    }
  });

  it("raiseError throws instead", () => {
    const callback = new TerminateOnNaN({ raiseError: true });
    callback.setModel(new FakeModel());
    expect(() => callback.onBatchEnd(7, { loss: NaN })).toThrow(
      "NaN or Inf loss encountered at batch 7. Loss value: nan. Terminating training immediately.",
    );
  });
});

describe("LambdaCallback", () => {
  it("calls the given functions with Keras's arguments", async () => {
    const calls: string[] = [];
    const callback = new LambdaCallback({
      onTrainBegin: () => calls.push("train begin"),
      onEpochBegin: (epoch) => calls.push(`epoch ${epoch} begin`),
      onEpochEnd: (epoch, logs) => calls.push(`epoch ${epoch} end loss=${logs.loss}`),
      onTrainEnd: (logs) => calls.push(`train end loss=${logs.loss}`),
    });
    await runEpochs(new FakeModel(), [callback], [{ loss: 3 }, { loss: 2 }]);
    expect(calls).toEqual([
      "train begin",
      "epoch 0 begin",
      "epoch 0 end loss=3",
      "epoch 1 begin",
      "epoch 1 end loss=2",
      "train end loss=2",
    ]);
  });

  it("validates hook names and types", () => {
    expect(() => new LambdaCallback({ on_epoch_end: () => {} } as never)).toThrow(
      'LambdaCallback: unknown option "on_epoch_end" (did you mean "onEpochEnd"?)',
    );
    expect(() => new LambdaCallback({ onEpochEnd: 3 } as never)).toThrow(
      "LambdaCallback: onEpochEnd must be a function, got 3",
    );
  });
});
