// predict's options do what they say: steps caps the batches, verbose prints Keras's progress bar (default 0),
// callbacks' onPredict* hooks run synchronously (async hooks are refused), and densa/infer's InferenceModel
// refuses what it cannot do.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getEngine } from "../../ts/engine/engine.js";
import { callbacks, init, layers, Sequential } from "../../ts/index.js";
import { InferenceModel } from "../../ts/infer.js";

beforeAll(async () => {
  await init();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const x = Array.from({ length: 10 }, (_, i) => [i / 10, 1 - i / 10]);
const model = (name?: string) =>
  new Sequential([new layers.Dense(3, { inputShape: [2], activation: "tanh" }), new layers.Dense(2)], { name });

const { Callback } = callbacks;
type Logs = callbacks.Logs;
type TrainingParams = callbacks.TrainingParams;

class Recorder extends Callback {
  readonly calls: string[] = [];
  seenParams: TrainingParams | undefined;
  override onPredictBegin(logs: Logs) {
    this.seenParams = this.params;
    this.calls.push(`begin ${JSON.stringify(logs)}`);
  }
  override onPredictBatchBegin(batch: number) {
    this.calls.push(`batchBegin ${batch}`);
  }
  override onPredictBatchEnd(batch: number) {
    this.calls.push(`batchEnd ${batch}`);
  }
  override onPredictEnd() {
    this.calls.push("end");
  }
}

describe("predict's steps, verbose and callbacks", () => {
  it("steps predicts only the first steps × batchSize samples", () => {
    const m = model();
    const all = m.predict(x, { batchSize: 3 });
    const firstTwo = m.predict(x, { batchSize: 3, steps: 2 });
    expect(firstTwo.shape).toEqual([6, 2]);
    expect(Array.from(firstTwo.data)).toEqual(Array.from(all.data.subarray(0, 12)));
    expect(m.predict(x, { batchSize: 3, steps: 9 }).shape).toEqual([10, 2]);
    expect(() => m.predict(x, { steps: 0 })).toThrow("predict: steps must be a positive integer, got 0");
    m.dispose();
  });

  it("runs the onPredict* hooks synchronously, in Keras's order, with Keras's params", () => {
    const m = model();
    const recorder = new Recorder();
    m.predict(x, { batchSize: 4, callbacks: [recorder] });
    expect(recorder.calls).toEqual([
      "begin {}",
      "batchBegin 0",
      "batchEnd 0",
      "batchBegin 1",
      "batchEnd 1",
      "batchBegin 2",
      "batchEnd 2",
      "end",
    ]);
    expect(recorder.seenParams).toEqual({ epochs: 1, steps: 3, verbose: 0 });
    expect(recorder.model).toBe(m);
    m.dispose();
  });

  it("is silent by default; verbose 1 prints the progress bar", () => {
    const m = model();
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    m.predict(x);
    expect(write).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
    const lines: string[] = [];
    const bar = new callbacks.ProgressBar({
      output: { write: (text: string) => void lines.push(text), isTTY: false } as never,
    });
    m.predict(x, { batchSize: 5, verbose: 1, callbacks: [bar] });
    expect(lines.join("")).toContain("2/2");
    m.predict(x, { verbose: "auto" });
    // NOTE: "auto" is 1 for predict (as Keras): the bar of its one batch of 10, off a terminal printed once.
    const printed = [
      ...write.mock.calls.map((call) => String(call[0])),
      ...log.mock.calls.map((call) => `${call.join(" ")}\n`),
    ].join("");
    expect(printed).toMatch(/^1\/1 ━{20} /);
    m.dispose();
  });

  it("refuses an async hook before predicting, and a hook that returns a Promise when it does", () => {
    const m = model();
    class AsyncEnd extends Recorder {
      override async onPredictEnd() {}
    }
    const early = new AsyncEnd();
    expect(() => m.predict(x, { callbacks: [new Recorder(), early] })).toThrow(
      "predict: callbacks[1] (AsyncEnd).onPredictEnd is an async function, but predict is synchronous and cannot await it; make the hook synchronous (fit and evaluate await async hooks)",
    );
    expect(early.calls).toEqual([]);
    const lambda = new callbacks.LambdaCallback({ onPredictBatchEnd: async () => {} });
    expect(() => m.predict(x, { callbacks: [lambda] })).toThrow(
      "predict: callbacks[0] (LambdaCallback).onPredictBatchEnd returned a Promise, but predict is synchronous and cannot await it",
    );
    m.dispose();
  });

  it("a hook that disposes the model stops predict; add and pop from a hook are refused", () => {
    const allocator = getEngine().allocator;
    const before = allocator.bytesInUse;
    const m = model("predicting");
    m.predict(x); // warm: buffers exist
    const adder = new callbacks.LambdaCallback({ onPredictBegin: () => m.add(new layers.Dense(1)) });
    expect(() => m.predict(x, { callbacks: [adder] })).toThrow(
      'add: the model "predicting" is predicting (a callback of predict() called add); call add after predict returns',
    );
    const disposer = new callbacks.LambdaCallback({
      onPredictBatchBegin: (batch) => (batch === 1 ? m.dispose() : undefined),
    });
    expect(() => m.predict(x, { batchSize: 4, callbacks: [disposer] })).toThrow(
      'predict: the model "predicting" was disposed',
    );
    expect(allocator.bytesInUse).toBe(before);
  });
});

describe("densa/infer's InferenceModel", () => {
  it("supports steps, and refuses verbose and callbacks it has no code for", () => {
    const m = new InferenceModel([new layers.Dense(2, { inputShape: [2] })]);
    expect(m.predict(x, { batchSize: 4, steps: 1 }).shape).toEqual([4, 2]);
    expect(m.predict(x, { verbose: 0, callbacks: [] }).shape).toEqual([10, 2]);
    expect(() => m.predict(x, { verbose: 1 })).toThrow(
      "predict: verbose 1 needs the progress bar of the full densa package; densa/infer predicts silently (verbose 0)",
    );
    expect(() => m.predict(x, { callbacks: [new Recorder()] })).toThrow(
      "predict: callbacks need the full densa package; densa/infer's predict runs no callbacks",
    );
    m.dispose();
  });
});
