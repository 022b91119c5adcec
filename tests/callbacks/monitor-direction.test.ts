// Which way a monitored value improves in mode "auto" (Keras's MonitorCallback._set_monitor_op): losses go down
// (loss, val_loss, any *_loss); a compiled metric goes the way the model says (metric._direction); otherwise
// the direction of Keras's built-in metric of that name; unknown names have none.
import { describe, expect, test } from "vitest";
import type { TrainingModel } from "../../ts/callbacks/callback.js";
import { resolveMonitorMode, unknownDirectionError } from "../../ts/callbacks/monitor.js";

const model = (directions: Record<string, "up" | "down">): TrainingModel => ({
  stopTraining: false,
  getWeights: () => [],
  setWeights: () => {},
  metricDirection: (name) => directions[name],
});

describe("resolveMonitorMode", () => {
  test("min and max are taken as given", () => {
    expect(resolveMonitorMode("val_accuracy", "min", undefined)).toBe("min");
    expect(resolveMonitorMode("val_loss", "max", undefined)).toBe("max");
  });

  test.each(["loss", "val_loss", "reconstruction_loss", "val_output_1_loss"])("%s goes down", (monitor) => {
    // Even when the model claims otherwise: a loss is minimized.
    expect(resolveMonitorMode(monitor, "auto", model({ loss: "up", reconstruction_loss: "up" }))).toBe("min");
  });

  test("a compiled metric follows the model's direction, with or without val_", () => {
    const m = model({ score: "up", error: "down", accuracy: "down" });
    expect(resolveMonitorMode("score", "auto", m)).toBe("max");
    expect(resolveMonitorMode("val_score", "auto", m)).toBe("max");
    expect(resolveMonitorMode("error", "auto", m)).toBe("min");
    // The model's word wins over the built-in table.
    expect(resolveMonitorMode("val_accuracy", "auto", m)).toBe("min");
  });

  test.each([
    ["accuracy", "max"],
    ["val_acc", "max"],
    ["val_auc", "max"],
    ["precision", "max"],
    ["recall", "max"],
    ["val_sparse_categorical_accuracy", "max"],
    ["top_k_categorical_accuracy", "max"],
    ["cosine_similarity", "max"],
    ["mse", "min"],
    ["val_mean_absolute_error", "min"],
    ["root_mean_squared_error", "min"],
    ["val_mape", "min"],
    ["kl_divergence", "min"],
    ["false_positives", "min"],
    ["hinge", "min"],
  ])("Keras's built-in %s → %s", (monitor, direction) => {
    expect(resolveMonitorMode(monitor, "auto", undefined)).toBe(direction);
    expect(resolveMonitorMode(monitor, "auto", model({}))).toBe(direction);
  });

  test("unknown names have no direction; the error asks for a mode", () => {
    expect(resolveMonitorMode("val_score", "auto", undefined)).toBeUndefined();
    expect(resolveMonitorMode("lossy", "auto", model({}))).toBeUndefined();
    expect(resolveMonitorMode("val_", "auto", undefined)).toBeUndefined();
    expect(unknownDirectionError("EarlyStopping", "val_score").message).toBe(
      'EarlyStopping: cannot tell whether monitor "val_score" should be minimized or maximized; pass mode: one of "min", "max"',
    );
  });
});
