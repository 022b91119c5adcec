// Callback options are checked with messages that name the callback and the option, and the edge cases of
// Keras 3's callbacks hold: EarlyStopping and ReduceLROnPlateau in explicit min / max modes and at their
// boundaries (equal values, epoch 0, NaN), verbose 0 writes nothing, a missing monitor only warns, and callbacks
// tolerate models and sinks without optional parts. Expected values are traced by hand from Keras's code.
import { afterEach, describe, expect, test, vi } from "vitest";
import { Callback, type TrainingModel } from "../../ts/callbacks/callback.js";
import { CallbackList } from "../../ts/callbacks/callback-list.js";
import { CSVLogger } from "../../ts/callbacks/csv-logger.js";
import { EarlyStopping } from "../../ts/callbacks/early-stopping.js";
import { History } from "../../ts/callbacks/history.js";
import { LambdaCallback } from "../../ts/callbacks/lambda-callback.js";
import { LearningRateScheduler } from "../../ts/callbacks/learning-rate-scheduler.js";
import { resolveMonitorMode } from "../../ts/callbacks/monitor.js";
import { optimizerOf } from "../../ts/callbacks/optimizer-of.js";
import { ReduceLROnPlateau } from "../../ts/callbacks/reduce-lr-on-plateau.js";
import { TerminateOnNaN } from "../../ts/callbacks/terminate-on-nan.js";
import { StringOutput } from "../../ts/utils/output.js";
import { FakeModel, runEpochs } from "../api/fake-model.js";

afterEach(() => vi.restoreAllMocks());

describe("option checks name the callback and the option", () => {
  test.each([
    [() => new ReduceLROnPlateau({ monitor: 5 as never }), "ReduceLROnPlateau: monitor"],
    [() => new ReduceLROnPlateau({ patience: -1 }), "ReduceLROnPlateau: patience"],
    [() => new ReduceLROnPlateau({ patience: 1.5 }), "ReduceLROnPlateau: patience"],
    [() => new ReduceLROnPlateau({ verbose: 2 as never }), "ReduceLROnPlateau: verbose"],
    [() => new ReduceLROnPlateau({ mode: "up" as never }), "ReduceLROnPlateau: unknown mode"],
    [() => new ReduceLROnPlateau({ minDelta: -1 }), "ReduceLROnPlateau: minDelta"],
    [() => new ReduceLROnPlateau({ minLr: -1 }), "ReduceLROnPlateau: minLr"],
    [() => new EarlyStopping({ minDelta: "0" as never }), "EarlyStopping: minDelta"],
    [() => new EarlyStopping({ verbose: 3 as never }), "EarlyStopping: verbose"],
    [() => new EarlyStopping({ restoreBestWeights: 1 as never }), "EarlyStopping: restoreBestWeights"],
    [() => new EarlyStopping({ startFromEpoch: -1 }), "EarlyStopping: startFromEpoch"],
    [() => new EarlyStopping({ startFromEpoch: 0.5 }), "EarlyStopping: startFromEpoch"],
    [() => new EarlyStopping({ baseline: "1" as never }), "EarlyStopping: baseline"],
    [() => new TerminateOnNaN({ raiseError: "yes" as never }), "TerminateOnNaN: raiseError"],
    [() => new TerminateOnNaN({ raise_error: true } as never), "TerminateOnNaN: unknown option"],
    [() => new LearningRateScheduler(() => 0.1, { verbose: 2 as never }), "LearningRateScheduler: verbose"],
    [() => new LearningRateScheduler("x" as never), "LearningRateScheduler: schedule"],
    [() => new LambdaCallback(5 as never), "LambdaCallback: hooks must be an object, got 5"],
    [() => new CSVLogger(""), 'CSVLogger: filename must be a non-empty string, got string ""'],
    [() => new CSVLogger({ filename: 5 as never }), "CSVLogger: filename must be a non-empty string, got 5"],
    [
      () => new CSVLogger({ sink: null as never }),
      "CSVLogger: sink must be an object with a write(text) method, got null",
    ],
    [() => new CSVLogger({ sink: {} as never }), "CSVLogger: sink must be an object with a write(text) method"],
    [() => new CSVLogger({}), "CSVLogger: pass a filename (Node, Deno, Bun) or a sink with a write(text) method"],
    [
      () => new CSVLogger("a.csv", { separator: ";;" }),
      'CSVLogger: separator must be a single character, got string ";;"',
    ],
    [() => new CSVLogger("a.csv", { separator: "" }), "CSVLogger: separator must be a single character"],
  ])("%#", (make, message) => {
    expect(make).toThrow(message);
  });

  test("accepted edge values", () => {
    expect(new EarlyStopping({ baseline: null }).baseline).toBeUndefined();
    expect(new EarlyStopping({ baseline: 0.5 }).baseline).toBe(0.5);
    expect(new EarlyStopping({ minDelta: -0.1 }).minDelta).toBe(0.1);
    expect(new ReduceLROnPlateau({ patience: 0, minDelta: 0, minLr: 0 }).patience).toBe(0);
  });
});

