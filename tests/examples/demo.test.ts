// `npm run demo` (examples/demo.mjs): every part the README promises, with numbers that agree with each other.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classes, findAll, parseXml } from "../plots/xml.js";
import { type ExampleRun, expectSuccess, numberIn, runExample } from "./run-example.js";

describe("examples/demo.mjs", () => {
  const outDir = mkdtempSync(join(tmpdir(), "densa-demo-"));
  let run: ExampleRun;
  let output: string;

  beforeAll(async () => {
    run = await runExample("demo.mjs", { DENSA_OUT_DIR: outDir });
    output = run.stdout;
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it("runs cleanly", () => {
    // NOTE: how long it takes is for the benchmarks; a unit test on a shared machine only checks it finishes.
    expectSuccess(run);
  });

  it("prints the model summary", () => {
    expect(output).toContain('Model: "digits_mlp"');
    expect(output).toMatch(/│ dense \(Dense\) +│ \(None, 128\) +│ +8,320 │/);
    expect(output).toContain("Total params: 9,610");
  });

  it("shows Keras's progress bar for every epoch", () => {
    for (let epoch = 1; epoch <= 30; epoch++) expect(output).toContain(`Epoch ${epoch}/30\n`);
    const bars = output.split("\n").filter((line) => /^38\/38 ━+ /.test(line));
    expect(bars).toHaveLength(30);
    // NOTE: Keras prints |v| ≤ 1e-3 as .4e ("0.0000e+00"), so a number may carry an exponent.
    const n = String.raw`\d+\.\d{4}(?:e[+-]\d+)?`;
    for (const bar of bars)
      expect(bar).toMatch(new RegExp(`accuracy: ${n} - loss: ${n} - val_accuracy: ${n} - val_loss: ${n}$`));
  });

  it("reaches a held-out accuracy that the confusion matrix agrees with", () => {
    const accuracy = numberIn(output, /^Test accuracy: ([\d.]+) %/m);
    expect(accuracy).toBeGreaterThan(93);
    const rows = output.split("\n").filter((line) => /^ +\d │/.test(line));
    expect(rows).toHaveLength(10);
    let total = 0;
    let correct = 0;
    rows.forEach((row, digit) => {
      const cells = row.split("│")[1].trim().split(/\s+/);
      expect(cells).toHaveLength(10);
      cells.forEach((cell, column) => {
        const count = cell === "·" ? 0 : Number(cell.replace(/[[\]]/g, ""));
        expect(cell.startsWith("[")).toBe(column === digit);
        total += count;
        if (column === digit) correct += count;
      });
    });
    expect(total).toBe(450);
    expect((100 * correct) / total).toBeCloseTo(accuracy, 1);
  });

  it("draws the learning curve in the terminal", () => {
    const start = output.indexOf("Learning curve:");
    expect(start).toBeGreaterThan(0);
    const lines = output
      .slice(start)
      .split("\n")
      .slice(2, 2 + 24);
    expect(lines[0]).toMatch(/^loss +● training {2}○ validation$/);
    expect(lines[12]).toMatch(/^accuracy +● training {2}○ validation$/);
    for (const line of lines) expect([...line]).toHaveLength(72);
    expect(lines[11]).toMatch(/^epoch +1 .* 30$/);
  });

  it("writes the learning curve as an SVG file", () => {
    expect(output).toContain("digits-learning-curve.svg (open it in a browser)");
    const svg = parseXml(readFileSync(join(outDir, "digits-learning-curve.svg"), "utf8"));
    const panels = findAll(svg, (element) => classes(element).includes("panel"));
    expect(panels.map((panel) => panel.attributes["data-metric"])).toEqual(["loss", "accuracy"]);
    const paths = findAll(svg, (element) => element.name === "path");
    expect(paths).toHaveLength(4);
    for (const path of paths) expect(path.attributes.d.match(/[ML]/g)).toHaveLength(30);
  });

  it("saves the model and loads it back with the same predictions", () => {
    expect(output).toMatch(/^Saved the model to .*digits-model: .*model\.json/m);
    expect(existsSync(join(outDir, "digits-model", "model.json"))).toBe(true);
    expect(output).toContain("Loaded it back with loadModel: the same predictions.");
  });
});
