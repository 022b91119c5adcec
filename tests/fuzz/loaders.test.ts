// Property-based fuzzing of every loader: thousands of generated and mutated model files per run, through every
// source form (artifacts, { modelJson, weights } as object and as text, a load() handler, file:// files) and
// both entries ("densa" and "densa/infer"). Each input must either load a model that predicts the right shape,
// or be refused with densa's own Error starting "loadModel: " (see own-error.ts); and either way, wasm memory is
// back where it was (no half-built model, no leak). The seed is fixed (DENSA_FUZZ_SEED / DENSA_FUZZ_RUNS
// explore others); a failure prints its seed and path, and becomes a case in regressions.test.ts.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { globalGenerator } from "../../ts/engine/random.js";
import { init, loadModel } from "../../ts/index.js";
import { loadModel as loadForInference } from "../../ts/infer.js";
import {
  LOADER_RUNS,
  LOADER_SEED,
  type LoaderCase,
  loaderCase,
  prepareLoaderCases,
  runLoaderCase,
  sourceOf,
} from "./loader-cases.js";
import type { BaseModel } from "./model-corpus.js";

let bases: BaseModel[];
let cleanUp: () => void;
beforeAll(async () => {
  await init();
  globalGenerator(); // NOTE: allocated once on first use; make that happen before any baseline is taken.
  ({ bases, cleanUp } = await prepareLoaderCases());
});
afterAll(() => cleanUp());

describe("loaders under fuzzing", () => {
  test("every intact base model loads through every form and entry", async () => {
    for (let base = 0; base < bases.length; base++) {
      for (const form of ["artifacts", "modelJson", "modelJsonText", "handler", "file"] as const) {
        for (const entry of ["densa", "infer"] as const) {
          const spec: LoaderCase = { base, form, entry, compile: true, tree: [], text: null, bytes: null, split: -1 };
          const source = sourceOf(spec);
          const model = entry === "densa" ? await loadModel(source) : await loadForInference(source);
          expect(model.outputShape).toEqual(bases[base].outputShape);
          model.dispose();
        }
      }
    }
  });

  test(`${LOADER_RUNS} generated and mutated files: a model of the right shape or densa's own Error, memory back to baseline`, async () => {
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(loaderCase, async (spec) => {
        const problem = await runLoaderCase(spec);
        if (problem !== null) throw new Error(problem);
        cases++;
      }),
      // NOTE: timeout catches a case that never settles (a hang); cases take milliseconds, so 10 s never flakes.
      { seed: LOADER_SEED, numRuns: LOADER_RUNS, endOnFailure: true, timeout: 10_000 },
    );
    expect(cases).toBe(LOADER_RUNS);
  });
});