describe("optimizerOf", () => {
  test("needs an optimizer whose learningRate is a number", () => {
    const model = new FakeModel();
    expect(optimizerOf(model, "X")).toBe(model.optimizer);
    (model as { optimizer: unknown }).optimizer = { learningRate: "0.1" };
    expect(() => optimizerOf(model, "X")).toThrow(
      "X: the model has no optimizer with a learningRate; compile the model before fit",
    );
    (model as { optimizer: unknown }).optimizer = null;
    expect(() => optimizerOf(model, "X")).toThrow("X: the model has no optimizer");
  });

  test("ReduceLROnPlateau and LearningRateScheduler name themselves, at train begin and at each epoch", async () => {
    const model = new FakeModel();
    (model as { optimizer: unknown }).optimizer = undefined;
    const plateau = new ReduceLROnPlateau();
    plateau.setModel(model);
    expect(() => plateau.onTrainBegin()).toThrow("ReduceLROnPlateau: the model has no optimizer");
    expect(() => plateau.onEpochEnd(0, { val_loss: 1 })).toThrow("ReduceLROnPlateau: the model has no optimizer");
    const scheduler = new LearningRateScheduler(() => 0.1);
    scheduler.setModel(model);
    await expect(scheduler.onEpochBegin(0)).rejects.toThrow("LearningRateScheduler: the model has no optimizer");
    expect(() => scheduler.onEpochEnd(0, {})).toThrow("LearningRateScheduler: the model has no optimizer");
  });
});

describe("ReduceLROnPlateau edges", () => {
  const lrs = async (callback: ReduceLROnPlateau, key: string, values: number[], start = 1) => {
    const model = new FakeModel();
    model.optimizer.learningRate = start;
    const after: number[] = [];
    await runEpochs(
      model,
      [callback, new LambdaCallback({ onEpochEnd: () => void after.push(model.optimizer.learningRate) })],
      values.map((v) => ({ [key]: v })),
    );
    return after;
  };

  test("mode max on any monitor; mode min even on an accuracy", async () => {
    expect(
      await lrs(
        new ReduceLROnPlateau({ monitor: "val_score", mode: "max", factor: 0.5, patience: 1 }),
        "val_score",
        [1, 2, 1.5],
      ),
    ).toEqual([1, 1, 0.5]);
    expect(
      await lrs(
        new ReduceLROnPlateau({ monitor: "val_acc", mode: "min", factor: 0.5, patience: 1 }),
        "val_acc",
        [0.5, 0.4, 0.6],
      ),
    ).toEqual([1, 1, 0.5]);
    expect(
      await lrs(new ReduceLROnPlateau({ monitor: "val_score", factor: 0.5, patience: 1 }), "val_score", [1, 0.5, 0.7]),
    ).toEqual([1, 1, 0.5]);
  });

  test("an equal value is no improvement in max mode either", async () => {
    expect(
      await lrs(new ReduceLROnPlateau({ monitor: "acc", minDelta: 0, factor: 0.5, patience: 1 }), "acc", [0.5, 0.5]),
    ).toEqual([1, 0.5]);
  });

  test("at minLr already: no reduction, no message, no cooldown", async () => {
    const output = new StringOutput();
    expect(
      await lrs(
        new ReduceLROnPlateau({ patience: 0, minLr: 0.25, factor: 0.5, verbose: 1, output }),
        "val_loss",
        [1, 1, 1],
        0.25,
      ),
    ).toEqual([0.25, 0.25, 0.25]);
    expect(output.text).toBe("");
  });

  test("verbose 0 writes nothing when it reduces", async () => {
    const output = new StringOutput();
    expect(await lrs(new ReduceLROnPlateau({ patience: 0, factor: 0.5, output }), "val_loss", [1, 1])).toEqual([
      1, 0.5,
    ]);
    expect(output.text).toBe("");
  });

  test("a missing monitor warns once and changes nothing; learning_rate is still logged", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const model = new FakeModel();
    model.optimizer.learningRate = 1;
    const logs: number[] = [];
    await runEpochs(
      model,
      [
        new ReduceLROnPlateau({ monitor: "val_missing_rop", patience: 0 }),
        new LambdaCallback({ onEpochEnd: (_, l) => void logs.push(l.learning_rate) }),
      ],
      [{ loss: 1 }, { loss: 1 }],
    );
    expect(model.optimizer.learningRate).toBe(1);
    expect(logs).toEqual([1, 1]);
    expect(warn).toHaveBeenCalledWith(
      'ReduceLROnPlateau: monitor "val_missing_rop" is not in the logs; available: loss, learning_rate',
    );
  });

  test("state starts afresh at each fit", async () => {
    const callback = new ReduceLROnPlateau({ factor: 0.5, patience: 2 });
    expect(await lrs(callback, "val_loss", [1, 2])).toEqual([1, 1]);
    // A second fit from a worse start: the best is reset, so epoch 0 improves again and nothing is reduced.
    expect(await lrs(callback, "val_loss", [5, 5])).toEqual([1, 1]);
  });
});

