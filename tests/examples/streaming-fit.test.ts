import { describe, expect, it } from "vitest";
import { expectSuccess, numberIn, runExample } from "./run-example.js";

describe("examples/streaming-fit.mjs", () => {
  it("trains from an endless async generator with stepsPerEpoch", async () => {
    const run = await runExample("streaming-fit.mjs");
    const lines = expectSuccess(run);
    expect(lines[lines.length - 1]).toMatch(/^Test accuracy: [\d.]+ % \(loss [\d.]+, 1000 samples\)$/);
    expect(numberIn(run.stdout, /^Test accuracy: ([\d.]+) %/m)).toBeGreaterThan(90);
    // stepsPerEpoch 100 each of the 12 epochs, validated every epoch.
    const epochLines = lines.filter((line) => line.startsWith("100/100 - "));
    expect(epochLines).toHaveLength(12);
    // NOTE: Keras prints |v| ≤ 1e-3 as .4e ("0.0000e+00"), so a number may carry an exponent.
    for (const line of epochLines)
      expect(line).toMatch(/val_accuracy: \d+\.\d{4}(?:e[+-]\d+)? - val_loss: \d+\.\d{4}(?:e[+-]\d+)?$/);
    expect(run.stdout).toContain("Saw 76,800 samples");
  });
});
