// The size budgets of issue 10 on the built package (dist/, `npm run build`): the Keras readers stay out of apps
// that never open a Keras file. Sizes are esbuild + gzip -9 of bench/apps, as bench/bundle-size.mjs measures them.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
// @ts-expect-error: a plain .mjs module of the benchmarks, without types
import { sizeOfApp } from "../../../bench/bundle-size.mjs";

const built = existsSync(fileURLToPath(new URL("../../../dist/densa.js", import.meta.url)));
if (!built) console.warn("SKIPPED: dist/ is missing (npm run build); the bundle budgets are not checked");

describe.skipIf(!built)("bundle budgets (gzip)", () => {
  test("densa/infer app loading the TF.js format ≤ 30 kB, and it carries no Keras reader at start", async () => {
    const size = await sizeOfApp("densa-predict.mjs", []);
    expect(size.jsGzip).toBeLessThanOrEqual(30_000);
    expect(size.lazyGzip).toBeGreaterThan(5_000); // the readers exist, split off
  });

  test("densa/infer app opening a .keras ≤ 50 kB, readers included", async () => {
    const size = await sizeOfApp("densa-keras-predict.mjs", []);
    expect(size.jsGzip + size.lazyGzip).toBeLessThanOrEqual(50_000);
  });

  test("the Sequential training app ≤ 60 kB at start", async () => {
    const size = await sizeOfApp("densa-train.mjs", []);
    expect(size.jsGzip).toBeLessThanOrEqual(60_000);
  });
});