describe("EarlyStopping edges", () => {
  const run = async (callback: EarlyStopping, values: number[], key = "val_loss") => {
    const model = new FakeModel();
    const epochs = await runEpochs(
      model,
      [callback],
      values.map((v) => ({ [key]: v })),
    );
    return { epochs, weightEpoch: model.weightEpoch };
  };

  test("never stops at epoch 0, even with patience 0 and no improvement", async () => {
    expect((await run(new EarlyStopping({ patience: 0 }), [Number.NaN, 1, 2])).epochs).toBe(3);
  });

  test("NaN never improves; restoreBestWeights then restores the first monitored epoch", async () => {
    const result = await run(new EarlyStopping({ patience: 5, restoreBestWeights: true }), [
      Number.NaN,
      Number.NaN,
      Number.NaN,
    ]);
    expect(result).toEqual({ epochs: 3, weightEpoch: 0 });
  });

  test("max mode with minDelta: an increase smaller than minDelta is no improvement", async () => {
    expect(
      (
        await run(
          new EarlyStopping({ monitor: "val_auc", mode: "max", minDelta: 0.1, patience: 1 }),
          [0.5, 0.55, 0.9],
          "val_auc",
        )
      ).epochs,
    ).toBe(2);
    expect(
      (
        await run(
          new EarlyStopping({ monitor: "val_auc", mode: "max", minDelta: 0.1, patience: 1 }),
          [0.5, 0.65, 0.9],
          "val_auc",
        )
      ).epochs,
    ).toBe(3);
  });

  test("verbose 0 prints nothing when stopping and restoring; verbose 1 without a stop prints only the restore", async () => {
    const quiet = new StringOutput();
    await run(new EarlyStopping({ patience: 1, restoreBestWeights: true, output: quiet }), [1, 2, 3]);
    expect(quiet.text).toBe("");
    const loud = new StringOutput();
    await run(new EarlyStopping({ patience: 5, restoreBestWeights: true, verbose: 1, output: loud }), [1, 2]);
    expect(loud.text).toBe("Restoring model weights from the end of the best epoch: 1.\n");
  });

  test("a monitor that never appears: a warning, no stop, and nothing to restore", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const result = await run(
      new EarlyStopping({ monitor: "val_missing_es", mode: "min", restoreBestWeights: true, patience: 0 }),
      [1, 2],
      "val_loss",
    );
    expect(result).toEqual({ epochs: 2, weightEpoch: 1 });
    expect(warn).toHaveBeenCalledWith(
      'EarlyStopping: monitor "val_missing_es" is not in the logs; available: val_loss',
    );
  });
});

