// Expected learning rates follow Keras 3's reduce_lr_on_plateau.py / learning_rate_scheduler.py semantics,
// traced by hand for each scripted sequence.
import { describe, expect, it } from "vitest";
import type { Logs } from "../../ts/callbacks/callback.js";
import { LambdaCallback } from "../../ts/callbacks/lambda-callback.js";
import { LearningRateScheduler } from "../../ts/callbacks/learning-rate-scheduler.js";
import { ReduceLROnPlateau } from "../../ts/callbacks/reduce-lr-on-plateau.js";
import { StringOutput } from "../../ts/utils/output.js";
import { FakeModel, runEpochs } from "./fake-model.js";

/** Runs scripted epochs and returns [lr after each epoch, logs.learning_rate seen at each epoch end]. */
async function trace(model: FakeModel, callback: ReduceLROnPlateau | LearningRateScheduler, epochLogs: Logs[]) {
  const after: number[] = [];
  const logged: number[] = [];
  const probe = new LambdaCallback({
    onEpochEnd: (_epoch, logs) => {
      after.push(model.optimizer.learningRate);
      logged.push(logs.learning_rate);
    },
  });
  await runEpochs(model, [callback, probe], epochLogs);
  return { after, logged };
}

const flat = (n: number, key = "val_loss") => Array.from({ length: n }, () => ({ [key]: 1 }));

describe("ReduceLROnPlateau", () => {
  it("multiplies by factor after `patience` epochs without improvement, and logs the rate in effect", async () => {
    const model = new FakeModel();
    model.optimizer.learningRate = 1;
    const { after, logged } = await trace(model, new ReduceLROnPlateau({ factor: 0.5, patience: 2 }), flat(6));
    expect(after).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25]);
    expect(logged).toEqual([1, 1, 1, 0.5, 0.5, 0.25]);
  });

  it("cooldown pauses the count after a reduction", async () => {
    const model = new FakeModel();
    model.optimizer.learningRate = 1;
    const { after } = await trace(model, new ReduceLROnPlateau({ factor: 0.5, patience: 1, cooldown: 2 }), flat(6));
    // e0 improves; e1 reduces (cooldown 2); e2 in cooldown; e3 cooldown ends, waits 1 → reduces; e4 cooldown; e5 reduces
    expect(after).toEqual([1, 0.5, 0.5, 0.25, 0.25, 0.125]);
  });

  it("never goes below minLr", async () => {
    const model = new FakeModel();
    model.optimizer.learningRate = 1;
    const { after } = await trace(model, new ReduceLROnPlateau({ factor: 0.1, patience: 1, minLr: 0.05 }), flat(5));
    expect(after[1]).toBeCloseTo(0.1, 12);
    expect(after.slice(2)).toEqual([0.05, 0.05, 0.05]);
  });

  it("minDelta: changes within it are not improvements; auto maximizes 'acc' monitors", async () => {
    const model = new FakeModel();
    model.optimizer.learningRate = 1;
    const losses = [1, 0.99995, 0.9999, 0.5].map((v) => ({ val_loss: v }));
    const { after } = await trace(model, new ReduceLROnPlateau({ factor: 0.5, patience: 2 }), losses);
    // 0.99995 and 0.9999 are within 1e-4 of 1 → two epochs without improvement → reduce at e2
    expect(after).toEqual([1, 1, 0.5, 0.5]);

    const accModel = new FakeModel();
    accModel.optimizer.learningRate = 1;
    const accuracy = [0.5, 0.6, 0.7, 0.7].map((v) => ({ val_acc: v }));
    const rising = await trace(
      accModel,
      new ReduceLROnPlateau({ monitor: "val_acc", factor: 0.5, patience: 1 }),
      accuracy,
    );
    expect(rising.after).toEqual([1, 1, 1, 0.5]);
  });

  it("verbose message as Keras prints it", async () => {
    const model = new FakeModel();
    model.optimizer.learningRate = 0.001;
    const output = new StringOutput();
    await runEpochs(
      model,
      [new ReduceLROnPlateau({ monitor: "loss", patience: 0, verbose: 1, output })],
      [{ loss: 1 }, { loss: 1 }],
    );
    // Keras reads the float32 variable (0.0010000000474974513) and multiplies by 0.1 in float64
    expect(output.text).toBe(`\nEpoch 2: ReduceLROnPlateau reducing learning rate to ${Math.fround(0.001) * 0.1}.\n`);
    expect(output.text).toContain("to 0.00010000000474974513.");
  });

  it("validates options and needs an optimizer", async () => {
    expect(() => new ReduceLROnPlateau({ factor: 1 })).toThrow(
      "ReduceLROnPlateau: factor must be a finite number in (0, 1), got 1",
    );
    expect(() => new ReduceLROnPlateau({ cooldown: 1.5 })).toThrow(
      "ReduceLROnPlateau: cooldown must be a non-negative integer, got 1.5",
    );
    expect(() => new ReduceLROnPlateau({ min_lr: 0 } as never)).toThrow('(did you mean "minLr"?)');
    const model = new FakeModel();
    (model as { optimizer: unknown }).optimizer = undefined;
    await expect(runEpochs(model, [new ReduceLROnPlateau()], flat(1))).rejects.toThrow(
      "ReduceLROnPlateau: the model has no optimizer with a learningRate; compile the model before fit",
    );
  });
});

describe("LearningRateScheduler", () => {
  it("reproduces Keras's documented example: 0.01, exp(-0.1) decay after epoch 10, 15 epochs → 0.00607", async () => {
    const model = new FakeModel();
    model.optimizer.learningRate = 0.01;
    const seen: [number, number][] = [];
    const scheduler = new LearningRateScheduler((epoch, lr) => {
      seen.push([epoch, lr]);
      return epoch < 10 ? lr : lr * Math.exp(-0.1);
    });
    const { logged } = await trace(model, scheduler, flat(15, "loss"));
    expect(Math.round(model.optimizer.learningRate * 1e5) / 1e5).toBe(0.00607);
    expect(seen[0]).toEqual([0, Math.fround(0.01)]); // the float32 rate, as Keras passes it
    expect(logged[14]).toBe(Math.fround(model.optimizer.learningRate));
  });

  it("accepts async schedules and rejects non-numbers", async () => {
    const model = new FakeModel();
    await runEpochs(model, [new LearningRateScheduler(async (epoch) => 0.1 / (epoch + 1))], flat(3, "loss"));
    expect(model.optimizer.learningRate).toBeCloseTo(0.1 / 3, 15);
    await expect(runEpochs(new FakeModel(), [new LearningRateScheduler(() => NaN)], flat(1, "loss"))).rejects.toThrow(
      "LearningRateScheduler: schedule(0, 0.009999999776482582) must return a finite number >= 0, got NaN",
    );
    expect(() => new LearningRateScheduler(5 as never)).toThrow(
      "LearningRateScheduler: schedule must be a function, got 5",
    );
  });

  it("verbose message", async () => {
    const output = new StringOutput();
    await runEpochs(new FakeModel(), [new LearningRateScheduler(() => 0.5, { verbose: 1, output })], flat(1, "loss"));
    expect(output.text).toBe("\nEpoch 1: LearningRateScheduler setting learning rate to 0.5.\n");
  });
});
