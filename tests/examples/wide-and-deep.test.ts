import { describe, expect, it } from "vitest";
import { expectSuccess, numberIn, runExample } from "./run-example.js";

describe("examples/wide-and-deep.mjs", () => {
  it("trains a two-input Functional model with an Embedding on the diabetes data, saves, loads and predicts the same", async () => {
    const run = await runExample("wide-and-deep.mjs");
    const lines = expectSuccess(run);
    expect(lines[lines.length - 1]).toMatch(/^Test MAE: [\d.]+ \(MSE \d+\)$/);
    const mae = numberIn(run.stdout, /^Test MAE: ([\d.]+)/m);
    const baseline = numberIn(run.stdout, /test MAE of (\d+(?:\.\d+)?)/);
    // data/README.md: plain least squares reaches about 45 on a split like this one, the mean about 62.
    expect(mae).toBeLessThan(52);
    expect(mae).toBeLessThan(baseline * 0.85);
    expect(run.stdout).toContain("Saved and loaded: the same predictions");
    expect(run.stdout).toMatch(/│ sex_embedding +│ \(None, 1, 2\) +│ +4 │ sex\[0\]\[0\]/);
    expect(run.stdout).toMatch(/Connected to/);
  });
});