describe("LearningRateScheduler edges", () => {
  test("0 is a valid rate; negatives and non-numbers are refused", async () => {
    const model = new FakeModel();
    await runEpochs(model, [new LearningRateScheduler(() => 0)], [{ loss: 1 }]);
    expect(model.optimizer.learningRate).toBe(0);
    await expect(runEpochs(new FakeModel(), [new LearningRateScheduler(() => -0.1)], [{ loss: 1 }])).rejects.toThrow(
      "must return a finite number >= 0, got -0.1",
    );
    await expect(
      runEpochs(new FakeModel(), [new LearningRateScheduler(() => "0.1" as never)], [{ loss: 1 }]),
    ).rejects.toThrow('must return a finite number >= 0, got string "0.1"');
  });

  test("verbose 0 writes nothing", async () => {
    const output = new StringOutput();
    await runEpochs(new FakeModel(), [new LearningRateScheduler(() => 0.5, { output })], [{ loss: 1 }]);
    expect(output.text).toBe("");
  });
});

describe("TerminateOnNaN edges", () => {
  test("batch logs without a loss are left alone", () => {
    const model = new FakeModel();
    const output = new StringOutput();
    const callback = new TerminateOnNaN({ output });
    callback.setModel(model);
    callback.onBatchEnd(0, { accuracy: Number.NaN });
    expect(model.stopTraining).toBe(false);
    expect(output.text).toBe("");
  });
});

describe("small contracts", () => {
  test("History: a new one has no epochs; each fit starts its epoch list again (Keras keeps the history dict)", async () => {
    const history = new History();
    expect(history.epoch).toEqual([]);
    await runEpochs(new FakeModel(), [history], [{ loss: 1 }, { loss: 2 }]);
    await runEpochs(new FakeModel(), [history], [{ loss: 3 }]);
    expect(history.epoch).toEqual([0]);
    expect(history.history.loss).toEqual([1, 2, 3]);
  });

  test("CallbackList gives its progress bar the output it was given, and leaves models alone when none is given", async () => {
    const output = new StringOutput();
    const list = new CallbackList([], { addProgressBar: true, output, params: { epochs: 2, steps: 1, verbose: 2 } });
    await list.onTrainBegin();
    await list.onEpochBegin(0);
    list.onBatchEnd(0, { loss: 1 });
    await list.onEpochEnd(0, { loss: 1 });
    expect(output.text).toContain("Epoch 1/2");
    const model = new FakeModel();
    const callback = new Callback();
    callback.setModel(model);
    new CallbackList([callback]);
    expect(callback.model).toBe(model);
  });

  test("monitor directions work for models without metricDirection", () => {
    const bare: TrainingModel = { stopTraining: false, getWeights: () => [], setWeights: () => {} };
    expect(resolveMonitorMode("val_accuracy", "auto", bare)).toBe("max");
    expect(resolveMonitorMode("val_mystery", "auto", bare)).toBeUndefined();
  });
});

describe("CSVLogger edges", () => {
  const sink = () => {
    const chunks: string[] = [];
    return { chunks, sink: { write: (text: string) => void chunks.push(text) } };
  };

  test("a sink with only write: no open, no close needed", async () => {
    const { chunks, sink: only } = sink();
    const logger = new CSVLogger({ sink: only });
    await logger.onTrainBegin();
    await logger.onEpochEnd(0, { loss: 0.5 });
    await logger.onTrainEnd();
    expect(chunks).toEqual(["epoch,loss,val_loss\r\n", "0,0.5,NA\r\n"]);
  });

  test("without append the header is written even when the destination has content", async () => {
    const chunks: string[] = [];
    const logger = new CSVLogger({ sink: { open: () => true, write: (t) => void chunks.push(t) } });
    await logger.onTrainBegin();
    await logger.onEpochEnd(0, { loss: 1 });
    expect(chunks[0]).toBe("epoch,loss,val_loss\r\n");
  });

  test("epochs before training begins are not written; quotes in names are doubled", async () => {
    const { chunks, sink: only } = sink();
    const logger = new CSVLogger({ sink: only });
    await logger.onEpochEnd(0, { loss: 1 });
    expect(chunks).toEqual([]);
    await logger.onTrainBegin();
    await logger.onEpochEnd(0, { 'a"b': 1 });
    expect(chunks[0]).toBe('epoch,"a""b","val_a""b"\r\n');
  });
});
