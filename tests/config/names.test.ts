// compile() takes Keras's names for losses and metrics: snake_case, tfjs's camelCase, and Keras 3's short
// aliases (keras/src/losses/__init__.py and keras/src/metrics/__init__.py register bce/BCE, mse/MSE, …).
import { beforeAll, describe, expect, it } from "vitest";
import { init } from "../../ts/index.js";
import { resolveLoss } from "../../ts/losses/loss.js";
import { resolveMetrics } from "../../ts/metrics/index.js";

beforeAll(() => init());

describe("Keras names", () => {
  it("resolve every alias of a loss to the same loss", () => {
    const aliases: Record<string, string[]> = {
      binary_crossentropy: ["binaryCrossentropy", "BinaryCrossentropy", "bce", "BCE"],
      mean_squared_error: ["meanSquaredError", "mse", "MSE"],
      mean_absolute_error: ["mae", "MAE"],
      mean_absolute_percentage_error: ["mape", "MAPE"],
      mean_squared_logarithmic_error: ["msle", "MSLE"],
      kl_divergence: ["kld", "KLD", "kullback_leibler_divergence"],
      huber: ["huber_loss", "Huber"],
      log_cosh: ["logcosh", "logCosh"],
    };
    for (const [canonical, names] of Object.entries(aliases)) {
      for (const name of [canonical, ...names]) expect(resolveLoss(name, "test").lossName, name).toBe(canonical);
    }
  });

  it("refuses an unknown loss, listing the valid names", () => {
    expect(() => resolveLoss("focal", "compile: loss")).toThrow(
      /compile: loss: unknown loss "focal"; expected one of mean_squared_error, .*binary_crossentropy/,
    );
  });

  it("keys metrics by the name given, whichever alias", () => {
    const loss = resolveLoss("mse", "test");
    const metrics = resolveMetrics(["MAE", "mse", "rootMeanSquaredError"], loss, 1, "test");
    expect(metrics.map((metric) => [metric.name, metric.className])).toEqual([
      ["MAE", "MeanAbsoluteError"],
      ["mse", "MeanSquaredError"],
      ["rootMeanSquaredError", "RootMeanSquaredError"],
    ]);
  });
});
