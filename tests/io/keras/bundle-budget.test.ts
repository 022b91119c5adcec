// The size budgets of issues 9 and 10 on the built package (dist/, `npm run build`). Sizes are esbuild + gzip -9
// of bench/apps, as bench/bundle-size.mjs measures them: `jsGzip` is what a page loads at start, `lazyGzip` what
// it may fetch through import() on first use (the Keras readers, layer families, the thread pool and its kernel
// builds), `lazyByImport` what each import() target costs when it loads.
// NOTE: budgets not met yet are `test.fails` so that CI says so; each starts failing — to be turned into a plain
// test — once its budget holds. Measured 2026-12-07 after the bundle work: densa/infer 30.9 kB at start (was
// 42.8); the training apps 80.6 / 80.7 kB (were 82.0 / 82.1): esbuild keeps the `layers` namespace object whole
// (esbuild issue 1420), so every layer class reaches every app that writes `layers.Dense`, and compile's names
// ("adam", "accuracy") reach every optimizer, loss and metric.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
// @ts-expect-error: a plain .mjs module of the benchmarks, without types
import { sizeOfApp } from "../../../bench/bundle-size.mjs";

const built = existsSync(fileURLToPath(new URL("../../../dist/densa.js", import.meta.url)));
if (!built) console.warn("SKIPPED: dist/ is missing (npm run build); the bundle budgets are not checked");

describe.skipIf(!built)("bundle sizes (gzip)", () => {
  test("the Keras readers are split off: an app that never opens a Keras file does not load them at start", async () => {
    const tfjsOnly = await sizeOfApp("densa-predict.mjs", []);
    const keras = await sizeOfApp("densa-keras-predict.mjs", []);
    expect(tfjsOnly.lazyGzip).toBeGreaterThan(5_000); // the readers exist, in chunks of their own
    // The app that opens a .keras starts with the same code and fetches the readers when it first needs them.
    expect(Math.abs(keras.jsGzip - tfjsOnly.jsGzip)).toBeLessThan(1_000);
    expect(keras.lazyGzip).toBe(tfjsOnly.lazyGzip);
  });

  test("densa/infer loads layer classes beyond Dense by family, on first use: none of them starts the app", async () => {
    const { lazyByImport } = await sizeOfApp("densa-predict.mjs", []);
    for (const family of ["activation", "merging", "normalization", "regularization", "reshaping"]) {
      expect(lazyByImport[`densa-infer-${family}-layers`], family).toBeGreaterThan(1_500);
    }
  });

  test("densa/infer loads the Functional API's code and the kernels of layers beyond Dense on first use, not at start", async () => {
    const { lazyByImport } = await sizeOfApp("densa-predict.mjs", []);
    expect(lazyByImport["densa-infer-functional-models"]).toBeGreaterThan(1_500);
    expect(lazyByImport["densa-infer-densa-infer-layers-wasm-inline"]).toBeGreaterThan(1_500);
  });

  test("budget: densa/infer app loading the TF.js format ≤ 30 kB at start", async () => {
    expect((await sizeOfApp("densa-predict.mjs", [])).jsGzip).toBeLessThanOrEqual(30_000);
  });

  test("budget: densa/infer app opening a .keras of Dense layers ≤ 50 kB, readers included", async () => {
    // What that app loads: its start, the readers' chunks and the Functional API's code, which the readers load
    // with them (no layer family: Dense is always there).
    const size = await sizeOfApp("densa-keras-predict.mjs", []);
    const { "densa-infer-keras-artifacts": readers, "densa-infer-functional-models": functional } = size.lazyByImport;
    expect(readers).toBeGreaterThan(5_000);
    expect(size.jsGzip + readers + functional).toBeLessThanOrEqual(50_000);
  });

  test.fails("budget (not met yet): the Sequential training app ≤ 60 kB at start", async () => {
    expect((await sizeOfApp("densa-train.mjs", [])).jsGzip).toBeLessThanOrEqual(60_000);
  });

  test.fails("budget (not met yet): the Functional training app ≤ 70 kB at start", async () => {
    expect((await sizeOfApp("densa-functional-train.mjs", [])).jsGzip).toBeLessThanOrEqual(70_000);
  });
});
