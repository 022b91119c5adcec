import { describe, expect, it } from "vitest";
import { expectSuccess, numberIn, runExample } from "./run-example.js";

describe("examples/binary-classification.mjs", () => {
  it("separates the two moons with a sigmoid output", async () => {
    const run = await runExample("binary-classification.mjs");
    const lines = expectSuccess(run);
    expect(lines[lines.length - 1]).toMatch(/^Test accuracy: [\d.]+ %$/);
    expect(numberIn(run.stdout, /^Test accuracy: ([\d.]+) %$/m)).toBeGreaterThan(93);
    expect(numberIn(run.stdout, /AUC ([\d.]+)/)).toBeGreaterThan(0.97);
    expect(numberIn(run.stdout, /precision ([\d.]+)/)).toBeGreaterThan(0.9);
    expect(numberIn(run.stdout, /recall ([\d.]+)/)).toBeGreaterThan(0.9);
    // Deep inside each moon the probabilities are confident and on the right side.
    const probabilities = /: ([\d.]+), ([\d.]+), ([\d.]+)$/m.exec(run.stdout)!.slice(1).map(Number);
    expect(probabilities[0]).toBeLessThan(0.1);
    expect(probabilities[1]).toBeGreaterThan(0.9);
  });
});
