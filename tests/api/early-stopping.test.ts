// Scenarios and expected outcomes follow Keras 3's early_stopping.py semantics and its own tests
// (keras/src/callbacks/early_stopping_test.py), written out here.
import { describe, expect, it, vi } from "vitest";
import { EarlyStopping } from "../../ts/callbacks/early-stopping.js";
import { StringOutput } from "../../ts/utils/output.js";
import { FakeModel, runEpochs } from "./fake-model.js";

const logsOf = (key: string, values: number[]) => values.map((value) => ({ [key]: value }));

describe("EarlyStopping", () => {
  it("patience: stops at max(patience, 1) + 2 on Keras's loss sequence", async () => {
    const losses = [10.0, 9.0, 8.0, 9.0, 8.9, 8.8, 8.7, 8.6, 8.5];
    for (const patience of [0, 1, 2, 3]) {
      const stopper = new EarlyStopping({ monitor: "loss", patience });
      await runEpochs(new FakeModel(), [stopper], logsOf("loss", losses));
      expect(stopper.stoppedEpoch).toBe(Math.max(patience, 1) + 2);
    }
  });

  it("restoreBestWeights restores the best epoch after stopping", async () => {
    const model = new FakeModel();
    const stopper = new EarlyStopping({ monitor: "val_loss", patience: 2, restoreBestWeights: true });
    const ran = await runEpochs(model, [stopper], logsOf("val_loss", [0.2, 0.15, 0.1, 0.11, 0.12]));
    expect(ran).toBe(5);
    expect(stopper.stoppedEpoch).toBe(4);
    expect(model.weightEpoch).toBe(2);
  });

  it("baseline: no epoch beats it, so training stops after `patience` epochs and the best weights return", async () => {
    const model = new FakeModel();
    const stopper = new EarlyStopping({ monitor: "val_loss", patience: 5, baseline: 0.5, restoreBestWeights: true });
    const ran = await runEpochs(model, [stopper], logsOf("val_loss", [0.9, 0.8, 0.7, 0.71, 0.72, 0.73]));
    expect(ran).toBe(5);
    expect(model.weightEpoch).toBe(2);
  });

  it("restores the best weights when another callback stops training, and when training just ends", async () => {
    const model = new FakeModel();
    const stopper = new EarlyStopping({ monitor: "val_loss", patience: 5, baseline: 0.5, restoreBestWeights: true });
    const ran = await runEpochs(model, [stopper], logsOf("val_loss", [0.9, 0.8, 0.7, 0.71, 0.72, 0.73]), { stopAt: 3 });
    expect(ran).toBe(4);
    expect(model.weightEpoch).toBe(2);

    const finished = new FakeModel();
    const patient = new EarlyStopping({ monitor: "loss", patience: 5, restoreBestWeights: true });
    expect(await runEpochs(finished, [patient], logsOf("loss", [0.3, 0.1, 0.2]))).toBe(3);
    expect(patient.stoppedEpoch).toBe(0);
    expect(finished.weightEpoch).toBe(1); // Keras 3 restores at the end even without an early stop
  });

  it("without restoreBestWeights the last weights stay", async () => {
    const model = new FakeModel();
    await runEpochs(model, [new EarlyStopping({ monitor: "loss", patience: 1 })], logsOf("loss", [1, 0.5, 0.6, 0.7]));
    expect(model.weightEpoch).toBe(2);
  });

  it("minDelta: improvements smaller than minDelta do not count", async () => {
    const strict = new EarlyStopping({ monitor: "loss", patience: 2, minDelta: 0.1 });
    await runEpochs(new FakeModel(), [strict], logsOf("loss", [1.0, 0.95, 0.92, 0.5]));
    expect(strict.stoppedEpoch).toBe(2);
    const loose = new EarlyStopping({ monitor: "loss", patience: 2 });
    await runEpochs(new FakeModel(), [loose], logsOf("loss", [1.0, 0.95, 0.92, 0.5]));
    expect(loose.stoppedEpoch).toBe(0);
    // a negative minDelta is taken by absolute value, as Keras does
    expect(new EarlyStopping({ minDelta: -0.1 }).minDelta).toBe(0.1);
  });

  it("mode: auto maximizes accuracy, min / max force the direction", async () => {
    const accuracy = logsOf("val_accuracy", [0.5, 0.6, 0.6, 0.59]);
    const auto = new EarlyStopping({ monitor: "val_accuracy", patience: 1 });
    await runEpochs(new FakeModel(), [auto], accuracy);
    expect(auto.stoppedEpoch).toBe(2);
    const forcedMin = new EarlyStopping({ monitor: "val_accuracy", patience: 1, mode: "min" });
    await runEpochs(new FakeModel(), [forcedMin], accuracy);
    expect(forcedMin.stoppedEpoch).toBe(1);
    const forcedMax = new EarlyStopping({ monitor: "val_loss", patience: 1, mode: "max" });
    await runEpochs(new FakeModel(), [forcedMax], logsOf("val_loss", [1, 0.5]));
    expect(forcedMax.stoppedEpoch).toBe(1);
  });

  it("auto mode knows Keras's metric directions and asks the model for custom ones", async () => {
    for (const [monitor, best] of [
      ["val_mse", Infinity],
      ["loss", Infinity],
      ["acc", -Infinity],
      ["hinge", Infinity],
      ["f1_score", -Infinity],
    ] as const) {
      const stopper = new EarlyStopping({ monitor });
      await runEpochs(new FakeModel(), [stopper], []);
      expect(stopper.best).toBe(best);
    }
    const model = new FakeModel();
    model.directions.my_score = "up";
    const custom = new EarlyStopping({ monitor: "val_my_score" });
    await runEpochs(model, [custom], []);
    expect(custom.best).toBe(-Infinity);
    await expect(runEpochs(new FakeModel(), [new EarlyStopping({ monitor: "unknown" })], [])).rejects.toThrow(
      'EarlyStopping: cannot tell whether monitor "unknown" should be minimized or maximized; pass mode: one of "min", "max"',
    );
  });

  it("startFromEpoch: epochs before it are not monitored", async () => {
    const stopper = new EarlyStopping({ monitor: "loss", patience: 0, startFromEpoch: 2 });
    const ran = await runEpochs(new FakeModel(), [stopper], logsOf("loss", [5, 6, 7, 8, 9]));
    expect(stopper.stoppedEpoch).toBe(3);
    expect(ran).toBe(4);
    const patient = new EarlyStopping({ monitor: "loss", patience: 3, startFromEpoch: 2 });
    expect(await runEpochs(new FakeModel(), [patient], logsOf("loss", Array(10).fill(1)))).toBe(6);
  });

  it("a missing monitor warns and does not stop", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const stopper = new EarlyStopping({ monitor: "val_loss", patience: 0 });
    expect(await runEpochs(new FakeModel(), [stopper], logsOf("loss", [1, 2, 3]))).toBe(3);
    expect(warn).toHaveBeenCalledWith('EarlyStopping: monitor "val_loss" is not in the logs; available: loss');
    warn.mockRestore();
  });

  it("verbose prints Keras's messages", async () => {
    const output = new StringOutput();
    const stopper = new EarlyStopping({ monitor: "loss", patience: 1, verbose: 1, restoreBestWeights: true, output });
    await runEpochs(new FakeModel(), [stopper], logsOf("loss", [1, 0.5, 0.7, 0.8]));
    expect(output.text).toBe("Epoch 3: early stopping\nRestoring model weights from the end of the best epoch: 2.\n");
  });

  it("can be reused across fits", async () => {
    const stopper = new EarlyStopping({ monitor: "loss", patience: 1 });
    await runEpochs(new FakeModel(), [stopper], logsOf("loss", [1, 2, 3]));
    expect(stopper.stoppedEpoch).toBe(1);
    const ran = await runEpochs(new FakeModel(), [stopper], logsOf("loss", [5, 4, 3]));
    expect(ran).toBe(3);
    expect(stopper.stoppedEpoch).toBe(0);
  });

  it("validates its options", () => {
    expect(() => new EarlyStopping({ mode: "maximum" as never })).toThrow(
      'EarlyStopping: unknown mode string "maximum"; valid values are "auto", "min", "max"',
    );
    expect(() => new EarlyStopping({ patience: -1 })).toThrow(
      "EarlyStopping: patience must be a non-negative integer, got -1",
    );
    expect(() => new EarlyStopping({ monitor: "" })).toThrow("EarlyStopping: monitor must be a non-empty string");
    expect(() => new EarlyStopping({ restore_best_weights: true } as never)).toThrow(
      'EarlyStopping: unknown option "restore_best_weights" (did you mean "restoreBestWeights"?)',
    );
    expect(() => new EarlyStopping({ baseline: NaN })).toThrow(
      "EarlyStopping: baseline must be a finite number, got NaN",
    );
  });
});
