import { describe, expect, it } from "vitest";
import { expectSuccess, numberIn, runExample } from "./run-example.js";

describe("examples/multiclass-classification.mjs", () => {
  it("learns the digits with one-hot targets, Dropout and EarlyStopping", async () => {
    const run = await runExample("multiclass-classification.mjs");
    const lines = expectSuccess(run);
    expect(lines[lines.length - 1]).toMatch(/^Test accuracy: [\d.]+ % \(loss [\d.]+\)$/);
    expect(numberIn(run.stdout, /^Test accuracy: ([\d.]+) %/m)).toBeGreaterThan(93);
    // verbose 2: one summary line per epoch, no bar.
    const epochs = numberIn(run.stdout, /^Stopped after (\d+) epochs/m);
    expect(lines.filter((line) => /^\d+\/\d+ - \d+s - /.test(line))).toHaveLength(epochs);
    expect(run.stdout).not.toContain("━");
    // The per-digit counts add up to the test set (20 % of 1797 rows, rounded up).
    const perDigit = [...run.stdout.matchAll(/(\d): (\d+)\/(\d+)/g)];
    expect(perDigit).toHaveLength(10);
    expect(perDigit.reduce((sum, match) => sum + Number(match[3]), 0)).toBe(360);
  });
});
