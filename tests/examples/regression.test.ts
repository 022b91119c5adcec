import { describe, expect, it } from "vitest";
import { expectSuccess, numberIn, runExample } from "./run-example.js";

describe("examples/regression.mjs", () => {
  it("predicts diabetes progression far better than the mean", async () => {
    const run = await runExample("regression.mjs");
    const lines = expectSuccess(run);
    expect(lines[lines.length - 1]).toMatch(/^Test MAE: [\d.]+ \(MSE \d+\)$/);
    const mae = numberIn(run.stdout, /^Test MAE: ([\d.]+)/m);
    const baseline = numberIn(run.stdout, /test MAE of (\d+(?:\.\d+)?)/);
    // data/README.md: plain least squares reaches about 45 on a split like this one, the mean about 62.
    expect(mae).toBeLessThan(50);
    expect(mae).toBeLessThan(baseline * 0.8);
    expect(run.stdout).toContain("normalization (Normalization)");
    expect(run.stdout).toMatch(/Non-trainable params: 20\b/); // mean and variance of 10 inputs
  });
});
