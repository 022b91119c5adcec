// The size budgets of issues 9 and 10 on the built package (dist/, `npm run build`). Sizes are esbuild + gzip -9
// of bench/apps, as bench/bundle-size.mjs measures them: `jsGzip` is what a page loads at start, `lazyGzip` what
// it may fetch through import() on first use (the Keras readers, layer families, the thread pool and its kernel
// builds), `lazyByImport` what each import() target costs when it loads.
// NOTE: budgets not met yet are `test.fails` so that CI says so; each starts failing — to be turned into a plain
// test — once its budget holds.
// The training apps are measured the way each bundler can shake them (bench/bundle-size.mjs, trainingApps): the
// app as Keras users write it (`layers.Dense`) under Rollup, which Vite's production build runs, and the same app
// with named imports (`import { Dense } from "densa"`) under esbuild. esbuild keeps a re-exported namespace whole
// (esbuild issue 1420), so its `layers.Dense` app carries every layer class (reported by the bench, not budgeted).
// Measured 2026-12-07 on the merged tree: Sequential 76.2 kB (Rollup, namespace) / 79.4 kB (esbuild, named),
// Functional 79.5 / 82.9 kB (on the bundle branch alone 71.7 / 72.6 and 75.0 / 75.9; the activation plan, multi-output
// nesting and the Functional code merged since). The inlined training wasm alone is 22.8 kB of each. What remains
// is mostly the model and training core (Model extends InferenceModel; summary, getConfig and the Functional code
// that model.ts provides are carried by every model) and compile's name tables (1.6 kB).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
// @ts-expect-error: a plain .mjs module of the benchmarks, without types
import { sizeOfApp, sizeOfAppRollup } from "../../../bench/bundle-size.mjs";

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

  // NOTE: met on its own branch (29.2 kB), then 30.1 kB once the activation plan, multi-output nesting and holder
  // counting merged in (2026-12-07, after moving Layer.apply, Functional graph construction and shared-layer
  // gradient sums into the Functional chunk and giving densa/infer a regularizer stand-in).
  test.fails("budget (not met yet, 30.1 kB): densa/infer app loading the TF.js format ≤ 30 kB at start", async () => {
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

  describe("training apps", () => {
    // NOTE: one build per app, bundler and style, shared by the tests below (each build takes seconds).
    const sizes = new Map<string, Promise<{ jsGzip: number; startCode: string; failure?: string }>>();
    const size = (app: string, bundler: "esbuild" | "rollup") => {
      const key = `${bundler} ${app}`;
      if (!sizes.has(key)) sizes.set(key, (bundler === "esbuild" ? sizeOfApp : sizeOfAppRollup)(app, []));
      return sizes.get(key)!;
    };

    test("Rollup (Vite) shakes the `layers` namespace: written with layers.Dense the app loads what named imports load", async () => {
      for (const [namespace, named] of [
        ["densa-train.mjs", "densa-train-named.mjs"],
        ["densa-functional-train.mjs", "densa-functional-train-named.mjs"],
      ]) {
        const [a, b] = await Promise.all([size(namespace, "rollup"), size(named, "rollup")]);
        expect([a.failure, b.failure]).toEqual([undefined, undefined]);
        expect(Math.abs(a.jsGzip - b.jsGzip), namespace).toBeLessThan(300);
      }
    });

    test("the Sequential app carries no layer class it does not use, nor save's code, with either bundler", async () => {
      // A layer class in a bundle registers itself: `registerLayerClasses({ BatchNormalization: … })` survives
      // minification as `{BatchNormalization:e}`; the registry's table of names has `BatchNormalization:"…"`.
      const registers = (code: string, className: string) => new RegExp(`[{,]${className}:(?!")`).test(code);
      for (const built of [await size("densa-train.mjs", "rollup"), await size("densa-train-named.mjs", "esbuild")]) {
        expect(built.failure).toBeUndefined();
        for (const absent of ["BatchNormalization", "Concatenate", "Embedding", "LayerNormalization", "Dropout"])
          expect(registers(built.startCode, absent), absent).toBe(false);
        // save() loads the topology writer and the weights' encoding on first use.
        expect(built.startCode.includes("weightsManifest"), "save's code").toBe(false);
      }
      // The Functional app does carry the layers it names (so the check above can fail).
      for (const built of [
        await size("densa-functional-train.mjs", "rollup"),
        await size("densa-functional-train-named.mjs", "esbuild"),
      ]) {
        for (const present of ["BatchNormalization", "Concatenate", "Embedding", "Flatten"])
          expect(registers(built.startCode, present), present).toBe(true);
        expect(registers(built.startCode, "LayerNormalization"), "LayerNormalization").toBe(false);
      }
    });

    test.fails("budget (not met yet, see above): the Sequential training app ≤ 60 kB at start", async () => {
      expect((await size("densa-train.mjs", "rollup")).jsGzip).toBeLessThanOrEqual(60_000);
      expect((await size("densa-train-named.mjs", "esbuild")).jsGzip).toBeLessThanOrEqual(60_000);
    });

    test.fails("budget (not met yet, see above): the Functional training app ≤ 70 kB at start", async () => {
      expect((await size("densa-functional-train.mjs", "rollup")).jsGzip).toBeLessThanOrEqual(70_000);
      expect((await size("densa-functional-train-named.mjs", "esbuild")).jsGzip).toBeLessThanOrEqual(70_000);
    });
  });
});
